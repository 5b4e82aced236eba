import { Flags } from '@oclif/core';
import type { PurchaseReceiptSummary } from '@mes/sdk';
import { MesApiCommand } from '../../../base-command.js';
import { shortDate, table } from '../../../format.js';

export default class PurchasingReceiptsList extends MesApiCommand<typeof PurchasingReceiptsList> {
  static override summary = 'List purchase receipts, newest first.';

  static override description = `Received goods are not stock until an incoming inspection accepts them; --pending-inspection lists the receipts still waiting (the inspector's worklist). Follows every page. With --json, prints an array of receipts without lines (id, docNo, orderId, orderDocNo, supplierId, status, createdBy, createdAt).

Needs the purchasing:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: "The inspector's worklist", command: '<%= config.bin %> <%= command.id %> --pending-inspection' },
  ];

  static override flags = {
    'pending-inspection': Flags.boolean({ summary: 'Only receipts with goods waiting for inspection.' }),
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 500, default: 500, hidden: true }),
  };

  public async run() {
    const receipts: PurchaseReceiptSummary[] = [];
    for await (const r of this.client.purchasing.receipts.iterate({ limit: this.flags['page-size'], pendingInspection: this.flags['pending-inspection'] || undefined })) receipts.push(r);
    if (receipts.length === 0) this.log(this.flags['pending-inspection'] ? 'Nothing waits for inspection.' : 'No purchase receipts.');
    else {
      this.log(
        table(receipts, [
          { header: 'number', get: (r) => r.docNo },
          { header: 'order', get: (r) => r.orderDocNo },
          { header: 'status', get: (r) => r.status },
          { header: 'by', get: (r) => r.createdBy },
          { header: 'received', get: (r) => shortDate(r.createdAt) },
        ]),
      );
    }
    return receipts;
  }
}
