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

/** Runs the sweeps of a live server now and then; every replica may, as deleting twice is harmless. */
export function startHousekeeping(db: Database, log: FastifyBaseLogger, everyMs = 15 * 60_000): { stop(): void } {
  let running: Promise<void> | undefined;
  const sweep = () => {
    running ??= sweepIdempotencyKeys(db)
      .then((removed) => { if (removed) log.info({ removed }, 'housekeeping: expired idempotency keys removed'); })
      .catch((err) => log.warn({ err }, 'housekeeping: sweep failed; will try again'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
