/**
 * Rework orders (S1-5.4.5-e): a quality rework disposition makes a production order of its own,
 * source 'rework', linked to the order whose output it reworks and naming the inspection. It
 * reworks the product itself: no BOM (nothing new is consumed); the original order's routing
 * version, workshop, line and priority; planned for today. It goes through the usual life cycle
 * (release, report, receive); its receipt brings the reworked pieces back into stock.
 *
 * Its routing is the original order's, from the failing operation onward: the operation the
 * inspection was made at (or whose inspection point names the inspection's plan) and every later
 * one, so the pieces are worked and re-inspected again where they failed and pass the remaining
 * steps. A lot found defective after the last operation (final inspection of a receipt) goes
 * back through the last operation only. The operations' planned minutes are setup + run x the
 * rework quantity; an original order without operations gives a rework order without any.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { formatQty, qty } from '../../platform/quantity.js';
import { recordEvent } from '../../platform/outbox.js';
import { numberLast } from '../sales/service.js';
import type { Who } from './common.js';
import * as repo from './order-repo.js';
import type { ProductionOrder } from './order-schema.js';
import { getOrder } from './orders.js';

export interface ReworkInput {
  /** The order whose output is reworked. */
  ofOrderId: string;
  /** In the product's base unit. */
  quantity: string;
  /** The quality inspection that sent the pieces to rework (sourceRef). */
  inspectionDocNo: string;
  reason: string;
  /** Where the inspection found the defect on the original order (see operationsAt); null: after the last operation. */
  at: { seq: number | null; inspectionRef: string | null } | null;
}

export async function createReworkOrder(tx: Sql, who: Who, input: ReworkInput): Promise<ProductionOrder> {
  const of = await repo.findOrder(tx, who.tenantId, input.ofOrderId);
  if (!of) throw notFound('production order', input.ofOrderId);
  const product = await getOrder(tx, who.tenantId, of.id);
  const today = new Date().toISOString().slice(0, 10);
  const id = randomUUID();
  await repo.insertOrder(tx, who.tenantId, {
    id, doc_no: `~${id}`, material_id: of.material_id, quantity: input.quantity, unit: product.baseUnit, base_quantity: input.quantity,
    bom_version_id: null, routing_version_id: of.routing_version_id, workshop_id: of.workshop_id, line_id: of.line_id, planned_start: today, planned_finish: today,
    due_date: null, source: 'rework', source_ref: input.inspectionDocNo, rework_of_order_id: of.id, priority: of.priority,
    include_optional: false, remark: `rework of ${of.doc_no} (${input.inspectionDocNo})${input.reason ? `: ${input.reason}` : ''}`.slice(0, 1000),
    created_by: who.actor, created_by_user: who.userId,
  });
  await repo.insertOperations(tx, who.tenantId, id, await reworkOperations(tx, who.tenantId, of.id, input));
  const docNo = await numberLast(tx, who.tenantId, 'production_orders', id, 'production_order', 'MO{yyyy}{mm}{dd}-{seq:4}', 'Production order numbers');
  const order = await getOrder(tx, who.tenantId, id);
  recordEvent(tx, {
    tenantId: who.tenantId, type: 'production_order.created', aggregateType: 'production_order', aggregateId: id,
    payload: {
      id, docNo, status: order.status, version: order.version, materialId: order.materialId, materialCode: order.materialCode, quantity: order.baseQuantity,
      workshopId: order.workshopId, workshopCode: order.workshopCode, lineId: order.lineId, plannedStart: order.plannedStart, plannedFinish: order.plannedFinish,
      source: 'rework', reworkOfOrderId: of.id, inspectionDocNo: input.inspectionDocNo,
    },
  });
  return order;
}

/** The original order's operations from the failing one onward (the last one when the defect was found after it), planned for the rework quantity. */
async function reworkOperations(tx: Sql, tenantId: string, ofOrderId: string, input: ReworkInput): Promise<repo.NewOrderOperation[]> {
  const ops = await repo.operationsOf(tx, tenantId, ofOrderId);
  const [place] = input.at ? await repo.operationsAt(tx, tenantId, [{ orderId: ofOrderId, ...input.at }]) : [];
  const from = place?.op_seq ?? ops.at(-1)?.seq;
  return ops.filter((o) => from !== undefined && o.seq >= from).map((o) => ({
    seq: o.seq, name: o.name, description: o.description, workCentreId: o.work_centre_id, setupMinutes: o.setup_minutes, runMinutes: o.run_minutes,
    queueMinutes: o.queue_minutes, moveMinutes: o.move_minutes, plannedMinutes: formatQty(qty(o.setup_minutes).plus(qty(o.run_minutes).mul(qty(input.quantity)))),
    inspectionPoint: o.inspection_point, inspectionText: o.inspection_text, inspectionRef: o.inspection_ref, alternates: o.alternates,
  }));
}
