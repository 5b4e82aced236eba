/**
 * Error codes and trace ids (S1-8.2) and input validation (S1-5.1.5): every refusal is an RFC 9457
 * problem with a stable code, all offending fields, and the request's trace id; malformed input is
 * a 4xx, never a 5xx, and never changes anything.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertProblem, call, createTenant, startTestServer, type TestServer } from './harness.js';
import { keyIdOf, listAll, newTrace } from './util.js';

let t: TestServer;
let E: Awaited<ReturnType<typeof createTenant>>;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

beforeAll(async () => {
  t = await startTestServer({ bodyLimitBytes: 2048 });
  E = await createTenant(t, 'errs');
});

afterAll(async () => {
  await t?.stop();
});

const asE = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(t.url, E.key, method, path, body, headers);

/** Asserts the RFC 9457 shape every problem shares, and that the traceparent header carries the same trace. */
function expectProblem(res: { status: number; body: any; headers: Headers }, status: number, code: string, path?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `urn:mes:problem:${code.toLowerCase().replace(/_/g, '-')}`, title: expect.any(String), detail: expect.any(String) });
  if (path) expect(res.body.instance).toBe(path);
  expect(res.body.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(res.headers.get('traceparent')).toMatch(new RegExp(`^00-${res.body.traceId}-[0-9a-f]{16}-[0-9a-f]{2}$`));
}

describe('problem responses', () => {
  it('S1-8.2: an unknown route is 404 ROUTE_NOT_FOUND as application/problem+json, with or without credentials', async () => {
    expectProblem(await asE('GET', '/v1/no-such-thing'), 404, 'ROUTE_NOT_FOUND', '/v1/no-such-thing');
    expectProblem(await call(t.url, undefined, 'GET', '/v1/no-such-thing?x=1'), 404, 'ROUTE_NOT_FOUND', '/v1/no-such-thing');
    expectProblem(await asE('DELETE', '/v1/users'), 404, 'ROUTE_NOT_FOUND', '/v1/users');
  });

  it('S1-8.2: a problem carries the caller\'s trace id, and the traceparent header continues that trace', async () => {
    const trace = newTrace();
    const res = await asE('GET', '/v1/no-such-thing', undefined, { traceparent: trace.traceparent });
    expectProblem(res, 404, 'ROUTE_NOT_FOUND');
    expect(res.body.traceId).toBe(trace.traceId);
    const header = res.headers.get('traceparent')!;
    expect(header.split('-')[1]).toBe(trace.traceId);
    expect(header.split('-')[2]).not.toBe(trace.traceparent.split('-')[2]); // a new span for this hop
    // A malformed traceparent is not echoed: the server starts a fresh trace.
    const bad = await asE('GET', '/v1/me', undefined, { traceparent: 'garbage' });
    expect(bad.status).toBe(200);
    expect(bad.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('S1-5.1.5: bad JSON is 400 MALFORMED_JSON', async () => {
    expectProblem(await asE('POST', '/v1/users', '{"username": "x",'), 400, 'MALFORMED_JSON', '/v1/users');
    expectProblem(await asE('POST', '/v1/users', '', { 'content-type': 'application/json' }), 400, 'MALFORMED_JSON');
  });

  it('S1-5.1.5: a body over the limit (2048 bytes here) is 413 BODY_TOO_LARGE', async () => {
    const res = await asE('POST', '/v1/users', { username: 'big', displayName: 'x'.repeat(3000) });
    expectProblem(res, 413, 'BODY_TOO_LARGE', '/v1/users');
  });

  it('S1-5.1.5: wrong types and missing fields in one body are 400 VALIDATION_FAILED listing every offending field', async () => {
    const res = await asE('POST', '/v1/users', { username: { first: 'x' }, roles: { admin: true }, email: 'not-an-email', password: 'short' });
    expectProblem(res, 400, 'VALIDATION_FAILED', '/v1/users');
    const found = res.body.errors.map((e: any) => `${e.in} ${e.field} ${e.code}`).sort();
    expect(found).toEqual([
      'body displayName REQUIRED',
      'body email INVALID_FORMAT',
      'body password MIN_LENGTH',
      'body roles WRONG_TYPE',
      'body username WRONG_TYPE',
    ]);
    for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
  });

  it('S1-5.1.5: JSON values are taken as sent: a number or boolean where text belongs is WRONG_TYPE, not coerced', async () => {
    const res = await asE('POST', '/v1/users', { username: 5, displayName: true, roles: 'viewer' });
    expectProblem(res, 400, 'VALIDATION_FAILED', '/v1/users');
    expect(res.body.errors.map((e: any) => `${e.field} ${e.code}`).sort()).toEqual(['displayName WRONG_TYPE', 'roles WRONG_TYPE', 'username WRONG_TYPE']);
  });

  it('S1-5.1.5: a value outside a list of allowed literals is one NOT_ALLOWED error naming every allowed value', async () => {
    const res = await asE('POST', '/v1/units', { code: 'U1', name: 'U', decimals: 0, rounding: 'sideways' });
    expectProblem(res, 400, 'VALIDATION_FAILED', '/v1/units');
    expect(res.body.errors).toEqual([{ in: 'body', field: 'rounding', code: 'NOT_ALLOWED', message: 'must be one of: "half_up", "half_even", "up", "down"' }]);
  });

  it('S1-5.1.5: a POST with no body at all lists every required field, like an empty object would', async () => {
    const res = await call(t.url, E.key, 'POST', '/v1/users');
    expectProblem(res, 400, 'VALIDATION_FAILED', '/v1/users');
    expect(res.body.errors.map((e: any) => `${e.field} ${e.code}`).sort()).toEqual(['displayName REQUIRED', 'username REQUIRED']);
  });

  it('S1-5.1.5: an unknown field is refused as UNKNOWN_FIELD (no mass assignment of platformAdmin)', async () => {
    const res = await asE('POST', '/v1/users', { username: 'sneaky', displayName: 'S', platformAdmin: true, is_platform_admin: true });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: any) => [e.in, e.field, e.code]).sort()).toEqual([
      ['body', 'is_platform_admin', 'UNKNOWN_FIELD'],
      ['body', 'platformAdmin', 'UNKNOWN_FIELD'],
    ]);
    expect((await listAll(t, E.key, '/v1/users')).map((u) => u.username)).not.toContain('sneaky');
  });

  it("S1-5.1.5: a bad UUID in the path is 400 with in: 'path'", async () => {
    const res = await asE('GET', '/v1/users/not-a-uuid');
    expectProblem(res, 400, 'VALIDATION_FAILED', '/v1/users/not-a-uuid');
    expect(res.body.errors).toEqual([{ in: 'path', field: 'id', code: 'INVALID_FORMAT', message: expect.any(String) }]);
  });

  it("S1-5.1.5: a bad query parameter is 400 with in: 'query'", async () => {
    const res = await asE('GET', '/v1/users?limit=0');
    expectProblem(res, 400, 'VALIDATION_FAILED', '/v1/users');
    expect(res.body.errors).toEqual([{ in: 'query', field: 'limit', code: 'MINIMUM', message: expect.any(String) }]);
  });

  it('S1-5.1.5: a cursor the API did not issue is 400 INVALID_CURSOR on every list operation, whatever its elements hold', async () => {
    const res = await asE('GET', '/v1/users?cursor=not-a-cursor');
    expectProblem(res, 400, 'INVALID_CURSOR', '/v1/users');
    expect(res.body.errors).toEqual([{ in: 'query', field: 'cursor', code: 'INVALID_FORMAT', message: expect.any(String) }]);
    // Every list operation the spec describes, with crafted cursors of every arity and wrong element types.
    const spec = (await call(t.url, undefined, 'GET', '/openapi.json')).body;
    type Op = { parameters?: { name: string; in: string; required?: boolean }[]; 'x-mes-platform'?: boolean };
    const lists = Object.entries(spec.paths as Record<string, Record<string, Op>>)
      .filter(([, ops]) => ops.get?.parameters?.some((p) => p.name === 'cursor'))
      .map(([path, ops]) => {
        const required = ops.get!.parameters!.filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=${p.name === 'to' ? '2024-01-02' : '2024-01-01'}T00:00:00Z`);
        // A parent in the path (an order's reports): any id; the cursor is checked before the parent is looked up.
        return { path: `${path.replace(/\{[^}]+\}/g, randomUUID())}?${[...required, ''].join('&')}`, key: ops.get!['x-mes-platform'] ? t.adminKey : E.key };
      });
    expect(lists.length).toBeGreaterThanOrEqual(20);
    // None of these is a sort key of any list: wrong arity, or elements of the wrong type.
    const crafted = [[true, false], [true], [null], [{}, []], [1, 2, 3], [-1], ['x', 'y', 'z', 'w', 1], [1e300, 'x'], ['x', 2]];
    const wrong: string[] = [];
    for (const { path, key } of lists) {
      for (const c of crafted) {
        const r = await call(t.url, key, 'GET', `${path}cursor=${b64(c)}`);
        if (r.status !== 400 || r.body.code !== 'INVALID_CURSOR') wrong.push(`${path} ${JSON.stringify(c)}: ${r.status} ${r.body.code} ${r.body.detail}`);
      }
    }
    expect(wrong).toEqual([]);
    // Right arity and type, wrong values: a time that is not one, an id that is not one, a sequence below 0.
    for (const c of [['yesterday', randomUUID()], [new Date().toISOString(), 'someone']]) expectProblem(await asE('GET', `/v1/users?cursor=${b64(c)}`), 400, 'INVALID_CURSOR');
    for (const c of [['seven'], [-1], [1.5]]) expectProblem(await asE('GET', `/v1/audit?cursor=${b64(c)}`), 400, 'INVALID_CURSOR');
    expectProblem(await asE('GET', `/v1/stock/movements?cursor=${b64(['12x'])}`), 400, 'INVALID_CURSOR');
  });

  it('S1-8.2: a value the database cannot hold is 400 INVALID_VALUE whose detail never echoes the database', async () => {
    const res = await asE('POST', '/v1/users', { username: 'nul-echo', displayName: 'a\u0000b' });
    expectProblem(res, 400, 'INVALID_VALUE', '/v1/users');
    expect(res.body.detail).not.toMatch(/0x00|UTF8|encoding|syntax|invalid input|character/i);
  });

  it('S1-5.1.5: a PATCH with a stale version is 409 VERSION_CONFLICT naming the current version', async () => {
    const user = await asE('POST', '/v1/users', { username: 'versioned', displayName: 'V1' });
    expect((await asE('PATCH', `/v1/users/${user.body.id}`, { version: 1, displayName: 'V2' })).status).toBe(200);
    const stale = await asE('PATCH', `/v1/users/${user.body.id}`, { version: 1, displayName: 'lost update' });
    expectProblem(stale, 409, 'VERSION_CONFLICT', `/v1/users/${user.body.id}`);
    expect(stale.body.currentVersion).toBe(2);
    expect((await asE('GET', `/v1/users/${user.body.id}`)).body).toMatchObject({ displayName: 'V2', version: 2 });
  });
});

/** Sends raw bytes on a new connection and returns the status, headers and parsed body of the answer. */
async function raw(bytes: string): Promise<{ status: number; contentType: string | null; body: unknown }> {
  const { hostname, port } = new URL(t.url);
  const socket = net.connect(Number(port), hostname);
  let text = '';
  socket.on('data', (d) => (text += d.toString()));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(bytes);
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const [head, ...rest] = text.split('\r\n\r\n');
  const contentType = /^content-type: (.*)$/im.exec(head)?.[1]?.trim() ?? null;
  let body: unknown = rest.join('\r\n\r\n');
  try {
    body = JSON.parse(body as string);
  } catch {
    // not JSON: the assertion below says so
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), contentType, body };
}

describe('refusals outside the app\'s handlers are problems too', () => {
  it('S1-8.2: a path parameter over 100 characters and a URL over 8192 characters are 414 URI_TOO_LONG problems', async () => {
    expectProblem(await asE('GET', `/v1/users/${'a'.repeat(150)}`), 414, 'URI_TOO_LONG');
    expectProblem(await asE('GET', `/v1/users?limit=1&x=${'a'.repeat(9000)}`), 414, 'URI_TOO_LONG');
    // Beyond what Node's parser takes (16 KiB of request line and headers).
    const huge = await raw(`GET /v1/users?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assertProblem(huge.status, huge.contentType, huge.body, 'a 20 kB URL');
    expect([huge.status, (huge.body as { code: string }).code]).toEqual([414, 'URI_TOO_LONG']);
  });

  it('S1-8.2: what Node\'s HTTP parser refuses (not HTTP, headers over 16 KiB, a bad percent-encoding) is a problem, not Node\'s or Fastify\'s own body', async () => {
    const cases: [string, string, number, string][] = [
      ['not HTTP', 'HELLO THERE\r\n\r\n', 400, 'MALFORMED_REQUEST'],
      ['a broken header line', 'GET /v1/me HTTP/1.1\r\nHost x\r\n\r\n', 400, 'MALFORMED_REQUEST'],
      ['headers over 16 KiB', `GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
      ['a bad percent-encoding in the path', `GET /v1/users/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${E.key}\r\n\r\n`, 400, 'MALFORMED_URL'],
    ];
    for (const [name, bytes, status, code] of cases) {
      const res = await raw(bytes);
      assertProblem(res.status, res.contentType, res.body, name);
      expect([name, res.status, (res.body as { code: string }).code]).toEqual([name, status, code]);
    }
  });
});

describe('malformed input never breaks the server', () => {
  type Case = { name: string; key?: 'tenant' | 'admin' | 'none'; method: string; path: string; body?: unknown; headers?: Record<string, string>; status: number; code: string };

  it('S1-5.1.5: none of ~45 malformed requests across every route is a 5xx, each has its exact code, and nothing changed', async () => {
    const adminUser = E.adminUserId;
    const missing = randomUUID();
    const nested = JSON.parse('['.repeat(500) + ']'.repeat(500));
    const cases: Case[] = [
      { name: 'truncated JSON', method: 'POST', path: '/v1/users', body: '{"username": "x",', status: 400, code: 'MALFORMED_JSON' },
      { name: 'empty JSON body', method: 'POST', path: '/v1/users', body: '', headers: { 'content-type': 'application/json' }, status: 400, code: 'MALFORMED_JSON' },
      { name: 'JSON null', method: 'POST', path: '/v1/users', body: 'null', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'JSON array', method: 'POST', path: '/v1/users', body: '[]', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'JSON string', method: 'POST', path: '/v1/users', body: '"just a string"', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'text/plain body', method: 'POST', path: '/v1/users', body: 'hello', headers: { 'content-type': 'text/plain' }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'XML body', method: 'POST', path: '/v1/users', body: '<user/>', headers: { 'content-type': 'application/xml' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { name: 'body over limit', method: 'POST', path: '/v1/users', body: { username: 'big', displayName: 'x'.repeat(4000) }, status: 413, code: 'BODY_TOO_LARGE' },
      { name: '__proto__ pollution', method: 'POST', path: '/v1/users', body: '{"username":"proto","displayName":"p","__proto__":{"platformAdmin":true}}', status: 400, code: 'MALFORMED_JSON' },
      { name: 'constructor pollution', method: 'POST', path: '/v1/users', body: '{"username":"ctor","displayName":"c","constructor":{"prototype":{"x":1}}}', status: 400, code: 'MALFORMED_JSON' },
      { name: 'object as username', method: 'POST', path: '/v1/users', body: { username: { $ne: null }, displayName: 'x' }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'SQL in username', method: 'POST', path: '/v1/users', body: { username: "x'; DROP TABLE users;--", displayName: 'x' }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'NUL in displayName', method: 'POST', path: '/v1/users', body: { username: 'nul-user', displayName: 'a\u0000b' }, status: 400, code: 'INVALID_VALUE' },
      { name: 'displayName too long', method: 'POST', path: '/v1/users', body: { username: 'long', displayName: 'x'.repeat(201) }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'mass assignment', method: 'POST', path: '/v1/users', body: { username: 'mass', displayName: 'x', platformAdmin: true }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'unknown role', method: 'POST', path: '/v1/users', body: { username: 'role-x', displayName: 'x', roles: ['superuser'] }, status: 422, code: 'UNKNOWN_ROLE' },
      { name: 'username taken', method: 'POST', path: '/v1/users', body: { username: 'admin', displayName: 'x' }, status: 409, code: 'USERNAME_TAKEN' },
      { name: '500-deep nesting', method: 'POST', path: '/v1/users', body: { username: 'deep', displayName: nested }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'bad idempotency key', method: 'POST', path: '/v1/users', body: { username: 'idem-bad', displayName: 'x' }, headers: { 'idempotency-key': 'not valid' }, status: 400, code: 'IDEMPOTENCY_KEY_INVALID' },
      { name: 'path id not a uuid', method: 'GET', path: '/v1/users/not-a-uuid', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'encoded traversal as id', method: 'GET', path: '/v1/users/..%2f..%2fetc%2fpasswd', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'unknown user id', method: 'GET', path: `/v1/users/${missing}`, status: 404, code: 'RESOURCE_NOT_FOUND' },
      { name: 'limit 0', method: 'GET', path: '/v1/users?limit=0', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'limit not a number', method: 'GET', path: '/v1/users?limit=abc', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'limit twice', method: 'GET', path: '/v1/users?limit=1&limit=2', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'garbage cursor', method: 'GET', path: '/v1/users?cursor=%%%', status: 400, code: 'INVALID_CURSOR' },
      { name: 'cursor of wrong values', method: 'GET', path: `/v1/users?cursor=${b64(['x', 'y'])}`, status: 400, code: 'INVALID_CURSOR' },
      { name: 'audit cursor not a number', method: 'GET', path: `/v1/audit?cursor=${b64(['x'])}`, status: 400, code: 'INVALID_CURSOR' },
      { name: 'NUL in audit filter', method: 'GET', path: '/v1/audit?action=%00', status: 400, code: 'INVALID_VALUE' },
      { name: 'audit since not a time', method: 'GET', path: '/v1/audit?since=yesterday', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'audit outcome unknown', method: 'GET', path: '/v1/audit?outcome=maybe', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'PATCH without version', method: 'PATCH', path: `/v1/users/${adminUser}`, body: { displayName: 'x' }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'PATCH version 1e20', method: 'PATCH', path: `/v1/users/${adminUser}`, body: { version: 1e20, displayName: 'x' }, status: 400, code: 'INVALID_VALUE' },
      { name: 'PATCH version 2^31', method: 'PATCH', path: `/v1/users/${adminUser}`, body: { version: 2 ** 31, displayName: 'x' }, status: 400, code: 'INVALID_VALUE' },
      { name: 'PATCH stale version', method: 'PATCH', path: `/v1/users/${adminUser}`, body: { version: 99, displayName: 'x' }, status: 409, code: 'VERSION_CONFLICT' },
      { name: 'PATCH unknown user', method: 'PATCH', path: `/v1/users/${missing}`, body: { version: 1 }, status: 404, code: 'RESOURCE_NOT_FOUND' },
      { name: 'PATCH bad status', method: 'PATCH', path: `/v1/users/${adminUser}`, body: { version: 1, status: 'deleted' }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'key without scopes', method: 'POST', path: '/v1/api-keys', body: { name: 'k', permissions: [] }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'key scope malformed', method: 'POST', path: '/v1/api-keys', body: { name: 'k', permissions: ['ROOT'] }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'key expired already', method: 'POST', path: '/v1/api-keys', body: { name: 'k', expiresAt: '2000-01-01T00:00:00Z' }, status: 422, code: 'API_KEY_REFUSED' },
      { name: 'key expiry past 9999', method: 'POST', path: '/v1/api-keys', body: { name: 'k', expiresAt: '9999-12-31T23:59:59-01:00' }, status: 422, code: 'API_KEY_REFUSED' },
      { name: 'key expiry Feb 30', method: 'POST', path: '/v1/api-keys', body: { name: 'k', expiresAt: '2031-02-30T00:00:00Z' }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'revoke bad id', method: 'POST', path: '/v1/api-keys/nope/revoke', status: 400, code: 'VALIDATION_FAILED' },
      { name: 'revoke unknown key', method: 'POST', path: `/v1/api-keys/${missing}/revoke`, status: 404, code: 'RESOURCE_NOT_FOUND' },
      { name: 'tenant slug upper-case', key: 'admin', method: 'POST', path: '/v1/tenants', body: { slug: 'UPPER', name: 'x' }, status: 400, code: 'VALIDATION_FAILED' },
      { name: 'tenant unknown plan', key: 'admin', method: 'POST', path: '/v1/tenants', body: { slug: 'gold-tenant', name: 'x', plan: 'gold' }, status: 422, code: 'UNKNOWN_PLAN' },
      { name: 'tenant slug taken', key: 'admin', method: 'POST', path: '/v1/tenants', body: { slug: 'default', name: 'x' }, status: 409, code: 'TENANT_SLUG_TAKEN' },
      { name: 'tenant PATCH version 1e20', key: 'admin', method: 'PATCH', path: `/v1/tenants/${E.id}`, body: { version: 1e20, plan: 'basic' }, status: 400, code: 'INVALID_VALUE' },
      { name: 'tenant PATCH unknown plan', key: 'admin', method: 'PATCH', path: `/v1/tenants/${E.id}`, body: { version: 1, plan: 'gold' }, status: 422, code: 'UNKNOWN_PLAN' },
      { name: 'tenant PATCH stale', key: 'admin', method: 'PATCH', path: `/v1/tenants/${E.id}`, body: { version: 42, plan: 'basic' }, status: 409, code: 'VERSION_CONFLICT' },
      { name: 'login with NUL', key: 'none', method: 'POST', path: '/v1/auth/login', body: { tenant: 'errs\u0000', username: 'admin', password: 'x' }, status: 400, code: 'INVALID_VALUE' },
      { name: 'login empty', key: 'none', method: 'POST', path: '/v1/auth/login', body: {}, status: 400, code: 'VALIDATION_FAILED' },
    ];
    expect(cases.length).toBeGreaterThanOrEqual(30);

    const snapshot = async () => ({
      users: (await listAll(t, E.key, '/v1/users')).map((u) => `${u.id}@${u.version}`).sort(),
      keys: (await listAll(t, E.key, '/v1/api-keys')).map((k) => `${k.id}:${k.revokedAt}`).sort(),
      tenants: (await listAll(t, t.adminKey, '/v1/tenants')).map((x) => `${x.slug}@${x.version}:${x.plan}`).sort(),
      defaultUsers: (await listAll(t, t.adminKey, '/v1/users')).length,
      successAudit: (await listAll(t, E.key, '/v1/audit?outcome=success')).length,
      adminSuccessAudit: (await listAll(t, t.adminKey, '/v1/audit?outcome=success')).length,
    });

    const before = await snapshot();
    const auditBefore = (await listAll(t, E.key, '/v1/audit')).length;
    const outcomes: string[] = [];
    for (const c of cases) {
      const key = c.key === 'admin' ? t.adminKey : c.key === 'none' ? undefined : E.key;
      const res = await call(t.url, key, c.method, c.path, c.body, c.headers);
      outcomes.push(`${c.name}: ${res.status} ${res.body?.code}`);
      expect(res.status, c.name).toBeLessThan(500);
      expectProblem(res, c.status, c.code);
    }
    expect(outcomes.filter((o) => / 5\d\d /.test(o))).toEqual([]);
    expect(await snapshot()).toEqual(before);

    // Each refused state change by tenant E was audited as rejected, with its code, in order; reads were not.
    const added = (await listAll(t, E.key, '/v1/audit')).slice(auditBefore);
    const tenantStateChanges = cases.filter((c) => (c.key ?? 'tenant') === 'tenant' && c.method !== 'GET');
    expect(added.map((r) => `${r.outcome} ${r.statusCode} ${r.details.code}`)).toEqual(tenantStateChanges.map((c) => `rejected ${c.status} ${c.code}`));
    expect(added.every((r) => r.actorId === `admin/key:${keyIdOf(E.key)}`)).toBe(true);
  });
});
