/**
 * Inspection orders started by production events (S1-5.4.5-b), in the transaction of the event:
 *
 * - first article: the first report of an operation that passes pieces (good or pending
 *   inspection), when a first-article plan covers the product and that operation;
 * - in-process: every report passing pieces at an operation marked as an inspection point, with
 *   the plan the operation names (`inspectionRef`, a plan code) or else the in-process plan covering it;
 * - patrol by pieces: each report that carries the operation's reported pieces (good, scrap and
 *   pending) across a multiple of the plan's everyPieces; by hours: `POST
 *   /v1/quality-plans/{id}/patrol-due`, one order per running production order and window of everyHours;
 * - final: a production receipt, one order per batch of the product received, the lot in the
 *   receipt's warehouse.
 *
 * Each carries a trigger key unique per tenant, so an event seen twice starts nothing new.
 */
import type { Sql } from '../../platform/db.js';
import { conflict } from '../../platform/errors.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import * as masterdata from '../masterdata/service.js';
import * as production from '../production/orders.js';
import { startInspection } from './inspections.js';
import * as repo from './repo.js';
import type { InspectionSummary, Plan } from './schema.js';
import { getPlan } from './standards.js';

export interface WorkReported {
  orderId: string;
  reportId: string;
  materialId: string;
  operation: { seq: number; inspectionPoint: boolean; inspectionRef: string | null };
  /** Of the operation before this report: good + pending inspection, and good + scrap + pending. */
  passedBefore: Qty;
  reportedBefore: Qty;
  /** This report's good + pending inspection, and good + scrap + pending. */
  passed: Qty;
  reported: Qty;
}

/** Does the plan's standard apply to the material (itself or its category)? */
async function covers(tx: Sql, t: string, plan: Plan, material: { id: string; category: string }): Promise<boolean> {
  const standard = await repo.findStandard(tx, t, plan.standardId);
  return !!standard && standard.status === 'active' && (standard.materialId ? standard.materialId === material.id : standard.materialCategory === material.category);
}

export async function onWorkReported(tx: Sql, t: string, who: string, e: WorkReported): Promise<void> {
  if (!e.passed.gt(0) && !e.reported.gt(0)) return;
  const material = (await masterdata.findMaterial(tx, t, e.materialId))!;
  const seq = e.operation.seq;
  const base = { materialId: e.materialId, sourceKind: 'production_order', receiptId: null, receiptLineId: null, productionOrderId: e.orderId, supplierId: null, warehouseId: null, batchNo: null, operationSeq: seq, workReportId: e.reportId };

  if (e.passedBefore.isZero() && e.passed.gt(0)) {
    const plan = await repo.planFor(tx, t, 'first_article', material.id, material.category, seq);
    if (plan) await startInspection(tx, t, who, plan, { ...base, lotSize: formatQty(e.passed), trigger: 'first_report', triggerKey: `first_report:${e.orderId}:${seq}:${plan.id}` });
  }

  if (e.operation.inspectionPoint && e.passed.gt(0)) {
    const named = e.operation.inspectionRef ? await repo.findPlanByCode(tx, t, e.operation.inspectionRef) : undefined;
    const plan = named && named.status === 'active' && named.inspectionType !== 'incoming' && (await covers(tx, t, named, material))
      ? named
      : await repo.planFor(tx, t, 'in_process', material.id, material.category, seq);
    if (plan) await startInspection(tx, t, who, plan, { ...base, lotSize: formatQty(e.passed), trigger: 'inspection_point', triggerKey: `inspection_point:${e.reportId}:${plan.id}` });
  }

  if (e.reported.gt(0)) {
    const after = e.reportedBefore.plus(e.reported);
    for (const plan of await repo.patrolPlansFor(tx, t, material.id, material.category, seq)) {
      const every = qty(plan.everyPieces!);
      const from = e.reportedBefore.div(every).floor();
      const to = after.div(every).floor();
      if (!to.gt(from)) continue;
      // One order per report that crosses, over the pieces of the intervals it completes.
      await startInspection(tx, t, who, plan, {
        ...base, lotSize: formatQty(every.mul(to.minus(from))), trigger: 'patrol_pieces', triggerKey: `patrol_pieces:${e.orderId}:${seq}:${plan.id}:${formatQty(to)}`,
      });
    }
  }
}

export interface ProductionReceived {
  orderId: string;
  receiptId: string;
  materialId: string;
  warehouseId: string;
  /** The product's lines (not by-products), in its base unit. */
  lines: { batchNo: string | null; baseQuantity: string }[];
}

/** A final inspection order per batch of the product a production receipt brought into stock. */
export async function onProductionReceived(tx: Sql, t: string, who: string, e: ProductionReceived): Promise<void> {
  if (!e.lines.length) return;
  const material = (await masterdata.findMaterial(tx, t, e.materialId))!;
  const plan = await repo.planFor(tx, t, 'final', material.id, material.category);
  if (!plan) return;
  const lots = new Map<string, { batchNo: string | null; quantity: Qty }>();
  for (const l of e.lines) {
    const key = l.batchNo ?? '';
    const lot = lots.get(key) ?? { batchNo: l.batchNo, quantity: qty(0) };
    lot.quantity = lot.quantity.plus(qty(l.baseQuantity));
    lots.set(key, lot);
  }
  for (const [key, lot] of lots) {
    await startInspection(tx, t, who, plan, {
      materialId: e.materialId, sourceKind: 'production_order', receiptId: null, receiptLineId: null, productionOrderId: e.orderId, supplierId: null,
      warehouseId: e.warehouseId, batchNo: lot.batchNo, lotSize: formatQty(lot.quantity), productionReceiptId: e.receiptId, trigger: 'production_receipt',
      triggerKey: `production_receipt:${e.receiptId}:${plan.id}:${key}`,
    });
  }
}

/**
 * A patrol round of a time-based patrol plan at `at`: every production order in progress whose
 * product the plan covers gets an inspection, one per window of everyHours (windows counted from
 * the epoch, so asking again within the window answers the same orders and creates nothing). The
 * lot is the order's quantity.
 */
export async function patrolDue(tx: Sql, t: string, who: string, planId: string, at: Date): Promise<{ inspections: InspectionSummary[]; created: number }> {
  const plan = await getPlan(tx, t, planId);
  if (plan.inspectionType !== 'patrol' || !plan.everyHours) throw conflict('NOT_TIME_PATROL', `plan ${plan.code} is not a patrol every N hours`);
  if (plan.status !== 'active') throw conflict('PLAN_RETIRED', `plan ${plan.code} is retired`);
  const standard = (await repo.findStandard(tx, t, plan.standardId))!;
  const window = Math.floor(at.getTime() / (Number(plan.everyHours) * 3_600_000));
  const keys: string[] = [];
  let created = 0;
  let after: [string, string] | undefined;
  for (;;) {
    const orders = await production.listOrders(tx, t, { status: 'in_progress', materialId: standard.materialId ?? undefined, limit: 200, after });
    for (const o of orders.slice(0, 200)) {
      if (!(await covers(tx, t, plan, { id: o.materialId, category: (await masterdata.findMaterial(tx, t, o.materialId))!.category }))) continue;
      const key = `patrol_hours:${plan.id}:${o.id}:${window}`;
      keys.push(key);
      const made = await startInspection(tx, t, who, plan, {
        materialId: o.materialId, sourceKind: 'production_order', receiptId: null, receiptLineId: null, productionOrderId: o.id, supplierId: null, warehouseId: null,
        batchNo: null, lotSize: o.baseQuantity, operationSeq: plan.operationSeq, trigger: 'patrol_hours', triggerKey: key,
      });
      if (made) created++;
    }
    if (orders.length <= 200) break;
    const last = orders[199];
    after = [last.createdAt, last.id];
  }
  return { inspections: keys.length ? await repo.inspectionsByTrigger(tx, t, keys) : [], created };
}
