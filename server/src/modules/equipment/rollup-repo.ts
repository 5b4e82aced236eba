/** The minute and hour rollups of number readings, the tenants' rollup marks, and dropping old raw partitions. */
import type { Sql } from '../../platform/db.js';
import { existingPartitions } from './telemetry-repo.js';

export type Resolution = 'minute' | 'hour';
const TABLE: Record<Resolution, string> = { minute: 'telemetry_rollups_minute', hour: 'telemetry_rollups_hour' };

/** The tenant's mark, locked: one job at a time rolls a tenant up, so no reading is counted twice. */
export async function lockMark(tx: Sql, tenantId: string): Promise<Date> {
  // Every reading was received after 1970: a new mark starts there.
  await tx.query(`INSERT INTO telemetry_rollup_marks (tenant_id, rolled_to) VALUES ($1, 'epoch') ON CONFLICT (tenant_id) DO NOTHING`, [tenantId]);
  const { rows } = await tx.query<{ rolled_to: Date }>('SELECT rolled_to FROM telemetry_rollup_marks WHERE tenant_id = $1 FOR UPDATE', [tenantId]);
  return rows[0].rolled_to;
}

export async function moveMark(tx: Sql, tenantId: string, to: Date): Promise<void> {
  await tx.query('UPDATE telemetry_rollup_marks SET rolled_to = $2, updated_at = now() WHERE tenant_id = $1', [tenantId, to]);
}

/**
 * Merges the number readings received in [from, to) into the buckets of one resolution: counts and
 * sums add up, min and max widen, the last reading is the newer by (ts, seq). A late reading lands in
 * its old bucket like any other. Returns the readings merged.
 */
export async function mergeReceived(tx: Sql, tenantId: string, resolution: Resolution, from: Date, to: Date): Promise<number> {
  const t = TABLE[resolution];
  const { rows } = await tx.query<{ n: string }>(
    `WITH agg AS (
       SELECT equipment_id, point, date_trunc('${resolution}', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS b, count(*) AS n, min(num_value) AS mn, max(num_value) AS mx,
              sum(num_value) AS sm, max(ts) AS lt, (array_agg(seq ORDER BY ts DESC, seq DESC))[1] AS ls, (array_agg(num_value ORDER BY ts DESC, seq DESC))[1] AS lv
         FROM telemetry_readings
        WHERE tenant_id = $1 AND received_at >= $2 AND received_at < $3 AND num_value IS NOT NULL
        GROUP BY equipment_id, point, b),
     merged AS (
       INSERT INTO ${t} AS r (tenant_id, equipment_id, point, bucket, n, min_value, max_value, sum_value, last_ts, last_seq, last_value)
       SELECT $1, equipment_id, point, b, n, mn, mx, sm, lt, ls, lv FROM agg
       ON CONFLICT (tenant_id, equipment_id, point, bucket) DO UPDATE SET
         n = r.n + EXCLUDED.n, min_value = least(r.min_value, EXCLUDED.min_value), max_value = greatest(r.max_value, EXCLUDED.max_value),
         sum_value = r.sum_value + EXCLUDED.sum_value,
         last_value = CASE WHEN (EXCLUDED.last_ts, EXCLUDED.last_seq) > (r.last_ts, r.last_seq) THEN EXCLUDED.last_value ELSE r.last_value END,
         last_seq = CASE WHEN (EXCLUDED.last_ts, EXCLUDED.last_seq) > (r.last_ts, r.last_seq) THEN EXCLUDED.last_seq ELSE r.last_seq END,
         last_ts = greatest(r.last_ts, EXCLUDED.last_ts))
     SELECT coalesce(sum(n), 0) AS n FROM agg`,
    [tenantId, from, to],
  );
  return Number(rows[0].n);
}

export interface Bucket { bucket: Date; n: string; min_value: number; max_value: number; sum_value: number; last_ts: Date; last_value: number }

/** The buckets of a point in [from, to), oldest first. */
export async function buckets(tx: Sql, tenantId: string, resolution: Resolution, equipmentId: string, point: string, from: string, to: string, limit: number): Promise<Bucket[]> {
  return (await tx.query<Bucket>(
    `SELECT bucket, n, min_value, max_value, sum_value, last_ts, last_value FROM ${TABLE[resolution]}
      WHERE tenant_id = $1 AND equipment_id = $2 AND point = $3 AND bucket >= $4 AND bucket < $5 ORDER BY bucket LIMIT $6`,
    [tenantId, equipmentId, point, from, to, limit],
  )).rows;
}

/** The last value of the newest bucket before `before` (where a counter stood when a period starts). */
export async function lastBefore(tx: Sql, tenantId: string, resolution: Resolution, equipmentId: string, point: string, before: string): Promise<number | undefined> {
  return (await tx.query<{ last_value: number }>(
    `SELECT last_value FROM ${TABLE[resolution]} WHERE tenant_id = $1 AND equipment_id = $2 AND point = $3 AND bucket < $4 ORDER BY bucket DESC LIMIT 1`,
    [tenantId, equipmentId, point, before],
  )).rows[0]?.last_value;
}

export interface RawPartition { name: string; end: Date; newestReceived: Date | null }

/** The raw monthly partitions with their upper bound and the newest received_at in them (owner rights). */
export async function rawPartitions(owner: Sql): Promise<RawPartition[]> {
  const out: RawPartition[] = [];
  for (const name of await existingPartitions(owner)) {
    const m = /^telemetry_readings_(\d{4})_(\d{2})$/.exec(name);
    if (!m) continue;
    const end = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
    const { rows } = await owner.query<{ newest: Date | null }>(`SELECT max(received_at) AS newest FROM ${name}`);
    out.push({ name, end, newestReceived: rows[0].newest });
  }
  return out.sort((a, b) => a.end.getTime() - b.end.getTime());
}

export async function dropPartition(owner: Sql, name: string): Promise<void> {
  if (!/^telemetry_readings_\d{4}_\d{2}$/.test(name)) throw new Error(`not a telemetry partition: ${name}`);
  await owner.query(`DROP TABLE IF EXISTS ${name}`);
}
