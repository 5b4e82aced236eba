/**
 * Authentication and authorisation (S1-5.3.2-a): every way a credential can be missing, malformed,
 * wrong, expired, revoked or disabled answers 401 with its own code; a valid credential is held to
 * its permissions (403) and cannot mint more than it holds.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { sleep, uuidHex } from './util.js';

let t: TestServer;
let T: Awaited<ReturnType<typeof createTenant>>;
const as = (key: string | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  call(t.url, key, method, path, body, headers);

beforeAll(async () => {
  t = await startTestServer();
  T = await createTenant(t, 'authn');
});

afterAll(async () => {
  await t?.stop();
});

function expect401(res: { status: number; body: any; headers: Headers }, code: string) {
  expect(res.status).toBe(401);
  expect(res.body.code).toBe(code);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="mes"');
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

async function newKey(body: Record<string, unknown>, key = T.key) {
  const res = await as(key, 'POST', '/v1/api-keys', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { key: string; apiKey: { id: string; permissions: string[] } };
}

describe('credentials', () => {
  it('S1-5.3.2-a: no Authorization header is 401 AUTH_MISSING with WWW-Authenticate', async () => {
    expect401(await as(undefined, 'GET', '/v1/users'), 'AUTH_MISSING');
    expect401(await as(undefined, 'POST', '/v1/users', { username: 'x', displayName: 'x' }), 'AUTH_MISSING');
  });

  it('S1-5.3.2-a: a non-Bearer scheme is 401 AUTH_MALFORMED', async () => {
    expect401(await as(undefined, 'GET', '/v1/users', undefined, { authorization: 'Basic x' }), 'AUTH_MALFORMED');
    expect401(await as(undefined, 'GET', '/v1/users', undefined, { authorization: 'Bearer' }), 'AUTH_MALFORMED');
  });

  it('S1-5.3.2-a: a mes_ token that is not a key is 401 AUTH_MALFORMED', async () => {
    expect401(await as('mes_garbage', 'GET', '/v1/users'), 'AUTH_MALFORMED');
  });

  it('S1-5.3.2-a: a well-formed key nobody issued is 401 AUTH_INVALID', async () => {
    const unknown = `mes_${randomBytes(16).toString('hex')}_${randomBytes(16).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    expect401(await as(unknown, 'GET', '/v1/users'), 'AUTH_INVALID');
    // An unknown key id inside a real tenant.
    const inTenant = `mes_${uuidHex(T.id)}_${randomBytes(16).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    expect401(await as(inTenant, 'GET', '/v1/users'), 'AUTH_INVALID');
  });

  it('S1-5.3.2-a: a real key id with the wrong secret is 401 AUTH_INVALID, before and after the key is cached', async () => {
    const wrong = `${T.key.slice(0, T.key.length - 43)}${randomBytes(32).toString('base64url')}`;
    expect(wrong).not.toBe(T.key);
    expect401(await as(wrong, 'GET', '/v1/users'), 'AUTH_INVALID');
    expect((await as(T.key, 'GET', '/v1/users')).status).toBe(200); // now cached
    expect401(await as(wrong, 'GET', '/v1/users'), 'AUTH_INVALID');
  });

  it('S1-5.3.2-a: a bearer token that is not a signed login token is 401 AUTH_INVALID', async () => {
    expect401(await as('not.a.jwt', 'GET', '/v1/me'), 'AUTH_INVALID');
  });

  it('S1-5.3.2-a: a key past its expiresAt is 401 AUTH_EXPIRED even while cached', async () => {
    const expiresAt = new Date(Date.now() + 2000);
    const { key } = await newKey({ name: 'short-lived', permissions: ['users:read'], expiresAt: expiresAt.toISOString() });
    expect((await as(key, 'GET', '/v1/users')).status).toBe(200); // loads it into the key cache
    await sleep(Math.max(0, expiresAt.getTime() - Date.now()) + 100);
    expect401(await as(key, 'GET', '/v1/users'), 'AUTH_EXPIRED');
  });

  it('S1-5.3.2-a: a revoked key is 401 AUTH_REVOKED at once, even though it was cached', async () => {
    const { key, apiKey } = await newKey({ name: 'to-revoke', permissions: ['users:read'] });
    expect((await as(key, 'GET', '/v1/users')).status).toBe(200);
    const revoked = await as(T.key, 'POST', `/v1/api-keys/${apiKey.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect401(await as(key, 'GET', '/v1/users'), 'AUTH_REVOKED');
  });

  it("S1-5.3.2-a: a disabled user's key is 401 AUTH_DISABLED at once", async () => {
    const user = await as(T.key, 'POST', '/v1/users', { username: 'soon-disabled', displayName: 'Soon disabled', roles: ['admin'] });
    expect(user.status).toBe(201);
    const { key } = await newKey({ name: 'their-key', userId: user.body.id, permissions: ['users:read'] });
    expect((await as(key, 'GET', '/v1/users')).status).toBe(200);
    const patched = await as(T.key, 'PATCH', `/v1/users/${user.body.id}`, { version: user.body.version, status: 'disabled' });
    expect(patched.status).toBe(200);
    expect401(await as(key, 'GET', '/v1/users'), 'AUTH_DISABLED');
  });

  it("S1-5.3.2-a: a suspended tenant's keys are 401 AUTH_DISABLED and its users cannot log in", async () => {
    const S = await createTenant(t, 'authn-suspended');
    await as(S.key, 'POST', '/v1/users', { username: 'sam', displayName: 'Sam', password: 'correct horse battery', roles: ['viewer'] });
    expect((await as(S.key, 'GET', '/v1/me')).status).toBe(200);
    const patched = await t.call('PATCH', `/v1/tenants/${S.id}`, { version: 1, status: 'suspended' });
    expect(patched.status).toBe(200);
    expect401(await as(S.key, 'GET', '/v1/me'), 'AUTH_DISABLED');
    expect401(await as(undefined, 'POST', '/v1/auth/login', { tenant: 'authn-suspended', username: 'sam', password: 'correct horse battery' }), 'AUTH_INVALID');
  });
});

describe('permissions', () => {
  it('S1-5.3.2-a: a read-only key can list users but POST /v1/users is 403 PERMISSION_DENIED naming the permission', async () => {
    const { key } = await newKey({ name: 'read-only', permissions: ['users:read'] });
    expect((await as(key, 'GET', '/v1/users')).status).toBe(200);
    const denied = await as(key, 'POST', '/v1/users', { username: 'not-created', displayName: 'No' });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'users:write' });
    const keys = await as(key, 'GET', '/v1/api-keys');
    expect(keys.status).toBe(403);
    expect(keys.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'apikeys:read' });
    const users = await as(T.key, 'GET', '/v1/users');
    expect(users.body.items.map((u: any) => u.username)).not.toContain('not-created');
  });

  it('S1-5.3.2-a: a key cannot be issued with a scope its caller lacks (422 API_KEY_REFUSED, EXCEEDS_CALLER)', async () => {
    const { key } = await newKey({ name: 'key-maker', permissions: ['users:read', 'apikeys:write'] });
    const res = await as(key, 'POST', '/v1/api-keys', { name: 'wider', permissions: ['users:write'] });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('API_KEY_REFUSED');
    expect(res.body.errors).toEqual([{ in: 'body', field: 'permissions[0]', code: 'EXCEEDS_CALLER', message: expect.any(String) }]);
    // Every offending scope is listed, with its index; an unknown one says so.
    const many = await as(key, 'POST', '/v1/api-keys', { name: 'wider', permissions: ['users:read', '*', 'foo:bar'] });
    expect(many.status).toBe(422);
    expect(many.body.errors.map((e: any) => [e.field, e.code])).toEqual([
      ['permissions[1]', 'EXCEEDS_CALLER'],
      ['permissions[2]', 'UNKNOWN_PERMISSION'],
    ]);
    // Within its own scopes it may issue.
    expect((await as(key, 'POST', '/v1/api-keys', { name: 'narrower', permissions: ['users:read'] })).status).toBe(201);
  });

  it("S1-5.3.2-a: a key never does more than its user's roles, whatever its scopes", async () => {
    const viewer = await as(T.key, 'POST', '/v1/users', { username: 'viewer-with-star', displayName: 'V', roles: ['viewer'] });
    const { key } = await newKey({ name: 'star-for-viewer', userId: viewer.body.id, permissions: ['*'] });
    expect((await as(key, 'GET', '/v1/users')).status).toBe(200);
    const res = await as(key, 'POST', '/v1/users', { username: 'via-viewer', displayName: 'No' });
    expect(res.status).toBe(403);
    expect(res.body.permission).toBe('users:write');
  });
});

describe('login tokens', () => {
  const password = 'correct horse battery staple';

  it('S1-5.3.2-a: a user logs in with a password and the token authenticates as that user', async () => {
    const user = await as(T.key, 'POST', '/v1/users', { username: 'vera', displayName: 'Vera Viewer', password, roles: ['viewer'] });
    expect(user.status).toBe(201);
    const login = await as(undefined, 'POST', '/v1/auth/login', { tenant: 'authn', username: 'vera', password });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ token: expect.any(String), tokenType: 'Bearer', expiresAt: expect.any(String) });
    const me = await as(login.body.token, 'GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ via: 'token', keyId: null, keyScopes: null, tenant: { id: T.id, slug: 'authn' }, user: { id: user.body.id, username: 'vera', platformAdmin: false } });
    expect(me.body.permissions.sort()).toEqual(['apikeys:read', 'audit:read', 'cutovers:read', 'diagnostics:read', 'equipment:read', 'events:read', 'imports:read', 'inventory:read', 'masterdata:read', 'production:read', 'purchasing:read', 'quality:read', 'roles:read', 'sales:read', 'settings:read', 'users:read']);
    // A viewer's token reads but does not write.
    expect((await as(login.body.token, 'GET', '/v1/users')).status).toBe(200);
    const write = await as(login.body.token, 'POST', '/v1/users', { username: 'by-token', displayName: 'No' });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('PERMISSION_DENIED');
  });

  it('S1-5.3.2-a: a wrong password, unknown user or unknown tenant is 401 AUTH_INVALID alike', async () => {
    for (const body of [
      { tenant: 'authn', username: 'vera', password: 'wrong password!' },
      { tenant: 'authn', username: 'nobody', password },
      { tenant: 'no-such-tenant', username: 'vera', password },
    ]) {
      const res = await as(undefined, 'POST', '/v1/auth/login', body);
      expect401(res, 'AUTH_INVALID');
      expect(res.body.detail).toBe('tenant, username or password is wrong');
    }
  });

  it('S1-5.3.2-a: a token whose payload was altered is 401 AUTH_INVALID', async () => {
    const login = await as(undefined, 'POST', '/v1/auth/login', { tenant: 'authn', username: 'vera', password });
    const [header, payload, signature] = login.body.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.perms = ['*'];
    claims.pa = true;
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    expect401(await as(forged, 'GET', '/v1/me'), 'AUTH_INVALID');
  });

  it("S1-5.3.2-a: a disabled user cannot log in", async () => {
    const user = await as(T.key, 'POST', '/v1/users', { username: 'dora', displayName: 'Dora', password, roles: ['viewer'] });
    expect((await as(undefined, 'POST', '/v1/auth/login', { tenant: 'authn', username: 'dora', password })).status).toBe(200);
    await as(T.key, 'PATCH', `/v1/users/${user.body.id}`, { version: 1, status: 'disabled' });
    expect401(await as(undefined, 'POST', '/v1/auth/login', { tenant: 'authn', username: 'dora', password }), 'AUTH_INVALID');
  });

  it('S1-5.3.2-a: a login token is re-checked like a key: disabling its user refuses it with 401 AUTH_DISABLED at once', async () => {
    const user = await as(T.key, 'POST', '/v1/users', { username: 'tokened', displayName: 'Tokened', password, roles: ['admin'] });
    const login = await as(undefined, 'POST', '/v1/auth/login', { tenant: 'authn', username: 'tokened', password });
    expect((await as(login.body.token, 'GET', '/v1/users')).status).toBe(200);
    expect((await as(T.key, 'PATCH', `/v1/users/${user.body.id}`, { version: user.body.version, status: 'disabled' })).status).toBe(200);
    expect401(await as(login.body.token, 'GET', '/v1/users'), 'AUTH_DISABLED');
    expect401(await as(login.body.token, 'POST', '/v1/api-keys', { name: 'escape' }), 'AUTH_DISABLED');
  });

  it('S1-5.3.2-a: a demoted admin\'s earlier token loses the admin\'s permissions at once: no more writes, no more keys', async () => {
    const user = await as(T.key, 'POST', '/v1/users', { username: 'demoted', displayName: 'Demoted', password, roles: ['admin'] });
    const login = await as(undefined, 'POST', '/v1/auth/login', { tenant: 'authn', username: 'demoted', password });
    expect((await as(login.body.token, 'POST', '/v1/users', { username: 'made-by-admin', displayName: 'x' })).status).toBe(201);
    expect((await as(T.key, 'PATCH', `/v1/users/${user.body.id}`, { version: user.body.version, roles: ['viewer'] })).status).toBe(200);
    const write = await as(login.body.token, 'POST', '/v1/users', { username: 'made-after-demotion', displayName: 'x' });
    expect([write.status, write.body.code, write.body.permission]).toEqual([403, 'PERMISSION_DENIED', 'users:write']);
    const key = await as(login.body.token, 'POST', '/v1/api-keys', { name: 'keep-admin', permissions: ['users:write'] });
    expect([key.status, key.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await as(login.body.token, 'GET', '/v1/me')).body.permissions).not.toContain('users:write');
  });

  it("S1-5.3.2-a: a suspended tenant's login tokens are refused with 401 AUTH_DISABLED", async () => {
    const S = await createTenant(t, 'authn-token-suspended');
    await as(S.key, 'POST', '/v1/users', { username: 'sue', displayName: 'Sue', password, roles: ['admin'] });
    const login = await as(undefined, 'POST', '/v1/auth/login', { tenant: 'authn-token-suspended', username: 'sue', password });
    expect((await as(login.body.token, 'GET', '/v1/me')).status).toBe(200);
    expect((await t.call('PATCH', `/v1/tenants/${S.id}`, { version: 1, status: 'suspended' })).status).toBe(200);
    expect401(await as(login.body.token, 'GET', '/v1/me'), 'AUTH_DISABLED');
    expect401(await as(login.body.token, 'POST', '/v1/api-keys', { name: 'escape' }), 'AUTH_DISABLED');
  });

  it('S1-5.3.2-a: a token from a server with tokenTtlSeconds 1 expires (401 AUTH_EXPIRED)', async () => {
    const short = await startTestServer({ tokenTtlSeconds: 1 });
    try {
      const S = await createTenant(short, 'short-tokens');
      await call(short.url, S.key, 'POST', '/v1/users', { username: 'tim', displayName: 'Tim', password, roles: ['viewer'] });
      const login = await call(short.url, undefined, 'POST', '/v1/auth/login', { tenant: 'short-tokens', username: 'tim', password });
      expect(login.status).toBe(200);
      const expiresAt = Date.parse(login.body.expiresAt);
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(1000);
      await sleep(Math.max(0, expiresAt - Date.now()) + 1100);
      const res = await call(short.url, login.body.token, 'GET', '/v1/me');
      expect401(res, 'AUTH_EXPIRED');
    } finally {
      await short.stop();
    }
  });
});

/** A login sent from another loopback address, so that per-source limits see a client of its own. */
function loginFrom(source: string, body: unknown): Promise<{ status: number; body: any; retryAfter: string | undefined }> {
  const { hostname, port } = new URL(t.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: 'POST', path: '/v1/auth/login', localAddress: source, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), retryAfter: res.headers['retry-after'] as string | undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function passwordChecks(): Promise<number> {
  const metrics = await (await fetch(`${t.url}/metrics`)).text();
  return Number(/^mes_login_password_checks_total (\d+)/m.exec(metrics)?.[1] ?? NaN);
}

describe('login throttling', () => {
  const password = 'correct horse battery staple';

  it('S1-5.3.2-a: after 5 wrong passwords for one user, further attempts (the right password too) are 429 LOGIN_RATE_LIMITED with Retry-After and no password check; each failure is audited without the password', async () => {
    await as(T.key, 'POST', '/v1/users', { username: 'guessed', displayName: 'Guessed', password, roles: ['viewer'] });
    const checks = await passwordChecks();
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await loginFrom('127.0.0.3', { tenant: 'authn', username: 'guessed', password: `wrong guess ${i}` }));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(answers[5].body).toMatchObject({ status: 429, code: 'LOGIN_RATE_LIMITED' });
    expect(Number(answers[5].retryAfter)).toBeGreaterThanOrEqual(1);
    const right = await loginFrom('127.0.0.4', { tenant: 'authn', username: 'guessed', password });
    expect([right.status, right.body.code]).toEqual([429, 'LOGIN_RATE_LIMITED']);
    expect(await passwordChecks()).toBe(checks + 5);

    const audit = (await as(T.key, 'GET', '/v1/audit?action=login&outcome=rejected&limit=500')).body.items.filter((r: any) => r.details.username === 'guessed');
    expect(audit).toHaveLength(5);
    expect(audit[0]).toMatchObject({ actorType: 'anonymous', actorId: 'guessed', statusCode: 401, details: { username: 'guessed', reason: 'WRONG_PASSWORD', source: '127.0.0.3' } });
    expect(JSON.stringify(audit)).not.toContain('wrong guess');
  });

  it('S1-5.3.2-a: a flood of 100 logins from one source is cut to its burst of 10 password checks (the rest 429 LOGIN_RATE_LIMITED), while another source logs in at once', async () => {
    await as(T.key, 'POST', '/v1/users', { username: 'bystander', displayName: 'Bystander', password, roles: ['viewer'] });
    const checks = await passwordChecks();
    const started = Date.now();
    const flood = await Promise.all(Array.from({ length: 100 }, (_, i) => loginFrom('127.0.0.5', { tenant: 'authn', username: `flood-${i}`, password: 'not the password' })));
    const refused = flood.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(80);
    expect(refused.every((a) => a.body.code === 'LOGIN_RATE_LIMITED')).toBe(true);
    expect(flood.filter((a) => a.status === 401).length).toBe(100 - refused.length);
    // 10 at once, plus what the bucket refilled (1 per second) while the flood lasted.
    expect(await passwordChecks()).toBeLessThanOrEqual(checks + 10 + Math.ceil((Date.now() - started) / 1000));
    const other = await loginFrom('127.0.0.6', { tenant: 'authn', username: 'bystander', password });
    expect(other.status).toBe(200);
  });
});
