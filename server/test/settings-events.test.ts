/**
 * The tenant's business rules and its event stream, through real HTTP (S1-5.1.5, S1-5.3.5-a).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';

let t: TestServer;
let A: Awaited<ReturnType<typeof createTenant>>;
const as = (key: string) => (method: string, path: string, body?: unknown) => call(t.url, key, method, path, body);

beforeAll(async () => {
  t = await startTestServer();
  A = await createTenant(t, 'settings-a');
});
afterAll(async () => t?.stop());

describe('tenant settings', () => {
  it('S1-5.1.5: self-approval is allowed by default and forbidden once the tenant says so, with optimistic concurrency', async () => {
    const api = as(A.key);
    expect((await api('GET', '/v1/settings')).body).toEqual({ forbidSelfApproval: false, productionOrderApproval: false, productionIssueTolerance: '0', productionReportTolerance: '0', version: 0, updatedAt: null });
    const set = await api('PATCH', '/v1/settings', { forbidSelfApproval: true, version: 0 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ forbidSelfApproval: true, version: 1 });
    const stale = await api('PATCH', '/v1/settings', { forbidSelfApproval: false, version: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 1 });
    expect((await api('GET', '/v1/settings')).body.forbidSelfApproval).toBe(true);
    const bad = await api('PATCH', '/v1/settings', { forbidSelfApproval: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['forbidSelfApproval']);
  });

  it('S1-5.3.2-a: a read-only key reads the settings but cannot change them', async () => {
    const key = (await as(A.key)('POST', '/v1/api-keys', { name: 'reader', permissions: ['settings:read'] })).body.key;
    expect((await as(key)('GET', '/v1/settings')).status).toBe(200);
    const res = await as(key)('PATCH', '/v1/settings', { forbidSelfApproval: false });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'settings:write' });
  });
});

describe('event stream', () => {
  it('S1-5.3.5-a: an empty stream answers lastSeq equal to after, and bad cursors are field errors', async () => {
    const api = as(A.key);
    expect((await api('GET', '/v1/events?after=7')).body).toEqual({ items: [], lastSeq: 7 });
    const bad = await api('GET', '/v1/events?after=-1');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('after');
  });
});
