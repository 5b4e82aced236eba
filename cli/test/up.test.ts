import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../server/test/harness.js';
import { killAll, mes, mesJson, start, tempDir, within } from './helpers.js';

const dirs: Array<{ remove(): void }> = [];
const newDir = () => {
  const d = tempDir('mes-up-');
  dirs.push(d);
  return d.dir;
};

afterAll(async () => {
  await killAll();
  for (const d of dirs) d.remove();
});

describe('mes up', () => {
  it('--json prints one line with the real URL, the tenant and the admin key once; SIGTERM stops it with exit 0', async () => {
    const dataDir = newDir();
    const up = start(['up', '--json', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn']);
    const line = await within(up.firstLine, 60_000, 'mes up first line');
    const ready = JSON.parse(line);
    expect(Object.keys(ready).sort()).toEqual(['apiKey', 'tenant', 'url']);
    expect(ready.tenant).toBe('default');
    expect(ready.apiKey).toMatch(/^mes_/);
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.url).not.toMatch(/:0$/);

    const readyz = await fetch(`${ready.url}/readyz`);
    expect(readyz.status).toBe(200);
    const me = await fetch(`${ready.url}/v1/me`, { headers: { authorization: `Bearer ${ready.apiKey}` } });
    expect(me.status).toBe(200);

    // The key went to stdout only: never into the logs on stderr.
    expect(up.out().stderr).not.toContain(ready.apiKey);

    // While it runs, the data directory is locked against a second server and against db migrate.
    const second = await mes(['up', '--port', '0', '--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/data directory .* is in use by another mes process/);
    const migrate = await mes(['db', 'migrate', '--data-dir', dataDir]);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toMatch(/in use by another mes process/);

    const t0 = Date.now();
    up.child.kill('SIGTERM');
    const exit = await within(up.exited, 15_000, 'mes up after SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(15_000);
    // Exactly one line of stdout in --json mode.
    expect(up.out().stdout.trim().split('\n')).toHaveLength(1);

    // A second start on the same data directory prints no key: it was shown once.
    const again = start(['up', '--json', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn']);
    const againReady = JSON.parse(await within(again.firstLine, 60_000, 'second mes up'));
    expect(againReady.tenant).toBe('default');
    expect(againReady).not.toHaveProperty('apiKey');
    const me2 = await fetch(`${againReady.url}/v1/me`, { headers: { authorization: `Bearer ${ready.apiKey}` } });
    expect(me2.status).toBe(200);
    again.child.kill('SIGINT');
    expect(await within(again.exited, 15_000, 'mes up after SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('in human mode prints the URL, the tenant and the key with "shown once", logs on stderr only', async () => {
    const dataDir = newDir();
    const up = start(['up', '--port', '0', '--data-dir', dataDir]);
    const first = await within(up.firstLine, 60_000, 'mes up');
    expect(first).toMatch(/^MES \S+ is running at http:\/\/127\.0\.0\.1:\d+$/);
    // Wait for the rest of the banner.
    for (let i = 0; i < 100 && !up.out().stdout.includes('Ctrl+C'); i++) await new Promise((r) => setTimeout(r, 50));
    const { stdout, stderr } = up.out();
    expect(stdout).toContain('tenant:   default');
    expect(stdout).toMatch(/shown once/);
    expect(stdout).toMatch(/export MES_API_KEY=mes_\S+/);
    // Server logs are JSON lines on stderr; none on stdout.
    for (const l of stdout.split('\n')) expect(l.startsWith('{')).toBe(false);
    expect(stderr).toContain('"msg"');
    const key = /export MES_API_KEY=(mes_\S+)/.exec(stdout)![1];
    expect(stderr).not.toContain(key);
    up.child.kill('SIGINT');
    expect(await within(up.exited, 15_000, 'mes up after SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('--database runs on PostgreSQL: key on the first start only, no data directory lock', async () => {
    const db = await freshPostgresDatabase();
    try {
      const dataDir = newDir();
      const up = start(['up', '--json', '--port', '0', '--database', db.url, '--data-dir', dataDir, '--log-level', 'warn']);
      const ready = JSON.parse(await within(up.firstLine, 60_000, 'mes up on PostgreSQL'));
      expect(ready.apiKey).toMatch(/^mes_/);
      expect((await fetch(`${ready.url}/readyz`)).status).toBe(200);
      // A second replica on the same database: it starts (no file lock), and prints no key.
      const replica = start(['up', '--json', '--port', '0', '--database', db.url, '--data-dir', dataDir, '--log-level', 'warn']);
      const replicaReady = JSON.parse(await within(replica.firstLine, 60_000, 'second replica'));
      expect(replicaReady).not.toHaveProperty('apiKey');
      up.child.kill('SIGTERM');
      replica.child.kill('SIGTERM');
      expect(await within(up.exited, 15_000, 'first replica')).toEqual({ code: 0, signal: null });
      expect(await within(replica.exited, 15_000, 'second replica')).toEqual({ code: 0, signal: null });
    } finally {
      await killAll();
      await db.drop();
    }
  });

  it('a port in use: exit 1 with a message naming the port and --port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const res = await mes(['up', '--port', String(port), '--data-dir', newDir(), '--log-level', 'silent']);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`port ${port} is already in use`);
      expect(res.stderr).toContain('--port');
      expect(res.stdout).toBe('');

      const json = await mesJson(['up', '--port', String(port), '--data-dir', newDir(), '--log-level', 'silent']);
      expect(json.code).toBe(1);
      expect(json.json).toMatchObject({ status: 1, error: { code: 'PORT_IN_USE' } });
      expect(json.json.error.message).toContain(String(port));
    } finally {
      blocker.close();
    }
  });
});
