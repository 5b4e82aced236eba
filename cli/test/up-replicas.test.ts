import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../server/test/harness.js';
import { alive, killAll, mes, start, tempDir, within } from './helpers.js';

afterAll(async () => {
  await killAll();
});


describe('mes up --replicas', () => {
  it('--replicas 2 --json: one JSON line with the front URL, the key and the replicas; requests through the front; SIGTERM stops every replica', async () => {
    const db = await freshPostgresDatabase();
    try {
      const up = start(['up', '--replicas', '2', '--database', db.url, '--port', '0', '--json', '--log-level', 'warn']);
      const ready = JSON.parse(await within(up.firstLine, 120_000, 'mes up --replicas first line'));
      expect(Object.keys(ready).sort()).toEqual(['apiKey', 'replicas', 'tenant', 'url']);
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.apiKey).toMatch(/^mes_/);
      expect(ready.replicas).toHaveLength(2);
      for (const r of ready.replicas) {
        expect(r).toMatchObject({ id: expect.stringMatching(/^r\d+$/), pid: expect.any(Number), port: expect.any(Number), release: '0.1.0' });
        expect(alive(r.pid)).toBe(true);
      }
      for (let i = 0; i < 4; i++) {
        const me = await fetch(`${ready.url}/v1/me`, { headers: { authorization: `Bearer ${ready.apiKey}` } });
        expect(me.status).toBe(200);
      }
      // Platform events on stderr; the key never there.
      expect(up.out().stderr).toMatch(/\[platform\] \S+ replica_ready: r\d+ in rotation/);
      expect(up.out().stderr).not.toContain(ready.apiKey);

      up.child.kill('SIGTERM');
      expect(await within(up.exited, 30_000, 'mes up --replicas after SIGTERM')).toEqual({ code: 0, signal: null });
      expect(up.out().stdout.trim().split('\n')).toHaveLength(1);
      for (const r of ready.replicas) expect(alive(r.pid)).toBe(false);
      expect(up.out().stderr).toMatch(/platform_stopped/);
      // The replica logs stay for the operator; this test removes its own.
      const logDir = /replica logs in (\S+)/.exec(up.out().stderr)?.[1];
      expect(logDir).toBeDefined();
      rmSync(logDir!, { recursive: true, force: true });
    } finally {
      await killAll();
      await db.drop();
    }
  });

  it('--replicas: when mes itself is killed (kill -9), its replicas shut themselves down instead of living on', async () => {
    const db = await freshPostgresDatabase();
    try {
      const up = start(['up', '--replicas', '1', '--database', db.url, '--port', '0', '--json', '--log-level', 'warn']);
      const ready = JSON.parse(await within(up.firstLine, 120_000, 'mes up --replicas 1'));
      const pid: number = ready.replicas[0].pid;
      expect(alive(pid)).toBe(true);
      up.child.kill('SIGKILL');
      await within(up.exited, 10_000, 'mes after SIGKILL');
      const t0 = Date.now();
      while (alive(pid) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pid)).toBe(false);
      const logDir = /replica logs in (\S+)/.exec(up.out().stderr)?.[1];
      if (logDir) rmSync(logDir, { recursive: true, force: true });
    } finally {
      await killAll();
      await db.drop();
    }
  });

  it('--replicas without a PostgreSQL URL: exit 2, telling to pass --database postgres://…', async () => {
    const dir = tempDir('mes-up-replicas-');
    try {
      const res = await mes(['up', '--replicas', '2', '--data-dir', dir.dir], { env: { MES_DATABASE_URL: undefined } });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('--database postgres://');
      expect(res.stdout).toBe('');
    } finally {
      dir.remove();
    }
  });
});
