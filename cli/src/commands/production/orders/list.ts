import { Flags } from '@oclif/core';
import type { ProductionOrderSummary } from '@mes/sdk';
import { MesApiCommand } from '../../../base-command.js';
import { table } from '../../../format.js';
import { materialByCode, workshopByCode } from '../../../lookup.js';

const STATUSES = ['open', 'planned', 'released', 'in_progress', 'completed', 'closed', 'cancelled'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = Flags.custom<string>({
  parse: async (input) => {
    if (!DATE.test(input)) throw new Error(`expected a date YYYY-MM-DD, got "${input}"`);
    return input;
  },
});

export default class ProductionOrdersList extends MesApiCommand<typeof ProductionOrdersList> {
  static override summary = 'List production orders, newest first.';

  static override description = `"open" means planned, released or in progress. Follows every page. With --json, prints an array of order summaries as the API returns them (id, docNo, status, materialCode, quantity, unit, baseQuantity, workshopCode, lineCode, plannedStart, plannedFinish, dueDate, source, mtoNo, priority, version, …), without operations and components.

Needs the production:read permission.`;

  static override examples = [
    { description: 'What the shop floor still has to make', command: '<%= config.bin %> <%= command.id %> --status open' },
    { description: 'Released orders of one workshop due in March', command: '<%= config.bin %> <%= command.id %> --status released --workshop WS-ASSY --due-from 2026-03-01 --due-to 2026-03-31' },
  ];

  static override flags = {
    status: Flags.string({ summary: 'Only orders in this state.', options: [...STATUSES] }),
    workshop: Flags.string({ summary: 'Only orders of this workshop (code).' }),
    product: Flags.string({ summary: 'Only orders for this product (material code).' }),
    'due-from': date({ summary: 'Due on or after this date (YYYY-MM-DD).' }),
    'due-to': date({ summary: 'Due on or before this date (YYYY-MM-DD).' }),
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 500, default: 500, hidden: true }),
  };

  public async run() {
    const workshopId = this.flags.workshop ? (await workshopByCode(this.client, this.flags.workshop)).id : undefined;
    const materialId = this.flags.product ? (await materialByCode(this.client, this.flags.product)).id : undefined;
    const status = this.flags.status as (typeof STATUSES)[number] | undefined;
    const orders: ProductionOrderSummary[] = [];
    for await (const o of this.client.production.orders.iterate({
      limit: this.flags['page-size'], status, workshopId, materialId, dueFrom: this.flags['due-from'], dueTo: this.flags['due-to'],
    })) orders.push(o);
    if (orders.length === 0) this.log('No production orders.');
    else {
      this.log(
        table(orders, [
          { header: 'doc no', get: (o) => o.docNo },
          { header: 'status', get: (o) => o.status },
          { header: 'product', get: (o) => o.materialCode },
          { header: 'quantity', get: (o) => `${o.baseQuantity} ${o.baseUnit}` },
          { header: 'workshop', get: (o) => o.workshopCode ?? '' },
          { header: 'line', get: (o) => o.lineCode ?? '' },
          { header: 'start', get: (o) => o.plannedStart },
          { header: 'finish', get: (o) => o.plannedFinish },
          { header: 'due', get: (o) => o.dueDate ?? '' },
          { header: 'mto', get: (o) => o.mtoNo ?? '' },
          { header: 'version', get: (o) => String(o.version) },
        ]),
      );
    }
    return orders;
  }
}
