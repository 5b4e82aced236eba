/**
 * Retries, idempotency keys, timeouts and connection failures, with a misbehaving loopback proxy
 * in front of the real server (test/support/proxy.ts). Nothing of ours is mocked.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MesClient, MesConnectionError, MesError, MesTimeoutError } from '../src/index.js';
import { startProxy, type ProxyAction, type TestProxy } from './support/proxy.js';
import { createTenant, startTestServer, type TestServer } from './support/server.js';

let t: TestServer;
let tenantKey: string;
let proxy: TestProxy | undefined;

beforeAll(async () => {
  t = await startTestServer();
  tenantKey = (await createTenant(t, `resilience-${process.pid}`)).key;
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});
afterAll(async () => {
  await t?.stop();
});

/** A client of the test tenant that talks to the server through a proxy acting as `decide` says. */
async function throughProxy(decide: (req: { method: string; path: string }, index: number) => ProxyAction, options: { timeoutMs?: number; retries?: number } = {}) {
  proxy = await startProxy(t.url, decide);
  return new MesClient({ baseUrl: proxy.url, apiKey: tenantKey, ...options });
}

const direct = () => new MesClient({ baseUrl: t.url, apiKey: tenantKey });

async function usersNamed(username: string) {
  const found = [];
  for await (const u of direct().users.iterate()) if (u.username === username) found.push(u);
  return found;
}

async function failure(p: Promise<unknown>): Promise<MesError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof MesError)) throw new Error(`expected a MesError, got ${err === undefined ? 'success' : String(err)}`);
  return err;
}

describe('retries with idempotency keys', () => {
  it('S1-5.3.5-a a POST whose connection drops after the server applied it is retried with the same Idempotency-Key and creates exactly one user', async () => {
    const client = await throughProxy((req, i) => (req.method === 'POST' && i === 0 ? 'drop-after-forward' : 'forward'));
    const username = 'dropped-once';

    const user = await client.users.create({ username, displayName: 'Dropped once' });

    const posts = proxy!.seen.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0].upstream?.status).toBe(201); // the server did apply the first attempt
    const key = posts[0].headers['idempotency-key'];
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[1].headers['idempotency-key']).toBe(key);
    expect(posts[1].upstream?.headers['idempotent-replayed']).toBe('true');

    const stored = await usersNamed(username);
    expect(stored).toHaveLength(1);
    expect(user).toEqual(stored[0]);
    expect(user).toEqual(JSON.parse(posts[0].upstream!.body));
  });

  it('S1-5.3.5-a a 503 with Retry-After: 0 is retried once, with the same Idempotency-Key, and creates exactly one user', async () => {
    const client = await throughProxy((req, i) =>
      req.method === 'POST' && i === 0 ? { status: 503, headers: { 'retry-after': '0', 'content-type': 'text/plain' }, body: 'maintenance' } : 'forward',
    );
    const username = 'after-503';

    const user = await client.users.create({ username, displayName: 'After 503' }, { idempotencyKey: 'caller-chosen-key-503' });

    const posts = proxy!.seen.filter((r) => r.method === 'POST');
    expect(posts.map((p) => p.headers['idempotency-key'])).toEqual(['caller-chosen-key-503', 'caller-chosen-key-503']);
    expect(posts.map((p) => p.upstream?.status)).toEqual([undefined, 201]);
    const stored = await usersNamed(username);
    expect(stored).toHaveLength(1);
    expect(user).toMatchObject({ id: stored[0].id, username, displayName: 'After 503' });
  });

  it('S1-8.2 with retries 0 the 503 surfaces as MesError HTTP_503 with retryAfterSeconds, though its body is not a problem', async () => {
    const client = await throughProxy(() => ({ status: 503, headers: { 'retry-after': '7', 'x-request-id': 'proxy-req-1' }, body: 'maintenance' }), { retries: 0 });
    const err = await failure(client.me.get());
    expect({ status: err.status, code: err.code, retryAfterSeconds: err.retryAfterSeconds, requestId: err.requestId, fields: err.fields }).toEqual({
      status: 503,
      code: 'HTTP_503',
      retryAfterSeconds: 7,
      requestId: 'proxy-req-1',
      fields: [],
    });
    expect(err.problem).toBeUndefined();
    expect(err.message).toContain('maintenance');
    expect(proxy!.seen).toHaveLength(1);
  });

  it('S1-5.3.5-a a GET whose connection drops is retried and answers', async () => {
    const client = await throughProxy((req, i) => (req.method === 'GET' && i === 0 ? 'drop-after-forward' : 'forward'));
    const me = await client.me.get();
    expect(me.user.username).toBe('admin');
    expect(proxy!.seen).toHaveLength(2);
  });

  it('S1-5.3.5-a a PATCH whose connection drops after sending is NOT retried: MesConnectionError, applied once', async () => {
    const user = await direct().users.create({ username: 'patched', displayName: 'Before' });
    const client = await throughProxy((req) => (req.method === 'PATCH' ? 'drop-after-forward' : 'forward'));

    const err = await failure(client.users.update(user.id, { version: 1, displayName: 'After' }));

    expect(err).toBeInstanceOf(MesConnectionError);
    expect(err.message).toContain(`${proxy!.url}/v1/users/${user.id}`);
    expect((err as MesConnectionError).mayHaveReachedServer).toBe(true);
    expect(proxy!.seen.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(await direct().users.get(user.id)).toMatchObject({ displayName: 'After', version: 2 });
  });

  it('S1-5.3.5-a a PATCH answered 503 is retried, because the server did not apply it', async () => {
    const user = await direct().users.create({ username: 'patched-503', displayName: 'Before' });
    const client = await throughProxy((req, i) => (req.method === 'PATCH' && i === 0 ? { status: 503, headers: { 'retry-after': '0' } } : 'forward'));
    const updated = await client.users.update(user.id, { version: 1, displayName: 'After' });
    expect(updated).toMatchObject({ displayName: 'After', version: 2 });
    expect(proxy!.seen.filter((r) => r.method === 'PATCH')).toHaveLength(2);
  });

  it('S1-5.3.2-b a real 429 from the tenant plan is a MesError RATE_LIMITED carrying Retry-After', async () => {
    const basic = await createTenant(t, `basic-${process.pid}`, 'basic');
    const once = new MesClient({ baseUrl: t.url, apiKey: basic.key, retries: 0 });
    let limited: MesError | undefined;
    for (let i = 0; i < 300 && !limited; i++) limited = await once.me.get().then(() => undefined, (e: MesError) => e);
    expect(limited).toBeInstanceOf(MesError);
    expect({ status: limited!.status, code: limited!.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(limited!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('S1-5.3.5-a a 429 with Retry-After: 1 makes the client wait a second, then succeed', async () => {
    // The plan's own refill is too quick to meet a 429 on purpose; one 429 at the proxy is certain.
    const client = await throughProxy((req, i) => (req.method === 'GET' && i === 0 ? { status: 429, headers: { 'retry-after': '1', 'content-type': 'application/problem+json' }, body: JSON.stringify({ status: 429, code: 'RATE_LIMITED', title: 'Too Many Requests', detail: 'slow down', type: 'urn:mes:problem:rate-limited' }) } : 'forward'));
    const started = Date.now();
    const me = await client.me.get();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(me.user.username).toBe('admin');
    expect(proxy!.seen.filter((r) => r.path === '/v1/me')).toHaveLength(2);
  });
});

describe('a misbehaving server', () => {
  it('iterate() stops with PAGINATION_STUCK when the server hands back the cursor it was given', async () => {
    const page = JSON.stringify({ items: [], nextCursor: 'same-cursor' });
    const client = await throughProxy(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: page }));
    const err = await failure((async () => {
      for await (const _ of client.users.iterate()) void _;
    })());
    expect({ status: err.status, code: err.code }).toEqual({ status: 200, code: 'PAGINATION_STUCK' });
    expect(proxy!.seen.map((r) => r.path)).toEqual(['/v1/users', '/v1/users?cursor=same-cursor']);
  });

  it('S1-8.2 a 2xx that is not JSON is MesError UNEXPECTED_RESPONSE, not a string posing as a typed result', async () => {
    const client = await throughProxy(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>login</html>' }));
    const err = await failure(client.me.get());
    expect({ status: err.status, code: err.code }).toEqual({ status: 200, code: 'UNEXPECTED_RESPONSE' });
  });
});

describe('connection failures and timeouts', () => {
  it('S1-8.2 connection refused is MesConnectionError CONNECTION_FAILED naming the URL', async () => {
    const url = await refusedUrl();
    const err = await failure(new MesClient({ baseUrl: url, retries: 1 }).health.live());
    expect(err).toBeInstanceOf(MesConnectionError);
    expect({ name: err.name, status: err.status, code: err.code }).toEqual({ name: 'MesConnectionError', status: 0, code: 'CONNECTION_FAILED' });
    expect(err.message).toContain(`${url}/healthz`);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).toMatch(/server is running.*MES_URL/);
    expect((err as MesConnectionError).mayHaveReachedServer).toBe(false);
  });

  it('S1-8.2 health.ready() on a draining server is MesError 503 SHUTTING_DOWN at once, without retries', async () => {
    const draining = await startTestServer({ shutdownDelayMs: 2_000 });
    proxy = await startProxy(draining.url, () => 'forward');
    const stopped = draining.stop(); // readiness turns false now; the listener closes after the delay
    try {
      const err = await failure(new MesClient({ baseUrl: proxy.url, retries: 5 }).health.ready());
      expect({ status: err.status, code: err.code }).toEqual({ status: 503, code: 'SHUTTING_DOWN' });
      expect(err.problem?.detail).toContain('draining');
      expect(proxy.seen).toHaveLength(1);
    } finally {
      await stopped;
    }
  });

  it('S1-8.2 a server that never answers is MesTimeoutError TIMEOUT after timeoutMs', async () => {
    const client = await throughProxy(() => 'hang', { timeoutMs: 300, retries: 0 });
    const started = Date.now();
    const err = await failure(client.me.get());
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(MesTimeoutError);
    expect({ name: err.name, status: err.status, code: err.code }).toEqual({ name: 'MesTimeoutError', status: 0, code: 'TIMEOUT' });
    expect(err.message).toContain('300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('a timed-out POST is retried with the same Idempotency-Key', async () => {
    const client = await throughProxy((req, i) => (req.method === 'POST' && i === 0 ? 'hang' : 'forward'), { timeoutMs: 1_000, retries: 1 });
    const user = await client.users.create({ username: 'after-timeout', displayName: 'After timeout' });
    const posts = proxy!.seen.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1].headers['idempotency-key']).toBe(posts[0].headers['idempotency-key']);
    expect((await usersNamed('after-timeout')).map((u) => u.id)).toEqual([user.id]);
  });

  it('the caller\'s AbortSignal stops the call at once and is not retried', async () => {
    const client = await throughProxy(() => 'hang', { timeoutMs: 10_000, retries: 2 });
    const controller = new AbortController();
    const call = client.me.get({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user pressed ctrl-c')), 100);
    await expect(call).rejects.toThrow('user pressed ctrl-c');
    expect(proxy!.seen).toHaveLength(1);
  });
});

/** A loopback URL where nothing listens: a port that was free a moment ago. */
async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
