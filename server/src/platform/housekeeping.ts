import type { FastifyBaseLogger } from 'fastify';
import type { Database } from './db.js';

/** How long a stored response answers a replayed Idempotency-Key. */
export const IDEMPOTENCY_TTL_HOURS = 24;
const SWEEP_BATCH = 5000;

/**
 * Deletes stored idempotent responses older than the TTL, tenant by tenant: the app role sees one
 * tenant's rows at a time, and a sweep needs no privilege the requests do not already have. A
 * replay after the TTL is treated as a new request either way; this only keeps the table small.
 */
export async function sweepIdempotencyKeys(db: Database): Promise<number> {
  const tenants = await db.transaction({ platform: true }, async (tx) => (await tx.query<{ id: string }>('SELECT id FROM tenants')).rows);
  let removed = 0;
  for (const { id } of tenants) {
    for (;;) {
      const n = await db.transaction({ tenantId: id }, async (tx) => (await tx.query(
        `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key IN (
           SELECT key FROM idempotency_keys WHERE tenant_id = $1 AND created_at < now() - interval '${IDEMPOTENCY_TTL_HOURS} hours' LIMIT ${SWEEP_BATCH})`,
        [id],
      )).rowCount);
      removed += n;
      if (n < SWEEP_BATCH) break;
    }
  }
  return removed;
}

/** A module's periodic job (telemetry rollups, alarm notification): run every `everyMs`, never twice at once. */
export interface HousekeepingJob {
  name: string;
  everyMs: number;
  run(): Promise<Record<string, unknown> | undefined>;
}

/** Runs the sweeps of a live server now and then; every replica may, as deleting twice is harmless. Jobs must be as safe on every replica. */
export function startHousekeeping(db: Database, log: FastifyBaseLogger, everyMs = 15 * 60_000, jobs: HousekeepingJob[] = []): { stop(): void } {
  const all: HousekeepingJob[] = [
    { name: 'idempotency keys', everyMs, run: async () => { const removed = await sweepIdempotencyKeys(db); return removed ? { removed } : undefined; } },
    ...jobs,
  ];
  const timers = all.map((job) => {
    let running: Promise<void> | undefined;
    const timer = setInterval(() => {
      running ??= job.run()
        .then((done) => { if (done) log.info(done, `housekeeping: ${job.name}`); })
        .catch((err) => log.warn({ err }, `housekeeping: ${job.name} failed; will try again`))
        .finally(() => (running = undefined));
    }, job.everyMs);
    timer.unref();
    return timer;
  });
  return { stop: () => timers.forEach(clearInterval) };
}
