import { Flags } from '@oclif/core';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';

export default class PurchasingSuggest extends MesApiCommand<typeof PurchasingSuggest> {
  static override summary = 'Draft purchase orders for materials below safety stock.';

  static override description = `Per material: the shortfall below safety stock, less what open purchase orders will still bring, is ordered from its preferred supplier; one draft order per supplier (demand source safety_stock). Materials without a preferred supplier are listed as unassigned and not ordered. Running it again orders nothing twice. --dry-run only computes. With --json, prints the answer of the API (dryRun, suggestions with orderId and docNo, unassigned).

Needs the purchasing:write permission.`;

  static override examples = [
    { description: 'See what would be ordered', command: '<%= config.bin %> <%= command.id %> --dry-run' },
    '<%= config.bin %> <%= command.id %>',
  ];

  static override flags = {
    'dry-run': Flags.boolean({ summary: 'Compute only; create no orders.' }),
  };

  public async run() {
    const result = await this.client.purchasing.suggest({ dryRun: this.flags['dry-run'] });
    const rows = [
      ...result.suggestions.flatMap((s) => s.lines.map((l) => ({ supplier: s.supplierCode, order: s.docNo ?? (result.dryRun ? '(dry run)' : ''), ...l }))),
      ...result.unassigned.map((l) => ({ supplier: '(no preferred supplier)', order: '', ...l })),
    ];
    if (rows.length === 0) this.log('Nothing is below safety stock beyond what is already on order.');
    else {
      this.log(
        table(rows, [
          { header: 'supplier', get: (r) => r.supplier },
          { header: 'order', get: (r) => r.order },
          { header: 'material', get: (r) => r.materialCode },
          { header: 'shortfall', get: (r) => r.shortfall },
          { header: 'on order', get: (r) => r.onOrder },
          { header: 'quantity', get: (r) => r.quantity },
          { header: 'unit', get: (r) => r.baseUnit },
        ]),
      );
    }
    return result;
  }
}
