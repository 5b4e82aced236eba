/**
 * Finite-capacity scheduling (S1-5.4.4-k, -e) of released and running orders' operations on their
 * work centres' calendars, in day buckets: each work centre's capacity per day (shift minutes ×
 * parallel count × efficiency, from the plant module) is taken by the operations in order
 * priority, then due date. Forward: an operation starts no earlier than `from` and the day its
 * predecessor finishes, and takes capacity day by day until its load is placed. Backward: from the
 * order's due date (else planned finish), the last operation first, each finishing no later than
 * the day its successor starts. Load that finds no capacity (beyond the horizon, or before `from`
 * going backward) is reported as an overload, never dropped.
 *
 * Within a day an operation holds a stretch of the day's capacity (after what was placed before it
 * going forward, before it going backward); that stretch, spread over the day's shifts in
 * proportion, gives its start and finish at shift resolution (`startAt`, `finishAt`, UTC, in the
 * work centre's time zone). `schedule` writes nothing; `applySchedule` writes each fully placed
 * operation's planned start and finish and each fully placed order's planned start and finish
 * dates (S1-5.4.4-e), under the order's lock.
 */
import { Decimal } from 'decimal.js';
import type { Sql } from '../../platform/db.js';
import { recordEvent } from '../../platform/outbox.js';
import { fieldError, type FieldError } from '../../platform/errors.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { capacityOf, findWorkCentres } from '../plant/service.js';
import { addDays } from './mrp.js';
import { refuseIfAny, today, type Who } from './common.js';
import * as repo from './mrp-repo.js';
import * as orders from './order-repo.js';
import { lockOrder } from './orders.js';
import type { CapacityDay } from '../plant/schema.js';
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
  const instant = (centreId: string, date: string, offset: Qty) => {
    const c = capacity.get(centreId)!;
    return instantOf(c.days.find((d) => d.date === date)!, offset, c.timeZone);
  };

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
      // Each day's stretch of capacity the operation holds: [from, to] minutes into the day's capacity.
      const taken: { date: string; minutes: Qty; from: Qty; to: Qty }[] = [];
      const step = direction === 'forward' ? 1 : -1;
      for (let d = bound; need.gt(0) && d >= from && d <= to; d = addDays(d, step)) {
        const left = days.get(d) ?? ZERO;
        const take = Decimal.min(left, need);
        if (take.gt(0)) {
          days.set(d, left.minus(take));
          need = need.minus(take);
          // Going forward the day was filled from its start; going backward from its end.
          const capacityOfDay = qty(capacity.get(op.work_centre_id)!.days.find((x) => x.date === d)!.capacityMinutes);
          const from = direction === 'forward' ? capacityOfDay.minus(left) : left.minus(take);
          taken.push({ date: d, minutes: take, from, to: from.plus(take) });
        }
      }
      if (direction === 'backward') taken.reverse();
      const start = taken[0]?.date ?? null;
      const finish = taken[taken.length - 1]?.date ?? null;
      if (need.gt(0)) overloads.push({ docNo: head.doc_no, seq: op.seq, workCentreCode: codes.get(op.work_centre_id)!, minutes: formatQty(need), reason: direction === 'forward' ? 'beyond_horizon' : 'before_from' });
      const first = taken[0];
      const last = taken[taken.length - 1];
      placed.set(op.seq, {
        seq: op.seq, name: op.name, workCentreId: op.work_centre_id, workCentreCode: codes.get(op.work_centre_id)!, minutes: op.planned_minutes, start, finish,
        startAt: first ? instant(op.work_centre_id, first.date, first.from) : null, finishAt: last ? instant(op.work_centre_id, last.date, last.to) : null,
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

/**
 * Writes the schedule: each operation placed in full gets its planned start and finish, each order
 * whose operations were all placed its planned start and finish dates (a new version, and a
 * `production_order.scheduled` event). Operations left partly unplaced keep what they had.
 */
export async function applySchedule(tx: Sql, who: Who, input: ScheduleInput): Promise<Schedule & { applied: { orders: number; operations: number } }> {
  const result = await schedule(tx, who.tenantId, input);
  let operations = 0;
  let ordersChanged = 0;
  for (const o of result.orders) {
    const row = await lockOrder(tx, who.tenantId, o.orderId);
    const done = o.operations.filter((op) => op.unscheduledMinutes === '0' && op.startAt && op.finishAt);
    for (const op of done) await orders.setOperationPlan(tx, who.tenantId, o.orderId, op.seq, op.startAt!, op.finishAt!);
    operations += done.length;
    if (!o.start || !o.finish || (o.start === row.planned_start && o.finish === row.planned_finish)) continue;
    await orders.updateOrder(tx, who.tenantId, o.orderId, { planned_start: o.start, planned_finish: o.finish });
    recordEvent(tx, {
      tenantId: who.tenantId, type: 'production_order.scheduled', aggregateType: 'production_order', aggregateId: o.orderId,
      payload: { id: o.orderId, docNo: o.docNo, workshopId: row.workshop_id, direction: result.direction, plannedStart: o.start, plannedFinish: o.finish, before: { plannedStart: row.planned_start, plannedFinish: row.planned_finish } },
    });
    ordersChanged++;
  }
  return { ...result, applied: { orders: ordersChanged, operations } };
}

/**
 * The moment `offset` capacity minutes into a day: the day's capacity spread over its shifts in
 * proportion to their minutes, each shift's share over its span (breaks included), in the work
 * centre's time zone, as UTC.
 */
export function instantOf(day: CapacityDay, offset: Qty, timeZone: string): string {
  const capacity = qty(day.capacityMinutes);
  let wall = capacity.gt(0) ? offset.mul(day.shiftMinutes).div(capacity) : qty(0);
  for (const [i, shift] of day.shifts.entries()) {
    if (wall.gt(shift.minutes) && i < day.shifts.length - 1) {
      wall = wall.minus(shift.minutes);
      continue;
    }
    const start = zonedToUtc(shift.start, timeZone);
    const span = (zonedToUtc(shift.end, timeZone) - start) / 60_000;
    const into = shift.minutes > 0 ? Decimal.min(wall, shift.minutes).mul(span).div(shift.minutes) : qty(0);
    return new Date(start + Math.round(into.toNumber()) * 60_000).toISOString();
  }
  return new Date(zonedToUtc(`${day.date}T00:00`, timeZone)).toISOString();
}

/** A local date-time (YYYY-MM-DDTHH:MM) in a time zone as epoch milliseconds. */
export function zonedToUtc(local: string, timeZone: string): number {
  const [d, t] = local.split('T');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi] = t.split(':').map(Number);
  const guess = Date.UTC(y, mo - 1, da, h, mi);
  const offsetAt = (ms: number) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(ms)).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - ms;
  };
  // Twice: the offset at the guess can differ from the offset at the answer across a DST change.
  const first = guess - offsetAt(guess);
  return guess - offsetAt(first);
}
