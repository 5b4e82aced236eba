/**
 * The monthly partitions of telemetry_readings, created ahead: before a batch is stored, every
 * month its records fall in (and the next month, so the turn of a month never waits) exists. The
 * DDL runs with owner rights in its own transaction, outside the upload's, and each replica
 * remembers the months it has seen.
 */
import type { Database } from '../../platform/db.js';
import { createPartition, existingPartitions, partitionName } from './telemetry-repo.js';

/** Records older than this (or the retention, when shorter) or further ahead than FUTURE_MS are refused (TIMESTAMP_OUT_OF_RANGE). */
export const MAX_AGE_MS = 400 * 86_400_000;
export const FUTURE_MS = 86_400_000;

const monthOf = (ms: number) => {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
};

export function tsInRange(ms: number, now = Date.now(), maxAgeMs = MAX_AGE_MS): boolean {
  return ms >= now - maxAgeMs && ms <= now + FUTURE_MS;
}

export class TelemetryPartitions {
  private known?: Set<string>;
  private creating = Promise.resolve();

  /** retentionDays: the raw readings' retention; older records are refused, so a dropped month is never written again. */
  constructor(private readonly db: Database, retentionDays = 400) {
    this.maxAgeMs = Math.min(MAX_AGE_MS, retentionDays * 86_400_000);
  }

  readonly maxAgeMs: number;

  /** Makes sure the partitions for these times (and the month after the newest) exist. */
  async ensure(timesMs: number[]): Promise<void> {
    if (!timesMs.length) return;
    const months = new Map<string, Date>();
    for (const ms of timesMs) {
      const m = monthOf(ms);
      months.set(partitionName(m), m);
    }
    const newest = [...months.values()].reduce((a, b) => (a > b ? a : b));
    const after = new Date(Date.UTC(newest.getUTCFullYear(), newest.getUTCMonth() + 1, 1));
    months.set(partitionName(after), after);
    if (this.known && [...months.keys()].every((n) => this.known!.has(n))) return;
    // One creator at a time per replica; other replicas may race: IF NOT EXISTS and a re-read settle it.
    const run = this.creating.then(() => this.create(months));
    this.creating = run.catch(() => undefined);
    await run;
  }

  private async create(months: Map<string, Date>): Promise<void> {
    this.known ??= new Set(await this.db.asOwner(existingPartitions));
    for (const [name, start] of months) {
      if (this.known.has(name)) continue;
      try {
        await this.db.asOwner((sql) => createPartition(sql, start));
      } catch (err) {
        // Another replica created it between our read and our CREATE: fine if it exists now.
        const now = new Set(await this.db.asOwner(existingPartitions));
        if (!now.has(name)) throw err;
      }
      this.known.add(name);
    }
  }
}
