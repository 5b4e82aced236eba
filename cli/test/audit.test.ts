import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson } from './helpers.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await killAll();
  for (const s of servers) await s.stop();
});

describe('mes audit verify', () => {
  it('S1-8.3: a fresh server: exit 0, "audit chain intact: N records"', async () => {
    const t = await startTestServer();
    servers.push(t);
    // Something to audit: a tenant created through the CLI.
    expect((await mes(['tenant', 'create', 'audited'], { url: t.url, apiKey: t.adminKey })).code).toBe(0);
    const res = await mes(['audit', 'verify'], { url: t.url, apiKey: t.adminKey });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^audit chain intact: \d+ records?$/m);
    const n = Number(/intact: (\d+)/.exec(res.stdout)![1]);
    expect(n).toBeGreaterThan(0);

    const json = await mesJson(['audit', 'verify'], { url: t.url, apiKey: t.adminKey });
    expect(json.code).toBe(0);
    expect(json.json).toMatchObject({ intact: true, checked: expect.any(Number), headSeq: expect.any(Number) });
  });

  it('S1-8.3: a record altered in the database (PostgreSQL): exit 1 naming the first altered record', async () => {
    const t = await startTestServer({}, { postgres: true });
    servers.push(t);
    expect((await mes(['tenant', 'create', 'tamper-target'], { url: t.url, apiKey: t.adminKey })).code).toBe(0);
    expect((await mes(['audit', 'verify'], { url: t.url, apiKey: t.adminKey })).code).toBe(0);

    // As the superuser, behind the application's back: the append-only trigger off, a record forged.
    const su = new pg.Client({ connectionString: t.databaseUrl });
    await su.connect();
    try {
      await su.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await su.query("UPDATE audit_log SET resource = 'forged' WHERE seq = 1");
    } finally {
      await su.end();
    }

    const res = await mes(['audit', 'verify'], { url: t.url, apiKey: t.adminKey });
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/audit chain broken: record 1 is altered/);

    const json = await mesJson(['audit', 'verify'], { url: t.url, apiKey: t.adminKey });
    expect(json.code).toBe(1);
    expect(json.json).toMatchObject({
      status: 1,
      error: { code: 'AUDIT_CHAIN_BROKEN', details: { intact: false, firstBad: { seq: 1, problem: 'altered' } } },
    });
  });
});
