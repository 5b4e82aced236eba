import net from 'node:net';
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

/** A local port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('mes status', () => {
  it('S1-8.1 S1-5.3.6: ready server: exit 0, version, readiness, tenant and user, every diagnostic check', async () => {
    const res = await mes(['status'], { url: t.url, apiKey: t.adminKey });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`MES at ${t.url}`);
    expect(res.stdout).toMatch(/version:\s+\d+\.\d+\.\d+/);
    expect(res.stdout).toMatch(/ready:\s+yes/);
    expect(res.stdout).toMatch(/tenant:\s+default/);
    expect(res.stdout).toMatch(/user:\s+admin \(platform admin\), via API key/);
    expect(res.stdout).toMatch(/^Diagnostics: (ok|warn|fail)$/m);

    const json = await mesJson(['status'], { url: t.url, apiKey: t.adminKey });
    expect(json.code).toBe(0);
    expect(json.json).toMatchObject({ url: t.url, reachable: true, ready: true, me: { tenant: { slug: 'default' } } });
    const checks = json.json.diagnostics.checks as Array<{ name: string; status: string; hint: string }>;
    expect(checks.length).toBeGreaterThan(0);
    // Checks are measured anew on each call (load, event-loop delay), so statuses may differ between
    // the two runs: each check is on a line of its own with a status, and a warning carries its hint.
    for (const c of checks) {
      expect(['ok', 'warn', 'fail']).toContain(c.status);
      expect(res.stdout).toMatch(new RegExp(`^ {2}(ok|warn|fail)\\s+${c.name}\\s+\\S`, 'm'));
    }
    const lines = res.stdout.split('\n');
    lines.forEach((l, i) => {
      if (/^ {2}(warn|fail) /.test(l)) expect(lines[i + 1]).toMatch(/^\s+hint: \S/);
    });
  });

  it('S1-8.1: without an API key shows liveness and readiness and says what it left out', async () => {
    const res = await mes(['status'], { url: t.url, env: { MES_API_KEY: undefined } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/ready:\s+yes/);
    expect(res.stdout).toContain('note: no API key');
  });

  it('S1-5.3.6: a key without diagnostics:read: status still exit 0, says the permission is missing', async () => {
    const created = await t.call('POST', '/v1/api-keys', { name: 'reader', permissions: ['users:read'] });
    const res = await mes(['status'], { url: t.url, apiKey: created.body.key });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('lacks the diagnostics:read permission');
  });

  it('S1-8.1: an unreachable URL: exit 1, the message names the URL and how to fix it', async () => {
    const url = `http://127.0.0.1:${await deadPort()}`;
    const t0 = Date.now();
    const res = await mes(['status'], { url, apiKey: t.adminKey });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`cannot reach the MES at ${url}: start it with \`mes up\` or set --url/MES_URL`);
    expect(Date.now() - t0).toBeLessThan(20_000);

    const json = await mesJson(['status', '--url', url]);
    expect(json.code).toBe(1);
    expect(json.json).toEqual({ status: 1, error: { code: 'CONNECTION_FAILED', message: expect.stringContaining(url) } });
  });

  it('S1-8.1: a rejected API key: exit 1 naming the problem', async () => {
    const res = await mes(['status'], { url: t.url, apiKey: 'mes_not_a_real_key' });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/ready:\s+yes/);
    expect(res.stderr).toMatch(/rejected the API key: [A-Z_]+: /);
  });

  it('S1-8.1: a server that is shutting down is not ready: exit 1', async () => {
    const draining = await startTestServer();
    try {
      // The drain window, held open for as long as the CLI takes to start: shutdown() would close
      // it after shutdownDelayMs whether or not the check had run (server/test/shutdown.test.ts
      // proves the timed drain itself).
      draining.server.built.ctx.lifecycle.draining = true;
      const res = await mesJson(['status'], { url: draining.url, apiKey: draining.adminKey });
      expect(res.code).toBe(1);
      expect(res.json.error.code).toBe('NOT_READY');
      expect(res.json.error.message).toContain('SHUTTING_DOWN');
      expect(res.json.error.details).toMatchObject({ reachable: true, ready: false });
    } finally {
      await draining.stop();
    }
  });
});
