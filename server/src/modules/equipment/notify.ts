/**
 * Alarm notification by grade and type (S1-5.4.6-d): on screen through the event stream (the
 * alarm events), and by e-mail to the recipients a tenant routes per grade, optionally per rule
 * kind, level by level. Level 1 is told once an alarm is raised; when nobody acknowledged it within
 * that level's timeout, the next level is told (escalation), and so on while levels remain. Every
 * message is a notice on the alarm (sent or failed, with the server's message id or the error),
 * audited and published (`equipment_alarm.notified|escalated`). A failed message is tried again
 * at the next run; the level moves only once a message went out.
 */
import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { appendAudit } from '../../platform/audit.js';
import type { Database, Sql } from '../../platform/db.js';
import { fieldError, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { getAlarm } from './alarms.js';
import * as repo from './notify-repo.js';
import type { PendingAlarm, RouteRow } from './notify-repo.js';

export interface AlarmRoute { grade: string; level: number; kinds: string[] | null; recipients: string[]; ackTimeoutMinutes: number }
export interface AlarmNotice { id: string; level: number; channel: string; recipients: string[]; outcome: string; error: string | null; messageId: string | null; at: string }

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
const PER_RUN = 100;

const toRoute = (r: RouteRow): AlarmRoute => ({ grade: r.grade, level: r.level, kinds: r.kinds, recipients: r.recipients, ackTimeoutMinutes: r.ack_timeout_minutes });

export async function getRoutes(tx: Sql, tenantId: string): Promise<{ routes: AlarmRoute[] }> {
  return { routes: (await repo.listRoutes(tx, tenantId)).map(toRoute) };
}

/** Replaces the tenant's routes whole. Per grade the levels run 1, 2, 3 … without gaps. */
export async function putRoutes(tx: Sql, tenantId: string, routes: AlarmRoute[]): Promise<{ routes: AlarmRoute[] }> {
  const errors: FieldError[] = [];
  const seen = new Map<string, number[]>();
  routes.forEach((r, i) => {
    const levels = seen.get(r.grade) ?? [];
    if (levels.includes(r.level)) errors.push(fieldError(`routes[${i}].level`, 'DUPLICATE_LEVEL', `level ${r.level} of ${r.grade} is given twice`));
    seen.set(r.grade, [...levels, r.level]);
    r.recipients.forEach((m, j) => { if (!EMAIL.test(m)) errors.push(fieldError(`routes[${i}].recipients[${j}]`, 'INVALID_EMAIL', 'is not an e-mail address')); });
  });
  for (const [grade, levels] of seen) {
    const sorted = [...new Set(levels)].sort((a, b) => a - b);
    if (sorted.some((l, k) => l !== k + 1)) errors.push(fieldError('routes', 'LEVEL_GAP', `the levels of ${grade} must run 1, 2, 3 … without gaps, not ${sorted.join(', ')}`));
  }
  if (errors.length) throw unprocessable('ALARM_ROUTES_INVALID', 'the alarm notification routes are not valid', errors);
  await repo.replaceRoutes(tx, tenantId, routes.map((r) => ({ grade: r.grade, level: r.level, kinds: r.kinds?.length ? [...new Set(r.kinds)] : null, recipients: r.recipients, ack_timeout_minutes: r.ackTimeoutMinutes })));
  return getRoutes(tx, tenantId);
}

export async function listNotices(tx: Sql, tenantId: string, alarmId: string): Promise<{ items: AlarmNotice[] }> {
  await getAlarm(tx, tenantId, alarmId); // 404 for another tenant's alarm
  return {
    items: (await repo.listNotices(tx, tenantId, alarmId)).map((n) => ({
      id: n.id, level: n.level, channel: n.channel, recipients: n.recipients, outcome: n.outcome, error: n.error, messageId: n.message_id, at: n.at.toISOString(),
    })),
  };
}

/** The route that tells an alarm next: the lowest level above the one told, of its grade and kind; undefined when it is not due (or none is left). */
export function nextRoute(routes: RouteRow[], a: Pick<PendingAlarm, 'grade' | 'kind' | 'notified_level' | 'notified_at'>, now: Date): RouteRow | undefined {
  const mine = routes.filter((r) => r.grade === a.grade && (!r.kinds || r.kinds.includes(a.kind))).sort((x, y) => x.level - y.level);
  const next = mine.find((r) => r.level > a.notified_level);
  if (!next || a.notified_level === 0) return next;
  const current = mine.find((r) => r.level === a.notified_level) ?? mine.filter((r) => r.level < a.notified_level).at(-1);
  const due = a.notified_at!.getTime() + (current?.ack_timeout_minutes ?? 0) * 60_000;
  return now.getTime() >= due ? next : undefined;
}

export interface Mailer { transport: Pick<Transporter, 'sendMail'>; from: string }
export interface NotifyRun { sent: number; escalated: number; failed: number }

/** One run over every tenant: tells the alarms that are due, each under its row lock. */
export async function notifyAlarms(db: Database, mailer: Mailer, now = new Date()): Promise<NotifyRun> {
  const tenants = await db.transaction({ platform: true }, async (tx) => (await tx.query<{ id: string }>('SELECT id FROM tenants')).rows);
  const run: NotifyRun = { sent: 0, escalated: 0, failed: 0 };
  for (const { id } of tenants) {
    await db.transaction({ tenantId: id }, async (tx) => {
      const routes = await repo.listRoutes(tx, id);
      if (!routes.length) return;
      for (const a of await repo.pendingAlarms(tx, id, now, PER_RUN)) {
        const route = nextRoute(routes, a, now);
        if (route) await tell(tx, id, mailer, a, route, now, run);
      }
    });
  }
  return run;
}

async function tell(tx: Sql, tenantId: string, mailer: Mailer, a: PendingAlarm, route: RouteRow, now: Date, run: NotifyRun): Promise<void> {
  const escalation = a.notified_level > 0;
  let messageId: string | null = null;
  let error: string | null = null;
  try {
    const info = await mailer.transport.sendMail({ from: mailer.from, to: route.recipients, subject: subject(a, route.level, escalation), text: body(a, route, escalation) });
    messageId = info.messageId ?? null;
  } catch (err) {
    error = (err as Error).message.slice(0, 500);
  }
  const outcome = error ? 'failed' : 'sent';
  const noticeId = await repo.insertNotice(tx, tenantId, { alarmId: a.id, level: route.level, recipients: route.recipients, outcome, error, messageId, at: now });
  const action = escalation ? 'escalateEquipmentAlarm' : 'notifyEquipmentAlarm';
  await appendAudit(tx, {
    tenantId, actorType: 'system', actorId: 'alarm-notifier', action, resource: `equipment-alarm/${a.id}`, outcome: error ? 'error' : 'success', statusCode: error ? 502 : 200,
    requestId: randomUUID(), traceId: null, details: { level: route.level, channel: 'email', recipients: route.recipients, noticeId, ...(error ? { error } : {}) },
  });
  if (error) {
    run.failed++;
    return;
  }
  await repo.markNotified(tx, tenantId, a.id, route.level, now);
  recordEvent(tx, {
    tenantId, type: escalation ? 'equipment_alarm.escalated' : 'equipment_alarm.notified', aggregateType: 'equipment_alarm', aggregateId: a.id,
    payload: { id: a.id, equipmentCode: a.equipment_code, code: a.code, grade: a.grade, level: route.level, recipients: route.recipients },
  });
  if (escalation) run.escalated++;
  else run.sent++;
}

function subject(a: PendingAlarm, level: number, escalation: boolean): string {
  return `[MES ${a.grade}]${escalation ? ` ESCALATION level ${level}:` : ''} ${a.equipment_code} alarm ${a.code}${a.cleared_at ? ' (cleared)' : ''}`;
}

function body(a: PendingAlarm, route: RouteRow, escalation: boolean): string {
  return [
    `Machine: ${a.equipment_code} (${a.equipment_name})`,
    `Alarm: ${a.code}, ${a.kind} on point ${a.point}, grade ${a.grade}`,
    `Raised: ${a.raised_at.toISOString()} at value ${JSON.stringify(a.raised_value)}`,
    a.cleared_at ? `Cleared: ${a.cleared_at.toISOString()}` : 'Still active.',
    escalation ? `Not acknowledged within the previous level's timeout: you are level ${route.level}.` : '',
    `Acknowledge it in the MES (alarm ${a.id}); unacknowledged after ${route.ack_timeout_minutes} min it goes to the next level, if there is one.`,
  ].filter(Boolean).join('\n');
}
