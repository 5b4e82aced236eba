/**
 * Telemetry rollups and retention. The housekeeping job merges the number readings each tenant
 * received since its mark into 1-minute and 1-hour buckets (count, min, max, average, last), up to
 * a short lag behind now so a batch still being written is not passed by. Reports over long
 * periods read the buckets. Raw monthly partitions older than the retention period are then dropped
 * whole, once every reading in them is rolled up; the ingest refuses readings older than the
 * retention (TIMESTAMP_OUT_OF_RANGE), so a dropped month is never written again.
 */
import type { Database, Sql } from '../../platform/db.js';
import { badRequest, fieldError, unprocessable } from '../../platform/errors.js';
import { getEquipment } from './master.js';
import * as repo from './rollup-repo.js';
import type { Resolution } from './rollup-repo.js';

/** Readings written less than this long ago are left for the next run (a batch may still be committing). */
export const ROLLUP_LAG_MS = 60_000;
/** A series reads minute buckets up to this long a period, hour buckets beyond. */
export const MINUTE_SERIES_MAX_MS = 2 * 86_400_000;
const MAX_BUCKETS = 5000;

export interface RollupRun { tenants: number; readings: number; rolledTo: Date }

/** Rolls every tenant up to `now - lag`; each tenant in its own transaction under its mark's lock. */
export async function rollUp(db: Database, now = Date.now(), lagMs = ROLLUP_LAG_MS): Promise<RollupRun> {
  const rolledTo = new Date(now - lagMs);
  const tenants = await db.transaction({ platform: true }, async (tx) => (await tx.query<{ id: string }>('SELECT id FROM tenants')).rows);
  let readings = 0;
  let touched = 0;
  for (const { id } of tenants) {
    const n = await db.transaction({ tenantId: id }, async (tx) => {
      const mark = await repo.lockMark(tx, id);
      if (mark >= rolledTo) return 0;
      const merged = await repo.mergeReceived(tx, id, 'minute', mark, rolledTo);
      await repo.mergeReceived(tx, id, 'hour', mark, rolledTo);
      await repo.moveMark(tx, id, rolledTo);
      return merged;
    });
    readings += n;
    if (n) touched++;
  }
  return { tenants: touched, readings, rolledTo };
}

/**
 * Drops the raw partitions whose month ended more than `retentionDays` ago and whose readings are
 * all rolled up (received before `rolledTo`, the mark every tenant reached in this run).
 */
export async function dropExpired(db: Database, retentionDays: number, rolledTo: Date, now = Date.now()): Promise<string[]> {
  const cutoff = now - retentionDays * 86_400_000;
  return db.asOwner(async (owner) => {
    const dropped: string[] = [];
    for (const p of await repo.rawPartitions(owner)) {
      if (p.end.getTime() > cutoff) continue;
      if (p.newestReceived && p.newestReceived >= rolledTo) continue;
      await repo.dropPartition(owner, p.name);
      dropped.push(p.name);
    }
    return dropped;
  });
}

/** One housekeeping pass: roll up, then enforce the retention. */
export async function telemetryHousekeeping(db: Database, retentionDays: number, now = Date.now()): Promise<{ readings: number; dropped: string[] }> {
  const run = await rollUp(db, now);
  return { readings: run.readings, dropped: await dropExpired(db, retentionDays, run.rolledTo, now) };
}

export interface SeriesBucket { start: string; count: number; min: number; max: number; avg: number; last: number; lastAt: string }
export interface Series { equipmentId: string; point: string | null; unit: string | null; resolution: Resolution; from: string; to: string; buckets: SeriesBucket[] }

/**
 * A number point over [from, to) in minute or hour buckets; `auto` picks minutes up to two days.
 * Without a point: the energy point, else the count point, else the first number point; a machine
 * with none has no buckets.
 */
export async function series(tx: Sql, tenantId: string, equipmentId: string, asked: string | undefined, from: string, to: string, resolution: Resolution | 'auto' = 'auto'): Promise<Series> {
  const span = Date.parse(to) - Date.parse(from);
  if (!(span >= 0)) throw badRequest('INVALID_PERIOD', 'to must not be before from', [fieldError('to', 'BEFORE_FROM', 'must not be before from', 'query')]);
  const e = await getEquipment(tx, tenantId, equipmentId);
  const point = asked ?? e.energyPoint ?? e.countPoint ?? e.points.find((x) => x.type === 'number')?.point;
  const p = e.points.find((x) => x.point === point);
  if (point === undefined) return { equipmentId, point: null, unit: null, resolution: 'minute', from: new Date(from).toISOString(), to: new Date(to).toISOString(), buckets: [] };
  if (!p) throw unprocessable('SERIES_INVALID', `${e.code} has no point ${point}`, [fieldError('point', 'UNKNOWN_POINT', 'is not a point of the machine', 'query')]);
  if (p.type !== 'number') throw unprocessable('SERIES_INVALID', `point ${point} holds ${p.type} values; series sum up number points`, [fieldError('point', 'NOT_A_NUMBER_POINT', 'must be a number point', 'query')]);
  const res: Resolution = resolution === 'auto' ? (span <= MINUTE_SERIES_MAX_MS ? 'minute' : 'hour') : resolution;
  const rows = await repo.buckets(tx, tenantId, res, equipmentId, point, from, to, MAX_BUCKETS + 1);
  if (rows.length > MAX_BUCKETS) {
    throw badRequest('PERIOD_TOO_BUSY', `more than ${MAX_BUCKETS} ${res} buckets in [from, to); ask for a shorter period or resolution=hour`, [fieldError('to', 'TOO_MANY_BUCKETS', 'ask for a shorter period', 'query')]);
  }
  return {
    equipmentId, point, unit: p.unit, resolution: res, from: new Date(from).toISOString(), to: new Date(to).toISOString(),
    buckets: rows.map((r) => ({
      start: r.bucket.toISOString(), count: Number(r.n), min: r.min_value, max: r.max_value, avg: Math.round((r.sum_value / Number(r.n)) * 1e6) / 1e6,
      last: r.last_value, lastAt: r.last_ts.toISOString(),
    })),
  };
}

/**
 * The increase of a cumulative counter over [from, to) from the hour buckets (both on whole hours):
 * the step from each bucket's last value to the next, starting where it stood before `from`; a
 * step down is a reset and counts from zero. Null without a bucket in the period.
 */
export async function counterIncreaseHourly(tx: Sql, tenantId: string, equipmentId: string, point: string, from: string, to: string): Promise<number | null> {
  const rows = await repo.buckets(tx, tenantId, 'hour', equipmentId, point, from, to, 100_000);
  if (!rows.length) return null;
  let prev = await repo.lastBefore(tx, tenantId, 'hour', equipmentId, point, from);
  let total = 0;
  for (const r of rows) {
    // Within the first bucket with nothing before it, the counter's start is its minimum.
    const start = prev ?? r.min_value;
    total += r.last_value >= start ? r.last_value - start : r.last_value;
    prev = r.last_value;
  }
  return total;
}
