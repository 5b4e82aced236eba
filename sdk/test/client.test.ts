/**
 * Every namespace method against a real server over real HTTP (in-memory PGlite, or PostgreSQL
 * when MES_TEST_DATABASE_URL is set). Nothing of ours is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestServer, type TestServer } from './support/server.js';
import { MesClient, MesError, type User } from '../src/index.js';

let t: TestServer;
let admin: MesClient;
let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++seq}`;
const clientWith = (apiKey?: string, extra: Partial<ConstructorParameters<typeof MesClient>[0]> = {}) => new MesClient({ baseUrl: t.url, apiKey, ...extra });

/** Awaits a call that must fail and returns its MesError. */
async function failure(p: Promise<unknown>): Promise<MesError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof MesError)) throw new Error(`expected a MesError, got ${err === undefined ? 'success' : String(err)}`);
  return err;
}

beforeAll(async () => {
  t = await startTestServer();
  admin = clientWith(t.adminKey);
});
afterAll(async () => {
  await t?.stop();
});

describe('health and reference data', () => {
  it('S1-5.3.5-a health.live() and health.ready() report the running server', async () => {
    const anonymous = clientWith();
    expect(await anonymous.health.live()).toMatchObject({ status: 'ok', version: '0.1.0' });
    const ready = await anonymous.health.ready();
    expect(ready).toMatchObject({ status: 'ready', version: '0.1.0' });
    expect(ready.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('S1-5.3.5-a plans.list() returns the four plans with their limits', async () => {
    const { items } = await admin.plans.list();
    expect(items.map((p) => p.code).sort()).toEqual(['basic', 'premium', 'standard', 'unlimited']);
    expect(items.find((p) => p.code === 'basic')).toEqual({ code: 'basic', name: 'Basic', requestsPerSecond: 20, burst: 40, maxConcurrent: 4 });
    expect(items.find((p) => p.code === 'unlimited')).toMatchObject({ requestsPerSecond: null, burst: null, maxConcurrent: null });
  });

  it('S1-5.3.5-a roles.list() returns the built-in admin and viewer roles', async () => {
    const { items } = await admin.roles.list();
    expect(items.map((r) => r.name).sort()).toEqual(['admin', 'viewer']);
    expect(items.find((r) => r.name === 'admin')).toMatchObject({ builtin: true, permissions: ['*'] });
    expect(items.find((r) => r.name === 'viewer')?.permissions).toContain('users:read');
  });

  it('S1-5.3.5-a diagnostics.get() returns host, runtime and database checks', async () => {
    const d = await admin.diagnostics.get();
    expect(['ok', 'warn', 'fail']).toContain(d.status);
    expect(Date.parse(d.checkedAt)).not.toBeNaN();
    expect(new Set(d.checks.map((c) => c.component))).toEqual(new Set(['host', 'runtime', 'database']));
  });

  it('S1-5.3.5-a me.get() names the platform admin behind the bootstrap key', async () => {
    const me = await admin.me.get();
    expect(me).toMatchObject({ tenant: { slug: 'default', plan: 'standard' }, user: { username: 'admin', platformAdmin: true }, via: 'api_key' });
    expect(me.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(me.permissions).toContain('tenants:write');
  });
});

describe('raw requests', () => {
  it('S1-5.3.5-a request() reaches a route by method and path with the same auth and errors as typed calls', async () => {
    const me = await admin.me.get();
    expect(await admin.request('GET', '/v1/me')).toEqual(me);
    const err = await failure(admin.request('POST', '/v1/no-such-route', { body: { a: 1 } }));
    expect(err.status).toBe(404);
    expect((await failure(clientWith().request('GET', '/v1/me'))).status).toBe(401);
  });
});

describe('tenants', () => {
  it('S1-5.3.5-a create, get, update, list and iterate a tenant', async () => {
    const slug = unique('acme');
    const created = await admin.tenants.create({ slug, name: 'Acme Works', plan: 'basic', admin: { username: 'boss' } });
    expect(created.tenant).toMatchObject({ slug, name: 'Acme Works', plan: 'basic', status: 'active', version: 1 });
    expect(created.admin).toMatchObject({ username: 'boss', status: 'active', roles: ['admin'] });
    expect(created.apiKey.key).toMatch(/^mes_/);
    expect(created.apiKey.apiKey.userId).toBe(created.admin.id);

    expect(await admin.tenants.get(created.tenant.id)).toEqual(created.tenant);

    const updated = await admin.tenants.update(created.tenant.id, { version: 1, name: 'Acme Industries', plan: 'premium' });
    expect(updated).toMatchObject({ id: created.tenant.id, name: 'Acme Industries', plan: 'premium', version: 2 });

    const page = await admin.tenants.list({ limit: 500 });
    expect(page.items.find((x) => x.id === created.tenant.id)).toEqual(updated);
    const all = [];
    for await (const tenant of admin.tenants.iterate()) all.push(tenant);
    expect(all).toEqual(page.items);
    expect(all.map((x) => x.slug)).toContain(slug);
  });
});

describe('users', () => {
  it('S1-5.3.5-a create, get, update, list and iterate users', async () => {
    const username = unique('ada');
    const user = await admin.users.create({ username, displayName: 'Ada', email: 'ada@example.com', roles: ['viewer'] });
    expect(user).toMatchObject({ username, displayName: 'Ada', email: 'ada@example.com', roles: ['viewer'], status: 'active', version: 1, platformAdmin: false });
    expect(await admin.users.get(user.id)).toEqual(user);

    const updated = await admin.users.update(user.id, { version: 1, displayName: 'Ada L.', status: 'disabled', roles: [] });
    expect(updated).toMatchObject({ id: user.id, displayName: 'Ada L.', status: 'disabled', roles: [], version: 2 });

    const page = await admin.users.list({ limit: 500 });
    expect(page.nextCursor).toBeNull();
    expect(page.items.find((u) => u.id === user.id)).toEqual(updated);
    const iterated: User[] = [];
    for await (const u of admin.users.iterate()) iterated.push(u);
    expect(iterated).toEqual(page.items);
  });

  it('S1-5.3.5-a users.create() without roles gets none (the server fills in the default)', async () => {
    const user = await admin.users.create({ username: unique('norole'), displayName: 'No Role' });
    expect(user.roles).toEqual([]);
  });
});

describe('API keys and login', () => {
  it('S1-5.3.5-a create, get, list, iterate and revoke an API key; the revoked key stops working', async () => {
    const tenant = await createTenant(t, unique('keys'));
    const client = clientWith(tenant.key);
    const created = await client.apiKeys.create({ name: 'ci', permissions: ['users:read'] });
    expect(created.apiKey).toMatchObject({ name: 'ci', permissions: ['users:read'], revokedAt: null, expiresAt: null, userId: tenant.adminUserId });
    expect(await client.apiKeys.get(created.apiKey.id)).toEqual(created.apiKey);

    const scoped = clientWith(created.key);
    expect((await scoped.me.get()).keyScopes).toEqual(['users:read']);

    const page = await client.apiKeys.list();
    expect(page.items.map((k) => k.id)).toContain(created.apiKey.id);
    const ids = [];
    for await (const k of client.apiKeys.iterate()) ids.push(k.id);
    expect(ids).toEqual(page.items.map((k) => k.id));
    expect(ids).toHaveLength(2); // the tenant admin's key and this one

    const revoked = await client.apiKeys.revoke(created.apiKey.id);
    expect(revoked.id).toBe(created.apiKey.id);
    expect(Date.parse(revoked.revokedAt ?? '')).not.toBeNaN();
    const err = await failure(scoped.me.get());
    expect({ status: err.status, code: err.code }).toEqual({ status: 401, code: 'AUTH_REVOKED' });
  });

  it('S1-5.3.5-a auth.login() returns a token that works for me.get()', async () => {
    const slug = unique('login');
    await admin.tenants.create({ slug, name: 'Login Co', admin: { username: 'grace', password: 'correct horse battery' } });
    const token = await clientWith().auth.login({ tenant: slug, username: 'grace', password: 'correct horse battery' });
    expect(token.tokenType).toBe('Bearer');
    expect(Date.parse(token.expiresAt)).toBeGreaterThan(Date.now());

    const me = await new MesClient({ baseUrl: t.url, token: token.token }).me.get();
    expect(me).toMatchObject({ tenant: { slug }, user: { username: 'grace', platformAdmin: false }, via: 'token', keyId: null, keyScopes: null });

    const wrong = await failure(clientWith().auth.login({ tenant: slug, username: 'grace', password: 'wrong password!' }));
    expect({ status: wrong.status, code: wrong.code }).toEqual({ status: 401, code: 'AUTH_INVALID' });
  });
});

describe('audit', () => {
  it('S1-5.3.5-a audit.list(), iterate() and verify() show the tenant trail and an intact chain', async () => {
    const tenant = await createTenant(t, unique('audit'));
    const client = clientWith(tenant.key);
    const user = await client.users.create({ username: 'audited', displayName: 'Audited' });
    await client.users.update(user.id, { version: 1, displayName: 'Audited twice' });

    const page = await client.audit.list({ action: 'createUser' });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ tenantId: tenant.id, action: 'createUser', resource: `user/${user.id}`, outcome: 'success', statusCode: 201, actorType: 'api_key' });

    const records = [];
    for await (const r of client.audit.iterate({ limit: 1 })) records.push(r);
    expect(records.map((r) => r.seq)).toEqual([...records.map((r) => r.seq)].sort((a, b) => a - b));
    expect(records.map((r) => r.action)).toEqual(expect.arrayContaining(['createUser', 'updateUser']));
    for (let i = 1; i < records.length; i++) expect(records[i].prevHash).toBe(records[i - 1].hash);

    const verdict = await client.audit.verify();
    expect(verdict).toMatchObject({ intact: true, checked: records.length, headSeq: records[records.length - 1].seq });
    expect(verdict.firstBad).toBeUndefined();
  });
});

describe('errors', () => {
  it('S1-8.2 a 400 becomes MesError VALIDATION_FAILED with every offending field, the trace id and the request id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const err = await failure(
      admin.users.create(
        // Deliberately wrong input, past the types, as a JavaScript caller could send it.
        { username: 'bad name!', displayName: '', email: 'not-an-email', bogus: true } as never,
        { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
      ),
    );
    expect(err).toBeInstanceOf(MesError);
    expect(err.name).toBe('MesError');
    expect({ status: err.status, code: err.code, traceId: err.traceId }).toEqual({ status: 400, code: 'VALIDATION_FAILED', traceId });
    expect(err.requestId).toMatch(/^[0-9a-f]{16}$/);
    expect(err.fields.map((f) => `${f.in}:${f.field}:${f.code}`).sort()).toEqual([
      'body:bogus:UNKNOWN_FIELD',
      'body:displayName:MIN_LENGTH',
      'body:email:INVALID_FORMAT',
      'body:username:PATTERN',
    ]);
    expect(err.problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/v1/users', traceId });
    expect(err.message).toContain('VALIDATION_FAILED');
    expect(err.retryAfterSeconds).toBeUndefined();
  });

  it('S1-8.2 a 401 becomes MesError with the AUTH_* code: missing, malformed, invalid', async () => {
    const missing = await failure(clientWith().me.get());
    expect({ status: missing.status, code: missing.code, fields: missing.fields }).toEqual({ status: 401, code: 'AUTH_MISSING', fields: [] });
    expect(missing.traceId).toMatch(/^[0-9a-f]{32}$/);
    const malformed = await failure(clientWith('mes_not_a_real_key').me.get());
    expect(malformed.code).toBe('AUTH_MALFORMED');
    const forged = t.adminKey.slice(0, -4) + (t.adminKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const invalid = await failure(clientWith(forged).me.get());
    expect({ status: invalid.status, code: invalid.code }).toEqual({ status: 401, code: 'AUTH_INVALID' });
  });

  it('S1-8.2 a 403 becomes MesError PERMISSION_DENIED naming the missing permission', async () => {
    const tenant = await createTenant(t, unique('noperm'));
    const err = await failure(clientWith(tenant.key).tenants.list());
    expect({ status: err.status, code: err.code }).toEqual({ status: 403, code: 'PERMISSION_DENIED' });
    expect(err.problem?.permission).toBe('tenants:read');
    expect(err.message).toContain('tenants:read');
  });

  it('S1-8.2 a 404 becomes MesError RESOURCE_NOT_FOUND', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const err = await failure(admin.users.get(id));
    expect({ status: err.status, code: err.code, instance: err.problem?.instance }).toEqual({ status: 404, code: 'RESOURCE_NOT_FOUND', instance: `/v1/users/${id}` });
    expect(err.message).toContain(id);
  });

  it('S1-8.2 a 409 becomes MesError: a taken username and a stale version', async () => {
    const username = unique('dup');
    const user = await admin.users.create({ username, displayName: 'Dup' });
    const taken = await failure(admin.users.create({ username, displayName: 'Dup again' }));
    expect({ status: taken.status, code: taken.code, fields: taken.fields }).toEqual({
      status: 409,
      code: 'USERNAME_TAKEN',
      fields: [{ in: 'body', field: 'username', code: 'TAKEN', message: 'is already in use' }],
    });
    await admin.users.update(user.id, { version: 1, displayName: 'first writer' });
    const stale = await failure(admin.users.update(user.id, { version: 1, displayName: 'second writer' }));
    expect({ status: stale.status, code: stale.code }).toEqual({ status: 409, code: 'VERSION_CONFLICT' });
    expect((await admin.users.get(user.id)).displayName).toBe('first writer');
  });

  it('S1-8.2 an empty id is refused before any request, instead of addressing the list route', async () => {
    await expect(admin.tenants.get('')).rejects.toThrow(TypeError);
  });
});

describe('idempotency', () => {
  it('S1-5.3.5-a the same idempotencyKey twice creates one user and replays the first response', async () => {
    const idempotencyKey = `create-${unique('key')}`;
    const body = { username: unique('once'), displayName: 'Once' };
    const first = await admin.users.create(body, { idempotencyKey });
    const again = await admin.users.create(body, { idempotencyKey });
    expect(again).toEqual(first);
    const matching = (await admin.users.list({ limit: 500 })).items.filter((u) => u.username === body.username);
    expect(matching).toHaveLength(1);
  });

  it('S1-8.2 the same idempotencyKey with a different body is MesError 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const idempotencyKey = `reuse-${unique('key')}`;
    await admin.users.create({ username: unique('first'), displayName: 'First' }, { idempotencyKey });
    const err = await failure(admin.users.create({ username: unique('second'), displayName: 'Second' }, { idempotencyKey }));
    expect({ status: err.status, code: err.code }).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(err.fields[0]).toMatchObject({ in: 'header', field: 'idempotency-key' });
  });
});

describe('tenant isolation', () => {
  it('S1-5.3.2-a a tenant key sees only its own users and API keys; another tenant\'s ids are not found', async () => {
    const a = await createTenant(t, unique('tenant-a'));
    const b = await createTenant(t, unique('tenant-b'));
    const clientA = clientWith(a.key);
    const clientB = clientWith(b.key);
    const userB = await clientB.users.create({ username: 'only-in-b', displayName: 'Only in B' });
    const keyB = await clientB.apiKeys.create({ name: 'b-key' });

    const usersA = [];
    for await (const u of clientA.users.iterate()) usersA.push(u);
    expect(usersA.map((u) => u.id)).toEqual([a.adminUserId]);
    const keysA = [];
    for await (const k of clientA.apiKeys.iterate()) keysA.push(k);
    expect(keysA.map((k) => k.id)).not.toContain(keyB.apiKey.id);

    expect((await failure(clientA.users.get(userB.id))).code).toBe('RESOURCE_NOT_FOUND');
    expect((await failure(clientA.apiKeys.get(keyB.apiKey.id))).code).toBe('RESOURCE_NOT_FOUND');
    expect((await failure(clientA.apiKeys.revoke(keyB.apiKey.id))).code).toBe('RESOURCE_NOT_FOUND');
    expect((await clientB.apiKeys.get(keyB.apiKey.id)).revokedAt).toBeNull();
    expect((await failure(clientA.tenants.get(b.id))).code).toBe('PERMISSION_DENIED');
    expect((await clientA.me.get()).tenant.id).toBe(a.id);
  });
});

describe('pagination', () => {
  /** A client of a fresh tenant that counts the HTTP requests it makes. */
  async function countingTenantClient(prefix: string) {
    const tenant = await createTenant(t, unique(prefix));
    const counter = { requests: 0 };
    const client = clientWith(tenant.key, { fetch: (input, init) => (counter.requests++, fetch(input, init)) });
    return { tenant, client, counter };
  }

  it('S1-5.3.5-a users.iterate() crosses pages: 5 users plus the admin, 2 per page, counted exactly', async () => {
    const { client, counter } = await countingTenantClient('paging');
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await client.users.create({ username: `worker${i}`, displayName: `Worker ${i}` }));
    counter.requests = 0;

    const seen: string[] = [];
    for await (const u of client.users.iterate({ limit: 2 })) seen.push(u.username);

    expect(seen).toHaveLength(6);
    expect(new Set(seen)).toEqual(new Set(['admin', ...created.map((u) => u.username)]));
    expect(counter.requests).toBe(3); // pages of 2, 2, 2; the last one says nextCursor null
    const first = await client.users.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(typeof first.nextCursor).toBe('string');
  });

  it('S1-5.3.5-a apiKeys.iterate() crosses pages one key at a time', async () => {
    const { client, counter } = await countingTenantClient('key-pages');
    for (let i = 0; i < 3; i++) await client.apiKeys.create({ name: `key ${i}` });
    counter.requests = 0;
    const names = [];
    for await (const k of client.apiKeys.iterate({ limit: 1 })) names.push(k.name);
    expect(names.slice(1)).toEqual(['key 0', 'key 1', 'key 2']);
    expect(names).toHaveLength(4);
    expect(counter.requests).toBe(4);
  });

  it('S1-5.3.5-a tenants.iterate() crosses pages one tenant at a time and agrees with one big page', async () => {
    for (let i = 0; i < 3; i++) await admin.tenants.create({ slug: unique('tp'), name: `Tenant page ${i}` });
    const onePage = await admin.tenants.list({ limit: 500 });
    const slugs = [];
    for await (const x of admin.tenants.iterate({ limit: 1 })) slugs.push(x.slug);
    expect(slugs).toEqual(onePage.items.map((x) => x.slug));
    expect(slugs.length).toBeGreaterThanOrEqual(4);
  });

  it('S1-5.3.5-a audit.iterate() crosses pages one record at a time, in sequence order', async () => {
    const { client } = await countingTenantClient('audit-pages');
    for (let i = 0; i < 3; i++) await client.users.create({ username: `a${i}`, displayName: `A ${i}` });
    const all = (await client.audit.list({ limit: 1000 })).items;
    const seqs = [];
    for await (const r of client.audit.iterate({ limit: 1 })) seqs.push(r.seq);
    expect(seqs).toEqual(all.map((r) => r.seq));
    expect(seqs.length).toBeGreaterThanOrEqual(4);
  });

  it('S1-5.3.5-a iterate() stops early without fetching pages nobody asked for', async () => {
    const { client, counter } = await countingTenantClient('early');
    for (let i = 0; i < 4; i++) await client.users.create({ username: `u${i}`, displayName: `U ${i}` });
    counter.requests = 0;
    for await (const u of client.users.iterate({ limit: 2 })) {
      expect(u.username).toBeTruthy();
      break;
    }
    expect(counter.requests).toBe(1);
  });
});
