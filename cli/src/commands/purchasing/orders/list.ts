import { Flags } from '@oclif/core';
import type { PurchaseOrderSummary } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../../base-command.js';
import { shortDate, table } from '../../../format.js';

export default class PurchasingOrdersList extends MesApiCommand<typeof PurchasingOrdersList> {
  static override summary = 'List purchase orders, newest first.';

  static override description = `Follows every page. --status open shows the orders goods are still expected against (approved or receiving). With --json, prints an array of orders as the API returns them, without lines (id, docNo, supplierId, supplierCode, demandSource, status, version, createdBy, approvedBy, createdAt, …).

Needs the purchasing:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'What is still to come', command: '<%= config.bin %> <%= command.id %> --status open' },
    { description: 'Drafts of one supplier, numbers only', command: "<%= config.bin %> <%= command.id %> --status draft --supplier SUP-1 --json | jq -r '.[].docNo'" },
  ];

  static override flags = {
    status: Flags.string({ summary: 'Only orders in this state.', options: ['open', 'draft', 'approved', 'receiving', 'closed', 'cancelled'] }),
    supplier: Flags.string({ summary: 'Only orders of this supplier (code).' }),
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 500, default: 500, hidden: true }),
  };

  public async run() {
    let supplierId: string | undefined;
    if (this.flags.supplier) {
      const { items } = await this.client.suppliers.list({ q: this.flags.supplier, limit: 500 });
      supplierId = items.find((s) => s.code === this.flags.supplier)?.id;
      if (!supplierId) throw new CommandFailure(`no supplier with code ${this.flags.supplier}`, { code: 'SUPPLIER_NOT_FOUND' });
    }
    const orders: PurchaseOrderSummary[] = [];
    const status = this.flags.status as PurchaseOrderSummary['status'] | 'open' | undefined;
    for await (const o of this.client.purchasing.orders.iterate({ limit: this.flags['page-size'], status, supplierId })) orders.push(o);
    if (orders.length === 0) this.log('No purchase orders.');
    else {
      this.log(
        table(orders, [
          { header: 'number', get: (o) => o.docNo },
          { header: 'supplier', get: (o) => o.supplierCode },
          { header: 'status', get: (o) => o.status },
          { header: 'source', get: (o) => o.demandSource },
          { header: 'version', get: (o) => String(o.version) },
          { header: 'created', get: (o) => shortDate(o.createdAt) },
        ]),
      );
    }
    return orders;
  }
}
