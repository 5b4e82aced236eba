/**
 * Forward-only migrations (part of upgrading without downtime, S1-5.3.4): applied once, refused
 * when an applied file changed or the database is ahead of the code, new files applied on top of
 * existing data. Each test gets its own fresh database.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backend, freshPostgresDatabase } from '../../test/harness.js';
import { runCleanups } from '../../test/util.js';
import { openDatabase, type Database } from './db.js';
import { MIGRATIONS_DIR, MigrationChecksumError, MigrationUnknownError, migrate, readMigrations } from './migrations.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(() => runCleanups(cleanups));

async function freshDb(): Promise<Database> {
  let url = 'memory://';
  if (backend === 'postgres') {
    const fresh = await freshPostgresDatabase();
    cleanups.push(fresh.drop);
    url = fresh.url;
  }
  const db = await openDatabase({ url, dataDir: '/tmp/mes-migrations-unused' });
  cleanups.push(() => db.close());
  return db;
}

/** A copy of the shipped migrations in a temporary directory the test may edit. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mes-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const FIRST = '0001_platform.sql';
/** Every shipped migration, in order. */
const SHIPPED = readMigrations().map((f) => f.name);

describe('migrations', () => {
  it('S1-5.3.4: migrating twice applies each file once; the second run applies nothing', async () => {
    const db = await freshDb();
    const first = await migrate(db);
    expect(SHIPPED[0]).toBe(FIRST);
    expect(first).toEqual({ applied: SHIPPED, alreadyApplied: [] });
    const second = await migrate(db);
    expect(second).toEqual({ applied: [], alreadyApplied: SHIPPED });
    const rows = await db.asOwner(async (sql) => (await sql.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name')).rows);
    expect(rows).toEqual(readMigrations().map((f) => ({ name: f.name, checksum: f.checksum })));
  });

  it('S1-5.3.4: an applied migration whose file was edited is refused with MigrationChecksumError naming the file', async () => {
    const db = await freshDb();
    const dir = copyOfMigrations();
    await migrate(db, readMigrations(dir));
    appendFileSync(path.join(dir, FIRST), '\n-- edited after it was applied\n');
    const err = await migrate(db, readMigrations(dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationChecksumError);
    expect((err as MigrationChecksumError).code).toBe('MIGRATION_CHECKSUM_MISMATCH');
    expect((err as Error).message).toContain(FIRST);
    expect((err as MigrationChecksumError).file).toBe(FIRST);
  });

  it('S1-5.3.4: a database carrying a migration the files do not know is refused with MigrationUnknownError', async () => {
    const db = await freshDb();
    const dir = copyOfMigrations();
    writeFileSync(path.join(dir, '9001_from_the_future.sql'), 'CREATE TABLE future_things (id int PRIMARY KEY);\n');
    expect(await migrate(db, readMigrations(dir))).toEqual({ applied: [...SHIPPED, '9001_from_the_future.sql'], alreadyApplied: [] });
    // An older server (only the shipped files) starting on that database.
    const err = await migrate(db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationUnknownError);
    expect((err as MigrationUnknownError).code).toBe('MIGRATION_UNKNOWN');
    expect((err as Error).message).toContain('9001_from_the_future.sql');
  });

  it('S1-5.3.4: a migration added later is applied on an existing database with its data intact', async () => {
    const db = await freshDb();
    const dir = copyOfMigrations();
    await migrate(db, readMigrations(dir));
    await db.asOwner(async (sql) => {
      await sql.query(`INSERT INTO tenants (id, slug, name, plan_code) VALUES ('00000000-0000-4000-8000-000000000001', 'keep', 'Keep me', 'basic')`);
      await sql.query(`INSERT INTO users (tenant_id, username, display_name) VALUES ('00000000-0000-4000-8000-000000000001', 'kept', 'Kept user')`);
    });
    writeFileSync(
      path.join(dir, '9001_add_phone.sql'),
      `ALTER TABLE users ADD COLUMN phone text NOT NULL DEFAULT 'none';
       CREATE TABLE widgets (tenant_id uuid NOT NULL REFERENCES tenants (id), name text NOT NULL);
       INSERT INTO widgets SELECT id, 'first' FROM tenants;\n`,
    );
    expect(await migrate(db, readMigrations(dir))).toEqual({ applied: ['9001_add_phone.sql'], alreadyApplied: SHIPPED });
    const after = await db.asOwner(async (sql) => ({
      users: (await sql.query('SELECT username, display_name, phone FROM users')).rows,
      tenants: (await sql.query('SELECT slug, name, plan_code FROM tenants')).rows,
      widgets: (await sql.query('SELECT name FROM widgets')).rows,
    }));
    expect(after).toEqual({
      users: [{ username: 'kept', display_name: 'Kept user', phone: 'none' }],
      tenants: [{ slug: 'keep', name: 'Keep me', plan_code: 'basic' }],
      widgets: [{ name: 'first' }],
    });
    expect(await migrate(db, readMigrations(dir))).toEqual({ applied: [], alreadyApplied: [...SHIPPED, '9001_add_phone.sql'] });
  });

  it('S1-5.3.6: a failing migration reports its own file and error, and leaves no trace', async () => {
    const db = await freshDb();
    const dir = copyOfMigrations();
    await migrate(db, readMigrations(dir));
    writeFileSync(path.join(dir, '9001_broken.sql'), 'CREATE TABLE half_done (id int);\nTHIS IS NOT SQL;\n');
    const err = await migrate(db, readMigrations(dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^migration 9001_broken\.sql failed: syntax error/);
    const state = await db.asOwner(async (sql) => ({
      applied: (await sql.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name),
      halfDone: (await sql.query<{ t: string | null }>(`SELECT to_regclass('public.half_done')::text AS t`)).rows[0].t,
    }));
    expect(state).toEqual({ applied: SHIPPED, halfDone: null });
    // The app session is still the app role after the failure.
    expect((await db.query<{ u: string }>('SELECT current_user AS u')).rows[0].u).toBe('mes_app');
  });
});
