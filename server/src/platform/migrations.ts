import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database, Sql } from './db.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/** A migration that was applied and has since been edited: the schema no longer matches its files. */
export class MigrationChecksumError extends Error {
  readonly code = 'MIGRATION_CHECKSUM_MISMATCH';
  constructor(readonly file: string, readonly expected: string, readonly actual: string) {
    super(
      `migration ${file} was changed after it was applied (applied checksum ${expected.slice(0, 12)}, file now ${actual.slice(0, 12)}). ` +
        'Applied migrations are forward-only: restore the original file and add a new migration for the change.',
    );
  }
}

export class MigrationUnknownError extends Error {
  readonly code = 'MIGRATION_UNKNOWN';
  constructor(readonly file: string) {
    super(`the database has migration ${file} applied, which this server does not know: it was migrated by a newer mes version.`);
  }
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(`${dir}/${name}`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// Any fixed number: the advisory lock that keeps two starting replicas from migrating at once.
const MIGRATION_LOCK = 4_210_771;

/** Applies pending migrations in order, each in its own transaction; stops on a changed file. */
export async function migrate(db: Database, files = readMigrations()): Promise<MigrationReport> {
  return db.asOwner(async (sql) => {
    const postgres = db.kind === 'postgres';
    if (postgres) await sql.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await sql.query(SCHEMA_MIGRATIONS_TABLE);
      const { rows } = await sql.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name');
      const applied = new Map(rows.map((r) => [r.name, r.checksum]));
      checkApplied(applied, files);
      const report: MigrationReport = { applied: [], alreadyApplied: [...applied.keys()] };
      for (const file of files.filter((f) => !applied.has(f.name))) {
        await applyOne(sql, file, postgres);
        report.applied.push(file.name);
      }
      return report;
    } finally {
      if (postgres) await sql.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}

function checkApplied(applied: Map<string, string>, files: MigrationFile[]): void {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const [name, checksum] of applied) {
    const file = byName.get(name);
    if (!file) throw new MigrationUnknownError(name);
    if (file.checksum !== checksum) throw new MigrationChecksumError(name, checksum, file.checksum);
  }
}

const SCHEMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;

/**
 * Applies migrations in the caller's transaction, without the lock: a restore builds the schema
 * of the backup it loads, then migrates it forward, all in the one transaction of the restore.
 */
export async function applyMigrations(sql: Sql, files: MigrationFile[]): Promise<void> {
  await sql.query(SCHEMA_MIGRATIONS_TABLE);
  for (const file of files) await applyOne(sql, file, false);
}

async function applyOne(sql: Sql, file: MigrationFile, ownTransaction: boolean): Promise<void> {
  // PGlite's owner session is already one transaction; PostgreSQL gets one per file.
  if (ownTransaction) await sql.query('BEGIN');
  try {
    await sql.query(file.sql);
    await sql.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
    if (ownTransaction) await sql.query('COMMIT');
  } catch (err) {
    if (ownTransaction) await sql.query('ROLLBACK');
    throw new Error(`migration ${file.name} failed: ${(err as Error).message}`, { cause: err });
  }
}
