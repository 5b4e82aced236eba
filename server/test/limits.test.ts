/**
 * Tenant plan limits over HTTP (S1-5.3.2-b) and raising them without a restart (S1-5.3.3-b).
 * Plan basic: 20 requests/s, burst 40, 4 at once.
 */
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { lockWaiters, waitFor } from './util.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;

beforeAll(async () => {
  // Long cache lifetimes: after the first request neither the key nor the plan is read again,
  // so GET /v1/me touches no database and the only plan refresh is the one a PATCH triggers.
  // A short request timeout: the slow-client tests wait for it.
  t = await startTestServer({ keyCacheTtlMs: 600_000, planTtlMs: 600_000, requestTimeoutMs: 1000 });
});

afterAll(async () => {
  await t?.stop();
});

type Outcome = { status: number; code?: string; retryAfter: string | null };

async function one(key: string, path = '/v1/me'): Promise<Outcome> {
  const res = await call(t.url, key, 'GET', path);
  return { status: res.status, code: res.body?.code, retryAfter: res.headers.get('retry-after') };
}

/** n requests one after another. */
async function burst(key: string, n: number): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < n; i++) out.push(await one(key));
  return out;
}

/**
 * Requests one after another until the first refusal and 10 more, at most 400: how many a burst
 * needs to hit the limit depends on how fast this machine sends them, not on the server.
 */
async function burstUntilRefused(key: string) {
  const started = Date.now();
  const out: Outcome[] = [];
  let firstRefusal = -1;
  for (let i = 0; i < 400 && (firstRefusal < 0 || i < firstRefusal + 11); i++) {
    out.push(await one(key));
    if (firstRefusal < 0 && out[i].status !== 200) firstRefusal = i;
  }
  return { out, firstRefusal, elapsedS: (Date.now() - started) / 1000 };
}

/** Asserts the basic plan's shape on a burst: 40 first, refusals after, no more than 20/s refilled. */
function expectBasicBurst({ out, firstRefusal, elapsedS }: Awaited<ReturnType<typeof burstUntilRefused>>) {
  expect(firstRefusal, 'no 429 in 400 requests').toBeGreaterThanOrEqual(40);
  expect(out.slice(0, 40).map((r) => r.status)).toEqual(Array(40).fill(200));
  const admitted = out.filter((r) => r.status === 200).length;
  expect(admitted).toBeLessThanOrEqual(40 + Math.ceil(elapsedS * 20) + 1);
  const refused = out.filter((r) => r.status !== 200);
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) {
    expect([r.status, r.code]).toEqual([429, 'RATE_LIMITED']);
    expect(r.retryAfter).toMatch(/^\d+$/);
    expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
  }
}

describe('rate limit by plan', () => {
  it('S1-5.3.2-b: in a sequential burst a basic tenant gets its 40, then 429 RATE_LIMITED with Retry-After; an unlimited tenant is unaffected meanwhile', async () => {
    const L = await createTenant(t, 'limited', 'basic');
    const U = await createTenant(t, 'roomy', 'unlimited');
    let done = false;
    const unlimited: Outcome[] = [];
    const [limited] = await Promise.all([
      burstUntilRefused(L.key).finally(() => (done = true)),
      (async () => {
        while (!done && unlimited.length < 400) unlimited.push(await one(U.key));
      })(),
    ]);
    expectBasicBurst(limited);
    expect(unlimited.length).toBeGreaterThanOrEqual(20);
    expect(unlimited.filter((r) => r.status !== 200)).toEqual([]);
  });

  it('S1-5.3.2-b: the 429 is a problem naming the plan', async () => {
    const L = await createTenant(t, 'limited-two', 'basic');
    let res: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 400 && res === undefined; i++) {
      const r = await call(t.url, L.key, 'GET', '/v1/me');
      if (r.status !== 200) res = r;
    }
    expect(res?.status).toBe(429);
    expect(res!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res!.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', plan: 'basic', traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(res!.body.detail).toContain('20 requests per second');
  });

  it('S1-5.3.2-b: throttled state changes cost the database nothing: 429s are counted, not audited', async () => {
    const L = await createTenant(t, 'flooder', 'basic');
    const statuses: number[] = [];
    for (let i = 0; i < 400 && !statuses.includes(429); i++) {
      statuses.push((await call(t.url, L.key, 'POST', '/v1/units', { code: `U${i}`, name: `unit ${i}`, decimals: 0 })).status);
    }
    for (let i = 0; i < 20; i++) statuses.push((await call(t.url, L.key, 'POST', '/v1/units', { code: `X${i}`, name: 'x', decimals: 0 })).status);
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBeGreaterThanOrEqual(10);
    await new Promise((r) => setTimeout(r, 2100));
    const audit = await call(t.url, L.key, 'GET', '/v1/audit?outcome=rejected&limit=500');
    expect(audit.status).toBe(200);
    expect(audit.body.items.filter((r: { statusCode: number }) => r.statusCode === 429)).toEqual([]);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(Number(/mes_tenant_limit_rejections_total\{code="RATE_LIMITED"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(refused);
  });

  it('S1-5.3.3-b: upgrading the tenant to premium lifts the limit at once, without a restart: the burst that was refused now passes', async () => {
    const L = await createTenant(t, 'upgrader', 'basic');
    const before = await burstUntilRefused(L.key);
    expectBasicBurst(before);

    const current = await t.call('GET', `/v1/tenants/${L.id}`);
    const upgraded = await t.call('PATCH', `/v1/tenants/${L.id}`, { version: current.body.version, plan: 'premium' });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body).toMatchObject({ plan: 'premium', version: current.body.version + 1 });

    const after = await burst(L.key, before.out.length);
    expect(after.map((r) => r.status)).toEqual(Array(before.out.length).fill(200));
    const me = await call(t.url, L.key, 'GET', '/v1/me');
    expect(me.body.tenant.plan).toBe('premium');
  });

  it('S1-5.3.2-b: a downgrade to basic applies at once too', async () => {
    const D = await createTenant(t, 'downgrader', 'premium');
    expect((await burst(D.key, 50)).every((r) => r.status === 200)).toBe(true);
    const current = await t.call('GET', `/v1/tenants/${D.id}`);
    expect((await t.call('PATCH', `/v1/tenants/${D.id}`, { version: current.body.version, plan: 'basic' })).status).toBe(200);
    expectBasicBurst(await burstUntilRefused(D.key));
  });
});

describe('concurrency limit by plan', () => {
  it('S1-5.3.2-b: with 8 requests held in flight, a basic tenant has 4 admitted and 4 refused with 429 CONCURRENCY_LIMITED', async () => {
    const C = await createTenant(t, 'concurrent', 'basic');
    expect((await call(t.url, C.key, 'GET', '/v1/me')).status).toBe(200); // key and plan now cached
    const db = t.server.built.ctx.db;

    // Hold the database so that admitted requests stay in flight: on PostgreSQL a superuser locks
    // the users table; on PGlite (one session) a transaction holds the only connection.
    let release!: () => Promise<unknown>;
    let waiting: () => Promise<number>;
    let su: pg.Client | undefined;
    let holder: Promise<unknown> | undefined;
    if (db.kind === 'postgres') {
      su = new pg.Client({ connectionString: t.databaseUrl });
      await su.connect();
      await su.query('BEGIN');
      await su.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      let committed: Promise<unknown> | undefined;
      release = () => (committed ??= su!.query('COMMIT'));
      waiting = () => lockWaiters(su!);
    } else {
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      holder = db.transaction({}, () => gate);
      release = async () => open();
      waiting = async () => db.stats().waiting;
    }

    try {
      const settled: { status: number; code?: string; retryAfter: string | null }[] = [];
      const requests = Array.from({ length: 8 }, () =>
        call(t.url, C.key, 'GET', '/v1/users').then((res) => {
          const r = { status: res.status, code: res.body?.code, retryAfter: res.headers.get('retry-after') };
          settled.push(r);
          return r;
        }),
      );
      await waitFor('4 refusals and 4 requests waiting on the database', async () => settled.length === 4 && (await waiting()) === 4, 10_000);
      expect(settled.map((r) => [r.status, r.code, r.retryAfter])).toEqual(Array(4).fill([429, 'CONCURRENCY_LIMITED', '1']));
      // Still held: one more request is refused too.
      const extra = await call(t.url, C.key, 'GET', '/v1/me');
      expect([extra.status, extra.body.code]).toEqual([429, 'CONCURRENCY_LIMITED']);

      await release();
      const all = await Promise.all(requests);
      expect(all.filter((r) => r.status === 200)).toHaveLength(4);
      expect(all.filter((r) => r.status === 429)).toHaveLength(4);
      // The slots are free again.
      expect((await call(t.url, C.key, 'GET', '/v1/me')).status).toBe(200);
    } finally {
      await release();
      await holder;
      await su?.end();
    }
  });
});

/** Requests the server counts as in flight right now, read from its own gauge. */
async function inFlight(): Promise<number> {
  return (await t.server.built.ctx.metrics.inFlight.get()).values[0]?.value ?? 0;
}

/**
 * A POST whose headers arrive at once and whose body never completes (a slowloris client): the
 * server has admitted it. `answer` settles with everything the server sent when the connection closes.
 */
async function slowBody(key: string, path = '/v1/units') {
  const { hostname, port } = new URL(t.url);
  const socket = net.connect(Number(port), hostname);
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  socket.on('error', () => {});
  const answer = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"code":`);
  return { socket, answer };
}

describe('slow and vanishing clients', () => {
  it('S1-5.3.2-b: clients that leave before their answer (a body that never came, then a closed socket) give their concurrency slots back: the tenant is served again and nothing stays in flight', async () => {
    const V = await createTenant(t, 'vanishing', 'basic');
    expect((await call(t.url, V.key, 'GET', '/v1/me')).status).toBe(200);
    for (let round = 0; round < 3; round++) {
      const held = await Promise.all(Array.from({ length: 4 }, () => slowBody(V.key)));
      await waitFor('the 4 slots of the basic plan taken', async () => (await call(t.url, V.key, 'GET', '/v1/me')).status === 429);
      for (const h of held) h.socket.destroy();
      await Promise.all(held.map((h) => h.answer));
      await waitFor('no request in flight', async () => (await inFlight()) === 0, 3000);
    }
    const again = await Promise.all(Array.from({ length: 4 }, () => call(t.url, V.key, 'GET', '/v1/me')));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('S1-5.3.2-b: 100 connections whose body is too slow are answered 408 REQUEST_TIMEOUT as problem+json and closed by the server (MES_REQUEST_TIMEOUT_MS)', async () => {
    const U = await createTenant(t, 'slowpoke', 'unlimited');
    const held = await Promise.all(Array.from({ length: 100 }, () => slowBody(U.key)));
    // The server closes them; a test timeout here means the connections stayed open.
    const answers = await Promise.all(held.map((h) => h.answer));
    for (const a of answers) {
      const [head, body] = a.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 408 /);
      expect(head).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(body)).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT', type: 'urn:mes:problem:request-timeout', traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    }
    await waitFor('no request in flight', async () => (await inFlight()) === 0, 3000);
  }, budget(20_000));
});
