/**
 * One tenant restored into a running instance (S1-8.2: a tenant moved between instances, or
 * brought back). The tenant keeps its id, so its audit chain, whose hashes cover the id, verifies
 * as it did; a tenant whose id the instance already has is refused, and `as` renames the slug.
 *
 * Everything runs in one transaction as the app role with the tenant set, so row-level security
 * holds the restore to that tenant's rows: whatever the stream holds, no other tenant's row can
 * be written. Identity columns keep their values where the instance has not used them, else are
 * numbered afresh (in the original order). Platform rows (plans) are the instance's own.
 */
import type { AuditEntry } from '../../platform/audit.js';
import { appendAudit } from '../../platform/audit.js';
import { APP_ROLE, type BulkSession, type Database } from '../../platform/db.js';
import { conflict, fieldError } from '../../platform/errors.js';
import { demoteArrivedPlatformAdmins, issueRecoveryKey } from '../identity/service.js';
import type { BackupSource } from './backup-set.js';
import { BULK_SESSION_SETTINGS, scopeTo } from './dump.js';
import { BackupError } from './errors.js';
import { quoteIdent as q, readSchema, TENANTS_TABLE, type TableInfo } from './introspect.js';
import type { TableEntry } from './manifest.js';
import { advanceIdentity, createPartitions, loadTable } from './restore.js';

export interface TenantRestoreOptions {
  /** The slug the tenant gets here (default: its own). */
  as?: string;
  /** The audit record of the restore, appended to the caller's tenant in the same transaction. */
  audit: Omit<AuditEntry, 'resource' | 'outcome' | 'details'>;
}

export interface TenantRestoreReport {
  tenantId: string;
  slug: string;
  tables: number;
  rows: number;
  /** Tables whose identity column was numbered afresh: the instance had used their values. */
  renumbered: string[];
  /** Users of the tenant whose platform-admin flag was cleared (it is the receiving instance's to give). */
  platformAdminsDemoted: number;
  /** A new admin key when the backup had no secrets (its keys and passwords do not work). */
  recoveryKey?: string;
}

export async function restoreTenant(db: Database, source: BackupSource, opts: TenantRestoreOptions): Promise<TenantRestoreReport> {
  const { manifest } = source;
  if (manifest.scope.kind !== 'tenant' || manifest.tenants.length !== 1) throw new BackupError('BACKUP_STREAM_INVALID', 'a tenant restore needs a manifest narrowed to one tenant');
  const tenantId = manifest.scope.tenantId;
  const slug = opts.as ?? manifest.scope.slug;
  return db.bulk({}, async (s) => {
    await s.query(BULK_SESSION_SETTINGS);
    await requireSameSchema(s, manifest.schema.migrations);
    const schema = await readSchema(s);
    await s.query(`SET LOCAL ROLE ${APP_ROLE}`);
    await scopeTo(s, tenantId);
    await requireNewTenant(s, tenantId, slug);
    let rows = 0;
    const renumbered: string[] = [];
    for (const entry of manifest.tables) {
      if (entry.slices.every((sl) => sl.tenantId === null)) {
        // Platform rows (its plan): the instance's own stand; the stream moves past them.
        for await (const _ of source.table(entry)) void _;
        continue;
      }
      const table = schema.tables.find((t) => t.name === entry.name);
      if (!table) throw new BackupError('BACKUP_MANIFEST_INVALID', `the manifest lists table ${entry.name}, which this instance does not have`, 'manifest.json');
      const staged = await loadStaged(s, source, entry, table, slug);
      rows += staged.rows;
      if (staged.renumbered) renumbered.push(entry.name);
    }
    const demoted = await demoteArrivedPlatformAdmins(s, tenantId);
    const recovery = manifest.secrets === 'redacted' ? await issueRecoveryKey(s, tenantId) : undefined;
    await scopeTo(s, opts.audit.tenantId);
    await appendAudit(s, { ...opts.audit, resource: `tenant/${tenantId}`, outcome: 'success', details: { backupId: manifest.id, slug, rows, renumbered, platformAdminsDemoted: demoted } });
    return { tenantId, slug, tables: manifest.tables.length, rows, renumbered, platformAdminsDemoted: demoted, ...(recovery ? { recoveryKey: recovery.key } : {}) };
  });
}

/** The instance must be at the backup's schema: the CLI migrates an older tenant backup forward first. */
async function requireSameSchema(s: BulkSession, backup: { name: string; checksum: string }[]): Promise<void> {
  const { rows } = await s.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name');
  const here = new Map(rows.map((r) => [r.name, r.checksum]));
  const unknown = backup.filter((m) => !here.has(m.name)).map((m) => m.name);
  if (unknown.length) throw new BackupError('BACKUP_SCHEMA_NEWER', `the backup's schema has ${unknown.join(', ')}, which this instance has not applied: upgrade the instance first`, 'manifest.json', { unknown });
  const theirs = new Map(backup.map((m) => [m.name, m.checksum]));
  const differ = rows.filter((r) => theirs.get(r.name) !== r.checksum).map((r) => r.name);
  if (differ.length) throw new BackupError('BACKUP_SCHEMA_MISMATCH', `the backup's schema differs from this instance's at ${differ.join(', ')}: migrate the backup forward first (mes backup restore does)`, 'manifest.json', { differ });
}

async function requireNewTenant(s: BulkSession, tenantId: string, slug: string): Promise<void> {
  const { rows } = await s.query<{ id: string; slug: string }>(`SELECT id, slug FROM ${TENANTS_TABLE} WHERE id = $1 OR slug = $2`, [tenantId, slug]);
  const same = rows.find((r) => r.id === tenantId);
  if (same) {
    throw conflict('TENANT_EXISTS', `this instance already has tenant ${tenantId} (as ${same.slug}): a tenant keeps its id, which its audit chain is bound to; restore it into another instance`, { tenantId });
  }
  if (rows.length) throw conflict('TENANT_SLUG_TAKEN', `a tenant with slug ${slug} already exists here; choose another with --as`, { errors: [fieldError('as', 'TAKEN', 'is already in use', 'query')] });
}

/**
 * Through a temporary table: the rows are loaded by the owner (PGlite reads COPY input only as a
 * superuser), then inserted as the app role, within the tenant's row-level security. The tenants
 * row gets its slug there, and identity columns keep their values unless the instance has used
 * them (tried under a savepoint), else are numbered afresh in their original order.
 */
async function loadStaged(s: BulkSession, source: BackupSource, entry: TableEntry, table: TableInfo, slug: string): Promise<{ rows: number; renumbered: boolean }> {
  // The months of a partitioned table (telemetry) this instance has not had yet.
  if (entry.partitions?.length) await asOwner(s, () => createPartitions(s, entry, true));
  const stage = q(`mes_restore_${entry.name}`);
  await s.query(`CREATE TEMP TABLE ${stage} (LIKE ${q(entry.name)}) ON COMMIT DROP`);
  const rows = await asOwner(s, () => loadTable(s, source, entry, table, stage));
  if (entry.name === TENANTS_TABLE) await s.query(`UPDATE ${stage} SET slug = $1`, [slug]);
  const all = entry.columns.map(q).join(', ');
  if (!entry.identity.length) {
    await s.query(`INSERT INTO ${q(entry.name)} (${all}) SELECT ${all} FROM ${stage}`);
    return { rows, renumbered: false };
  }
  const order = ` ORDER BY ${entry.identity.map(q).join(', ')}`;
  await s.query('SAVEPOINT keep_ids');
  try {
    await s.query(`INSERT INTO ${q(entry.name)} (${all}) OVERRIDING SYSTEM VALUE SELECT ${all} FROM ${stage}${order}`);
    await s.query('RELEASE SAVEPOINT keep_ids');
    await asOwner(s, async () => {
      for (const c of entry.identity) await advanceIdentity(s, entry.name, c);
    });
    return { rows, renumbered: false };
  } catch (err) {
    await s.query('ROLLBACK TO SAVEPOINT keep_ids');
    if ((err as { code?: string }).code !== '23505') throw err;
  }
  const rest = entry.columns.filter((c) => !entry.identity.includes(c)).map(q).join(', ');
  await s.query(`INSERT INTO ${q(entry.name)} (${rest}) SELECT ${rest} FROM ${stage}${order}`);
  return { rows, renumbered: true };
}

/** Setting a sequence needs the owner; the session is the app role otherwise. */
async function asOwner<T>(s: BulkSession, fn: () => Promise<T>): Promise<T> {
  await s.query('RESET ROLE');
  const result = await fn();
  await s.query(`SET LOCAL ROLE ${APP_ROLE}`);
  return result;
}
