/**
 * Fault diagnosis on a real PostgreSQL that the test stops, crashes and locks up (S1-6.1-f,
 * S1-5.3.6): clients get 503 problems with codes and trace ids (never 500), /readyz goes false,
 * /v1/diagnostics names the failing component with a repair hint, and once the fault is removed
 * the same server process recovers by itself. The cluster is a private PostgresInstance: the
 * shared one on 5432 is never stopped. PGlite has no connection to lose, so these run on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresInstance } from '@mes/platform';
import { bootstrap, buildApp, loadConfig, openDatabase, type BuiltApp } from '../src/index.js';
import { call } from './harness.js';
import { newTrace, sleep, waitFor } from './util.js';

const POOL_SIZE = 3;
// Short, so a request queued behind a saturated pool is answered within the test's patience;
// production keeps the 15 s default.
const POOL_TIMEOUT_MS = 4000;

let instance: PostgresInstance;
let built: BuiltApp;
let url: string;
let adminKey: string;

beforeAll(async () => {
  instance = await PostgresInstance.create();
  const config = loadConfig({
    databaseUrl: instance.url, dataDir: `/tmp/mes-test-${randomBytes(4).toString('hex')}`, port: 0,
    logLevel: process.env.MES_TEST_LOG_LEVEL ?? 'silent', dbPoolSize: POOL_SIZE,
    // Short caches, so the faults below also meet expired key and plan entries.
    keyCacheTtlMs: 200, planTtlMs: 200,
  }, {});
  const db = await openDatabase({ url: instance.url, dataDir: config.dataDir, poolSize: POOL_SIZE, connectionTimeoutMs: POOL_TIMEOUT_MS });
  built = await buildApp(config, { db });
  adminKey = (await bootstrap(db)).apiKey!;
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const address = built.app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await built?.close();
  await built?.ctx.db.close();
  await instance?.destroy();
});

const get = (path: string, headers: Record<string, string> = {}, key = adminKey) => call(url, key, 'GET', path, undefined, headers);
const check = (report: any, name: string) => report.checks.find((c: any) => c.name === name);

/** A 503 problem with this code, the caller's trace id, and a Retry-After. */
function expectUnavailable(res: { status: number; body: any; headers: Headers }, code: string, traceId?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.code).toBe(code);
  expect(res.body.traceId).toMatch(traceId ?? /^[0-9a-f]{32}$/);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
}

/** Polls until the server serves again: ready, a tenant read answers 200, diagnostics all clear. */
async function expectRecovered(): Promise<number> {
  const started = Date.now();
  await waitFor('readiness after the fault', async () => (await get('/readyz')).status === 200, 20_000);
  await waitFor('a tenant read after the fault', async () => (await get('/v1/materials')).status === 200, 20_000);
  const report = (await get('/v1/diagnostics')).body;
  for (const name of ['database', 'databasePool']) expect(check(report, name).status, JSON.stringify(check(report, name))).not.toBe('fail');
  return Date.now() - started;
}

/** An outside session that takes the materials table, so every request that reads it waits. */
async function lockMaterials(): Promise<pg.Client & { pid: number }> {
  const locker = new pg.Client({ connectionString: instance.url, application_name: 'fault-test-locker' }) as pg.Client & { pid: number };
  locker.on('error', () => {}); // ended by the database stop in some tests
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE materials IN ACCESS EXCLUSIVE MODE');
  locker.pid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  return locker;
}

async function sessionsWaitingOnLocks(locker: pg.Client): Promise<number> {
  // The locker is inside a transaction, which would otherwise see one snapshot of the statistics.
  await locker.query('SELECT pg_stat_clear_snapshot()');
  const res = await locker.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'mes-server'`);
  return res.rows[0].n;
}

describe('fault diagnosis on a private PostgreSQL', () => {
  it('S1-6.1-f S1-5.3.6: database stopped: 503 DATABASE_UNAVAILABLE with trace id and Retry-After, readiness false, diagnostics names the database with a hint; recovers without a restart', async () => {
    const spare = await call(url, adminKey, 'POST', '/v1/api-keys', { name: 'never used before the fault', permissions: ['masterdata:read'] });
    expect(spare.status).toBe(201);
    expect((await get('/v1/materials')).status).toBe(200);
    expect((await get('/v1/diagnostics')).status).toBe(200);

    await instance.stop('fast');
    await sleep(300); // past the key and plan cache lifetimes
    const trace = newTrace();
    expectUnavailable(await get('/v1/materials', { traceparent: trace.traceparent }), 'DATABASE_UNAVAILABLE', trace.traceId);
    expectUnavailable(await call(url, adminKey, 'POST', '/v1/units', { code: 'KG', name: 'kilogram', decimals: 3 }), 'DATABASE_UNAVAILABLE');
    // A key this replica never verified cannot be checked now: 503, not 401 and not 500.
    expectUnavailable(await get('/v1/materials', {}, spare.body.key), 'DATABASE_UNAVAILABLE');
    expectUnavailable(await get('/readyz'), 'DATABASE_UNAVAILABLE');

    // The operator's key was verified before the outage: diagnostics answers and names the database.
    const diagnosis = await get('/v1/diagnostics');
    expect(diagnosis.status, JSON.stringify(diagnosis.body)).toBe(200);
    expect(diagnosis.body.status).toBe('fail');
    const database = check(diagnosis.body, 'database');
    expect(database).toMatchObject({ component: 'database', status: 'fail' });
    expect(database.message).toMatch(/ECONNREFUSED/);
    expect(database.hint).toMatch(/pg_isready/);

    await instance.start();
    await expectRecovered();
    expect((await get('/v1/materials', {}, spare.body.key)).status).toBe(200);
  });

  it.each(['fast', 'immediate'] as const)('S1-6.1-f: requests in flight when the database stops (%s) answer 503 DATABASE_UNAVAILABLE, never 500, and the pool reconnects after the restart', async (mode) => {
    expect((await get('/v1/materials')).status).toBe(200);
    const locker = await lockMaterials();
    const inFlight = [get('/v1/materials'), get('/v1/materials')];
    await waitFor('requests blocked on the lock', async () => (await sessionsWaitingOnLocks(locker)) === 2);

    try {
      await instance.stop(mode);
      const answers = await Promise.all(inFlight);
      // A fast shutdown terminates the lock holder and the waiters together: PostgreSQL may grant a
      // waiter the lock and let it finish its read first. Such an answer is correct (200, the rows);
      // any other is 503 DATABASE_UNAVAILABLE. An immediate shutdown leaves no backend time to finish.
      for (const res of answers) if (mode === 'immediate' || res.status !== 200) expectUnavailable(res, 'DATABASE_UNAVAILABLE');
    } finally {
      await locker.end().catch(() => {});
      // Restarted whatever the assertions said, so the tests after this one find their database.
      await instance.start();
    }
    await expectRecovered();
  });

  it('S1-6.1-f S1-5.3.6: pool exhausted by a held lock: readiness false with DATABASE_POOL_EXHAUSTED, diagnostics still answers and names the pool and the blocking session, queued requests get 503 DATABASE_POOL_EXHAUSTED; recovers when the lock goes', async () => {
    expect((await get('/v1/diagnostics')).status).toBe(200);
    const locker = await lockMaterials();
    const requests = Array.from({ length: POOL_SIZE + 3 }, () => get('/v1/materials'));

    await waitFor('readiness to report the exhausted pool', async () => (await get('/readyz')).body?.code === 'DATABASE_POOL_EXHAUSTED', 10_000);
    expectUnavailable(await get('/readyz'), 'DATABASE_POOL_EXHAUSTED');

    // Bounded: answered on the operations connection, well before a pooled connection could free up.
    const asked = Date.now();
    const diagnosis = await get('/v1/diagnostics');
    expect(Date.now() - asked).toBeLessThan(POOL_TIMEOUT_MS);
    expect(diagnosis.status, JSON.stringify(diagnosis.body)).toBe(200);
    const pool = check(diagnosis.body, 'databasePool');
    expect(pool).toMatchObject({ component: 'database', status: 'fail' });
    expect(pool.value).toBeGreaterThanOrEqual(1);
    expect(pool.message).toContain(`${POOL_SIZE} of ${POOL_SIZE} pooled connections busy`);
    expect(pool.hint).toContain('MES_DB_POOL_SIZE');
    expect(pool.hint).toContain("'idle in transaction'");
    expect(pool.hint).toContain(`pg_terminate_backend(${locker.pid})`);
    expect(pool.hint).toContain('fault-test-locker');
    expect(check(diagnosis.body, 'database').status).not.toBe('fail'); // the database itself answers

    // The requests beyond the pool were queued, and are refused when the pool timeout passes.
    const settled = await Promise.race([Promise.all(requests.slice(POOL_SIZE)), sleep(POOL_TIMEOUT_MS + 10_000).then(() => undefined)]);
    expect(settled, 'queued requests answered').toBeDefined();
    for (const res of settled!) expectUnavailable(res, 'DATABASE_POOL_EXHAUSTED');

    await locker.query('ROLLBACK');
    await locker.end();
    for (const res of await Promise.all(requests.slice(0, POOL_SIZE))) expect(res.status).toBe(200);
    await expectRecovered();
  });
  it('S1-6.1-f S1-5.3.6: the database at its connection limit (SQLSTATE 53300, taken by other clients): 503 DATABASE_TOO_MANY_CONNECTIONS saying so, never "unreachable"; diagnostics names the limit; recovers when connections free up', async () => {
    expect((await get('/v1/materials')).status).toBe(200);
    const outsider = new pg.Client({ connectionString: instance.url, application_name: 'fault-test-filler' });
    await outsider.connect();
    // The next request must open a connection: end the pool's sessions, then take every slot left.
    await outsider.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mes-server'`);
    await waitFor('the pool to drop its terminated sessions', () => built.ctx.db.stats().total === 0);
    const fillers: pg.Client[] = [outsider];
    let refusal: unknown;
    while (!refusal && fillers.length < 200) {
      const c = new pg.Client({ connectionString: instance.url, application_name: 'fault-test-filler' });
      c.on('error', () => {});
      await c.connect().then(() => fillers.push(c), (err) => (refusal = err));
    }
    expect((refusal as { code?: string }).code).toBe('53300');
    try {
      await sleep(300); // past the key and plan cache lifetimes
      const res = await get('/v1/materials');
      expectUnavailable(res, 'DATABASE_TOO_MANY_CONNECTIONS');
      expect(res.body.detail).toMatch(/refused a new connection because its connection limit \(max_connections\) is reached/);
      expect(res.body.detail).not.toMatch(/unreachable/);

      const diagnosis = await get('/v1/diagnostics');
      expect(diagnosis.status, JSON.stringify(diagnosis.body)).toBe(200);
      const connections = check(diagnosis.body, 'databaseConnections');
      expect(connections).toMatchObject({ component: 'database', status: 'fail' });
      expect(connections.message).toMatch(/refused new connections because its connection limit is reached/);
      expect(connections.hint).toMatch(/max_connections/);
      expect(check(diagnosis.body, 'database').status).not.toBe('fail'); // it runs, and answers on the operations connection
    } finally {
      await Promise.all(fillers.map((c) => c.end().catch(() => {})));
    }
    await expectRecovered();
  });
});
