import { Flags } from '@oclif/core';
import type { PurchasingProgressRow } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';

export default class PurchasingProgress extends MesApiCommand<typeof PurchasingProgress> {
  static override summary = 'Purchasing progress per supplier or material.';

  static override description = `Over the lines of orders created in [--from, --to): ordered, received, inspected, in (accepted into stock), rejected, returned, pending inspection and open (ordered − (received − rejected)), in base units. By supplier the quantities add up over its materials. With --json, prints an array of rows as the API returns them.

Needs the purchasing:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Per material, this year', command: '<%= config.bin %> <%= command.id %> --by material --from 2026-01-01T00:00:00Z' },
  ];

  static override flags = {
    by: Flags.string({ summary: 'Group by supplier or material.', options: ['supplier', 'material'], default: 'supplier' }),
    from: Flags.string({ summary: 'Orders created at or after this time (ISO 8601).' }),
    to: Flags.string({ summary: 'Orders created before this time (ISO 8601).' }),
    'page-size': Flags.integer({ summary: 'Rows fetched per request while following the pages.', min: 1, max: 500, default: 500, hidden: true }),
  };

  public async run() {
    const rows: PurchasingProgressRow[] = [];
    const groupBy = this.flags.by as 'supplier' | 'material';
    for await (const r of this.client.purchasing.iterateProgress({ groupBy, from: this.flags.from, to: this.flags.to, limit: this.flags['page-size'] })) rows.push(r);
    if (rows.length === 0) this.log('No purchase orders in this period.');
    else {
      this.log(
        table(rows, [
          { header: groupBy, get: (r) => r.key.code },
          { header: 'orders', get: (r) => String(r.orders) },
          { header: 'ordered', get: (r) => r.ordered },
          { header: 'received', get: (r) => r.received },
          { header: 'inspected', get: (r) => r.inspected },
          { header: 'in', get: (r) => r.in },
          { header: 'returned', get: (r) => r.returned },
          { header: 'open', get: (r) => r.open },
          { header: 'unit', get: (r) => r.baseUnit ?? '' },
        ]),
      );
    }
    return rows;
  }
}
