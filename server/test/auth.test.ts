/**
 * Authentication and authorisation (S1-5.3.2-a): every way a credential can be missing, malformed,
 * wrong, expired, revoked or disabled answers 401 with its own code; a valid credential is held to
 * its permissions (403) and cannot mint more than it holds.
 */
import { randomBytes } from 'node:crypto';
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
    expect(me.body.permissions.sort()).toEqual(['apikeys:read', 'audit:read', 'diagnostics:read', 'events:read', 'inventory:read', 'masterdata:read', 'purchasing:read', 'roles:read', 'sales:read', 'settings:read', 'users:read']);
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
