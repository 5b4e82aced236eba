/**
 * Rework orders (S1-5.4.5-e): a quality rework disposition makes a production order of its own,
 * source 'rework', linked to the order whose output it reworks and naming the inspection. It
 * reworks the product itself: no BOM (nothing new is consumed), no routing unless one is named,
 * the original order's workshop, line and priority, planned for today. It goes through the usual
 * life cycle (release, report, receive); its receipt brings the reworked pieces back into stock.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
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
}

export async function createReworkOrder(tx: Sql, who: Who, input: ReworkInput): Promise<ProductionOrder> {
  const of = await repo.findOrder(tx, who.tenantId, input.ofOrderId);
  if (!of) throw notFound('production order', input.ofOrderId);
  const product = await getOrder(tx, who.tenantId, of.id);
  const today = new Date().toISOString().slice(0, 10);
  const id = randomUUID();
  await repo.insertOrder(tx, who.tenantId, {
    id, doc_no: `~${id}`, material_id: of.material_id, quantity: input.quantity, unit: product.baseUnit, base_quantity: input.quantity,
    bom_version_id: null, routing_version_id: null, workshop_id: of.workshop_id, line_id: of.line_id, planned_start: today, planned_finish: today,
    due_date: null, source: 'rework', source_ref: input.inspectionDocNo, rework_of_order_id: of.id, priority: of.priority,
    include_optional: false, remark: `rework of ${of.doc_no} (${input.inspectionDocNo})${input.reason ? `: ${input.reason}` : ''}`.slice(0, 1000),
    created_by: who.actor, created_by_user: who.userId,
  });
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
