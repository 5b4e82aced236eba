import { Flags } from '@oclif/core';
import type { SalesOrderSummary } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../../base-command.js';
import { shortDate, table } from '../../../format.js';

const STATUSES = ['open', 'draft', 'approved', 'in_delivery', 'closed', 'cancelled'] as const;

export default class SalesOrdersList extends MesApiCommand<typeof SalesOrdersList> {
  static override summary = 'List sales orders, newest first.';

  static override description = `"open" means approved or in delivery: what is still to ship. Follows every page. With --json, prints an array of order summaries as the API returns them (id, docNo, customerId, customerCode, customerName, orderDate, status, remark, version, netTotal, taxTotal, grossTotal, createdBy, approvedBy, approvedAt, closedAt, closeReason, createdAt, updatedAt, lineCount).

Needs the sales:read permission.`;

  static override examples = [
    { description: 'Orders still to ship', command: '<%= config.bin %> <%= command.id %> --status open' },
    { description: "One customer's drafts", command: '<%= config.bin %> <%= command.id %> --status draft --customer C001' },
  ];

  static override flags = {
    status: Flags.string({ summary: 'Only orders in this state.', options: [...STATUSES] }),
    customer: Flags.string({ summary: 'Only orders of this customer (code).' }),
    q: Flags.string({ summary: 'Document number or customer code/name contains this text.' }),
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 500, default: 500, hidden: true }),
  };

  public async run() {
    let customerId: string | undefined;
    if (this.flags.customer) {
      const code = this.flags.customer;
      const customer = (await this.client.customers.list({ q: code, limit: 500 })).items.find((c) => c.code === code);
      if (!customer) throw new CommandFailure(`no customer with code ${code}`, { code: 'CUSTOMER_NOT_FOUND' });
      customerId = customer.id;
    }
    const orders: SalesOrderSummary[] = [];
    const status = this.flags.status as (typeof STATUSES)[number] | undefined;
    for await (const o of this.client.sales.orders.iterate({ limit: this.flags['page-size'], status, customerId, q: this.flags.q })) orders.push(o);
    if (orders.length === 0) this.log('No sales orders.');
    else {
      this.log(
        table(orders, [
          { header: 'doc no', get: (o) => o.docNo },
          { header: 'date', get: (o) => o.orderDate },
          { header: 'customer', get: (o) => o.customerCode },
          { header: 'status', get: (o) => o.status },
          { header: 'version', get: (o) => String(o.version) },
          { header: 'lines', get: (o) => String(o.lineCount) },
          { header: 'gross', get: (o) => o.grossTotal },
          { header: 'created', get: (o) => shortDate(o.createdAt) },
        ]),
      );
    }
    return orders;
  }
}
