import { Args } from '@oclif/core';
import { CommandFailure, MesApiCommand } from '../../../base-command.js';
import { table } from '../../../format.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default class SalesOrdersShow extends MesApiCommand<typeof SalesOrdersShow> {
  static override summary = 'Show one sales order with its lines: ordered, planned, shipped, returned and open.';

  static override description = `Quantities after the ordered one are in the material's base unit. With --json, prints the order as the API returns it.

Needs the sales:read permission.`;

  static override examples = ['<%= config.bin %> <%= command.id %> SO20260701-0001'];

  static override args = {
    order: Args.string({ description: 'Document number or id of the order.', required: true }),
  };

  public async run() {
    const ref = this.args.order;
    let id = UUID.test(ref) ? ref : undefined;
    if (!id) {
      id = (await this.client.sales.orders.list({ q: ref, limit: 500 })).items.find((o) => o.docNo === ref)?.id;
      if (!id) throw new CommandFailure(`no sales order ${ref}`, { code: 'SALES_ORDER_NOT_FOUND' });
    }
    const o = await this.client.sales.orders.get(id);
    this.log(`${o.docNo}  ${o.status}  version ${o.version}`);
    this.log(`customer ${o.customerCode} ${o.customerName}, dated ${o.orderDate}; net ${o.netTotal}, tax ${o.taxTotal}, gross ${o.grossTotal}`);
    this.log('');
    this.log(
      table(o.lines, [
        { header: 'line', get: (l) => String(l.lineNo) },
        { header: 'material', get: (l) => l.materialCode },
        { header: 'ordered', get: (l) => `${l.quantity} ${l.unit}` },
        { header: 'base', get: (l) => `${l.baseQuantity} ${l.baseUnit}` },
        { header: 'planned', get: (l) => l.planned },
        { header: 'shipped', get: (l) => l.shipped },
        { header: 'returned', get: (l) => l.returned },
        { header: 'open', get: (l) => l.open },
        { header: 'price', get: (l) => l.price },
        { header: 'gross', get: (l) => l.grossAmount },
        { header: 'delivery', get: (l) => l.deliveryDate },
      ]),
    );
    return o;
  }
}
