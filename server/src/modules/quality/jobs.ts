/**
 * The quality module's timer: patrol rounds of every active patrol plan every N hours, for every
 * tenant (S1-5.4.5-b). A round is idempotent per plan, production order and window of everyHours
 * (the trigger key, unique per tenant, taken with ON CONFLICT DO NOTHING): a restart, a tick twice
 * in one window, or two replicas ticking at once create one inspection, not two.
 */
import type { AppContext } from '../../app.js';
import type { Database } from '../../platform/db.js';
import type { HousekeepingJob } from '../../platform/housekeeping.js';
import * as repo from './repo.js';
import { patrolDue } from './triggers.js';

/** Who the timer's inspections are created by. */
export const PATROL_ACTOR = 'system:quality-patrol';
/** How often the timer looks; a window of everyHours is never missed by more than this. */
export const PATROL_TICK_MS = 5 * 60_000;

export interface PatrolRun { tenants: number; plans: number; created: number; failed: number }

/** One tick at `at`: each tenant's active time patrol plans, each plan in a transaction of its own (one failing stops no other). */
export async function runPatrolRounds(db: Database, at: Date, onError: (err: unknown, plan: string) => void = () => {}): Promise<PatrolRun> {
  const tenants = await db.transaction({ platform: true }, async (tx) => (await tx.query<{ id: string }>('SELECT id FROM tenants ORDER BY id')).rows);
  const run: PatrolRun = { tenants: tenants.length, plans: 0, created: 0, failed: 0 };
  for (const { id: t } of tenants) {
    const plans = await db.transaction({ tenantId: t }, (tx) => repo.timePatrolPlans(tx, t));
    for (const planId of plans) {
      run.plans++;
      try {
        run.created += (await db.transaction({ tenantId: t }, (tx) => patrolDue(tx, t, PATROL_ACTOR, planId, at))).created;
      } catch (err) {
        run.failed++;
        onError(err, planId);
      }
    }
  }
  return run;
}

export function qualityJobs({ db }: Pick<AppContext, 'db'>): HousekeepingJob[] {
  return [{
    name: 'quality patrol rounds', everyMs: PATROL_TICK_MS,
    run: async () => {
      const r = await runPatrolRounds(db, new Date());
      return r.created || r.failed ? { ...r } : undefined;
    },
  }];
}
