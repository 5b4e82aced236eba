/**
 * The audit trail (S1-5.2.2.5, S1-8.3): every state change, refusal and denial is recorded with
 * who, what, on which resource, how it ended, and the request and trace ids; the per-tenant hash
 * chain verifies, and tampering at the database is reported with the first bad record.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHash } from '../src/platform/audit.js';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { keyIdOf, listAll, newTrace } from './util.js';

let t: TestServer;
let pgServer: TestServer;

beforeAll(async () => {
  [t, pgServer] = await Promise.all([startTestServer(), startTestServer({}, { postgres: true })]);
});

afterAll(async () => {
  await Promise.all([t?.stop(), pgServer?.stop()]);
});

async function records(server: TestServer, key: string, query = '') {
  return listAll(server, key, `/v1/audit${query}`);
}

describe('audit records', () => {
  let T: Awaited<ReturnType<typeof createTenant>>;
  let adminActor: string;
  beforeAll(async () => {
    T = await createTenant(t, 'audited');
    adminActor = `admin/key:${keyIdOf(T.key)}`;
  });

  it('S1-5.2.2.5: a state change is audited with actor, action, resource, outcome, requestId and the caller\'s traceId', async () => {
    const trace = newTrace();
    const res = await call(t.url, T.key, 'POST', '/v1/users', { username: 'audited-user', displayName: 'A' }, { traceparent: trace.traceparent });
    expect(res.status).toBe(201);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f]{16}$/);
    const found = (await records(t, T.key, '?action=createUser')).filter((r) => r.resource === `user/${res.body.id}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      tenantId: T.id,
      actorType: 'api_key',
      actorId: adminActor,
      action: 'createUser',
      resource: `user/${res.body.id}`,
      outcome: 'success',
      statusCode: 201,
      requestId,
      traceId: trace.traceId,
    });
    expect(Date.now() - Date.parse(found[0].occurredAt)).toBeLessThan(60_000);
  });

  it('S1-5.2.2.5: updates and revocations are audited under their operationId', async () => {
    const user = await call(t.url, T.key, 'POST', '/v1/users', { username: 'to-update', displayName: 'B' });
    const patched = await call(t.url, T.key, 'PATCH', `/v1/users/${user.body.id}`, { version: 1, displayName: 'B2' });
    expect(patched.status).toBe(200);
    const key = await call(t.url, T.key, 'POST', '/v1/api-keys', { name: 'k', permissions: ['users:read'] });
    const revoked = await call(t.url, T.key, 'POST', `/v1/api-keys/${key.body.apiKey.id}/revoke`);
    expect(revoked.status).toBe(200);
    const all = await records(t, T.key);
    const pick = (action: string, resource: string) => all.filter((r) => r.action === action && r.resource === resource).map((r) => [r.outcome, r.statusCode]);
    expect(pick('updateUser', `user/${user.body.id}`)).toEqual([['success', 200]]);
    expect(pick('createApiKey', `api-key/${key.body.apiKey.id}`)).toEqual([['success', 201]]);
    expect(pick('revokeApiKey', `api-key/${key.body.apiKey.id}`)).toEqual([['success', 200]]);
  });

  it('S1-5.2.2.5: a denied request (403) is audited with outcome denied, its code and trace', async () => {
    const ro = await call(t.url, T.key, 'POST', '/v1/api-keys', { name: 'read-only', permissions: ['users:read'] });
    const trace = newTrace();
    const denied = await call(t.url, ro.body.key, 'POST', '/v1/users', { username: 'never', displayName: 'N' }, { traceparent: trace.traceparent });
    expect(denied.status).toBe(403);
    const deniedRead = await call(t.url, ro.body.key, 'GET', '/v1/api-keys');
    expect(deniedRead.status).toBe(403);
    const found = await records(t, T.key, '?outcome=denied');
    expect(found.map((r) => [r.action, r.resource, r.statusCode, r.details.code, r.actorId])).toEqual([
      ['createUser', '/v1/users', 403, 'PERMISSION_DENIED', `admin/key:${ro.body.apiKey.id}`],
      ['listApiKeys', '/v1/api-keys', 403, 'PERMISSION_DENIED', `admin/key:${ro.body.apiKey.id}`],
    ]);
    expect(found[0].traceId).toBe(trace.traceId);
    expect(found[0].requestId).toBe(denied.headers.get('x-request-id'));
  });

  it('S1-5.2.2.5: rejected state changes (400, 409, 422) are audited with outcome rejected', async () => {
    const before = (await records(t, T.key, '?outcome=rejected')).length;
    const invalid = await call(t.url, T.key, 'POST', '/v1/users', { displayName: 'no username' });
    expect(invalid.status).toBe(400);
    const unknownRole = await call(t.url, T.key, 'POST', '/v1/users', { username: 'role-less', displayName: 'R', roles: ['no-such-role'] });
    expect(unknownRole.status).toBe(422);
    const taken = await call(t.url, T.key, 'POST', '/v1/users', { username: 'audited-user', displayName: 'again' });
    expect(taken.status).toBe(409);
    const found = (await records(t, T.key, '?outcome=rejected')).slice(before);
    expect(found.map((r) => [r.action, r.statusCode, r.details.code, r.actorId])).toEqual([
      ['createUser', 400, 'VALIDATION_FAILED', adminActor],
      ['createUser', 422, 'UNKNOWN_ROLE', adminActor],
      ['createUser', 409, 'USERNAME_TAKEN', adminActor],
    ]);
    expect(found.map((r) => r.requestId)).toEqual([invalid, unknownRole, taken].map((r) => r.headers.get('x-request-id')));
  });

  it('S1-5.2.2.5: a login-token caller is audited as actorType token with the username', async () => {
    await call(t.url, T.key, 'POST', '/v1/users', { username: 'ada', displayName: 'Ada', password: 'a long enough password', roles: ['admin'] });
    const login = await call(t.url, undefined, 'POST', '/v1/auth/login', { tenant: 'audited', username: 'ada', password: 'a long enough password' });
    const made = await call(t.url, login.body.token, 'POST', '/v1/users', { username: 'by-ada', displayName: 'X' });
    expect(made.status).toBe(201);
    const found = (await records(t, T.key, '?actor=ada')).filter((r) => r.resource === `user/${made.body.id}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ actorType: 'token', actorId: 'ada', action: 'createUser', outcome: 'success' });
  });

  it('S1-8.3: successful reads add no records', async () => {
    const before = (await call(t.url, T.key, 'GET', '/v1/audit/verify')).body.headSeq;
    for (const path of ['/v1/users', '/v1/api-keys', '/v1/roles', '/v1/me', '/v1/audit', '/v1/audit/verify']) {
      expect((await call(t.url, T.key, 'GET', path)).status).toBe(200);
    }
    expect((await call(t.url, T.key, 'GET', '/v1/audit/verify')).body.headSeq).toBe(before);
  });

  it('S1-8.3: GET /v1/audit/verify reports the chain intact, having checked every record', async () => {
    const all = await records(t, T.key);
    const verdict = await call(t.url, T.key, 'GET', '/v1/audit/verify');
    expect(verdict.status).toBe(200);
    expect(verdict.body).toEqual({ intact: true, checked: all.length, headSeq: all.length });
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  });

  it('S1-8.3: an export verifies without the server: each record hashes to its hash and links to the one before', async () => {
    const all = await records(t, T.key);
    expect(all.length).toBeGreaterThan(10);
    for (let i = 0; i < all.length; i++) {
      const r = all[i];
      expect(recordHash({ ...r, occurredAt: new Date(r.occurredAt) }), `seq ${r.seq}`).toBe(r.hash);
      if (i > 0) expect(r.prevHash, `seq ${r.seq}`).toBe(all[i - 1].hash);
    }
  });
});

describe('audit chain under concurrency', () => {
  for (const which of ['default backend', 'PostgreSQL'] as const) {
    it(`S1-8.3: 20 parallel creates on one tenant leave one gap-free, intact chain (${which})`, async () => {
      const server = which === 'PostgreSQL' ? pgServer : t;
      const C = await createTenant(server, `burst-${which === 'PostgreSQL' ? 'pg' : 'default'}`);
      const before = (await call(server.url, C.key, 'GET', '/v1/audit/verify')).body.headSeq;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => call(server.url, C.key, 'POST', '/v1/users', { username: `par-${i}`, displayName: `P${i}` })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
      const verdict = await call(server.url, C.key, 'GET', '/v1/audit/verify');
      expect(verdict.body).toEqual({ intact: true, checked: before + 20, headSeq: before + 20 });
      const all = await records(server, C.key);
      expect(all.map((r) => r.seq)).toEqual(Array.from({ length: before + 20 }, (_, i) => i + 1));
      const created = all.filter((r) => r.action === 'createUser').map((r) => r.resource).sort();
      expect(created).toEqual(results.map((r) => `user/${r.body.id}`).sort());
    });
  }
});

describe('tampering at the database (PostgreSQL, as superuser)', () => {
  let su: pg.Client;
  beforeAll(async () => {
    su = new pg.Client({ connectionString: pgServer.databaseUrl });
    await su.connect();
  });
  afterAll(async () => {
    await su?.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only').catch(() => {});
    await su?.end();
  });

  /** A tenant with a five-record chain: its creation and four users. */
  async function tenantWithChain(slug: string) {
    const X = await createTenant(pgServer, slug);
    for (let i = 0; i < 4; i++) {
      expect((await call(pgServer.url, X.key, 'POST', '/v1/users', { username: `${slug}-${i}`, displayName: 'x' })).status).toBe(201);
    }
    const verdict = await call(pgServer.url, X.key, 'GET', '/v1/audit/verify');
    expect(verdict.body).toEqual({ intact: true, checked: 5, headSeq: 5 });
    return X;
  }
  const verify = async (key: string) => (await call(pgServer.url, key, 'GET', '/v1/audit/verify')).body;

  it('S1-5.2.2.5: with its trigger on, even the superuser cannot UPDATE or DELETE audit records', async () => {
    const X = await tenantWithChain('tamper-trigger');
    await expect(su.query(`UPDATE audit_log SET resource = 'x' WHERE tenant_id = $1 AND seq = 2`, [X.id])).rejects.toThrow(/append-only/);
    await expect(su.query('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 2', [X.id])).rejects.toThrow(/append-only/);
    expect(await verify(X.key)).toEqual({ intact: true, checked: 5, headSeq: 5 });
  });

  it('S1-8.3: an altered record is reported as altered at its seq', async () => {
    const X = await tenantWithChain('tamper-alter');
    const other = await tenantWithChain('tamper-bystander');
    await su.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      const upd = await su.query(`UPDATE audit_log SET resource = 'user/someone-else' WHERE tenant_id = $1 AND seq = 3`, [X.id]);
      expect(upd.rowCount).toBe(1);
    } finally {
      await su.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
    expect(await verify(X.key)).toEqual({ intact: false, checked: 2, headSeq: 5, firstBad: { seq: 3, problem: 'altered' } });
    expect(await verify(other.key)).toEqual({ intact: true, checked: 5, headSeq: 5 });
  });

  it('S1-8.3: a record altered and re-hashed breaks the link of the next one (relinked)', async () => {
    const X = await tenantWithChain('tamper-rehash');
    const { rows } = await su.query('SELECT * FROM audit_log WHERE tenant_id = $1 AND seq = 3', [X.id]);
    const r = rows[0];
    const forged = {
      tenantId: r.tenant_id, seq: Number(r.seq), occurredAt: r.occurred_at, actorType: r.actor_type, actorId: r.actor_id, action: r.action,
      resource: 'user/someone-else', outcome: r.outcome, statusCode: r.status_code, requestId: r.request_id, traceId: r.trace_id,
      details: r.details, prevHash: r.prev_hash,
    };
    await su.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      await su.query('UPDATE audit_log SET resource = $3, hash = $4 WHERE tenant_id = $1 AND seq = $2', [X.id, 3, forged.resource, recordHash(forged)]);
    } finally {
      await su.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
    expect(await verify(X.key)).toEqual({ intact: false, checked: 3, headSeq: 5, firstBad: { seq: 4, problem: 'relinked' } });
  });

  it('S1-8.3: a deleted middle record is reported as missing at its seq', async () => {
    const X = await tenantWithChain('tamper-middle');
    await su.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      expect((await su.query('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 3', [X.id])).rowCount).toBe(1);
    } finally {
      await su.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
    expect(await verify(X.key)).toEqual({ intact: false, checked: 2, headSeq: 5, firstBad: { seq: 3, problem: 'missing' } });
  });

  it('S1-8.3: a deleted last record is reported as missing, thanks to the chain head', async () => {
    const X = await tenantWithChain('tamper-last');
    await su.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      expect((await su.query('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 5', [X.id])).rowCount).toBe(1);
    } finally {
      await su.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
    expect(await verify(X.key)).toEqual({ intact: false, checked: 4, headSeq: 5, firstBad: { seq: 5, problem: 'missing' } });
  });
});
