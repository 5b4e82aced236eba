/**
 * Dispatching (S1-5.4.4-j): an operation of a released or running order is re-sequenced in its
 * work centre's queue or reassigned to one of its alternate work centres (and a station there), on
 * progress, status, a demand change or rework. Every change names its cause and reason and is
 * kept with what the operation was before and after, besides the audit record and an outbox event.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty } from '../../platform/quantity.js';
import * as plant from '../plant/service.js';
import { refuseIfAny, type Who } from './common.js';
import * as repo from './dispatch-repo.js';
import type { DispatchChange, DispatchInput, DispatchList } from './dispatch-schema.js';
import { assertInProduction } from './execution-common.js';
import { lockOrder } from './orders.js';

type Placement = DispatchChange['before'];

async function placementOf(tx: Sql, tenantId: string, p: repo.PlacementRow): Promise<Placement> {
  const [wc] = await plant.findWorkCentres(tx, tenantId, [p.work_centre_id], []);
  return {
    workCentreId: p.work_centre_id, workCentreCode: wc.code, stationId: p.station_id, dispatchSeq: p.dispatch_seq, setupMinutes: p.setup_minutes,
    runMinutes: p.run_minutes, plannedMinutes: p.planned_minutes,
  };
}

const presentChange = (r: repo.ChangeRow): DispatchChange => ({
  id: r.id, orderId: r.order_id, orderDocNo: r.order_doc_no, operationSeq: r.operation_seq, cause: r.cause as DispatchChange['cause'], reason: r.reason,
  before: r.before, after: r.after, changedBy: r.changed_by, createdAt: r.created_at.toISOString(),
});

export async function dispatchOperation(tx: Sql, who: Who, orderId: string, seq: number, input: DispatchInput): Promise<DispatchChange> {
  const row = await lockOrder(tx, who.tenantId, orderId);
  assertInProduction(row, 'operations are dispatched');
  const op = await repo.lockPlacement(tx, who.tenantId, orderId, seq);
  if (!op) throw unprocessable('UNKNOWN_OPERATION', `the order has no operation ${seq}`, [fieldError('seq', 'UNKNOWN_OPERATION', `no operation ${seq}`, 'path')]);
  if (op.status === 'completed') throw conflict('OPERATION_COMPLETED', `operation ${seq} of production order ${row.doc_no} has ended; it is not dispatched any more`, { documentStatus: op.status });
  const errors: FieldError[] = [];
  let workCentreId = op.work_centre_id;
  let setup = op.setup_minutes;
  let run = op.run_minutes;
  let alternates = op.alternates;
  if (input.workCentreId || input.workCentreCode) {
    const field = input.workCentreId ? 'workCentreId' : 'workCentreCode';
    const [wc] = await plant.findWorkCentres(tx, who.tenantId, input.workCentreId ? [input.workCentreId] : [], input.workCentreId ? [] : [input.workCentreCode!]);
    if (!wc) errors.push(fieldError(field, 'UNKNOWN_WORK_CENTRE', `no work centre ${input.workCentreId ?? input.workCentreCode}`));
    else if (wc.status === 'blocked') errors.push(fieldError(field, 'WORK_CENTRE_BLOCKED', `work centre ${wc.code} is blocked`));
    else if (wc.id !== op.work_centre_id) {
      const alt = op.alternates.find((a) => a.workCentreId === wc.id);
      if (!alt) errors.push(fieldError(field, 'NOT_AN_ALTERNATE', `operation ${seq} runs at its own work centre or an alternate of it (${op.alternates.map((a) => a.workCentreCode).join(', ') || 'none'})`));
      else {
        // The work centre it leaves becomes an alternate, with its times, so the operation can go back.
        const [current] = await plant.findWorkCentres(tx, who.tenantId, [op.work_centre_id], []);
        alternates = [...op.alternates.filter((a) => a.workCentreId !== wc.id), { priority: 0, workCentreId: current.id, workCentreCode: current.code, setupMinutes: op.setup_minutes, runMinutes: op.run_minutes }]
          .sort((a, b) => a.priority - b.priority);
        workCentreId = wc.id;
        setup = alt.setupMinutes ?? op.setup_minutes;
        run = alt.runMinutes ?? op.run_minutes;
      }
    }
  }
  let stationId = workCentreId === op.work_centre_id ? op.station_id : null;
  if (input.stationId === null) stationId = null;
  else if (input.stationId || input.stationCode) {
    const field = input.stationId ? 'stationId' : 'stationCode';
    const [s] = await plant.findStations(tx, who.tenantId, input.stationId ? [input.stationId] : [], input.stationId ? [] : [input.stationCode!]);
    if (!s) errors.push(fieldError(field, 'UNKNOWN_STATION', `no station ${input.stationId ?? input.stationCode}`));
    else if (s.workCentreId !== workCentreId) errors.push(fieldError(field, 'STATION_NOT_AT_WORK_CENTRE', `station ${s.code} is not at the operation's work centre`));
    else stationId = s.id;
  }
  const dispatchSeq = input.dispatchSeq === undefined ? op.dispatch_seq : input.dispatchSeq;
  refuseIfAny(errors, 'DISPATCH_INVALID', 'the operation cannot be dispatched as asked');
  const before = await placementOf(tx, who.tenantId, op);
  const plannedMinutes = formatQty(qty(setup).plus(qty(run).mul(qty(row.base_quantity))));
  if (workCentreId === op.work_centre_id && stationId === op.station_id && dispatchSeq === op.dispatch_seq) {
    throw unprocessable('NOTHING_TO_CHANGE', 'the operation is already placed so; nothing was recorded', [fieldError('dispatchSeq', 'NOTHING_TO_CHANGE', 'name a work centre, station or place in the queue that differs')]);
  }
  await repo.setPlacement(tx, who.tenantId, op.id, { workCentreId, stationId, dispatchSeq, setupMinutes: setup, runMinutes: run, plannedMinutes, alternates });
  const after = await placementOf(tx, who.tenantId, (await repo.lockPlacement(tx, who.tenantId, orderId, seq))!);
  const id = randomUUID();
  await repo.insertChange(tx, who.tenantId, { id, orderId, operationId: op.id, cause: input.cause, reason: input.reason, before, after, changedBy: who.actor });
  recordEvent(tx, {
    tenantId: who.tenantId, type: 'production_operation.dispatched', aggregateType: 'production_order', aggregateId: orderId,
    payload: { id, orderId, orderDocNo: row.doc_no, operationSeq: seq, workshopId: row.workshop_id, cause: input.cause, reason: input.reason, before, after },
  });
  return presentChange((await repo.changes(tx, who.tenantId, { id, limit: 1 }))[0]);
}

export async function listChanges(tx: Sql, tenantId: string, orderId: string, limit: number, after?: [string, string]) {
  return (await repo.changes(tx, tenantId, { orderId, limit, after })).map(presentChange);
}

/** A work centre's queue: open operations of released and running orders in dispatch order. */
export async function dispatchList(tx: Sql, tenantId: string, q: { workCentreId?: string; workCentreCode?: string }): Promise<DispatchList> {
  if (!q.workCentreId && !q.workCentreCode) throw unprocessable('DISPATCH_LIST_INVALID', 'name the work centre', [fieldError('workCentreId', 'REQUIRED', 'name the work centre by workCentreId or workCentreCode', 'query')]);
  const [wc] = await plant.findWorkCentres(tx, tenantId, q.workCentreId ? [q.workCentreId] : [], q.workCentreId ? [] : [q.workCentreCode!]);
  if (!wc) throw unprocessable('DISPATCH_LIST_INVALID', 'no such work centre', [fieldError(q.workCentreId ? 'workCentreId' : 'workCentreCode', 'UNKNOWN_WORK_CENTRE', `no work centre ${q.workCentreId ?? q.workCentreCode}`, 'query')]);
  const rows = await repo.queue(tx, tenantId, wc.id);
  return {
    workCentreId: wc.id, workCentreCode: wc.code,
    items: rows.map((r) => ({
      orderId: r.order_id, orderDocNo: r.order_doc_no, orderStatus: r.order_status, priority: r.priority, dueDate: r.due_date, materialCode: r.material_code,
      operationSeq: r.operation_seq, operationName: r.operation_name, status: r.status, stationId: r.station_id, dispatchSeq: r.dispatch_seq,
      plannedStart: r.planned_start?.toISOString() ?? null, plannedMinutes: r.planned_minutes, goodQuantity: r.good_quantity, orderQuantity: r.order_quantity,
    })),
  };
}
