import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await killAll();
  await t?.stop();
});

const asAdmin = () => ({ url: t.url, apiKey: t.adminKey });
const get = (path: string, key: string, method = 'GET', body?: unknown) =>
  fetch(t.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

describe('mes tenant', () => {
  it('S1-5.3.2-a: tenant create prints the tenant and its admin key once; tenant list shows it', async () => {
    const created = await mes(['tenant', 'create', 'acme', '--name', 'Acme Manufacturing', '--plan', 'unlimited'], asAdmin());
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created tenant acme (Acme Manufacturing), plan unlimited');
    expect(created.stdout).toMatch(/shown once/);
    const key = /^\s+(mes_\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toBeTruthy();
    // The printed key is the tenant admin's.
    const me = await (await get('/v1/me', key!)).json();
    expect(me.tenant.slug).toBe('acme');

    const json = await mesJson(['tenant', 'create', 'globex'], asAdmin());
    expect(json.code).toBe(0);
    expect(json.json.tenant).toMatchObject({ slug: 'globex', name: 'globex', status: 'active' });
    expect(json.json.apiKey.key).toMatch(/^mes_/);
    expect(json.json.admin.username).toBe('admin');

    const list = await mesJson(['tenant', 'list'], asAdmin());
    expect(list.code).toBe(0);
    expect(list.json.map((x: { slug: string }) => x.slug)).toEqual(expect.arrayContaining(['default', 'acme', 'globex']));

    const table = await mes(['tenant', 'list'], asAdmin());
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^SLUG\s+NAME\s+PLAN\s+STATUS\s+CREATED$/);
    expect(table.stdout).toMatch(/^acme\s+Acme Manufacturing\s+unlimited\s+active\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC$/m);
  });

  it('S1-5.3.2-a: tenant list follows every page', async () => {
    for (let i = 0; i < 3; i++) expect((await mes(['tenant', 'create', `page-${i}`], asAdmin())).code).toBe(0);
    // Two per request: several pages to follow.
    const all = (await mesJson(['tenant', 'list', '--page-size', '2'], asAdmin())).json as Array<{ slug: string }>;
    expect(all.length).toBeGreaterThanOrEqual(5);
    // Every tenant once: pages must neither overlap nor skip.
    expect(all.map((x) => x.slug).sort(), 'tenant list --page-size 2').toEqual([...new Set(all.map((x) => x.slug))].sort());
    const viaApi = await t.call('GET', '/v1/tenants?limit=500');
    expect(all.map((x) => x.slug).sort()).toEqual(viaApi.body.items.map((x: { slug: string }) => x.slug).sort());
    expect(new Set(all.map((x) => x.slug)).size).toBe(all.length);
  });

  it('a duplicate slug or an invalid one: exit 1 with the API code, field errors and trace id', async () => {
    expect((await mes(['tenant', 'create', 'dupe'], asAdmin())).code).toBe(0);
    const dup = await mes(['tenant', 'create', 'dupe'], asAdmin());
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^Error: TENANT_SLUG_TAKEN: a tenant with slug dupe already exists$/m);
    expect(dup.stderr).toMatch(/^ {2}- slug: is already in use \(TAKEN\)$/m);
    expect(dup.stderr).toMatch(/^trace id: [0-9a-f]{32}$/m);

    const bad = await mesJson(['tenant', 'create', 'Not A Slug'], asAdmin());
    expect(bad.code).toBe(1);
    expect(bad.json.status).toBe(1);
    expect(bad.json.error.code).toBe('VALIDATION_FAILED');
    expect(bad.json.error.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(bad.json.error.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'slug' })]));
    const human = await mes(['tenant', 'create', 'Not A Slug'], asAdmin());
    expect(human.stderr).toMatch(/^Error: VALIDATION_FAILED: /m);
    expect(human.stderr).toMatch(/^ {2}- slug: /m);
  });

  it('S1-5.3.2-a: a tenant admin key cannot create tenants (403), no key gets 401 with a hint', async () => {
    const created = await mesJson(['tenant', 'create', 'initech'], asAdmin());
    const tenantKey = created.json.apiKey.key;
    const denied = await mesJson(['tenant', 'create', 'other'], { url: t.url, apiKey: tenantKey });
    expect(denied.code).toBe(1);
    expect(denied.json.error.code).toMatch(/^[A-Z_]+$/);
    expect(denied.json.error.details.httpStatus).toBe(403);

    const anonymous = await mes(['tenant', 'list'], { url: t.url, env: { MES_API_KEY: undefined } });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/--api-key or set MES_API_KEY/);
  });
});

describe('mes apikey', () => {
  it('S1-5.3.2-a: a users:read key can list users but not create them (403); revoked it gets 401', async () => {
    const created = await mesJson(['apikey', 'create', '--name', 'reader', '--permission', 'users:read', '--expires-in', '12h'], asAdmin());
    expect(created.code, created.stderr).toBe(0);
    const { key, apiKey } = created.json;
    expect(key).toMatch(/^mes_/);
    expect(apiKey.permissions).toEqual(['users:read']);
    const expiresIn = Date.parse(apiKey.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(11.9 * 3600_000);
    expect(expiresIn).toBeLessThanOrEqual(12 * 3600_000);

    expect((await get('/v1/users', key)).status).toBe(200);
    const write = await get('/v1/users', key, 'POST', { username: 'mallory', displayName: 'Mallory' });
    expect(write.status).toBe(403);

    const listed = await mesJson(['apikey', 'list', '--page-size', '1'], { ...asAdmin(), timeoutMs: 30_000 });
    expect(listed.code, JSON.stringify(listed.json)).toBe(0);
    expect(listed.json.length).toBeGreaterThanOrEqual(2);
    expect(listed.json.find((k: { id: string }) => k.id === apiKey.id)).toMatchObject({ name: 'reader', revokedAt: null });
    expect(JSON.stringify(listed.json)).not.toContain(key);
    const table = await mes(['apikey', 'list'], asAdmin());
    expect(table.stdout).toMatch(new RegExp(`^${apiKey.id}\\s+reader\\s+admin\\s+active\\s+`, 'm'));

    const revoked = await mes(['apikey', 'revoke', apiKey.id], asAdmin());
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked API key "reader" (id ${apiKey.id})`);
    expect((await get('/v1/users', key)).status).toBe(401);

    const after = await mes(['apikey', 'list'], asAdmin());
    expect(after.stdout).toMatch(new RegExp(`^${apiKey.id}\\s+reader\\s+admin\\s+revoked\\s+`, 'm'));
    // The CLI with the revoked key: exit 1, the API's code.
    const refused = await mesJson(['apikey', 'list'], { url: t.url, apiKey: key });
    expect(refused.code).toBe(1);
    expect(refused.json.error.details.httpStatus).toBe(401);
  });

  it('S1-5.3.2-a: apikey create in human mode prints the key once, with permissions and expiry', async () => {
    const res = await mes(['apikey', 'create', '--name', 'ops', '--permission', 'audit:read', '--permission', 'diagnostics:read'], asAdmin());
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('permissions: audit:read, diagnostics:read');
    expect(res.stdout).toContain('expires:     never');
    expect(res.stdout).toMatch(/shown once/);
    const key = /^\s+(mes_\S+)$/m.exec(res.stdout)![1];
    expect(res.stdout.split(key)).toHaveLength(2);
    expect((await get('/v1/audit/verify', key)).status).toBe(200);
  });

  it('revoking an unknown key: exit 1 with RESOURCE_NOT_FOUND', async () => {
    const res = await mes(['apikey', 'revoke', '00000000-0000-4000-8000-000000000000'], asAdmin());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('RESOURCE_NOT_FOUND');
  });
});
