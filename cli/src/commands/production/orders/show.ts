import { Args } from '@oclif/core';
import type { ProductionOrder } from '@mes/sdk';
import { MesApiCommand } from '../../../base-command.js';
import { table } from '../../../format.js';
import { productionOrderId } from '../../../lookup.js';

export default class ProductionOrdersShow extends MesApiCommand<typeof ProductionOrdersShow> {
  static override summary = 'Show one production order with its operations and component requirements.';

  static override description = `A released order shows its own copy of the routing (operations with work centre, planned minutes and reported quantities) and of the exploded BOM (components with required, issued, backflushed and returned quantities in their base units). A planned order has neither yet. With --json, prints the order as the API returns it.

Needs the production:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> MO20260302-0001',
    { description: 'What is still to issue per component', command: "<%= config.bin %> <%= command.id %> MO20260302-0001 --json | jq '.components[] | {materialCode, requiredQuantity, issuedQuantity}'" },
  ];

  static override args = {
    order: Args.string({ description: 'Document number (MO…) or id of the order.', required: true }),
  };

  public async run(): Promise<ProductionOrder> {
    const o = await this.client.production.orders.get(await productionOrderId(this.client, this.args.order));
    this.log(`${o.docNo}  ${o.status}  version ${o.version}`);
    this.log(`${o.materialCode} ${o.materialName}: ${o.quantity} ${o.unit} (${o.baseQuantity} ${o.baseUnit})`);
    this.log(`workshop ${o.workshopCode ?? '-'}, line ${o.lineCode ?? '-'}; planned ${o.plannedStart} to ${o.plannedFinish}${o.dueDate ? `, due ${o.dueDate}` : ''}`);
    this.log(`BOM revision ${o.bomRevision ?? '-'}, routing ${o.routingCode ?? '-'} revision ${o.routingRevision ?? '-'}; source ${o.source}${o.mtoNo ? ` (MTO ${o.mtoNo})` : ''}`);
    if (o.operations.length) {
      this.log('');
      this.log(
        table(o.operations, [
          { header: 'op', get: (x) => String(x.seq) },
          { header: 'name', get: (x) => x.name },
          { header: 'work centre', get: (x) => x.workCentreCode },
          { header: 'minutes', get: (x) => x.plannedMinutes },
          { header: 'good', get: (x) => x.goodQuantity },
          { header: 'scrap', get: (x) => x.scrapQuantity },
          { header: 'status', get: (x) => x.status },
        ]),
      );
    }
    if (o.components.length) {
      this.log('');
      this.log(
        table(o.components, [
          { header: 'line', get: (c) => String(c.lineNo) },
          { header: 'material', get: (c) => c.materialCode },
          { header: 'op', get: (c) => (c.operationSeq === null ? '' : String(c.operationSeq)) },
          { header: 'required', get: (c) => `${c.requiredQuantity} ${c.baseUnit}` },
          { header: 'issued', get: (c) => c.issuedQuantity },
          { header: 'backflushed', get: (c) => c.backflushedQuantity },
          { header: 'returned', get: (c) => c.returnedQuantity },
          { header: 'issue', get: (c) => c.issueType },
        ]),
      );
    }
    return o;
  }
}
