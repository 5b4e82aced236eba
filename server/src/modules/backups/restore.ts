/**
 * Restoring a whole instance into an empty database, in one transaction: the backup's own schema
 * is built (its migrations), every table loaded with COPY while its keys, indexes, foreign keys and
 * triggers are set aside (then rebuilt, and the foreign keys validated, as pg_restore does),
 * sequences set, and the schema migrated forward to this version's. Row-level security is not
 * forced on the owner meanwhile; nothing else can see the tables until the commit. A failure, or
 * the process being killed, rolls everything back: the target stays as empty as it was.
 */
import { createHash } from 'node:crypto';
import type { BulkSession, Database, Sql } from '../../platform/db.js';
import { applyMigrations } from '../../platform/migrations.js';
import type { BackupSource } from './backup-set.js';
import { storedName } from './backup-set.js';
import { issueRecoveryKey } from '../identity/service.js';
import { BULK_SESSION_SETTINGS, countLines, scopeTo } from './dump.js';
import { BackupError } from './errors.js';
import { quoteIdent as q, readSchema, type SchemaMap, type TableInfo } from './introspect.js';
import { planSchema, type TableEntry } from './manifest.js';

export interface RestoreProgress {
  phase: 'schema' | 'table' | 'constraints' | 'sequences' | 'forward';
  table?: string;
  index?: number;
  total?: number;
  rows?: number;
}

export interface RestoreOptions {
  /** Replace whatever the target holds (its public schema is dropped first, in the same transaction). */
  force?: boolean;
  /**
   * Apply this version's newer migrations after loading (default). Verification leaves the copy
   * at the backup's schema to compare it with the manifest; the server it starts migrates it.
   */
  migrateForward?: boolean;
  /**
   * After a backup without secrets (no key or password works): issue a new API key for the first
   * platform admin, returned once in the report. Not for verification, which compares content.
   */
  recoveryKey?: boolean;
  onProgress?(p: RestoreProgress): void;
}

export interface RestoreReport {
  tables: number;
  rows: number;
  /** Migrations applied after loading: the backup came from an older schema. */
  migratedForward: string[];
  durationMs: number;
  /** The new platform-admin key of a restore from a backup without secrets (recoveryKey). */
  recoveryKey?: { tenant: string; username: string; key: string };
}

export async function restoreInstance(db: Database, source: BackupSource, opts: RestoreOptions = {}): Promise<RestoreReport> {
  const t0 = performance.now();
  const { manifest } = source;
  const plan = planSchema(manifest.schema.migrations);
  const progress = opts.onProgress ?? (() => {});
  let rows = 0;
  let recoveryKey: RestoreReport['recoveryKey'];
  await db.bulk({}, async (s) => {
    await s.query(BULK_SESSION_SETTINGS);
    await prepareTarget(s, opts.force === true);
    progress({ phase: 'schema' });
    await applyMigrations(s, plan.backup);
    const schema = await readSchema(s);
    // The seeds of the migrations (plans) give way to the backup's rows.
    if (schema.tables.length) await s.query(`TRUNCATE ${schema.tables.map((t) => q(t.name)).join(', ')}`);
    const detached = await detach(s, schema);
    // Partitions after the parents' keys and indexes are set aside: reattaching builds theirs too.
    const partitioned = manifest.tables.filter((t) => t.partitions?.length);
    for (const entry of partitioned) await createPartitions(s, entry, false);
    for (const [i, entry] of manifest.tables.entries()) {
      const table = schema.tables.find((t) => t.name === entry.name);
      if (!table) throw new BackupError('BACKUP_MANIFEST_INVALID', `the manifest lists table ${entry.name}, which the backup's schema does not have`, 'manifest.json');
      rows += await loadTable(s, source, entry, table, q(entry.name));
      progress({ phase: 'table', table: entry.name, index: i + 1, total: manifest.tables.length, rows: entry.rows });
    }
    progress({ phase: 'constraints' });
    await detached.reattach(manifest.tables.map((t) => storedName(manifest, t.file)));
    for (const entry of partitioned) await partitionRowSecurity(s, entry);
    progress({ phase: 'sequences' });
    await setSequences(s, source, schema);
    if (plan.forward.length && opts.migrateForward !== false) {
      progress({ phase: 'forward' });
      await applyMigrations(s, plan.forward);
    }
    if (opts.recoveryKey && manifest.secrets === 'redacted') recoveryKey = await platformRecoveryKey(s);
  });
  const forward = opts.migrateForward === false ? [] : plan.forward.map((m) => m.name);
  return { tables: manifest.tables.length, rows, migratedForward: forward, durationMs: Math.round(performance.now() - t0), ...(recoveryKey ? { recoveryKey } : {}) };
}

/** An empty target, or (force) one emptied: anything in its public schema means it is in use. */
async function prepareTarget(s: Sql, force: boolean): Promise<void> {
  const { rows } = await s.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f'))
          + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public') AS n`,
  );
  if (Number(rows[0].n) === 0) return;
  if (!force) {
    throw new BackupError('RESTORE_TARGET_NOT_EMPTY', `the target database is not empty (${rows[0].n} tables, sequences and functions in its public schema): restore into an empty database, or pass --force to replace its contents`);
  }
  await s.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
}

/**
 * Sets aside what slows a bulk load or would check it row by row: foreign keys, primary and
 * unique keys, indexes, user triggers, and forced row-level security. reattach() rebuilds them in
 * that order reversed; a foreign key that no longer holds fails the restore, naming it.
 */
async function detach(s: Sql, schema: SchemaMap) {
  const constraints = await s.query<{ name: string; table: string; def: string; kind: string }>(
    `SELECT k.conname AS name, t.relname AS table, pg_get_constraintdef(k.oid) AS def, k.contype AS kind
       FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND k.contype IN ('p', 'u', 'x', 'f') ORDER BY k.contype = 'f' DESC, k.conname`,
  );
  const indexes = await s.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x'))
      ORDER BY i.relname`,
  );
  const triggered = (await s.query<{ table: string }>(
    `SELECT DISTINCT t.relname AS table FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND NOT g.tgisinternal ORDER BY 1`,
  )).rows.map((r) => r.table);
  const forced = schema.tables.filter((t) => t.forceRls).map((t) => t.name);
  const statements = [
    ...constraints.rows.map((c) => `ALTER TABLE ${q(c.table)} DROP CONSTRAINT ${q(c.name)}`),
    ...indexes.rows.map((i) => `DROP INDEX ${q(i.name)}`),
    ...triggered.map((t) => `ALTER TABLE ${q(t)} DISABLE TRIGGER USER`),
    ...forced.map((t) => `ALTER TABLE ${q(t)} NO FORCE ROW LEVEL SECURITY`),
  ];
  if (statements.length) await s.query(statements.join('; '));
  return {
    async reattach(files: string[]): Promise<void> {
      const keys = constraints.rows.filter((c) => c.kind !== 'f');
      const rebuild = [
        ...keys.map((c) => `ALTER TABLE ${q(c.table)} ADD CONSTRAINT ${q(c.name)} ${c.def}`),
        ...indexes.rows.map((i) => i.def),
      ];
      await runNamed(s, rebuild, 'BACKUP_CONTENT_MISMATCH', files);
      for (const fk of constraints.rows.filter((c) => c.kind === 'f')) {
        await runNamed(s, [`ALTER TABLE ${q(fk.table)} ADD CONSTRAINT ${q(fk.name)} ${fk.def}`], 'BACKUP_FOREIGN_KEY_VIOLATION', files, fk);
      }
      const back = [...triggered.map((t) => `ALTER TABLE ${q(t)} ENABLE TRIGGER USER`), ...forced.map((t) => `ALTER TABLE ${q(t)} FORCE ROW LEVEL SECURITY`)];
      if (back.length) await s.query(back.join('; '));
    },
  };
}

/** Runs DDL; a key or foreign key the data breaks becomes a BackupError naming the table's file. */
async function runNamed(s: Sql, statements: string[], code: 'BACKUP_CONTENT_MISMATCH' | 'BACKUP_FOREIGN_KEY_VIOLATION', files: string[], fk?: { name: string; table: string }): Promise<void> {
  if (!statements.length) return;
  try {
    await s.query(statements.join('; '));
  } catch (err) {
    const e = err as { message: string; table?: string; constraint?: string };
    const table = fk?.table ?? e.table;
    const file = table ? files.find((f) => f.replace(/\.enc$/, '').endsWith(`-${table}.copy.gz`)) : undefined;
    const what = fk ? `foreign key ${fk.name} of ${fk.table} does not hold` : 'a key or index cannot be rebuilt';
    throw new BackupError(code, `${what} in the restored data${file ? ` (${file})` : ''}: ${e.message}`, file, { constraint: fk?.name ?? e.constraint });
  }
}

/** Loads one table's COPY text, counting and hashing it on the way: it must be what the manifest says. */
export async function loadTable(s: BulkSession, source: BackupSource, entry: TableEntry, table: TableInfo, into: string): Promise<number> {
  const file = storedName(source.manifest, entry.file);
  const missing = entry.columns.filter((c) => !table.columns.some((x) => x.name === c));
  if (missing.length) throw new BackupError('BACKUP_MANIFEST_INVALID', `${entry.name} has no column ${missing.join(', ')} in the backup's schema`, 'manifest.json');
  const hash = createHash('sha256');
  let rows = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of source.table(entry)) {
      hash.update(chunk);
      rows += countLines(chunk);
      yield chunk;
    }
  }
  try {
    await s.copyIn(into, entry.columns.map(q), counted());
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError('BACKUP_FILE_CORRUPT', `${file} does not load into ${entry.name}: ${(err as Error).message}`, file);
  }
  if (rows !== entry.rows) {
    throw new BackupError('BACKUP_ROW_COUNT_MISMATCH', `${file} holds ${rows} rows of ${entry.name}, the manifest says ${entry.rows}`, file, { table: entry.name, rows, expected: entry.rows });
  }
  if (hash.digest('hex') !== entry.sha256) {
    throw new BackupError('BACKUP_CONTENT_MISMATCH', `${file}: the rows of ${entry.name} do not hash to what the manifest says`, file, { table: entry.name });
  }
  return rows;
}

/**
 * The partitions a table had at the snapshot, each with its bound; with `rowSecurity`, also
 * their row-level security as it was (a restore into a running instance, where nothing is set aside).
 */
export async function createPartitions(s: Sql, entry: TableEntry, rowSecurity: boolean): Promise<void> {
  for (const p of entry.partitions ?? []) {
    if (!/^FOR VALUES /.test(p.bound) && p.bound !== 'DEFAULT') throw new BackupError('BACKUP_MANIFEST_INVALID', `partition ${p.name} of ${entry.name} has no valid bound`, 'manifest.json');
    await s.query(`CREATE TABLE IF NOT EXISTS ${q(p.name)} PARTITION OF ${q(entry.name)} ${p.bound}`);
  }
  if (rowSecurity) await partitionRowSecurity(s, entry);
}

async function partitionRowSecurity(s: Sql, entry: TableEntry): Promise<void> {
  for (const p of entry.partitions ?? []) {
    if (p.rowSecurity) await s.query(`ALTER TABLE ${q(p.name)} ENABLE ROW LEVEL SECURITY`);
    if (p.forceRowSecurity) await s.query(`ALTER TABLE ${q(p.name)} FORCE ROW LEVEL SECURITY`);
  }
}

/** Sequences where the backup had them; identity sequences at least past the highest restored value. */
async function setSequences(s: Sql, source: BackupSource, schema: SchemaMap): Promise<void> {
  for (const seq of source.manifest.sequences) {
    if (schema.sequences.includes(seq.name)) await s.query('SELECT setval($1::regclass, $2::bigint, $3)', [q(seq.name), seq.lastValue, seq.isCalled]);
  }
  for (const t of schema.tables) for (const c of t.columns.filter((x) => x.identity)) await advanceIdentity(s, t.name, c.name);
}

/** Moves an identity column's sequence past the highest value in the table (never backwards). */
export async function advanceIdentity(s: Sql, table: string, column: string): Promise<void> {
  await s.query(
    `SELECT setval(x.seq, x.top) FROM (SELECT pg_get_serial_sequence($1, $2)::regclass AS seq, (SELECT max(${q(column)}) FROM ${q(table)}) AS top) x
      WHERE x.top IS NOT NULL AND x.top > coalesce(pg_sequence_last_value(x.seq), 0)`,
    [q(table), column],
  );
}

/** A key for the first platform admin found (tenants oldest first), in that tenant's scope. */
async function platformRecoveryKey(s: Sql): Promise<RestoreReport['recoveryKey']> {
  await scopeTo(s, null);
  const tenants = (await s.query<{ id: string; slug: string }>('SELECT id, slug FROM tenants ORDER BY created_at, id')).rows;
  for (const t of tenants) {
    await scopeTo(s, t.id);
    const issued = await issueRecoveryKey(s, t.id, true);
    if (issued) return { tenant: t.slug, username: issued.username, key: issued.key };
  }
  return undefined;
}
