/**
 * Graceful shutdown of the real server process (S1-5.3.4, part of upgrading without downtime):
 * on SIGTERM readiness goes false, the listener closes, the request in flight finishes and is
 * committed, and the process exits 0; a request that outlives the bound makes it exit 1 without
 * committing anything half-done. Always on PostgreSQL, since holding a request in flight needs a
 * second session to hold a lock.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { call, freshPostgresDatabase } from './harness.js';
import { startServerProcess } from './server-process.js';
import { lockWaiters, runCleanups, sleep, waitFor } from './util.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(() => runCleanups(cleanups));

/** Starts `node dist/main.js` on a fresh PostgreSQL database, with info logs, and a superuser session on it. */
async function startProcess(env: Record<string, string>) {
  const db = await freshPostgresDatabase();
  cleanups.push(() => db.drop());
  const started = await startServerProcess(db.url, { cleanups, firstStart: true, env: { MES_LOG_LEVEL: 'info', ...env } });
  const proc = { ...started, adminKey: started.adminKey! };
  const su = new pg.Client({ connectionString: db.url });
  await su.connect();
  cleanups.push(() => su.end());
  return { proc, su };
}

/** Locks the tenant's audit chain head, so that the tenant's next state change blocks at its audit append. */
async function holdAuditHead(su: pg.Client, tenantId: string) {
  await su.query('BEGIN');
  const { rowCount } = await su.query('SELECT * FROM audit_heads WHERE tenant_id = $1 FOR UPDATE', [tenantId]);
  expect(rowCount).toBe(1);
  return {
    waitUntilBlocked: () =>
      waitFor('a server session waiting on the lock', async () => (await lockWaiters(su)) === 1),
    release: () => su.query('COMMIT'),
  };
}

/** GET /readyz until it stops answering 200: returns the 503 problem code, or 'refused' for a closed listener. */
async function readinessAfterSigterm(url: string): Promise<string> {
  let seen = 'still 200';
  await waitFor('readiness to turn false', async () => {
    try {
      const res = await call(url, undefined, 'GET', '/readyz');
      seen = res.status === 200 ? 'still 200' : `${res.status} ${res.body?.code}`;
    } catch {
      seen = 'refused';
    }
    return seen !== 'still 200';
  }, 3000);
  return seen;
}

describe('graceful shutdown of node dist/main.js', () => {
  it('S1-5.3.4: SIGTERM turns readiness false, finishes the request in flight (201, committed) and exits 0', async () => {
    const { proc, su } = await startProcess({ MES_SHUTDOWN_DELAY_MS: '300', MES_SHUTDOWN_TIMEOUT_MS: '10000' });
    const me = await call(proc.url, proc.adminKey, 'GET', '/v1/me');
    expect(me.status).toBe(200);
    const lock = await holdAuditHead(su, me.body.tenant.id);

    const inFlight = call(proc.url, proc.adminKey, 'POST', '/v1/users', { username: 'in-flight', displayName: 'Started before SIGTERM' });
    await lock.waitUntilBlocked();
    const sigtermAt = Date.now();
    proc.child.kill('SIGTERM');

    expect(['503 SHUTTING_DOWN', 'refused']).toContain(await readinessAfterSigterm(proc.url));
    await sleep(Math.max(0, sigtermAt + 500 - Date.now()));
    // Past the 300 ms delay the listener is closed: a new request is not served.
    const late = await call(proc.url, proc.adminKey, 'GET', '/v1/me').then((r) => `${r.status}`, () => 'refused');
    expect(['503', 'refused']).toContain(late);
    expect(proc.child.exitCode).toBeNull(); // still draining the held request

    await lock.release();
    const res = await inFlight;
    expect(res.status).toBe(201);
    expect(res.body.username).toBe('in-flight');
    const exit = await Promise.race([proc.exited, sleep(10_000).then(() => undefined)]);
    expect(exit, 'the process did not exit within the 10 s shutdown bound').toBeDefined();
    expect(exit!.code).toBe(0);
    expect(exit!.at - sigtermAt).toBeLessThan(10_000);

    const stored = await su.query('SELECT id, display_name FROM users WHERE username = $1', ['in-flight']);
    expect(stored.rows).toEqual([{ id: res.body.id, display_name: 'Started before SIGTERM' }]);
    const audited = await su.query('SELECT outcome, status_code FROM audit_log WHERE resource = $1', [`user/${res.body.id}`]);
    expect(audited.rows).toEqual([{ outcome: 'success', status_code: 201 }]);

    const logs = proc.stdout.filter((l) => l.startsWith('{'));
    expect(logs.some((l) => JSON.parse(l).msg === 'shutting down: readiness is false, draining')).toBe(true);
    // The key was printed once, on its own line, and never logged.
    expect(proc.stdout.filter((l) => l.includes(proc.adminKey))).toHaveLength(1);
    expect(proc.stderr.filter((l) => l.includes(proc.adminKey))).toEqual([]);
  });

  it('S1-5.3.4: a request outliving MES_SHUTDOWN_TIMEOUT_MS makes the process exit 1 within the bound, committing nothing half-done', async () => {
    const { proc, su } = await startProcess({ MES_SHUTDOWN_DELAY_MS: '0', MES_SHUTDOWN_TIMEOUT_MS: '1000' });
    const me = await call(proc.url, proc.adminKey, 'GET', '/v1/me');
    const lock = await holdAuditHead(su, me.body.tenant.id);
    const stuck = call(proc.url, proc.adminKey, 'POST', '/v1/users', { username: 'stuck', displayName: 'Never finishes' }).then(
      (r) => `${r.status}`,
      () => 'connection lost',
    );
    await lock.waitUntilBlocked();
    const sigtermAt = Date.now();
    proc.child.kill('SIGTERM');
    const exit = await Promise.race([proc.exited, sleep(5000).then(() => undefined)]);
    expect(exit, 'the process outlived its shutdown bound').toBeDefined();
    expect(exit!.code).toBe(1);
    expect(exit!.at - sigtermAt).toBeGreaterThanOrEqual(900);
    expect(exit!.at - sigtermAt).toBeLessThan(4000);
    expect(proc.stderr.join('\n')).toContain('shutdown: in-flight requests did not finish within 1000 ms');
    expect(await stuck).toBe('connection lost');

    await lock.release();
    // The server session died mid-transaction: once it notices, nothing of it is committed.
    await waitFor('the dead session to go', async () =>
      (await su.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mes-server'`)).rows[0].n === 0,
    );
    expect((await su.query('SELECT count(*)::int AS n FROM users WHERE username = $1', ['stuck'])).rows[0].n).toBe(0);
  });
});
