import { Args } from '@oclif/core';
import type { PurchaseOrder } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../../base-command.js';
import { table } from '../../../format.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default class PurchasingOrdersShow extends MesApiCommand<typeof PurchasingOrdersShow> {
  static override summary = 'Show a purchase order with its lines and their progress.';

  static override description = `Each line shows the ordered quantity in its purchase unit and, in the base unit, what was received, accepted into stock, rejected at inspection and what is still open (ordered − (received − rejected)). With --json, prints the order as the API returns it.

Needs the purchasing:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> PO20260301-0001',
    { description: 'Open quantity per line', command: "<%= config.bin %> <%= command.id %> PO20260301-0001 --json | jq '.lines[] | {materialCode, open}'" },
  ];

  static override args = {
    order: Args.string({ description: 'Order number (PO…) or id.', required: true }),
  };

  public async run() {
    const ref = this.args.order;
    let order: PurchaseOrder;
    if (UUID.test(ref)) order = await this.client.purchasing.orders.get(ref);
    else {
      const found = (await this.client.purchasing.orders.list({ docNo: ref, limit: 1 })).items[0];
      if (!found) throw new CommandFailure(`no purchase order ${ref}`, { code: 'ORDER_NOT_FOUND' });
      order = await this.client.purchasing.orders.get(found.id);
    }
    this.log(`${order.docNo}  supplier ${order.supplierCode}  ${order.status}  version ${order.version}  demand ${order.demandSource}${order.demandRef ? ` (${order.demandRef})` : ''}`);
    this.log(
      table(order.lines, [
        { header: 'line', get: (l) => String(l.lineNo) },
        { header: 'material', get: (l) => l.materialCode },
        { header: 'ordered', get: (l) => `${l.quantity} ${l.unit}` },
        { header: 'received', get: (l) => l.received },
        { header: 'accepted', get: (l) => l.accepted },
        { header: 'rejected', get: (l) => l.rejected },
        { header: 'open', get: (l) => l.open },
        { header: 'unit', get: (l) => l.baseUnit },
        { header: 'mto', get: (l) => l.mtoNumber ?? '' },
      ]),
    );
    return order;
  }
}
