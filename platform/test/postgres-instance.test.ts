import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresInstance } from '../src/index.js';

async function select1(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0].one;
  } finally {
    await client.end();
  }
}

describe('PostgresInstance', () => {
  let instance: PostgresInstance | undefined;
  afterAll(async () => instance?.destroy());

  it('S1-6.1-f: a private cluster on its own port that can be stopped and started again, then removed', async () => {
    instance = await PostgresInstance.create();
    expect(instance.port).not.toBe(5432);
    expect(instance.url).toBe(`postgres://postgres@127.0.0.1:${instance.port}/postgres`);
    expect(await select1(instance.url)).toBe(1);

    // A session open across a fast stop is ended by the server (admin_shutdown).
    const held = new pg.Client({ connectionString: instance.url });
    const ended = new Promise<Error>((resolve) => held.on('error', resolve));
    await held.connect();
    await instance.stop('fast');
    expect(instance.isRunning).toBe(false);
    expect((await ended).message).toMatch(/terminating connection due to administrator command|Connection terminated/);
    await held.end().catch(() => {});
    await expect(select1(instance.url)).rejects.toThrow(/ECONNREFUSED/);

    await instance.start();
    expect(await select1(instance.url)).toBe(1);
    await instance.stop('immediate');
    await instance.start(); // crash recovery
    expect(await select1(instance.url)).toBe(1);

    const dir = instance.dataDir;
    await instance.destroy();
    instance = undefined;
    expect(existsSync(dir)).toBe(false);
  });
});

describe('PostgresInstance.lockTable', () => {
  it('S1-6.1-f: an outside session holds a table until released, and its pid is the blocker', async () => {
    const pgi = await PostgresInstance.create();
    try {
      const setup = new pg.Client({ connectionString: pgi.url });
      await setup.connect();
      await setup.query('CREATE TABLE t (x int)');
      const lock = await pgi.lockTable('t');
      const reader = setup.query('SELECT count(*) FROM t');
      await new Promise((r) => setTimeout(r, 300));
      const probe = new pg.Client({ connectionString: pgi.url });
      await probe.connect();
      const blocked = await probe.query<{ blockers: number[] }>(`SELECT pg_blocking_pids(pid) AS blockers FROM pg_stat_activity WHERE wait_event_type = 'Lock'`);
      expect(blocked.rows.map((r) => r.blockers)).toEqual([[lock.pid]]);
      await lock.release();
      expect((await reader).rows[0].count).toBe('0');
      await Promise.all([setup.end(), probe.end()]);
      await expect(pgi.lockTable('t; DROP TABLE t')).rejects.toThrow(/not a plain table name/);
    } finally {
      await pgi.destroy();
    }
  });
});
