/**
 * Finite-capacity scheduling (S1-5.4.4-k, -e) of released and running orders' operations on their
 * work centres' calendars, in day buckets: each work centre's capacity per day (shift minutes ×
 * parallel count × efficiency, from the plant module) is taken by the operations in order
 * priority, then due date. Forward: an operation starts no earlier than `from` and the day its
 * predecessor finishes, and takes capacity day by day until its load is placed. Backward: from the
 * order's due date (else planned finish), the last operation first, each finishing no later than
 * the day its successor starts. Load that finds no capacity (beyond the horizon, or before `from`
 * going backward) is reported as an overload, never dropped. Nothing is written: the schedule is
 * what dispatching applies.
 */
import { Decimal } from 'decimal.js';
import type { Sql } from '../../platform/db.js';
import { fieldError, type FieldError } from '../../platform/errors.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { capacityOf, findWorkCentres } from '../plant/service.js';
import { addDays } from './mrp.js';
import { refuseIfAny, today } from './common.js';
import * as repo from './mrp-repo.js';
import type { Schedule, ScheduleInput } from './mrp-schema.js';

const ZERO = qty(0);

export async function schedule(tx: Sql, tenantId: string, input: ScheduleInput): Promise<Schedule> {
  const direction = input.direction ?? 'forward';
  const from = input.from ?? today();
  const to = addDays(from, (input.horizonDays ?? 90) - 1);
  const rows = await repo.operationsToSchedule(tx, tenantId, input.orderIds ?? null);
  if (input.orderIds) {
    const found = new Set(rows.map((r) => r.order_id));
    const errors: FieldError[] = [];
    input.orderIds.forEach((id, i) => {
      if (!found.has(id)) errors.push(fieldError(`orderIds[${i}]`, 'ORDER_NOT_SCHEDULABLE', `${id} is no released or running order of yours with operations to do`));
    });
    refuseIfAny(errors, 'SCHEDULE_INVALID', 'the orders cannot be scheduled as asked');
  }
  const centreIds = [...new Set(rows.map((r) => r.work_centre_id))];
  const capacity = await capacityOf(tx, tenantId, centreIds, from, to);
  const codes = new Map((await findWorkCentres(tx, tenantId, centreIds, [])).map((w) => [w.id, w.code]));
  const free = new Map<string, Map<string, Qty>>();
  for (const [id, c] of capacity) free.set(id, new Map(c.days.map((d) => [d.date, qty(d.capacityMinutes)])));

  const orders = new Map<string, repo.ScheduleOperationRow[]>();
  for (const r of rows) orders.set(r.order_id, [...(orders.get(r.order_id) ?? []), r]);
  const overloads: Schedule['overloads'] = [];
  const out: Schedule['orders'] = [];
  for (const ops of orders.values()) {
    const head = ops[0];
    const due = head.due_date ?? head.planned_finish;
    const placed = new Map<number, Schedule['orders'][number]['operations'][number]>();
    const sequence = direction === 'forward' ? ops : [...ops].reverse();
    let bound = direction === 'forward' ? from : (due < to ? due : to);
    for (const op of sequence) {
      const days = free.get(op.work_centre_id)!;
      let need = qty(op.planned_minutes);
      const taken: { date: string; minutes: Qty }[] = [];
      const step = direction === 'forward' ? 1 : -1;
      for (let d = bound; need.gt(0) && d >= from && d <= to; d = addDays(d, step)) {
        const left = days.get(d) ?? ZERO;
        const take = Decimal.min(left, need);
        if (take.gt(0)) {
          days.set(d, left.minus(take));
          need = need.minus(take);
          taken.push({ date: d, minutes: take });
        }
      }
      if (direction === 'backward') taken.reverse();
      const start = taken[0]?.date ?? null;
      const finish = taken[taken.length - 1]?.date ?? null;
      if (need.gt(0)) overloads.push({ docNo: head.doc_no, seq: op.seq, workCentreCode: codes.get(op.work_centre_id)!, minutes: formatQty(need), reason: direction === 'forward' ? 'beyond_horizon' : 'before_from' });
      placed.set(op.seq, {
        seq: op.seq, name: op.name, workCentreId: op.work_centre_id, workCentreCode: codes.get(op.work_centre_id)!, minutes: op.planned_minutes, start, finish,
        days: taken.map((t) => ({ date: t.date, minutes: formatQty(t.minutes) })), unscheduledMinutes: formatQty(need),
      });
      // The next operation may use what is left of the day this one finishes (or starts, going backward).
      const edge = direction === 'forward' ? finish : start;
      if (edge) bound = edge;
    }
    const operations = ops.map((o) => placed.get(o.seq)!);
    const starts = operations.map((o) => o.start).filter((d): d is string => d !== null);
    const finishes = operations.map((o) => o.finish).filter((d): d is string => d !== null);
    const complete = operations.every((o) => o.unscheduledMinutes === '0');
    const finish = complete && finishes.length ? finishes.reduce((a, b) => (b > a ? b : a)) : null;
    out.push({
      orderId: head.order_id, docNo: head.doc_no, priority: head.priority, dueDate: due, start: complete && starts.length ? starts.reduce((a, b) => (b < a ? b : a)) : null,
      finish, late: !finish || finish > due, operations,
    });
  }
  return { direction, from, to, orders: out, overloads };
}
