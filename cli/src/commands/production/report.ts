import { Args, Flags } from '@oclif/core';
import type { ProductionWorkReport } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { productionOrderId } from '../../lookup.js';

export default class ProductionReport extends MesApiCommand<typeof ProductionReport> {
  static override summary = 'Report work on an operation of a production order, as a shop-floor terminal does.';

  static override description = `Records good, scrap and pending-inspection quantities of one operation (in the product's production unit unless --unit says otherwise; the conversion to the base unit must be exact), with the operator, station and equipment. The quantity flow rule holds: an operation never passes more than its predecessor passed as good (the first: the order quantity), plus the tenant's report tolerance, else QUANTITY_FLOW_VIOLATION (exit 1). Components backflushed at the operation are deducted; the piece rate in effect prices the good quantity. --end finishes the operation. A terminal script that retries should pass --idempotency-key: a resent report then counts once. With --json, prints the report.

Needs the production:write permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> MO20260302-0001 --operation 10 --good 48 --scrap 2 --operator W-007 --station ST-1',
    { description: 'The last report of an operation, safe to resend', command: '<%= config.bin %> <%= command.id %> MO20260302-0001 --operation 20 --good 50 --operator W-009 --end --idempotency-key term-7-000123 --json' },
  ];

  static override args = {
    order: Args.string({ description: 'Document number (MO…) or id of the order.', required: true }),
  };

  static override flags = {
    operation: Flags.integer({ summary: 'Operation sequence number (10, 20 …).', required: true, min: 1 }),
    good: Flags.string({ summary: 'Good quantity.' }),
    scrap: Flags.string({ summary: 'Scrap quantity.' }),
    pending: Flags.string({ summary: 'Quantity waiting for inspection.' }),
    unit: Flags.string({ summary: "Unit of the quantities; default the product's production unit." }),
    'scrap-reason': Flags.string({ summary: 'Why the scrap.' }),
    operator: Flags.string({ summary: 'Who did the work.', required: true }),
    station: Flags.string({ summary: 'Station code.' }),
    equipment: Flags.string({ summary: 'Equipment code.' }),
    'started-at': Flags.string({ summary: 'When the work started (ISO 8601).' }),
    'ended-at': Flags.string({ summary: 'When it ended (ISO 8601); default now.' }),
    end: Flags.boolean({ summary: 'The operation is finished with this report.' }),
    'backflush-warehouse': Flags.string({ summary: 'Warehouse code backflushed components come from; default FIFO over all.' }),
    'idempotency-key': Flags.string({ summary: 'A key of your own: the same report resent with it counts once.' }),
  };

  public async run(): Promise<ProductionWorkReport> {
    const f = this.flags;
    const id = await productionOrderId(this.client, this.args.order);
    const r = await this.client.production.execution.report(id, {
      operationSeq: f.operation, goodQuantity: f.good, scrapQuantity: f.scrap, pendingInspectionQuantity: f.pending, unit: f.unit, scrapReason: f['scrap-reason'],
      operator: f.operator, stationCode: f.station, equipmentCode: f.equipment, startedAt: f['started-at'], endedAt: f['ended-at'], end: f.end || undefined,
      backflushWarehouseCode: f['backflush-warehouse'],
    }, f['idempotency-key'] ? { idempotencyKey: f['idempotency-key'] } : undefined);
    const flushed = r.backflush ? `; backflushed ${r.backflush.lines.map((l) => `${l.baseQuantity} ${l.baseUnit} ${l.materialCode}`).join(', ')}` : '';
    this.log(`${r.docNo}: ${r.orderDocNo} operation ${r.operationSeq} ${r.operationName}: good ${r.goodQuantity}, scrap ${r.scrapQuantity}, pending inspection ${r.pendingInspectionQuantity} ${r.baseUnit} by ${r.operator}${r.pieceRate ? `, wage ${r.wageAmount}` : ''}${flushed}`);
    return r;
  }
}
