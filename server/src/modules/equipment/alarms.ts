/**
 * Alarms (S1-5.4.6-d): threshold rules (above high or below low, cleared once back inside by the
 * hysteresis), trend rules (the change over a window, per minute, beyond ±maxPerMinute) and
 * fault-state rules (the point has the fault value), each with a grade. An alarm
 * is open until its condition clears; while it is not cleared the same rule raises nothing new,
 * so a flapping signal gives one alarm, not one per reading. Raise, clear and acknowledgement are
 * audited and published on the outbox (equipment_alarm.raised|cleared|acknowledged), which the
 * event stream carries to boards.
 */
import { appendAudit } from '../../platform/audit.js';
import type { Sql } from '../../platform/db.js';
import { conflict, notFound } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import type { Alarm, AlarmRule, Equipment } from './schema.js';
import type { SignedGateway } from './signing.js';
import * as repo from './telemetry-repo.js';
import type { AlarmRow, PointValue, StoredReading } from './telemetry-repo.js';

export interface Trace { requestId: string; traceId: string }

function toAlarm(r: AlarmRow): Alarm {
  return {
    id: r.id, equipmentId: r.equipment_id, equipmentCode: r.equipment_code, code: r.code, point: r.point, kind: r.kind, grade: r.grade as Alarm['grade'],
    status: r.cleared_at ? 'cleared' : r.acknowledged_at ? 'acknowledged' : 'open',
    raisedAt: r.raised_at.toISOString(), raisedValue: r.raised_value, acknowledgedAt: r.acknowledged_at?.toISOString() ?? null, acknowledgedBy: r.acknowledged_by,
    note: r.ack_note, clearedAt: r.cleared_at?.toISOString() ?? null, clearedValue: r.cleared_value, createdAt: r.created_at.toISOString(),
    notifiedLevel: r.notified_level, notifiedAt: r.notified_at?.toISOString() ?? null,
  };
}

/**
 * Does the value put the rule in alarm (true), out of it (false), or neither (inside the hysteresis
 * band: undefined)? `rate` is the change per minute over a trend rule's window.
 */
export function condition(rule: AlarmRule, value: PointValue, active: boolean, rate?: number): boolean | undefined {
  if (rule.kind === 'fault') return value === rule.value;
  if (rule.kind === 'trend') return rate === undefined ? undefined : Math.abs(rate) > rule.maxPerMinute!;
  if (typeof value !== 'number') return undefined;
  const beyond = (rule.high !== null && value > rule.high) || (rule.low !== null && value < rule.low);
  if (beyond) return true;
  if (!active) return false;
  const inside = (rule.high === null || value <= rule.high - rule.hysteresis) && (rule.low === null || value >= rule.low + rule.hysteresis);
  return inside ? false : undefined;
}

export async function evaluateAlarms(tx: Sql, gw: SignedGateway, equipment: Map<string, Equipment>, stored: StoredReading[], trace: Trace): Promise<void> {
  const relevant = stored.filter((r) => equipment.get(r.equipmentId)!.alarmRules.some((x) => x.point === r.point));
  if (!relevant.length) return;
  const ids = [...new Set(relevant.map((r) => r.equipmentId))];
  const active = new Map((await repo.activeAlarms(tx, gw.tenantId, ids)).map((a) => [`${a.equipment_id}\u0000${a.code}`, a.id]));
  const audit = (action: string, id: string, details: Record<string, unknown>) => appendAudit(tx, {
    tenantId: gw.tenantId, actorType: 'system', actorId: `gateway:${gw.code}`, action, resource: `equipment-alarm/${id}`, outcome: 'success', statusCode: 200,
    requestId: trace.requestId, traceId: trace.traceId, details,
  });
  const histories = await trendHistories(tx, gw.tenantId, equipment, relevant);
  for (const r of relevant.sort((a, b) => a.seq - b.seq)) {
    const e = equipment.get(r.equipmentId)!;
    for (const rule of e.alarmRules.filter((x) => x.point === r.point)) {
      const key = `${e.id}\u0000${rule.code}`;
      const open = active.get(key);
      const rate = rule.kind === 'trend' ? rateOver(histories.get(`${e.id}\u0000${r.point}`) ?? [], Date.parse(r.ts), r.value, rule.windowSeconds!) : undefined;
      const c = condition(rule, r.value, open !== undefined, rate);
      const payload = { equipmentId: e.id, equipmentCode: e.code, code: rule.code, point: rule.point, grade: rule.grade, value: r.value, at: r.ts };
      if (c === true && !open) {
        const id = await repo.insertAlarm(tx, gw.tenantId, { equipmentId: e.id, code: rule.code, point: rule.point, kind: rule.kind, grade: rule.grade, at: r.ts, value: r.value });
        active.set(key, id);
        await audit('raiseEquipmentAlarm', id, payload);
        recordEvent(tx, { tenantId: gw.tenantId, type: 'equipment_alarm.raised', aggregateType: 'equipment_alarm', aggregateId: id, payload: { id, ...payload } });
      } else if (c === false && open) {
        await repo.clearAlarm(tx, gw.tenantId, open, r.ts, r.value);
        active.delete(key);
        await audit('clearEquipmentAlarm', open, payload);
        recordEvent(tx, { tenantId: gw.tenantId, type: 'equipment_alarm.cleared', aggregateType: 'equipment_alarm', aggregateId: open, payload: { id: open, ...payload } });
      }
    }
  }
}

/** The readings trend rules look back on: per machine and point, from the longest window before the first record to the last. */
async function trendHistories(tx: Sql, tenantId: string, equipment: Map<string, Equipment>, records: StoredReading[]) {
  const spans = new Map<string, { equipmentId: string; point: string; from: number; to: number }>();
  for (const r of records) {
    const windows = equipment.get(r.equipmentId)!.alarmRules.filter((x) => x.kind === 'trend' && x.point === r.point).map((x) => x.windowSeconds!);
    if (!windows.length) continue;
    const key = `${r.equipmentId}\u0000${r.point}`;
    const ms = Date.parse(r.ts);
    const span = spans.get(key) ?? { equipmentId: r.equipmentId, point: r.point, from: ms, to: ms };
    span.from = Math.min(span.from, ms - Math.max(...windows) * 1000);
    span.to = Math.max(span.to, ms);
    spans.set(key, span);
  }
  const out = new Map<string, { ms: number; v: number }[]>();
  for (const [key, s] of spans) out.set(key, await repo.pointHistory(tx, tenantId, s.equipmentId, s.point, new Date(s.from).toISOString(), new Date(s.to).toISOString()));
  return out;
}

/** Change per minute over the window ending at `ms`: from the oldest reading inside it to this one; undefined when there is none older. */
export function rateOver(history: { ms: number; v: number }[], ms: number, value: PointValue, windowSeconds: number): number | undefined {
  if (typeof value !== 'number') return undefined;
  const first = history.find((h) => h.ms >= ms - windowSeconds * 1000 && h.ms < ms);
  return first === undefined ? undefined : (value - first.v) / (windowSeconds / 60);
}

export async function getAlarm(tx: Sql, tenantId: string, id: string): Promise<Alarm> {
  const found = await repo.findAlarm(tx, tenantId, id);
  if (!found) throw notFound('equipment alarm', id);
  return toAlarm(found);
}

/** Acknowledged once, by whom, with a note; cleared alarms can still be acknowledged. The route audits it. */
export async function acknowledge(tx: Sql, tenantId: string, id: string, by: string, note: string | undefined): Promise<Alarm> {
  const found = await repo.findAlarm(tx, tenantId, id, true);
  if (!found) throw notFound('equipment alarm', id);
  if (found.acknowledged_at) {
    throw conflict('ALARM_ALREADY_ACKNOWLEDGED', `alarm ${found.code} of ${found.equipment_code} was acknowledged at ${found.acknowledged_at.toISOString()} by ${found.acknowledged_by}`, {
      documentStatus: toAlarm(found).status,
    });
  }
  await repo.acknowledgeAlarm(tx, tenantId, id, by, note ?? null);
  const alarm = await getAlarm(tx, tenantId, id);
  recordEvent(tx, { tenantId, type: 'equipment_alarm.acknowledged', aggregateType: 'equipment_alarm', aggregateId: id, payload: { id, equipmentId: alarm.equipmentId, code: alarm.code, by } });
  return alarm;
}

export async function listAlarms(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; equipmentId?: string; active?: boolean; grade?: string }): Promise<AlarmRow[]> {
  return repo.listAlarms(tx, tenantId, q);
}

export { toAlarm };
