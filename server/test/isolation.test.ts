/**
 * Tenant isolation over HTTP (S1-5.3.2-a): one tenant's credentials never reach another tenant's
 * data, not by id, not in lists, not by forging the tenant part of a key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { keyIdOf, listAll, uuidHex } from './util.js';

let t: TestServer;
let A: Awaited<ReturnType<typeof createTenant>>;
let B: Awaited<ReturnType<typeof createTenant>>;
let aUserId: string;
let aKeyId: string;

const asA = (method: string, path: string, body?: unknown) => call(t.url, A.key, method, path, body);
const asB = (method: string, path: string, body?: unknown) => call(t.url, B.key, method, path, body);

beforeAll(async () => {
  t = await startTestServer();
  A = await createTenant(t, 'iso-a');
  B = await createTenant(t, 'iso-b');
  const user = await asA('POST', '/v1/users', { username: 'alice', displayName: 'Alice of A', roles: ['viewer'] });
  expect(user.status).toBe(201);
  aUserId = user.body.id;
  const key = await asA('POST', '/v1/api-keys', { name: 'a-second-key', permissions: ['users:read'] });
  expect(key.status).toBe(201);
  aKeyId = key.body.apiKey.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('tenant isolation over HTTP', () => {
  it("S1-5.3.2-a: tenant B cannot read tenant A's user by id (404 RESOURCE_NOT_FOUND)", async () => {
    for (const id of [aUserId, A.adminUserId]) {
      const res = await asB('GET', `/v1/users/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('RESOURCE_NOT_FOUND');
    }
    // The same id answers for its own tenant: the 404 is the fence, not a missing row.
    expect((await asA('GET', `/v1/users/${aUserId}`)).status).toBe(200);
  });

  it("S1-5.3.2-a: tenant B cannot change tenant A's user (404) and the user is unchanged", async () => {
    const res = await asB('PATCH', `/v1/users/${aUserId}`, { version: 1, displayName: 'Taken over', status: 'disabled' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('RESOURCE_NOT_FOUND');
    const user = await asA('GET', `/v1/users/${aUserId}`);
    expect(user.body).toMatchObject({ displayName: 'Alice of A', status: 'active', version: 1 });
  });

  it("S1-5.3.2-a: tenant B cannot read tenant A's API key by id (404)", async () => {
    const res = await asB('GET', `/v1/api-keys/${aKeyId}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('RESOURCE_NOT_FOUND');
  });

  it("S1-5.3.2-a: tenant B cannot revoke tenant A's key (404) and A's key keeps working", async () => {
    const adminKeyId = keyIdOf(A.key);
    for (const id of [aKeyId, adminKeyId]) {
      const res = await asB('POST', `/v1/api-keys/${id}/revoke`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('RESOURCE_NOT_FOUND');
    }
    const me = await asA('GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.keyId).toBe(adminKeyId);
    const key = await asA('GET', `/v1/api-keys/${aKeyId}`);
    expect(key.body.revokedAt).toBeNull();
  });

  it("S1-5.3.2-a: tenant B's lists of users, API keys and audit records hold none of tenant A's", async () => {
    const aUsers = (await listAll(t, A.key, '/v1/users')).map((u) => u.id);
    const aKeys = (await listAll(t, A.key, '/v1/api-keys')).map((k) => k.id);
    expect(aUsers).toHaveLength(2);
    expect(aKeys).toHaveLength(2);

    const bUsers = await listAll(t, B.key, '/v1/users');
    expect(bUsers.map((u) => u.username)).toEqual(['admin']);
    expect(bUsers.map((u) => u.id)).toEqual([B.adminUserId]);
    const bKeys = await listAll(t, B.key, '/v1/api-keys');
    expect(bKeys.map((k) => k.id)).toEqual([keyIdOf(B.key)]);

    const bAudit = await listAll(t, B.key, '/v1/audit');
    expect(bAudit.length).toBeGreaterThan(0);
    expect(new Set(bAudit.map((r) => r.tenantId))).toEqual(new Set([B.id]));
    const aIds = [A.id, ...aUsers, ...aKeys];
    const mentioningA = bAudit.filter((r) => aIds.some((id) => JSON.stringify(r).includes(id)));
    // The only records in B's trail that name A's ids are B's own refused probes (earlier tests).
    expect(mentioningA.length).toBeGreaterThan(0);
    for (const r of mentioningA) {
      expect(r).toMatchObject({ outcome: 'rejected', statusCode: 404, actorId: `admin/key:${keyIdOf(B.key)}` });
    }
    // A's own activity (creating alice and a key) is not in B's trail.
    expect(bAudit.filter((r) => ['createUser', 'createApiKey'].includes(r.action) && r.outcome === 'success')).toEqual([]);
  });

  it("S1-5.3.2-a: the platform admin's tenant-scoped lists hold only its own tenant's users", async () => {
    const users = await listAll(t, t.adminKey, '/v1/users');
    expect(users.map((u) => u.username)).toEqual(['admin']);
    expect(users.some((u) => u.id === aUserId || u.id === A.adminUserId)).toBe(false);
  });

  it("S1-5.3.2-a: B's admin (not platform admin) gets 403 PERMISSION_DENIED on the tenant routes", async () => {
    const list = await asB('GET', '/v1/tenants');
    expect(list.status).toBe(403);
    expect(list.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'tenants:read' });
    const create = await asB('POST', '/v1/tenants', { slug: 'iso-evil', name: 'Evil' });
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'tenants:write' });
    const getA = await asB('GET', `/v1/tenants/${A.id}`);
    expect(getA.status).toBe(403);
    const patchA = await asB('PATCH', `/v1/tenants/${A.id}`, { version: 1, plan: 'basic' });
    expect(patchA.status).toBe(403);
    // Nothing happened: no tenant iso-evil, A still on its plan.
    const tenants = await listAll(t, t.adminKey, '/v1/tenants');
    expect(tenants.map((x) => x.slug).sort()).toEqual(['default', 'iso-a', 'iso-b']);
    expect(tenants.find((x) => x.id === A.id)).toMatchObject({ plan: 'unlimited', version: 1 });
  });

  it("S1-5.3.2-a: B's admin cannot mint a key with platform scopes or for A's user", async () => {
    const platform = await asB('POST', '/v1/api-keys', { name: 'escalate', permissions: ['tenants:write'] });
    expect(platform.status).toBe(422);
    expect(platform.body.code).toBe('API_KEY_REFUSED');
    expect(platform.body.errors).toEqual([expect.objectContaining({ field: 'permissions[0]', code: 'EXCEEDS_CALLER' })]);
    const foreign = await asB('POST', '/v1/api-keys', { name: 'steal', userId: aUserId });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'userId', code: 'UNKNOWN_USER' })]);
    expect((await listAll(t, B.key, '/v1/api-keys')).map((k) => k.name)).toEqual(['admin (initial)']);
  });

  it("S1-5.3.2-a: A's key with the tenant part swapped for B's is refused (401 AUTH_INVALID)", async () => {
    const forged = A.key.replace(`mes_${uuidHex(A.id)}_`, `mes_${uuidHex(B.id)}_`);
    expect(forged).not.toBe(A.key);
    const res = await call(t.url, forged, 'GET', '/v1/users');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_INVALID');
    // And the reverse: B's key claiming to be A's tenant.
    const reverse = B.key.replace(`mes_${uuidHex(B.id)}_`, `mes_${uuidHex(A.id)}_`);
    const res2 = await call(t.url, reverse, 'GET', '/v1/me');
    expect(res2.status).toBe(401);
    expect(res2.body.code).toBe('AUTH_INVALID');
  });
});
