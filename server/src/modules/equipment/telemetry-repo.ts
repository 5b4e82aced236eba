/** Readings (range-partitioned by month), the newest reading per point, state history and alarms. */
import type { Sql } from '../../platform/db.js';

export type PointValue = number | boolean | string;

export interface StoredReading {
  equipmentId: string;
  point: string;
  ts: string;
  seq: number;
  value: PointValue;
  quality: string;
  unit: string | null;
}

/** The partition holding the month that starts at `monthStart` (UTC), e.g. telemetry_readings_2026_12. */
export function partitionName(monthStart: Date): string {
  return `telemetry_readings_${monthStart.getUTCFullYear()}_${String(monthStart.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Creates a month's partition if it is missing (owner rights): RLS enabled and forced on it with no
 * policy of its own, so only the parent table (and its tenant policy) reaches its rows.
 */
export async function createPartition(owner: Sql, monthStart: Date): Promise<void> {
  const next = new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 1));
  const name = partitionName(monthStart);
  await owner.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF telemetry_readings FOR VALUES FROM ('${monthStart.toISOString()}') TO ('${next.toISOString()}')`);
  await owner.query(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`);
  await owner.query(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY`);
}

export async function existingPartitions(owner: Sql): Promise<string[]> {
  const { rows } = await owner.query<{ relname: string }>(
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'telemetry_readings'`,
  );
  return rows.map((r) => r.relname);
}

/**
 * One multi-row INSERT for the whole batch. `allNew` (every seq above the highest stored): a plain
 * INSERT; otherwise a (gateway, seq, ts) already stored is skipped. Returns the seqs stored now.
 */
export async function insertReadings(tx: Sql, tenantId: string, gatewayId: string, rows: StoredReading[], allNew: boolean): Promise<Set<number>> {
  if (!rows.length) return new Set();
  const { rows: stored, rowCount } = await tx.query<{ seq: string }>(
    // received_at is the time of the write, not of the transaction's start (a batch may have waited
    // for the gateway's lock): the rollup job reads new rows by it and allows only a short lag.
    `INSERT INTO telemetry_readings (tenant_id, gateway_id, equipment_id, point, ts, seq, num_value, bool_value, text_value, quality, unit, received_at)
     SELECT $1, $2, e, p, t, s, n, b, x, q, u, clock_timestamp()
       FROM unnest($3::uuid[], $4::text[], $5::timestamptz[], $6::bigint[], $7::float8[], $8::bool[], $9::text[], $10::text[], $11::text[]) AS r(e, p, t, s, n, b, x, q, u)
     ${allNew ? '' : 'ON CONFLICT DO NOTHING RETURNING seq'}`,
    [tenantId, gatewayId, rows.map((r) => r.equipmentId), rows.map((r) => r.point), rows.map((r) => r.ts), rows.map((r) => r.seq),
      rows.map((r) => (typeof r.value === 'number' ? r.value : null)), rows.map((r) => (typeof r.value === 'boolean' ? r.value : null)),
      rows.map((r) => (typeof r.value === 'string' ? r.value : null)), rows.map((r) => r.quality), rows.map((r) => r.unit)],
  );
  if (allNew) {
    if (rowCount !== rows.length) throw new Error(`stored ${rowCount} of ${rows.length} new readings`);
    return new Set(rows.map((r) => r.seq));
  }
  return new Set(stored.map((r) => Number(r.seq)));
}

/** Newest reading per point, kept only when newer than the one held. */
export async function upsertLatest(tx: Sql, tenantId: string, rows: StoredReading[]): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO equipment_latest (tenant_id, equipment_id, point, ts, value, quality, seq)
     SELECT $1, e, p, t, v, q, s FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::jsonb[], $6::text[], $7::bigint[]) AS r(e, p, t, v, q, s)
     ON CONFLICT (tenant_id, equipment_id, point) DO UPDATE SET ts = EXCLUDED.ts, value = EXCLUDED.value, quality = EXCLUDED.quality, seq = EXCLUDED.seq
       WHERE equipment_latest.ts <= EXCLUDED.ts`,
    [tenantId, rows.map((r) => r.equipmentId), rows.map((r) => r.point), rows.map((r) => r.ts), rows.map((r) => JSON.stringify(r.value)), rows.map((r) => r.quality), rows.map((r) => r.seq)],
  );
}

export async function latestReadings(tx: Sql, tenantId: string, equipmentId: string) {
  return (await tx.query<{ point: string; ts: Date; value: PointValue; quality: 'good' | 'uncertain' | 'bad'; seq: string }>(
    'SELECT point, ts, value, quality, seq FROM equipment_latest WHERE tenant_id = $1 AND equipment_id = $2 ORDER BY point', [tenantId, equipmentId],
  )).rows;
}

/** Increase of a counter point over [from, to): positive steps summed (a reset counts from zero), starting from the last reading before `from`. */
export async function counterIncrease(tx: Sql, tenantId: string, equipmentId: string, point: string, from: string, to: string): Promise<number | null> {
  const { rows } = await tx.query<{ total: number | null; n: string }>(
    `WITH r AS (
       (SELECT ts, num_value FROM telemetry_readings WHERE tenant_id = $1 AND equipment_id = $2 AND point = $3 AND ts < $4 AND num_value IS NOT NULL ORDER BY ts DESC LIMIT 1)
       UNION ALL
       (SELECT ts, num_value FROM telemetry_readings WHERE tenant_id = $1 AND equipment_id = $2 AND point = $3 AND ts >= $4 AND ts < $5 AND num_value IS NOT NULL)),
     d AS (SELECT num_value - lag(num_value) OVER (ORDER BY ts) AS step, num_value FROM r)
     SELECT sum(CASE WHEN step IS NULL THEN 0 WHEN step >= 0 THEN step ELSE num_value END) AS total, count(*) AS n FROM d`,
    [tenantId, equipmentId, point, from, to],
  );
  return Number(rows[0].n) === 0 ? null : Number(rows[0].total ?? 0);
}

/** Number readings of a point in [from, to], oldest first (what trend rules look back on). */
export async function pointHistory(tx: Sql, tenantId: string, equipmentId: string, point: string, from: string, to: string): Promise<{ ms: number; v: number }[]> {
  const { rows } = await tx.query<{ ts: Date; num_value: number }>(
    `SELECT ts, num_value FROM telemetry_readings WHERE tenant_id = $1 AND equipment_id = $2 AND point = $3 AND ts >= $4 AND ts <= $5 AND num_value IS NOT NULL ORDER BY ts, seq`,
    [tenantId, equipmentId, point, from, to],
  );
  return rows.map((r) => ({ ms: r.ts.getTime(), v: r.num_value }));
}

// ---------------------------------------------------------------- state history

export interface StateRow { state: string; started_at: Date; ended_at: Date | null }

export async function currentState(tx: Sql, tenantId: string, equipmentId: string): Promise<StateRow | undefined> {
  return (await tx.query<StateRow>('SELECT state, started_at, ended_at FROM equipment_states WHERE tenant_id = $1 AND equipment_id = $2 AND ended_at IS NULL', [tenantId, equipmentId])).rows[0];
}

/** Ends the open period at `at` and opens one for `state`. */
export async function changeState(tx: Sql, tenantId: string, equipmentId: string, state: string, at: string): Promise<void> {
  await tx.query('UPDATE equipment_states SET ended_at = $3 WHERE tenant_id = $1 AND equipment_id = $2 AND ended_at IS NULL', [tenantId, equipmentId, at]);
  await tx.query('INSERT INTO equipment_states (tenant_id, equipment_id, state, started_at) VALUES ($1, $2, $3, $4)', [tenantId, equipmentId, state, at]);
}

/** Periods overlapping [from, to), oldest first. */
export async function statesBetween(tx: Sql, tenantId: string, equipmentId: string, from: string, to: string, limit: number): Promise<StateRow[]> {
  return (await tx.query<StateRow>(
    `SELECT state, started_at, ended_at FROM equipment_states
      WHERE tenant_id = $1 AND equipment_id = $2 AND started_at < $4 AND (ended_at IS NULL OR ended_at > $3) ORDER BY started_at LIMIT $5`,
    [tenantId, equipmentId, from, to, limit],
  )).rows;
}

/**
 * Seconds per machine and state inside [from, to) (the open period runs until `now`), and the
 * state each machine was in at `to` (its period starting at or before it), for many machines in one
 * query: what fleet reports (intact rate, capacity) add up.
 */
export async function stateSecondsByMachine(tx: Sql, tenantId: string, ids: string[], from: string, to: string, now: Date): Promise<Array<{ equipment_id: string; state: string; seconds: number }>> {
  return (await tx.query<{ equipment_id: string; state: string; seconds: number }>(
    `SELECT equipment_id, state,
            sum(greatest(0, extract(epoch FROM least(coalesce(ended_at, greatest($5::timestamptz, started_at)), $4::timestamptz) - greatest(started_at, $3::timestamptz))))::float8 AS seconds
       FROM equipment_states
      WHERE tenant_id = $1 AND equipment_id = ANY($2::uuid[]) AND started_at < $4 AND (ended_at IS NULL OR ended_at > $3)
      GROUP BY equipment_id, state`,
    [tenantId, ids, from, to, now],
  )).rows;
}

/** The state of each machine at `at`: the period that started last at or before it, if it is still running then. */
export async function statesAt(tx: Sql, tenantId: string, ids: string[], at: string): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ equipment_id: string; state: string }>(
    `SELECT DISTINCT ON (equipment_id) equipment_id, state FROM equipment_states
      WHERE tenant_id = $1 AND equipment_id = ANY($2::uuid[]) AND started_at <= $3 AND (ended_at IS NULL OR ended_at > $3)
      ORDER BY equipment_id, started_at DESC`,
    [tenantId, ids, at],
  );
  return new Map(rows.map((r) => [r.equipment_id, r.state]));
}

// ---------------------------------------------------------------- alarms

export interface AlarmRow {
  id: string; equipment_id: string; equipment_code: string; code: string; point: string; kind: string; grade: string; raised_at: Date; raised_value: PointValue;
  acknowledged_at: Date | null; acknowledged_by: string | null; ack_note: string | null; cleared_at: Date | null; cleared_value: PointValue | null; created_at: Date;
  notified_level: number; notified_at: Date | null;
}
const ALARM = `SELECT a.id, a.equipment_id, e.code AS equipment_code, a.code, a.point, a.kind, a.grade, a.raised_at, a.raised_value, a.acknowledged_at, a.acknowledged_by,
    a.ack_note, a.cleared_at, a.cleared_value, a.created_at, a.notified_level, a.notified_at
  FROM equipment_alarms a JOIN equipment e ON e.tenant_id = a.tenant_id AND e.id = a.equipment_id`;

export async function activeAlarms(tx: Sql, tenantId: string, equipmentIds: string[]): Promise<AlarmRow[]> {
  return (await tx.query<AlarmRow>(`${ALARM} WHERE a.tenant_id = $1 AND a.equipment_id = ANY($2::uuid[]) AND a.cleared_at IS NULL`, [tenantId, equipmentIds])).rows;
}

export async function insertAlarm(tx: Sql, tenantId: string, a: { equipmentId: string; code: string; point: string; kind: string; grade: string; at: string; value: PointValue }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO equipment_alarms (tenant_id, equipment_id, code, point, kind, grade, raised_at, raised_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
    [tenantId, a.equipmentId, a.code, a.point, a.kind, a.grade, a.at, JSON.stringify(a.value)],
  );
  return rows[0].id;
}

export async function clearAlarm(tx: Sql, tenantId: string, id: string, at: string, value: PointValue): Promise<void> {
  await tx.query('UPDATE equipment_alarms SET cleared_at = $3, cleared_value = $4 WHERE tenant_id = $1 AND id = $2', [tenantId, id, at, JSON.stringify(value)]);
}

export async function findAlarm(tx: Sql, tenantId: string, id: string, lock = false): Promise<AlarmRow | undefined> {
  return (await tx.query<AlarmRow>(`${ALARM} WHERE a.tenant_id = $1 AND a.id = $2${lock ? ' FOR UPDATE OF a' : ''}`, [tenantId, id])).rows[0];
}

export async function acknowledgeAlarm(tx: Sql, tenantId: string, id: string, by: string, note: string | null): Promise<void> {
  await tx.query('UPDATE equipment_alarms SET acknowledged_at = now(), acknowledged_by = $3, ack_note = $4 WHERE tenant_id = $1 AND id = $2', [tenantId, id, by, note]);
}

export async function listAlarms(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; equipmentId?: string; active?: boolean; grade?: string }): Promise<AlarmRow[]> {
  return (await tx.query<AlarmRow>(
    `${ALARM} WHERE a.tenant_id = $1 AND ($2::timestamptz IS NULL OR (a.created_at, a.id) < ($2, $3::uuid)) AND ($4::uuid IS NULL OR a.equipment_id = $4)
       AND ($5::boolean IS NULL OR (a.cleared_at IS NULL) = $5) AND ($6::text IS NULL OR a.grade = $6)
     ORDER BY a.created_at DESC, a.id DESC LIMIT $7`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.equipmentId ?? null, q.active ?? null, q.grade ?? null, q.limit + 1],
  )).rows;
}

export async function countActiveAlarms(tx: Sql, tenantId: string, equipmentId: string): Promise<number> {
  return Number((await tx.query<{ n: string }>('SELECT count(*) AS n FROM equipment_alarms WHERE tenant_id = $1 AND equipment_id = $2 AND cleared_at IS NULL', [tenantId, equipmentId])).rows[0].n);
}
