/**
 * A cutover step left `running` by a killed process (S1-7.3-a): the real server process
 * (`node dist/main.js`) on PostgreSQL is killed with SIGKILL mid-step (the freeze step, which
 * waits out the plan cache: a minute here). While the run lives, the step is refused with who
 * holds it and when it counts as abandoned; once its heartbeat is older than the lease, a new
 * process runs it again (recording the dead run) or rolls the cutover back. Always on
 * PostgreSQL: a kill of the process that owns a PGlite directory is not what this proves.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { call, freshPostgresDatabase } from './harness.js';
import { killHard, startServerProcess, type ServerProcess } from './server-process.js';
import { runCleanups, waitFor } from './util.js';
import { budget } from '../../vitest.shared.js';

const LEASE_MS = 3000;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(() => runCleanups(cleanups));

/** The server with a freeze step that waits planTtlMs and a short step lease. */
const startProcess = (databaseUrl: string, planTtlMs: number, firstStart = false) =>
  startServerProcess(databaseUrl, { cleanups, firstStart, env: { MES_PLAN_TTL_MS: String(planTtlMs), MES_CUTOVER_STEP_LEASE_MS: String(LEASE_MS) } });

/** A tenant with a planned cutover whose freeze step a process runs, then is killed with SIGKILL mid-step. */
async function killedMidStep(proc: ServerProcess, adminKey: string, slug: string) {
  const tenant = await call(proc.url, adminKey, 'POST', '/v1/tenants', { slug, name: slug, plan: 'unlimited' });
  const key = tenant.body.apiKey.key as string;
  const plan = await call(proc.url, key, 'POST', '/v1/cutovers', {});
  expect(plan.status).toBe(201);
  const id = plan.body.id as string;
  // The freeze step waits out the plan cache (a minute here): the process is killed inside it.
  void call(proc.url, key, 'POST', `/v1/cutovers/${id}/steps/freeze`, {}).catch(() => {});
  await waitFor('the freeze step to run', async () => (await call(proc.url, key, 'GET', `/v1/cutovers/${id}`)).body.steps[0].state === 'running', 20_000);
  const held = await call(proc.url, key, 'POST', `/v1/cutovers/${id}/steps/freeze`, {});
  expect(held.status).toBe(409);
  expect(held.body).toMatchObject({ code: 'CUTOVER_STEP_RUNNING', step: 'freeze', runner: `${hostnameOf(held.body.runner)}:${proc.child.pid}` });
  expect(held.body.detail ?? held.body.title).toMatch(/being run by .* on .*:\d+ \(last heartbeat \d+ s ago\); wait for it to end\. If that process is gone, the step counts as abandoned \d+ s from now/);
  await killHard(proc);
  return { key, id, pid: proc.child.pid! };
}
const hostnameOf = (runner: string) => runner.split(':')[0];

describe('a cutover step left running by a killed process', () => {
  it('S1-7.3-a: killed with SIGKILL mid-step, the step is found abandoned once its heartbeat is older than the lease, and is run again or rolled back from a new process', async () => {
    const db = await freshPostgresDatabase();
    cleanups.push(() => db.drop());
    const first = await startProcess(db.url, 60_000, true);
    const adminKey = first.adminKey!;
    const runA = await killedMidStep(first, adminKey, 'stuck-resume');
    const second = await startProcess(db.url, 60_000);
    const runB = await killedMidStep(second, adminKey, 'stuck-rollback');

    const su = new pg.Client({ connectionString: db.url });
    await su.connect();
    cleanups.push(() => su.end());
    const stepRow = async (id: string) => (await su.query(`SELECT state, runner, heartbeat_at FROM cutover_steps WHERE cutover_id = $1 AND key = 'freeze'`, [id])).rows[0];
    expect(await stepRow(runA.id)).toMatchObject({ state: 'running', runner: expect.stringMatching(new RegExp(`:${runA.pid}$`)) });
    expect(await stepRow(runB.id)).toMatchObject({ state: 'running', runner: expect.stringMatching(new RegExp(`:${runB.pid}$`)) });
    // The dead processes' cutovers still hold their tenants frozen.
    expect((await su.query(`SELECT count(*)::int AS n FROM cutovers WHERE frozen`)).rows[0].n).toBe(2);

    const third = await startProcess(db.url, 200);
    // Once the heartbeat is older than the lease, the step is run again and records the dead run.
    await waitFor('the lease to run out', async () => {
      const r = await call(third.url, runA.key, 'POST', `/v1/cutovers/${runA.id}/steps/freeze`, {});
      if (r.status === 409) return false;
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const freeze = r.body.steps[0];
      expect(freeze).toMatchObject({ key: 'freeze', state: 'passed', runner: expect.stringMatching(new RegExp(`:${third.child.pid}$`)) });
      expect(freeze.result.recoveredFrom).toMatchObject({ runner: expect.stringMatching(new RegExp(`:${runA.pid}$`)) });
      return true;
    }, budget(30_000));

    // The other: rolled back instead; the abandoned step is recorded failed and the tenant unfrozen.
    // Its process was killed seconds after the first one, so its lease may still have a moment to run.
    let rolled = await call(third.url, runB.key, 'POST', `/v1/cutovers/${runB.id}/rollback`);
    await waitFor('the second lease to run out', async () => {
      if (rolled.status !== 409) return true;
      expect(rolled.body.code).toBe('CUTOVER_STEP_RUNNING');
      rolled = await call(third.url, runB.key, 'POST', `/v1/cutovers/${runB.id}/rollback`);
      return rolled.status !== 409;
    }, budget(30_000));
    expect(rolled.status, JSON.stringify(rolled.body)).toBe(200);
    expect(rolled.body).toMatchObject({ status: 'rolled_back', frozen: false });
    expect(rolled.body.steps[0]).toMatchObject({ key: 'freeze', state: 'failed', result: { error: { code: 'CUTOVER_STEP_ABANDONED' }, recoveredFrom: { runner: expect.stringMatching(new RegExp(`:${runB.pid}$`)) } } });
    expect(rolled.body.steps[0].result.error.message).toMatch(/^step freeze was left running by .*:\d+ that stopped \(no heartbeat for \d+ s\); rolled back$/);
    expect((await call(third.url, runB.key, 'POST', '/v1/units', { code: 'PCS', name: '个', decimals: 0 })).status).toBe(201);
  }, budget(180_000));
});
