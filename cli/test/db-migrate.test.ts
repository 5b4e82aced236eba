import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../server/test/harness.js';
import { killAll, mes, mesJson, tempDir } from './helpers.js';

const dirs: Array<{ remove(): void }> = [];
afterAll(async () => {
  await killAll();
  for (const d of dirs) d.remove();
});

describe('mes db migrate', () => {
  it('applies 0001_platform.sql to a fresh embedded database, and nothing on a second run', async () => {
    const d = tempDir('mes-migrate-');
    dirs.push(d);
    const first = await mes(['db', 'migrate', '--data-dir', d.dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied\s+0001_platform\.sql$/m);
    expect(first.stdout).toContain('applied; the database is current');

    const second = await mesJson(['db', 'migrate', '--data-dir', d.dir]);
    expect(second.code).toBe(0);
    expect(second.json).toMatchObject({ database: 'pglite', applied: [] });
    expect(second.json.alreadyApplied).toContain('0001_platform.sql');
    const human = await mes(['db', 'migrate', '--data-dir', d.dir]);
    expect(human.stdout).toMatch(/^already applied\s+0001_platform\.sql$/m);
    expect(human.stdout).toContain('Nothing to apply');
  });

  it('migrates a PostgreSQL database given by --database, without printing its password', async () => {
    const db = await freshPostgresDatabase();
    try {
      const url = new URL(db.url);
      url.password = 'sekret';
      const first = await mesJson(['db', 'migrate', '--database', url.toString()]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.json.database).toBe('postgres');
      expect(first.json.applied).toEqual(expect.arrayContaining(['0001_platform.sql']));
      expect(JSON.stringify(first.json)).not.toContain('sekret');
      const second = await mesJson(['db', 'migrate', '--database', db.url]);
      expect(second.json.applied).toEqual([]);

      // An applied migration whose recorded checksum no longer matches its file: refused, file named.
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      await c.query("UPDATE schema_migrations SET checksum = 'edited' WHERE name = '0001_platform.sql'");
      await c.end();
      const changed = await mes(['db', 'migrate', '--database', db.url]);
      expect(changed.code).toBe(1);
      expect(changed.stderr).toContain('migration 0001_platform.sql was changed after it was applied');
      const changedJson = await mesJson(['db', 'migrate', '--database', db.url]);
      expect(changedJson.json).toMatchObject({ status: 1, error: { code: 'MIGRATION_CHECKSUM_MISMATCH' } });
    } finally {
      await db.drop();
    }
  });

  it('a database that cannot be reached: exit 1 with the reason', async () => {
    const res = await mes(['db', 'migrate', '--database', 'postgres://nobody@127.0.0.1:1/none']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/migration failed on postgres:\/\/nobody@127\.0\.0\.1:1\/none: .*ECONNREFUSED/);
  });
});
