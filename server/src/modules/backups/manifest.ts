/**
 * The manifest: what a backup holds and how to check it. `manifest.json` is canonical JSON,
 * signed as it is (`manifest.sig`, Ed25519, with `signer.pub.pem`); it is never encrypted, since
 * it holds counts, hashes, table and tenant names, and no business data.
 */
import { readMigrations, type MigrationFile } from '../../platform/migrations.js';
import type { LedgerTotals } from '../inventory/integrity.js';
import type { EncryptionInfo } from './crypto.js';
import type { PartitionInfo } from './introspect.js';
import { BackupError } from './errors.js';

export const BACKUP_FORMAT = 'mes-backup';
export const BACKUP_FORMAT_VERSION = 1;

export type BackupScope = { kind: 'instance' } | { kind: 'tenant'; tenantId: string; slug: string };

/** One COPY of a table: a tenant's rows (tenantId), or the rows of a platform table (null). */
export interface TableSlice {
  tenantId: string | null;
  rows: number;
  /** SHA-256 of the slice's COPY text. */
  sha256: string;
}

export interface TableEntry {
  name: string;
  /** Path of its file in the backup. */
  file: string;
  /** The columns of the COPY text, in order. */
  columns: string[];
  /** Identity columns (numbered by a sequence of the instance). */
  identity: string[];
  /** The tables its foreign keys point at. */
  references: string[];
  rows: number;
  /** SHA-256 of the table's whole COPY text (its slices in order), before compression. */
  sha256: string;
  slices: TableSlice[];
  /** Secret columns written as a redaction marker (unencrypted backups). */
  redacted: string[];
  /**
   * A partitioned table's partitions at the snapshot (telemetry months): created before its rows
   * load, since the migrations create none. Absent in backups taken before this field existed.
   */
  partitions?: PartitionInfo[];
}

export interface TenantSummary {
  id: string;
  slug: string;
  audit: { headSeq: number; headHash: string | null };
  ledger: LedgerTotals;
}

export interface MigrationRef {
  name: string;
  checksum: string;
}

/** What the dump itself knows; the writer adds files, encryption and the creating tool. */
export interface DumpManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  id: string;
  scope: BackupScope;
  /** The instant of the consistent snapshot: nothing committed after it is in the backup. */
  snapshotAt: string;
  finishedAt: string;
  /** The newest audit record in the backup: the age of the newest data. */
  newestRecordAt: string | null;
  source: { database: 'postgres' | 'pglite'; serverVersion: string; databaseVersion: string };
  schema: { migrations: MigrationRef[] };
  secrets: 'included' | 'redacted';
  compression: 'gzip';
  tables: TableEntry[];
  /** Instance backups: every sequence's position, set again on restore. */
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
  tenants: TenantSummary[];
}

export interface BackupManifest extends DumpManifest {
  tool: { name: string; version: string };
  encryption: EncryptionInfo | null;
  /** Every file but the manifest and its signature, with its size and SHA-256 as stored. */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** Where a backup's schema stands against this tool's migrations. */
export interface SchemaPlan {
  /** The backup's own migrations, applied before its data is loaded. */
  backup: MigrationFile[];
  /** Newer migrations this tool has, applied after loading (the backup is migrated forward). */
  forward: MigrationFile[];
}

/**
 * A backup from a newer schema (a migration this tool does not have) is refused; one whose
 * migration files differ from this tool's is too; an older one is migrated forward.
 */
export function planSchema(backup: MigrationRef[], local: MigrationFile[] = readMigrations()): SchemaPlan {
  const byName = new Map(local.map((m) => [m.name, m]));
  const unknown = backup.filter((m) => !byName.has(m.name)).map((m) => m.name);
  if (unknown.length) {
    throw new BackupError('BACKUP_SCHEMA_NEWER', `the backup was taken by a newer mes (its schema has ${unknown.join(', ')}, which this version does not know): restore it with that version or newer`, 'manifest.json', { unknown });
  }
  const changed = backup.filter((m) => byName.get(m.name)!.checksum !== m.checksum).map((m) => m.name);
  if (changed.length) {
    throw new BackupError('BACKUP_SCHEMA_MISMATCH', `the backup's migrations ${changed.join(', ')} differ from this version's files of the same name`, 'manifest.json', { changed });
  }
  const have = new Set(backup.map((m) => m.name));
  return { backup: local.filter((m) => have.has(m.name)), forward: local.filter((m) => !have.has(m.name)) };
}

/** A parsed manifest of a format this version reads, or BACKUP_MANIFEST_INVALID / BACKUP_FORMAT_UNSUPPORTED. */
export function parseManifest(bytes: Buffer): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BackupError('BACKUP_MANIFEST_INVALID', 'manifest.json is not JSON', 'manifest.json');
  }
  if (manifest?.format !== BACKUP_FORMAT) throw new BackupError('BACKUP_MANIFEST_INVALID', 'manifest.json is not a mes backup manifest', 'manifest.json');
  if (manifest.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupError('BACKUP_FORMAT_UNSUPPORTED', `backup format ${manifest.formatVersion} is not one this version reads (${BACKUP_FORMAT_VERSION})`, 'manifest.json');
  }
  return manifest;
}

/**
 * The manifest narrowed to one tenant: its slice of every tenant table (its `tenants` row
 * included) and the platform tables those reference (plans), which a restore into an empty
 * database needs and a restore into a running instance finds there already.
 */
export function tenantManifest(manifest: BackupManifest, tenantId: string): BackupManifest {
  const tenant = manifest.tenants.find((t) => t.id === tenantId);
  if (!tenant) throw new BackupError('TENANT_NOT_IN_BACKUP', `tenant ${tenantId} is not in backup ${manifest.id}`, 'manifest.json');
  const own = manifest.tables.filter((t) => t.slices.some((s) => s.tenantId === tenantId));
  const needed = new Set(own.flatMap((t) => t.references));
  const platform = manifest.tables.filter((t) => needed.has(t.name) && t.slices.every((s) => s.tenantId === null));
  const tables = manifest.tables
    .filter((t) => own.includes(t) || platform.includes(t))
    .map((t) => {
      if (!own.includes(t)) return t;
      const slice = t.slices.find((s) => s.tenantId === tenantId)!;
      return { ...t, slices: [slice], rows: slice.rows, sha256: slice.sha256 };
    });
  return { ...manifest, scope: { kind: 'tenant', tenantId, slug: tenant.slug }, tables, sequences: [], tenants: [tenant] };
}
