import { Flags } from '@oclif/core';
import type { SalesProgressRow } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';

export default class SalesProgress extends MesApiCommand<typeof SalesProgress> {
  static override summary = 'Sales progress: ordered, planned, shipped, returned and open, by customer or by material.';

  static override description = `Quantities are in each material's base unit, so "by customer" shows one row per customer and material. Orders count once approved (drafts and cancelled orders do not); open is what approved and in-delivery orders still have to ship. Follows every page. With --json, prints an array of rows as the API returns them.

Needs the sales:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'By material, orders dated in July', command: '<%= config.bin %> <%= command.id %> --by material --from 2026-07-01 --to 2026-07-31' },
  ];

  static override flags = {
    by: Flags.string({ summary: 'Group by customer (and material) or by material.', options: ['customer', 'material'], default: 'customer' }),
    from: Flags.string({ summary: 'Orders dated on or after (YYYY-MM-DD).' }),
    to: Flags.string({ summary: 'Orders dated on or before (YYYY-MM-DD).' }),
    'page-size': Flags.integer({ summary: 'Rows fetched per request while following the pages.', min: 1, max: 1000, default: 1000, hidden: true }),
  };

  public async run() {
    const rows: SalesProgressRow[] = [];
    const groupBy = this.flags.by as 'customer' | 'material';
    for await (const r of this.client.sales.iterateProgress({ groupBy, from: this.flags.from, to: this.flags.to, limit: this.flags['page-size'] })) rows.push(r);
    if (rows.length === 0) this.log('No sales orders.');
    else {
      this.log(
        table(rows, [
          ...(groupBy === 'customer' ? [{ header: 'customer', get: (r: SalesProgressRow) => r.customerCode ?? '' }] : []),
          { header: 'material', get: (r) => r.materialCode },
          { header: 'unit', get: (r) => r.baseUnit },
          { header: 'ordered', get: (r) => r.ordered },
          { header: 'planned', get: (r) => r.planned },
          { header: 'shipped', get: (r) => r.shipped },
          { header: 'returned', get: (r) => r.returned },
          { header: 'open', get: (r) => r.open },
        ]),
      );
    }
    return rows;
  }
}
