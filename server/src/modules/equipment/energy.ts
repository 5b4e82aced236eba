/**
 * Energy per production order (S1-5.4.6-f): the energy meters of the machines an order's
 * operations ran on, read over the intervals they ran there. The intervals come from production
 * execution (through its services): work reports with a machine and a start ([startedAt, endedAt)),
 * and operation events with a machine (start or resume until the next pause or end of that
 * operation). Per machine the intervals are merged where they overlap, so energy is never counted
 * twice; each interval's energy is the meter's increase over it (resets handled as for indicators).
 * A run still open (started or resumed, not yet paused or ended) counts up to now, marked open, so
 * an order in progress shows what it has used so far.
 */
import type { Sql } from '../../platform/db.js';
import { getOrder } from '../production/orders.js';
import { listOperationEvents, listWorkReports } from '../production/reporting.js';
import * as repo from './repo.js';
import { counterIncrease } from './telemetry-repo.js';

export interface Interval { from: number; to: number; open?: boolean }
export interface OrderEnergy {
  orderId: string; docNo: string;
  machines: Array<{
    equipmentCode: string; equipmentId: string | null; unit: string | null; energy: number | null; seconds: number;
    /** Why energy is null: UNKNOWN_EQUIPMENT or NO_ENERGY_POINT. */
    missing: string | null;
    intervals: Array<{ from: string; to: string; energy: number | null; open: boolean }>;
  }>;
  totals: Array<{ unit: string; energy: number }>;
  /** Work reports that name no machine or no start, so no interval. */
  reportsWithoutInterval: number;
}

const PAGE = 1000;

/** Every row of a newest-first, (createdAt, id)-cursored production list. */
async function all<T extends { createdAt: string; id: string }>(page: (limit: number, after?: [string, string]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  let after: [string, string] | undefined;
  for (;;) {
    const rows = await page(PAGE, after);
    out.push(...rows.slice(0, PAGE));
    if (rows.length <= PAGE) return out;
    after = [rows[PAGE - 1].createdAt, rows[PAGE - 1].id];
  }
}

/** Overlapping or touching intervals joined; empty ones dropped. */
export function merge(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.from <= last.to) {
      if (i.to >= last.to) last.open = i.open;
      last.to = Math.max(last.to, i.to);
    } else out.push({ ...i });
  }
  return out;
}

/** Run intervals from operation events: a start or resume on a machine until that operation's next pause or end; one not yet paused or ended runs until `now` (open). */
export function eventIntervals(events: Array<{ operationSeq: number; event: string; equipmentCode: string | null; occurredAt: string }>, now: number): Map<string, Interval[]> {
  const out = new Map<string, Interval[]>();
  const open = new Map<number, { code: string; from: number }>();
  for (const e of [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt))) {
    const at = Date.parse(e.occurredAt);
    const running = open.get(e.operationSeq);
    if (running && (e.event === 'pause' || e.event === 'end')) {
      out.set(running.code, [...(out.get(running.code) ?? []), { from: running.from, to: at }]);
      open.delete(e.operationSeq);
    } else if ((e.event === 'start' || e.event === 'resume') && e.equipmentCode) {
      open.set(e.operationSeq, { code: e.equipmentCode, from: at });
    }
  }
  for (const running of open.values()) out.set(running.code, [...(out.get(running.code) ?? []), { from: running.from, to: Math.max(now, running.from), open: true }]);
  return out;
}

export async function orderEnergy(tx: Sql, tenantId: string, orderId: string, now = Date.now()): Promise<OrderEnergy> {
  const order = await getOrder(tx, tenantId, orderId);
  const reports = await all((limit, after) => listWorkReports(tx, tenantId, orderId, limit, after));
  const events = await all((limit, after) => listOperationEvents(tx, tenantId, orderId, limit, after));
  const byMachine = eventIntervals(events, now);
  let reportsWithoutInterval = 0;
  for (const r of reports) {
    if (!r.equipmentCode || !r.startedAt) {
      reportsWithoutInterval++;
      continue;
    }
    byMachine.set(r.equipmentCode, [...(byMachine.get(r.equipmentCode) ?? []), { from: Date.parse(r.startedAt), to: Date.parse(r.endedAt) }]);
  }
  const equipment = await repo.findEquipmentByCodes(tx, tenantId, [...byMachine.keys()]);
  const machines: OrderEnergy['machines'] = [];
  for (const code of [...byMachine.keys()].sort()) {
    const e = equipment.get(code);
    const intervals = merge(byMachine.get(code)!);
    const seconds = intervals.reduce((n, i) => n + (i.to - i.from) / 1000, 0);
    const missing = !e ? 'UNKNOWN_EQUIPMENT' : !e.energyPoint ? 'NO_ENERGY_POINT' : null;
    const parts = [];
    for (const i of intervals) {
      const energy = missing ? null : await counterIncrease(tx, tenantId, e!.id, e!.energyPoint!, new Date(i.from).toISOString(), new Date(i.to).toISOString());
      parts.push({ from: new Date(i.from).toISOString(), to: new Date(i.to).toISOString(), energy: energy === null ? null : round(energy), open: i.open === true });
    }
    const known = parts.filter((p) => p.energy !== null);
    machines.push({
      equipmentCode: code, equipmentId: e?.id ?? null, unit: e?.energyPoint ? e.points.find((p) => p.point === e.energyPoint)?.unit ?? null : null,
      energy: missing ? null : round(known.reduce((n, p) => n + p.energy!, 0)), seconds, missing, intervals: parts,
    });
  }
  const totals = new Map<string, number>();
  for (const m of machines) if (m.energy !== null) totals.set(m.unit ?? '', (totals.get(m.unit ?? '') ?? 0) + m.energy);
  return {
    orderId, docNo: order.docNo, machines, reportsWithoutInterval,
    totals: [...totals].map(([unit, energy]) => ({ unit, energy: round(energy) })).sort((a, b) => a.unit.localeCompare(b.unit)),
  };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
