/**
 * Idempotent retries (S1-5.1.5 data validation and consistency): a POST repeated with the same
 * Idempotency-Key and body answers the stored response and creates nothing more; a key reused
 * for a different request is refused; keys belong to the credential (API key or user) that sent them.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { listAll } from './util.js';

let t: TestServer;
let pgServer: TestServer;
let A: Awaited<ReturnType<typeof createTenant>>;
let B: Awaited<ReturnType<typeof createTenant>>;

beforeAll(async () => {
  [t, pgServer] = await Promise.all([startTestServer(), startTestServer({}, { postgres: true })]);
  A = await createTenant(t, 'idem-a');
  B = await createTenant(t, 'idem-b');
});

afterAll(async () => {
  await Promise.all([t?.stop(), pgServer?.stop()]);
});

const usersNamed = async (server: TestServer, key: string, username: string) =>
  (await listAll(server, key, '/v1/users')).filter((u) => u.username === username);

describe('Idempotency-Key', () => {
  it('S1-5.1.5: the same key and body twice answer 201 with the identical body; the replay says so; one user exists', async () => {
    const body = { username: 'once', displayName: 'Only once', roles: ['viewer'] };
    const first = await call(t.url, A.key, 'POST', '/v1/users', body, { 'idempotency-key': 'create-once-1' });
    const second = await call(t.url, A.key, 'POST', '/v1/users', body, { 'idempotency-key': 'create-once-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await usersNamed(t, A.key, 'once')).toHaveLength(1);
    // The replay is itself audited, marked as a replay.
    const audit = (await listAll(t, A.key, '/v1/audit?action=createUser')).filter((r) => r.details.idempotencyKey === 'create-once-1');
    expect(audit.map((r) => [r.outcome, r.statusCode, r.details.idempotentReplay ?? false])).toEqual([['success', 201, false], ['success', 201, true]]);
  });

  it('S1-5.1.5: key order in the JSON body does not make it a different request', async () => {
    const first = await call(t.url, A.key, 'POST', '/v1/users', '{"username":"ordered","displayName":"O"}', { 'idempotency-key': 'order-1' });
    const second = await call(t.url, A.key, 'POST', '/v1/users', '{"displayName":"O","username":"ordered"}', { 'idempotency-key': 'order-1' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('S1-5.1.5: the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED and creates nothing', async () => {
    const first = await call(t.url, A.key, 'POST', '/v1/users', { username: 'first-body', displayName: 'F' }, { 'idempotency-key': 'reuse-1' });
    expect(first.status).toBe(201);
    const reused = await call(t.url, A.key, 'POST', '/v1/users', { username: 'second-body', displayName: 'S' }, { 'idempotency-key': 'reuse-1' });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.body.errors).toEqual([{ in: 'header', field: 'idempotency-key', code: 'REUSED', message: expect.any(String) }]);
    expect(await usersNamed(t, A.key, 'second-body')).toHaveLength(0);
    // Same key on another route is a different request too.
    const otherRoute = await call(t.url, A.key, 'POST', '/v1/api-keys', { name: 'k' }, { 'idempotency-key': 'reuse-1' });
    expect(otherRoute.status).toBe(422);
    expect(otherRoute.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await listAll(t, A.key, '/v1/api-keys')).map((k) => k.name)).not.toContain('k');
  });

  for (const which of ['default backend', 'PostgreSQL'] as const) {
    it(`S1-5.1.5: 10 concurrent POSTs with one key all answer 201 with the same user, and one user exists (${which})`, async () => {
      const server = which === 'PostgreSQL' ? pgServer : t;
      const C = await createTenant(server, `idem-race-${which === 'PostgreSQL' ? 'pg' : 'default'}`);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => call(server.url, C.key, 'POST', '/v1/users', { username: 'raced', displayName: 'R' }, { 'idempotency-key': 'race-1' })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
      const ids = new Set(results.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
      const users = await usersNamed(server, C.key, 'raced');
      expect(users.map((u) => u.id)).toEqual([...ids]);
    });
  }

  it('S1-5.1.5: an invalid key is 400 IDEMPOTENCY_KEY_INVALID and nothing is created', async () => {
    for (const key of ['has space', 'x'.repeat(256), 'tab\there']) {
      const res = await call(t.url, A.key, 'POST', '/v1/users', { username: 'bad-key-user', displayName: 'B' }, { 'idempotency-key': key });
      expect(res.status, key).toBe(400);
      expect(res.body.code).toBe('IDEMPOTENCY_KEY_INVALID');
      expect(res.body.errors).toEqual([{ in: 'header', field: 'idempotency-key', code: 'INVALID_FORMAT', message: expect.any(String) }]);
    }
    expect(await usersNamed(t, A.key, 'bad-key-user')).toHaveLength(0);
    // 255 visible characters is the longest valid key.
    const longest = await call(t.url, A.key, 'POST', '/v1/users', { username: 'long-key-user', displayName: 'L' }, { 'idempotency-key': '~'.repeat(255) });
    expect(longest.status).toBe(201);
  });

  it('S1-5.1.5: keys are per tenant: tenant B uses the same key value for its own request', async () => {
    const a = await call(t.url, A.key, 'POST', '/v1/users', { username: 'shared-a', displayName: 'A' }, { 'idempotency-key': 'shared-key' });
    const b = await call(t.url, B.key, 'POST', '/v1/users', { username: 'shared-b', displayName: 'B' }, { 'idempotency-key': 'shared-key' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.username).toBe('shared-b');
    expect(await usersNamed(t, B.key, 'shared-b')).toHaveLength(1);
    expect(await usersNamed(t, B.key, 'shared-a')).toHaveLength(0);
    // Each tenant's key still replays its own response.
    const againA = await call(t.url, A.key, 'POST', '/v1/users', { username: 'shared-a', displayName: 'A' }, { 'idempotency-key': 'shared-key' });
    expect(againA.body.id).toBe(a.body.id);
    expect(againA.headers.get('idempotent-replayed')).toBe('true');
  });

  it('S1-5.1.5: keys are per credential: two API keys of one tenant sending the same key each get their own result', async () => {
    const second = await call(t.url, A.key, 'POST', '/v1/api-keys', { name: 'second integration', permissions: ['users:read', 'users:write'] });
    expect(second.status).toBe(201);
    const one = await call(t.url, A.key, 'POST', '/v1/users', { username: 'cred-one', displayName: 'One' }, { 'idempotency-key': 'per-credential' });
    const two = await call(t.url, second.body.key, 'POST', '/v1/users', { username: 'cred-two', displayName: 'Two' }, { 'idempotency-key': 'per-credential' });
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.headers.get('idempotent-replayed')).toBeNull();
    expect([one.body.username, two.body.username]).toEqual(['cred-one', 'cred-two']);
    expect(await usersNamed(t, A.key, 'cred-one')).toHaveLength(1);
    expect(await usersNamed(t, A.key, 'cred-two')).toHaveLength(1);
    // Each credential replays its own response.
    const againTwo = await call(t.url, second.body.key, 'POST', '/v1/users', { username: 'cred-two', displayName: 'Two' }, { 'idempotency-key': 'per-credential' });
    expect(againTwo.headers.get('idempotent-replayed')).toBe('true');
    expect(againTwo.body.id).toBe(two.body.id);
  });

  it('S1-5.1.5: a request that failed did not use up its key: the corrected retry is not a replay of the failure', async () => {
    const failed = await call(t.url, A.key, 'POST', '/v1/users', { username: 'retry-me', displayName: 'R', roles: ['nope'] }, { 'idempotency-key': 'after-failure' });
    expect(failed.status).toBe(422);
    // The same failing request again fails again in its own right (the key was not stored).
    const again = await call(t.url, A.key, 'POST', '/v1/users', { username: 'retry-me', displayName: 'R', roles: ['nope'] }, { 'idempotency-key': 'after-failure' });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('UNKNOWN_ROLE');
    const fixed = await call(t.url, A.key, 'POST', '/v1/users', { username: 'retry-me', displayName: 'R', roles: ['viewer'] }, { 'idempotency-key': 'after-failure' });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });
  it('S1-5.1.5: a replayed POST that issued a secret answers 409 SECRET_NOT_REPLAYABLE naming the key, and the secret is never stored', async () => {
    const first = await call(pgServer.url, pgServer.adminKey, 'POST', '/v1/api-keys', { name: 'once', permissions: ['users:read'] }, { 'idempotency-key': 'secret-once' });
    expect(first.status).toBe(201);
    const replay = await call(pgServer.url, pgServer.adminKey, 'POST', '/v1/api-keys', { name: 'once', permissions: ['users:read'] }, { 'idempotency-key': 'secret-once' });
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('SECRET_NOT_REPLAYABLE');
    expect(replay.body.createdResource).toBe(`api-key/${first.body.apiKey.id}`);
    const keys = (await listAll(pgServer, pgServer.adminKey, '/v1/api-keys')).filter((k) => k.name === 'once');
    expect(keys).toHaveLength(1);
    // Read the stored responses as the database owner: no API key secret rests there.
    const owner = new pg.Client({ connectionString: pgServer.databaseUrl });
    await owner.connect();
    try {
      const { rows } = await owner.query("SELECT response_body::text AS body FROM idempotency_keys WHERE key = 'secret-once'");
      expect(rows).toHaveLength(1);
      expect(rows[0].body).not.toContain(first.body.key);
      expect(rows[0].body).not.toMatch(/mes_[0-9a-f]{32}_/);
    } finally {
      await owner.end();
    }
  });
});
