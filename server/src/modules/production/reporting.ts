/**
 * Work reporting from terminals (S1-5.4.4-h): start, pause (with a reason), resume and end of an
 * order operation; reports of good, scrap and pending-inspection quantities by operator, station
 * and equipment; the quantity flow rule; piece-rate wages per operation and product.
 *
 * The quantity flow rule: what an operation has passed (good + pending inspection) never exceeds
 * what its predecessor passed as good (the first operation: the order quantity), plus the tenant's
 * report tolerance (422 QUANTITY_FLOW_VIOLATION). The order's lock serialises reports, so two
 * terminals reporting at once cannot both slip under the limit.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { UnitConverter } from '../masterdata/units.js';
import * as quality from '../quality/triggers.js';
import { numberLast } from '../sales/service.js';
import { MaterialRefs, materialsById, refuseIfAny, type Who } from './common.js';
import { assertInProduction, presentMaterialDocs, resolveStation, resolveWarehouse, tolerances } from './execution-common.js';
import * as repo from './execution-repo.js';
import type { OperationEvent, OperationEventInput, PieceRate, PieceRateInput, WageReport, WorkReport, WorkReportInput } from './execution-schema.js';
import { backflush } from './issue.js';
import type { OperationRow } from './order-repo.js';
import { lockOrder, markInProgress } from './orders.js';

const TRANSITIONS: Record<OperationEventInput['event'], { from: OperationRow['status'][]; to: OperationRow['status']; past: string }> = {
  start: { from: ['pending'], to: 'in_progress', past: 'started' },
  pause: { from: ['in_progress'], to: 'paused', past: 'paused' },
  resume: { from: ['paused'], to: 'in_progress', past: 'resumed' },
  end: { from: ['in_progress', 'paused'], to: 'completed', past: 'ended' },
};

function operationOf(ops: OperationRow[], seq: number, field: string): OperationRow {
  const op = ops.find((o) => o.seq === seq);
  if (!op) throw unprocessable('UNKNOWN_OPERATION', `the order has no operation ${seq}`, [fieldError(field, 'UNKNOWN_OPERATION', `the order's operations are ${ops.map((o) => o.seq).join(', ') || 'none'}`)]);
  return op;
}

function presentEvent(r: repo.OperationEventRow): OperationEvent {
  return {
    id: r.id, orderId: r.order_id, operationSeq: r.operation_seq, event: r.event, reason: r.reason, operator: r.operator, stationId: r.station_id,
    equipmentCode: r.equipment_code, occurredAt: r.occurred_at.toISOString(), recordedBy: r.recorded_by, operationStatus: r.operation_status,
  };
}

export async function listOperationEvents(tx: Sql, tenantId: string, orderId: string, limit: number, after?: [string, string]) {
  return (await repo.operationEvents(tx, tenantId, { orderId, limit, after })).map((r) => ({ ...presentEvent(r), createdAt: r.created_at.toISOString() }));
}

/** Start, pause (a reason is required), resume or end an order operation; a move its status does not allow is 409 OPERATION_TRANSITION_INVALID. */
export async function recordOperationEvent(tx: Sql, who: Who, orderId: string, seq: number, input: OperationEventInput): Promise<OperationEvent> {
  const row = await lockOrder(tx, who.tenantId, orderId);
  assertInProduction(row, 'operations are started, paused, resumed and ended');
  const op = operationOf(await repo.lockOperations(tx, who.tenantId, orderId), seq, 'seq');
  const t = TRANSITIONS[input.event];
  if (!t.from.includes(op.status)) {
    throw conflict('OPERATION_TRANSITION_INVALID', `operation ${seq} of production order ${row.doc_no} is ${op.status}: it cannot ${input.event}`, { documentStatus: op.status });
  }
  const errors: FieldError[] = [];
  if (input.event === 'pause' && !input.reason?.trim()) errors.push(fieldError('reason', 'REASON_REQUIRED', 'say why the operation pauses'));
  const stationId = await resolveStation(tx, who.tenantId, input, errors);
  refuseIfAny(errors, 'OPERATION_EVENT_INVALID', 'the event cannot be recorded as given');
  const at = input.at ? new Date(input.at) : new Date();
  await repo.updateOperation(tx, who.tenantId, op.id, {
    status: t.to, actualStart: input.event === 'start' ? at : null, actualFinish: input.event === 'end' ? at : null,
  });
  const id = randomUUID();
  await repo.insertOperationEvent(tx, who.tenantId, {
    id, orderId, operationId: op.id, event: input.event, reason: input.reason ?? '', operator: input.operator, stationId, equipmentCode: input.equipmentCode ?? null,
    occurredAt: at, recordedBy: who.actor,
  });
  await markInProgress(tx, who, row);
  recordEvent(tx, {
    tenantId: who.tenantId, type: `production_operation.${t.past}`, aggregateType: 'production_order', aggregateId: orderId,
    payload: { orderId, orderDocNo: row.doc_no, operationSeq: seq, workCentreId: op.work_centre_id, workshopId: row.workshop_id, status: t.to, operator: input.operator, stationId, equipmentCode: input.equipmentCode ?? null, reason: input.reason ?? '', at: at.toISOString() },
  });
  return presentEvent((await repo.operationEvents(tx, who.tenantId, { id, limit: 1 }))[0]);
}

async function presentReports(tx: Sql, tenantId: string, rows: repo.WorkReportRow[]): Promise<WorkReport[]> {
  const ids = rows.flatMap((r) => (r.backflush_id ? [r.backflush_id] : []));
  const flushed = new Map((ids.length ? await presentMaterialDocs(tx, tenantId, { ids, limit: ids.length }) : []).map((d) => [d.id, d]));
  return rows.map((r) => ({
    id: r.id, docNo: r.doc_no, orderId: r.order_id, orderDocNo: r.order_doc_no, materialId: r.material_id, operationSeq: r.operation_seq, operationName: r.operation_name,
    goodQuantity: r.good_quantity, scrapQuantity: r.scrap_quantity, pendingInspectionQuantity: r.pending_inspection_quantity, baseUnit: r.base_unit, enteredUnit: r.unit,
    scrapReason: r.scrap_reason, operator: r.operator, stationId: r.station_id, equipmentCode: r.equipment_code, startedAt: r.started_at?.toISOString() ?? null,
    endedAt: r.ended_at.toISOString(), pieceRate: r.piece_rate, wageAmount: r.wage_amount, backflush: r.backflush_id ? flushed.get(r.backflush_id)! : null,
    settlement: r.settled_at ? { good: r.settled_good, scrap: r.settled_scrap, inspectionId: r.settled_inspection_id!, inspectionDocNo: r.settled_inspection_no!, settledAt: r.settled_at.toISOString() } : null,
    createdBy: r.created_by, createdAt: r.created_at.toISOString(),
  }));
}

export async function listWorkReports(tx: Sql, tenantId: string, orderId: string, limit: number, after?: [string, string]): Promise<WorkReport[]> {
  return presentReports(tx, tenantId, await repo.workReports(tx, tenantId, { orderId, limit, after }));
}

/**
 * A work report: quantities entered in any unit of the product convert exactly to its base unit
 * (INEXACT_CONVERSION, UNIT_NOT_CONVERTIBLE otherwise); the flow rule holds; the piece rate in
 * effect on the report's day prices the good quantity; components backflushed at this operation
 * are deducted to the operation's cumulative progress; `end` completes the operation.
 */
export async function reportWork(tx: Sql, who: Who, orderId: string, input: WorkReportInput): Promise<WorkReport> {
  const row = await lockOrder(tx, who.tenantId, orderId);
  assertInProduction(row, 'work is reported');
  const ops = await repo.lockOperations(tx, who.tenantId, orderId);
  const op = operationOf(ops, input.operationSeq, 'operationSeq');
  if (op.status === 'completed') throw conflict('OPERATION_COMPLETED', `operation ${op.seq} of production order ${row.doc_no} has ended; report on the next one`, { documentStatus: op.status });
  const errors: FieldError[] = [];
  const product = (await materialsById(tx, who.tenantId, [row.material_id])).get(row.material_id)!;
  const units = await UnitConverter.load(tx, who.tenantId);
  const unit = input.unit ?? product.productionUnit;
  const toBase = (value: string | undefined, field: string): Qty => {
    if (value === undefined) return qty(0);
    const list: FieldError[] = [];
    const base = units.toBase(product, value, unit, '', list);
    errors.push(...list.map((e) => ({ ...e, field: e.field.replace(/^quantity$/, field) })));
    return base ?? qty(0);
  };
  const good = toBase(input.goodQuantity, 'goodQuantity');
  const scrap = toBase(input.scrapQuantity, 'scrapQuantity');
  const pending = toBase(input.pendingInspectionQuantity, 'pendingInspectionQuantity');
  if (!errors.length && !good.plus(scrap).plus(pending).gt(0)) errors.push(fieldError('goodQuantity', 'NOTHING_REPORTED', 'report a good, scrap or pending-inspection quantity greater than 0'));
  const stationId = await resolveStation(tx, who.tenantId, input, errors);
  const backflushWarehouse = await resolveWarehouse(tx, who.tenantId, input, 'backflushWarehouse', errors, false);
  const endedAt = input.endedAt ? new Date(input.endedAt) : new Date();
  const startedAt = input.startedAt ? new Date(input.startedAt) : null;
  if (startedAt && startedAt > endedAt) errors.push(fieldError('startedAt', 'START_AFTER_END', 'must not be after endedAt'));
  refuseIfAny(errors, 'WORK_REPORT_INVALID', 'the report cannot be recorded as given');

  // The quantity flow rule.
  const tol = await tolerances(tx, who.tenantId);
  const before = ops.filter((o) => o.seq < op.seq).pop();
  const passedBefore = before ? qty(before.good_quantity) : qty(row.base_quantity);
  const limit = passedBefore.mul(tol.report);
  const passed = qty(op.good_quantity).plus(qty(op.pending_inspection_quantity)).plus(good).plus(pending);
  if (passed.gt(limit)) {
    throw unprocessable('QUANTITY_FLOW_VIOLATION', `operation ${op.seq} would have passed ${formatQty(passed)} ${product.baseUnit}, more than ${before ? `operation ${before.seq} passed as good` : 'the order quantity'} (${formatQty(passedBefore)}) plus ${tol.reportPercent}% (${formatQty(limit)}); nothing was recorded`,
      [fieldError('goodQuantity', 'QUANTITY_FLOW_VIOLATION', `at most ${formatQty(limit.minus(passed).plus(good).plus(pending))} ${product.baseUnit} more may pass operation ${op.seq}`)]);
  }

  const rate = await repo.pieceRateOn(tx, who.tenantId, row.material_id, op.seq, endedAt.toISOString().slice(0, 10));
  const id = randomUUID();
  await repo.insertWorkReport(tx, who.tenantId, {
    id, doc_no: `~${id}`, order_id: orderId, operation_id: op.id, operation_seq: op.seq, good_quantity: formatQty(good), scrap_quantity: formatQty(scrap),
    pending_inspection_quantity: formatQty(pending), unit, scrap_reason: input.scrapReason ?? '', operator: input.operator, station_id: stationId,
    equipment_code: input.equipmentCode ?? null, started_at: startedAt, ended_at: endedAt, piece_rate: rate, wage_amount: rate ? formatQty(good.mul(qty(rate))) : '0',
    created_by: who.actor,
  });
  await repo.updateOperation(tx, who.tenantId, op.id, {
    good: formatQty(good), scrap: formatQty(scrap), pending: formatQty(pending), status: input.end ? 'completed' : op.status === 'paused' ? 'paused' : 'in_progress',
    actualStart: startedAt ?? endedAt, actualFinish: input.end ? endedAt : null,
  });
  await markInProgress(tx, who, row);
  // Components backflushed at this operation follow everything it has processed (good, scrap and pending).
  const comps = await repo.lockComponents(tx, who.tenantId, orderId);
  const made = qty(op.good_quantity).plus(qty(op.scrap_quantity)).plus(qty(op.pending_inspection_quantity)).plus(good).plus(scrap).plus(pending);
  const flushed = await backflush(tx, who, row, comps.filter((c) => c.issue_type === 'backflush_operation' && c.operation_seq === op.seq).map((component) => ({ component, made })),
    backflushWarehouse?.id, { operationSeq: op.seq, sourceReportId: id });
  const docNo = await numberLast(tx, who.tenantId, 'production_work_reports', id, 'production_work_report', 'WR{yyyy}{mm}{dd}-{seq:4}', 'Work report numbers');
  // Inspection orders this report starts: first article, inspection point, patrol by pieces (S1-5.4.5-b).
  await quality.onWorkReported(tx, who.tenantId, who.actor, {
    orderId, reportId: id, materialId: row.material_id, operation: { seq: op.seq, inspectionPoint: op.inspection_point, inspectionRef: op.inspection_ref },
    passedBefore: qty(op.good_quantity).plus(qty(op.pending_inspection_quantity)), reportedBefore: qty(op.good_quantity).plus(qty(op.scrap_quantity)).plus(qty(op.pending_inspection_quantity)),
    passed: good.plus(pending), reported: good.plus(scrap).plus(pending),
  });
  recordEvent(tx, {
    tenantId: who.tenantId, type: 'production_operation.reported', aggregateType: 'production_order', aggregateId: orderId,
    payload: {
      id, docNo, orderId, orderDocNo: row.doc_no, operationSeq: op.seq, workCentreId: op.work_centre_id, workshopId: row.workshop_id, good: formatQty(good), scrap: formatQty(scrap),
      pendingInspection: formatQty(pending), operator: input.operator, stationId, equipmentCode: input.equipmentCode ?? null, ended: input.end ?? false, backflushId: flushed?.id ?? null,
    },
  });
  return (await presentReports(tx, who.tenantId, await repo.workReports(tx, who.tenantId, { id, limit: 1 })))[0];
}

export interface EquipmentOutput { equipmentCode: string; reports: number; goodQuantity: string; scrapQuantity: string }

/**
 * Per machine code, the good and scrap quantities (base units) of the work reports that named it
 * and ended in [from, to): what the equipment module's OEE takes its quality rate from.
 * Machines with no report in the period are absent.
 */
export async function equipmentOutputs(tx: Sql, tenantId: string, equipmentCodes: string[], from: string, to: string): Promise<Map<string, EquipmentOutput>> {
  if (!equipmentCodes.length) return new Map();
  const rows = await repo.equipmentOutputs(tx, tenantId, equipmentCodes, from, to);
  return new Map(rows.map((r) => [r.equipment_code, { equipmentCode: r.equipment_code, reports: r.reports, goodQuantity: formatQty(qty(r.good)), scrapQuantity: formatQty(qty(r.scrap)) }]));
}

// ---------------------------------------------------------------- piece rates and wages

const presentRate = (r: repo.PieceRateRow): PieceRate => ({
  id: r.id, materialId: r.material_id, materialCode: r.material_code, operationSeq: r.operation_seq, rate: r.rate, effectiveFrom: r.effective_from, createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

/** A piece rate for a product's operation from a date; a later rate takes over from its own date. One rate per product, operation and date (409 PIECE_RATE_EXISTS). */
export async function createPieceRate(tx: Sql, who: Who, input: PieceRateInput): Promise<PieceRate> {
  const errors: FieldError[] = [];
  const material = (await MaterialRefs.load(tx, who.tenantId, [input])).pick(input, '', errors);
  refuseIfAny(errors, 'PIECE_RATE_INVALID', 'the piece rate cannot be saved as given');
  const id = randomUUID();
  if (!(await repo.insertPieceRate(tx, who.tenantId, { id, materialId: material!.id, operationSeq: input.operationSeq, rate: input.rate, effectiveFrom: input.effectiveFrom, createdBy: who.actor }))) {
    throw conflict('PIECE_RATE_EXISTS', `${material!.code} operation ${input.operationSeq} already has a rate from ${input.effectiveFrom}; add one from another date`);
  }
  return presentRate((await repo.pieceRates(tx, who.tenantId, { id, limit: 1 }))[0]);
}

export async function listPieceRates(tx: Sql, tenantId: string, q: { materialId?: string; limit: number; after?: [string, string] }): Promise<PieceRate[]> {
  return (await repo.pieceRates(tx, tenantId, q)).map(presentRate);
}

/** Wages by worker over a period (days of the reports' end, UTC): per product and operation, the reports, quantities, rate and money. */
export async function wageReport(tx: Sql, tenantId: string, q: { from: string; to: string; operator?: string }): Promise<WageReport> {
  if (q.to < q.from) throw unprocessable('WAGE_PERIOD_INVALID', 'the period ends before it starts', [fieldError('to', 'BEFORE_FROM', `must not be before ${q.from}`, 'query')]);
  const rows = await repo.wageLines(tx, tenantId, q.from, q.to, q.operator ?? null);
  const workers = new Map<string, WageReport['workers'][number]>();
  let total = qty(0);
  for (const r of rows) {
    const w = workers.get(r.operator) ?? { operator: r.operator, reports: 0, wage: '0', lines: [] };
    w.reports += r.reports;
    w.wage = formatQty(qty(w.wage).plus(qty(r.wage)));
    w.lines.push({
      materialId: r.material_id, materialCode: r.material_code, operationSeq: r.operation_seq, pieceRate: r.piece_rate, reports: r.reports,
      goodQuantity: formatQty(qty(r.good)), scrapQuantity: formatQty(qty(r.scrap)), baseUnit: r.base_unit, wage: formatQty(qty(r.wage)),
    });
    workers.set(r.operator, w);
    total = total.plus(qty(r.wage));
  }
  return { from: q.from, to: q.to, total: formatQty(total), workers: [...workers.values()] };
}

export async function getWorkReport(tx: Sql, tenantId: string, id: string): Promise<WorkReport> {
  const [r] = await presentReports(tx, tenantId, await repo.workReports(tx, tenantId, { id, limit: 1 }));
  if (!r) throw notFound('work report', id);
  return r;
}
