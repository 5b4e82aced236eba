/** Alarm notification routes, the alarms waiting to be told, and the notices sent. */
import type { Sql } from '../../platform/db.js';

export interface RouteRow { grade: string; level: number; kinds: string[] | null; recipients: string[]; ack_timeout_minutes: number }

export async function listRoutes(tx: Sql, tenantId: string): Promise<RouteRow[]> {
  return (await tx.query<RouteRow>(
    `SELECT grade, level, kinds, recipients, ack_timeout_minutes FROM equipment_alarm_routes WHERE tenant_id = $1
      ORDER BY array_position(ARRAY['critical', 'major', 'minor', 'warning'], grade), level`,
    [tenantId],
  )).rows;
}

export async function replaceRoutes(tx: Sql, tenantId: string, routes: RouteRow[]): Promise<void> {
  await tx.query('DELETE FROM equipment_alarm_routes WHERE tenant_id = $1', [tenantId]);
  for (const r of routes) {
    await tx.query(
      'INSERT INTO equipment_alarm_routes (tenant_id, grade, level, kinds, recipients, ack_timeout_minutes) VALUES ($1, $2, $3, $4, $5, $6)',
      [tenantId, r.grade, r.level, r.kinds, r.recipients, r.ack_timeout_minutes],
    );
  }
}

export interface PendingAlarm {
  id: string; equipment_code: string; equipment_name: string; code: string; point: string; kind: string; grade: string;
  raised_at: Date; raised_value: unknown; cleared_at: Date | null; notified_level: number; notified_at: Date | null;
}

/**
 * Unacknowledged alarms, locked (another replica's notifier skips them): those never told and
 * raised in the last day, and those told before (candidates for escalation).
 */
export async function pendingAlarms(tx: Sql, tenantId: string, now: Date, limit: number): Promise<PendingAlarm[]> {
  return (await tx.query<PendingAlarm>(
    `SELECT a.id, e.code AS equipment_code, e.name AS equipment_name, a.code, a.point, a.kind, a.grade, a.raised_at, a.raised_value, a.cleared_at,
            a.notified_level, a.notified_at
       FROM equipment_alarms a JOIN equipment e ON e.tenant_id = a.tenant_id AND e.id = a.equipment_id
      WHERE a.tenant_id = $1 AND a.acknowledged_at IS NULL AND (a.notified_level > 0 OR a.created_at > $2::timestamptz - interval '1 day')
      ORDER BY a.raised_at LIMIT $3
      FOR UPDATE OF a SKIP LOCKED`,
    [tenantId, now, limit],
  )).rows;
}

export async function markNotified(tx: Sql, tenantId: string, alarmId: string, level: number, at: Date): Promise<void> {
  await tx.query('UPDATE equipment_alarms SET notified_level = $3, notified_at = $4 WHERE tenant_id = $1 AND id = $2', [tenantId, alarmId, level, at]);
}

export interface NoticeRow { id: string; level: number; channel: string; recipients: string[]; outcome: string; error: string | null; message_id: string | null; at: Date }

export async function insertNotice(tx: Sql, tenantId: string, n: { alarmId: string; level: number; recipients: string[]; outcome: 'sent' | 'failed'; error: string | null; messageId: string | null; at: Date }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO equipment_alarm_notices (tenant_id, alarm_id, level, channel, recipients, outcome, error, message_id, at) VALUES ($1, $2, $3, 'email', $4, $5, $6, $7, $8) RETURNING id`,
    [tenantId, n.alarmId, n.level, n.recipients, n.outcome, n.error, n.messageId, n.at],
  );
  return rows[0].id;
}

export async function listNotices(tx: Sql, tenantId: string, alarmId: string): Promise<NoticeRow[]> {
  return (await tx.query<NoticeRow>(
    'SELECT id, level, channel, recipients, outcome, error, message_id, at FROM equipment_alarm_notices WHERE tenant_id = $1 AND alarm_id = $2 ORDER BY at, id',
    [tenantId, alarmId],
  )).rows;
}
