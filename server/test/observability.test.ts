/**
 * Monitoring (S1-8.1) and fault diagnosis (S1-5.3.6): health and readiness, Prometheus metrics,
 * a diagnosis view with repair hints that notices a blocked event loop, and structured logs that
 * carry the caller's trace id and never a credential.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startServer } from '../src/index.js';
import { backend, call, createTenant, freshPostgresDatabase, startTestServer, type TestServer } from './harness.js';
import { newTrace, sleep, waitFor } from './util.js';

let t: TestServer;
let T: Awaited<ReturnType<typeof createTenant>>;

beforeAll(async () => {
  t = await startTestServer();
  T = await createTenant(t, 'observed');
});

afterAll(async () => {
  await t?.stop();
});

describe('health and metrics', () => {
  it('S1-8.1: /healthz and /readyz answer 200 without credentials', async () => {
    const health = await call(t.url, undefined, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', version: '0.1.0', uptimeSeconds: expect.any(Number) });
    const ready = await call(t.url, undefined, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', version: '0.1.0' });
  });

  it('S1-8.1: /metrics exposes request durations by route, event-loop lag, heap and pool metrics', async () => {
    expect((await call(t.url, T.key, 'GET', '/v1/users')).status).toBe(200);
    expect((await call(t.url, T.key, 'GET', '/v1/users/not-a-uuid')).status).toBe(400);
    const res = await call(t.url, undefined, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text: string = res.body;
    const sample = (name: string, labels: Record<string, string>) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
      return line === undefined ? undefined : Number(line.split(' ').at(-1));
    };
    expect(sample('mes_http_request_duration_seconds_count', { method: 'GET', route: '/v1/users', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample('mes_http_request_duration_seconds_count', { method: 'GET', route: '/v1/users/:id', status: '400' })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^mes_http_request_duration_seconds_bucket\{[^}]*le="0\.005"[^}]*\} \d+$/m);
    for (const name of ['mes_nodejs_eventloop_lag_seconds', 'mes_nodejs_eventloop_lag_p99_seconds', 'mes_nodejs_heap_size_used_bytes', 'mes_nodejs_heap_size_total_bytes', 'mes_db_pool_connections', 'mes_db_pool_waiting', 'mes_db_pool_max', 'mes_http_requests_in_flight']) {
      expect(text, name).toMatch(new RegExp(`^${name} [0-9.e+-]+$`, 'm'));
    }
    expect(text).toMatch(/^# TYPE mes_tenant_limit_rejections_total counter$/m);
  });
});

describe('diagnostics', () => {
  const NAMES = ['cpu', 'memory', 'disk', 'eventLoop', 'database', 'databaseConnections', 'databasePool'];

  it('S1-5.3.6: GET /v1/diagnostics reports cpu, memory, disk, eventLoop, database, databaseConnections and databasePool, each with status and hint', async () => {
    const res = await call(t.url, T.key, 'GET', '/v1/diagnostics');
    expect(res.status).toBe(200);
    expect(res.body.checks.map((c: any) => c.name)).toEqual(NAMES);
    for (const c of res.body.checks) {
      expect(['ok', 'warn', 'fail'], c.name).toContain(c.status);
      expect(typeof c.hint, c.name).toBe('string');
      expect(c.status === 'ok' ? c.hint === '' : c.hint.length > 0, `${c.name}: ${c.status} with hint "${c.hint}"`).toBe(true);
      expect(c.message.length, c.name).toBeGreaterThan(0);
      expect(['host', 'runtime', 'database'], c.name).toContain(c.component);
    }
    const db = res.body.checks.find((c: any) => c.name === 'database');
    expect(db.status).not.toBe('fail');
    expect(db.message).toContain(backend === 'postgres' ? 'postgres answered' : 'pglite answered');
    expect(['ok', 'warn', 'fail']).toContain(res.body.status);
    expect(Date.now() - Date.parse(res.body.checkedAt)).toBeLessThan(60_000);
  });

  it('S1-5.3.6: after the event loop was blocked for 1.2 s, eventLoop fails with a repair hint, and recovers on the next report', async () => {
    await call(t.url, T.key, 'GET', '/v1/diagnostics'); // resets the delay histogram
    // Node's delay monitor does not record the first timer interval after a reset, so let it tick
    // a few times first: the block then lands in a measured interval, as any real stall would.
    await sleep(100);
    const until = Date.now() + 1200;
    while (Date.now() < until) {
      // busy: the server runs in this process, so its event loop is blocked too
    }
    const res = await call(t.url, T.key, 'GET', '/v1/diagnostics');
    const loop = res.body.checks.find((c: any) => c.name === 'eventLoop');
    expect(loop.value).toBeGreaterThanOrEqual(1000);
    expect(loop.status).toBe('fail');
    expect(loop.hint).toMatch(/cpu-prof/);
    expect(res.body.status).toBe('fail');
    const next = await call(t.url, T.key, 'GET', '/v1/diagnostics');
    expect(next.body.checks.find((c: any) => c.name === 'eventLoop').status).not.toBe('fail');
  });

  it('S1-5.3.6: diagnostics needs diagnostics:read: a viewer may, a key with only users:read gets 403', async () => {
    const viewer = await call(t.url, T.key, 'POST', '/v1/users', { username: 'watcher', displayName: 'W', roles: ['viewer'] });
    const viewerKey = await call(t.url, T.key, 'POST', '/v1/api-keys', { name: 'watcher-key', userId: viewer.body.id, permissions: ['*'] });
    expect((await call(t.url, viewerKey.body.key, 'GET', '/v1/diagnostics')).status).toBe(200);
    const narrow = await call(t.url, T.key, 'POST', '/v1/api-keys', { name: 'users-only', permissions: ['users:read'] });
    const denied = await call(t.url, narrow.body.key, 'GET', '/v1/diagnostics');
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'diagnostics:read' });
    expect((await call(t.url, undefined, 'GET', '/v1/diagnostics')).status).toBe(401);
  });
});

describe('logs', () => {
  it('S1-8.1: request log lines are JSON carrying the caller\'s trace id; no credential or password ever reaches the log', async () => {
    const lines: string[] = [];
    let partial = '';
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
    const fresh = backend === 'postgres' ? await freshPostgresDatabase() : undefined;
    const server = await startServer(
      loadConfig({ databaseUrl: fresh?.url ?? 'memory://', dataDir: `/tmp/mes-test-${randomBytes(4).toString('hex')}`, port: 0, logLevel: 'info' }, {}),
      { logStream },
    );
    try {
      const adminKey = server.bootstrap.apiKey!;
      const ok = newTrace();
      const listed = await call(server.url, adminKey, 'GET', '/v1/users', undefined, { traceparent: ok.traceparent });
      expect(listed.status).toBe(200);
      const password = `pw-${randomBytes(12).toString('hex')}`;
      expect((await call(server.url, adminKey, 'POST', '/v1/users', { username: 'logged', displayName: 'L', password, roles: ['viewer'] })).status).toBe(201);
      const login = await call(server.url, undefined, 'POST', '/v1/auth/login', { tenant: 'default', username: 'logged', password });
      expect(login.status).toBe(200);
      expect((await call(server.url, login.body.token, 'GET', '/v1/me')).status).toBe(200);
      const made = await call(server.url, adminKey, 'POST', '/v1/api-keys', { name: 'readonly', permissions: ['users:read'] });
      const refused = newTrace();
      const denied = await call(server.url, made.body.key, 'POST', '/v1/users', { username: 'x', displayName: 'x' }, { traceparent: refused.traceparent });
      expect(denied.status).toBe(403);
      await call(server.url, `${adminKey.slice(0, -5)}xxxxx`, 'GET', '/v1/users'); // a wrong secret

      await waitFor('the access log line of the last request', () => lines.filter((l) => l.includes('request completed')).length >= 7);
      const entries = lines.map((l) => JSON.parse(l));

      const completed = entries.find((e) => e.msg === 'request completed' && e.traceId === ok.traceId);
      expect(completed).toMatchObject({ level: 30, reqId: listed.headers.get('x-request-id'), res: { statusCode: 200 } });
      expect(completed.responseTime).toEqual(expect.any(Number));
      const refusal = entries.find((e) => e.msg === 'request refused' && e.traceId === refused.traceId);
      expect(refusal).toMatchObject({ code: 'PERMISSION_DENIED', status: 403 });
      // Every line a request wrote after its trace was known carries one.
      const untraced = entries.filter((e) => e.reqId && e.msg !== 'incoming request' && !/^[0-9a-f]{32}$/.test(e.traceId ?? ''));
      expect(untraced).toEqual([]);

      // The secret is everything after the key id: base64url, so it may itself hold '_'.
      const secretOf = (key: string) => /^mes_[0-9a-f]+_[0-9a-f]+_(.{43})$/.exec(key)![1];
      const secrets = [adminKey, secretOf(adminKey), made.body.key, secretOf(made.body.key), login.body.token, password];
      for (const secret of secrets) {
        expect(lines.filter((l) => l.includes(secret)), `a log line holds ${secret.slice(0, 12)}…`).toEqual([]);
      }
      expect(lines.filter((l) => /bearer /i.test(l))).toEqual([]);
    } finally {
      await server.shutdown();
      await fresh?.drop();
    }
  });
});
