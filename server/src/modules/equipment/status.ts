/**
 * Status monitoring (S1-5.4.6-b, -c): the newest reading of every point against its running
 * standard, the machine state from the state point, and the state history with its durations.
 * A state change is an event on the outbox (equipment.state_changed; equipment.down when a machine
 * goes down, for production dispatching, S1-5.4.6-e), so boards follow it on GET /v1/events/stream.
 */
import type { Sql } from '../../platform/db.js';
import { badRequest, fieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { getEquipment } from './master.js';
import type { Equipment, EquipmentStatus, StateHistory } from './schema.js';
import * as repo from './telemetry-repo.js';
import type { StoredReading } from './telemetry-repo.js';

/** State records of the batch, in seq order, become state periods; a record older than the open period's start is history already passed and changes nothing. */
export async function applyStates(tx: Sql, tenantId: string, equipment: Map<string, Equipment>, stored: StoredReading[]): Promise<void> {
  const byEquipment = new Map<string, StoredReading[]>();
  for (const r of stored) {
    const e = equipment.get(r.equipmentId)!;
    if (r.point === e.statePoint && typeof r.value === 'string') byEquipment.set(e.id, [...(byEquipment.get(e.id) ?? []), r]);
  }
  for (const [id, records] of byEquipment) {
    const e = equipment.get(id)!;
    let current = await repo.currentState(tx, tenantId, id);
    for (const r of records) {
      const state = r.value as string;
      if (current && (current.state === state || new Date(r.ts) <= current.started_at)) continue;
      await repo.changeState(tx, tenantId, id, state, r.ts);
      recordEvent(tx, { tenantId, type: 'equipment.state_changed', aggregateType: 'equipment', aggregateId: id, payload: { equipmentId: id, code: e.code, from: current?.state ?? null, to: state, at: r.ts } });
      if (state === 'down') recordEvent(tx, { tenantId, type: 'equipment.down', aggregateType: 'equipment', aggregateId: id, payload: { equipmentId: id, code: e.code, workCentreId: e.workCentreId, at: r.ts } });
      current = { state, started_at: new Date(r.ts), ended_at: null };
    }
  }
}

export async function getStatus(tx: Sql, tenantId: string, id: string): Promise<EquipmentStatus> {
  const e = await getEquipment(tx, tenantId, id);
  const points = new Map(e.points.map((p) => [p.point, p]));
  const state = await repo.currentState(tx, tenantId, id);
  const readings = (await repo.latestReadings(tx, tenantId, id)).map((r) => {
    const p = points.get(r.point);
    const min = p?.min ?? null;
    const max = p?.max ?? null;
    const deviation = typeof r.value === 'number' && min !== null && r.value < min ? 'low' as const : typeof r.value === 'number' && max !== null && r.value > max ? 'high' as const : null;
    return { point: r.point, value: r.value, unit: p?.unit ?? null, quality: r.quality, ts: r.ts.toISOString(), seq: Number(r.seq), standard: { min, max }, deviation };
  });
  return {
    equipmentId: e.id, code: e.code, name: e.name, state: state?.state ?? null, stateSince: state?.started_at.toISOString() ?? null, readings,
    outOfStandard: readings.filter((r) => r.deviation !== null).length, activeAlarms: await repo.countActiveAlarms(tx, tenantId, id),
  };
}

/** At most this many state periods in one answer: a longer history is asked for in parts. */
export const MAX_PERIODS = 10_000;

export function checkPeriod(from: string, to: string): void {
  if (!(Date.parse(to) - Date.parse(from) >= 0)) throw badRequest('INVALID_PERIOD', 'to must not be before from', [fieldError('to', 'BEFORE_FROM', 'must not be before from', 'query')]);
}

/** State periods overlapping [from, to), each clipped to it (the open one ends now), and the seconds per state. */
export async function stateHistory(tx: Sql, tenantId: string, id: string, from: string, to: string, now = Date.now()): Promise<StateHistory> {
  await getEquipment(tx, tenantId, id);
  checkPeriod(from, to);
  const f = Date.parse(from);
  const t = Date.parse(to);
  const seconds = { run: 0, idle: 0, down: 0, setup: 0, other: 0 };
  const rows = await repo.statesBetween(tx, tenantId, id, from, to, MAX_PERIODS + 1);
  if (rows.length > MAX_PERIODS) {
    throw badRequest('PERIOD_TOO_BUSY', `more than ${MAX_PERIODS} state periods in [from, to); ask for a shorter period`, [fieldError('to', 'TOO_MANY_PERIODS', 'ask for a shorter period', 'query')]);
  }
  const periods = rows.map((s) => {
    const end = s.ended_at?.getTime() ?? Math.max(now, s.started_at.getTime());
    const secs = Math.max(0, Math.min(end, t) - Math.max(s.started_at.getTime(), f)) / 1000;
    const key = (s.state in seconds ? s.state : 'other') as keyof typeof seconds;
    seconds[key] += secs;
    return { state: s.state, start: s.started_at.toISOString(), end: s.ended_at?.toISOString() ?? null, seconds: secs };
  });
  return { equipmentId: id, from: new Date(f).toISOString(), to: new Date(t).toISOString(), periods, seconds };
}
