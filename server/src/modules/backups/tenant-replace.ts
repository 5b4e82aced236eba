/**
 * One tenant's rows replaced in place by a backup of that same tenant (a cutover's rollback,
 * S1-7.3-a), and a tenant's rows of some tables removed (a cutover's cleaning of trial data).
 *
 * Both run in one transaction as the owner with the tenant set, so row-level security still holds
 * the work to that tenant's rows; a failure leaves the tenant as it was. The append-only and
 * released-version triggers (stock movements, count entries, BOM lines) guard the application's
 * writes: they are set aside for this transaction only, on the tables that have them, which takes
 * those tables' exclusive lock until the commit (other tenants' writes to them wait that long).
 * Rows keep their ids, identity values included: the instance never reuses an identity value, so
 * the values the backup had are free again once the tenant's later rows are gone.
 */
import { BULK_SESSION_SETTINGS, scopeTo } from './dump.js';
import type { BackupSource } from './backup-set.js';
import type { BulkSession, Database } from '../../platform/db.js';
import { BackupError } from './errors.js';
import { quoteIdent as q, readSchema, TENANTS_TABLE, type SchemaMap } from './introspect.js';
import { createPartitions, loadTable } from './restore.js';

export interface TenantReplaceReport {
  tables: number;
  rowsRemoved: number;
  rowsRestored: number;
}

/**
 * Replaces the tenant's rows of every tenant table, except `keep`, with the backup's. `keep`
 * names tables whose rows stay as they are now (the audit chain, which only grows; the cutover's
 * own record). The backup must be this tenant's and at this instance's schema.
 */
export async function replaceTenantRows(db: Database, source: BackupSource, tenantId: string, keep: ReadonlySet<string>): Promise<TenantReplaceReport> {
  const { manifest } = source;
  if (manifest.scope.kind !== 'tenant' || manifest.scope.tenantId !== tenantId) throw new BackupError('BACKUP_STREAM_INVALID', `the backup is not of tenant ${tenantId}`);
  return db.bulk({}, async (s) => {
    await s.query(BULK_SESSION_SETTINGS);
    await requireSchema(s, manifest.schema.migrations);
    const schema = await readSchema(s);
    await scopeTo(s, tenantId);
    const replaced = schema.tables.filter((t) => t.tenantKey === 'tenant_id' && !keep.has(t.name)).map((t) => t.name);
    return withoutUserTriggers(s, replaced, async () => {
      const rowsRemoved = await deleteRows(s, schema, tenantId, replaced);
      let rowsRestored = 0;
      for (const entry of manifest.tables) {
        if (!replaced.includes(entry.name)) {
          // The tenants row, platform rows and kept tables: the stream moves past them.
          for await (const _ of source.table(entry)) void _;
          continue;
        }
        const table = schema.tables.find((t) => t.name === entry.name)!;
        if (entry.partitions?.length) await createPartitions(s, entry, true);
        const stage = q(`mes_replace_${entry.name}`);
        await s.query(`CREATE TEMP TABLE ${stage} (LIKE ${q(entry.name)}) ON COMMIT DROP`);
        rowsRestored += await loadTable(s, source, entry, table, stage);
        const columns = entry.columns.map(q).join(', ');
        const identity = entry.identity.length ? ' OVERRIDING SYSTEM VALUE' : '';
        await s.query(`INSERT INTO ${q(entry.name)} (${columns})${identity} SELECT ${columns} FROM ${stage}`);
      }
      return { tables: replaced.length, rowsRemoved, rowsRestored };
    });
  });
}

/** Removes the tenant's rows of `tables` (children first); returns how many rows went. */
export async function removeTenantRows(db: Database, tenantId: string, tables: readonly string[]): Promise<{ table: string; rows: number }[]> {
  return db.bulk({}, async (s) => {
    await s.query(BULK_SESSION_SETTINGS);
    const schema = await readSchema(s);
    const unknown = tables.filter((t) => !schema.tables.some((x) => x.name === t && x.tenantKey === 'tenant_id'));
    if (unknown.length) throw new Error(`not tenant tables: ${unknown.join(', ')}`);
    await scopeTo(s, tenantId);
    const removed: { table: string; rows: number }[] = [];
    await withoutUserTriggers(s, tables, async () => {
      for (const t of [...schema.tables].reverse().filter((x) => tables.includes(x.name))) {
        const r = await s.query(`DELETE FROM ${q(t.name)} WHERE tenant_id = $1`, [tenantId]);
        removed.push({ table: t.name, rows: r.rowCount ?? 0 });
      }
    });
    return removed;
  });
}

async function deleteRows(s: BulkSession, schema: SchemaMap, tenantId: string, tables: string[]): Promise<number> {
  let n = 0;
  for (const t of [...schema.tables].reverse().filter((x) => tables.includes(x.name) && x.name !== TENANTS_TABLE)) {
    n += (await s.query(`DELETE FROM ${q(t.name)} WHERE tenant_id = $1`, [tenantId])).rowCount ?? 0;
  }
  return n;
}

/** Runs fn with the user triggers of those of `tables` that have any disabled, and enables them again. */
async function withoutUserTriggers<T>(s: BulkSession, tables: readonly string[], fn: () => Promise<T>): Promise<T> {
  const { rows } = await s.query<{ name: string }>(
    `SELECT DISTINCT c.relname AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT g.tgisinternal AND c.relname = ANY($1::text[]) ORDER BY 1`,
    [tables],
  );
  for (const r of rows) await s.query(`ALTER TABLE ${q(r.name)} DISABLE TRIGGER USER`);
  const result = await fn();
  for (const r of rows) await s.query(`ALTER TABLE ${q(r.name)} ENABLE TRIGGER USER`);
  return result;
}

async function requireSchema(s: BulkSession, backup: { name: string; checksum: string }[]): Promise<void> {
  const { rows } = await s.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name');
  const here = rows.map((r) => `${r.name}:${r.checksum}`).join(',');
  if (here !== backup.map((m) => `${m.name}:${m.checksum}`).join(',')) {
    throw new BackupError('BACKUP_SCHEMA_MISMATCH', 'the backup point was taken at another schema than this instance has now: the instance was upgraded during the cutover; restore with mes backup restore instead');
  }
}
