import { existsSync, readdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BackupError, BackupSetReader, DataDirLockedError, lockDataDir, openDatabase, restoreInstance, sendBackup, type BackupSource, type RestoreProgress } from '@mes/server';
import { CommandFailure, EXIT, MesApiCommand } from '../../base-command.js';
import { backupLocation } from '../../backup/destination.js';
import { migratedForward } from '../../backup/operations.js';
import { backupFailure, keyFlags, keySource } from '../../backup/support.js';
import { Progress, seconds } from '../../progress.js';
import { redactUrl } from '../../format.js';

export interface BackupRestoreResult {
  backupId: string;
  /** database: PostgreSQL by URL; data-dir: the embedded database; instance: one tenant into a running MES through its API. */
  into: 'database' | 'data-dir' | 'instance';
  target: string;
  tenant?: { id: string; slug: string; renumbered?: string[]; platformAdminsDemoted?: number };
  tables: number;
  rows: number;
  migratedForward: string[];
  durationMs: number;
  /** A new admin API key, shown once: the backup had no secrets, so its keys and passwords do not work. */
  recoveryKey?: string;
}

export default class BackupRestore extends MesApiCommand<typeof BackupRestore> {
  static override summary = 'Restore a backup into an empty database, or one tenant into a running MES.';

  static override description = `Into a database (--database postgres://… or --data-dir for the embedded one): the whole backup, or with --tenant that tenant alone, in one transaction: the backup's schema is built, every table loaded and checked against the manifest (rows and content hash), keys, indexes and foreign keys rebuilt and validated, sequences set, and the schema migrated forward to this version's. The database must be empty (refused with RESTORE_TARGET_NOT_EMPTY otherwise; --force replaces its contents). An interrupted restore leaves it as it was: PostgreSQL rolls the transaction back, and the embedded database is restored into a new directory swapped in only at the end.

Into a running MES (--tenant with --url and a platform admin's --api-key, no --database): the tenant is sent to POST /v1/tenant-restores (S1-8.2: moving a tenant between instances). It keeps its id, so its audit chain verifies; --as gives it another slug. Refused if the instance already has it.

A backup from a newer schema is refused (BACKUP_SCHEMA_NEWER); one from an older schema is migrated forward. After restoring a backup made without --encrypt (secrets redacted) no key or password works: the restore prints a new admin key, once.`;

  static override examples = [
    { description: 'The whole instance into a new PostgreSQL database', command: '<%= config.bin %> <%= command.id %> /var/backups/mes/20261203T021050Z-instance-3fa2b1 --database postgres://mes@db:5432/mes_restored --passphrase-file /etc/mes/backup.pass' },
    { description: 'Into the embedded database of a new data directory', command: '<%= config.bin %> <%= command.id %> /var/backups/mes/20261203T021050Z-instance-3fa2b1 --data-dir /var/lib/mes-restored' },
    { description: 'Move tenant acme into another instance as acme-eu', command: '<%= config.bin %> <%= command.id %> /var/backups/mes/20261203T021050Z-tenant-acme-9c01d2 --tenant acme --as acme-eu --url https://mes-eu.example.com --api-key $EU_ADMIN_KEY' },
  ];

  static override args = {
    backup: Args.string({ description: 'The backup: <destination>/<id> (a directory or s3://bucket/prefix/<id>).', required: true }),
  };

  static override flags = {
    database: Flags.string({ summary: 'Restore into this empty PostgreSQL database (postgres://…).' }),
    'data-dir': Flags.string({ summary: 'Restore into the embedded database of this data directory (<dir>/pgdata).' }),
    tenant: Flags.string({ summary: 'Only this tenant (slug in the backup); without --database/--data-dir, into the MES at --url.' }),
    as: Flags.string({ summary: 'With --tenant into a running MES: the slug it gets there.' }),
    force: Flags.boolean({ summary: 'Replace what the target database holds.', default: false }),
    ...keyFlags,
  };

  public async run(): Promise<BackupRestoreResult> {
    const f = this.flags;
    if (f.database && f['data-dir']) throw usage('give --database or --data-dir, not both');
    if (!f.database && !f['data-dir'] && !f.tenant) throw usage('say where to restore: --database postgres://…, --data-dir <dir>, or --tenant <slug> (into the MES at --url)');
    if (f.as && (f.database || f['data-dir'] || !f.tenant)) throw usage('--as renames a tenant restored into a running MES: use it with --tenant and without --database/--data-dir');
    const { destination, id } = backupLocation(this.args.backup);
    const local = await destination.open(id);
    const progress = new Progress();
    try {
      const reader = await BackupSetReader.open(local.dir, { key: keySource(f) });
      let source: BackupSource = reader;
      if (f.tenant) {
        const tenant = reader.manifest.tenants.find((t) => t.slug === f.tenant);
        if (!tenant) throw new BackupError('TENANT_NOT_IN_BACKUP', `backup ${id} holds no tenant ${f.tenant} (it holds ${reader.manifest.tenants.map((t) => t.slug).join(', ')})`, 'manifest.json');
        source = reader.forTenant(tenant.id);
      }
      if (f.database || f['data-dir']) return await this.intoDatabase(source, progress);
      return await this.intoInstance(source, progress);
    } catch (err) {
      throw backupFailure(err);
    } finally {
      progress.clear();
      await local.release();
    }
  }

  private async intoDatabase(source: BackupSource, progress: Progress): Promise<BackupRestoreResult> {
    const f = this.flags;
    const onProgress = (p: RestoreProgress) => progress.line(p.phase === 'table' ? `restored ${p.table} (${p.index}/${p.total}, ${p.rows} rows)` : `${p.phase}…`);
    let report;
    let target: string;
    if (f.database) {
      target = redactUrl(f.database);
      const db = await openDatabase({ url: f.database, dataDir: '.', poolSize: 1 });
      try {
        report = await restoreInstance(db, source, { force: f.force, recoveryKey: true, onProgress });
      } finally {
        await db.close();
      }
    } else {
      target = path.resolve(f['data-dir']!, 'pgdata');
      report = await restoreDataDir(path.resolve(f['data-dir']!), source, f.force, onProgress);
    }
    const m = source.manifest;
    this.log(`restored ${m.id} into ${target}: ${report.tables} tables, ${report.rows} rows in ${seconds(report.durationMs)}${report.migratedForward.length ? `; migrated forward: ${report.migratedForward.join(', ')}` : ''}`);
    if (report.recoveryKey) this.log(`the backup had no secrets: new API key for ${report.recoveryKey.username} of ${report.recoveryKey.tenant} (shown once): ${report.recoveryKey.key}`);
    return {
      backupId: m.id, into: f.database ? 'database' : 'data-dir', target, tables: report.tables, rows: report.rows, migratedForward: report.migratedForward, durationMs: report.durationMs,
      ...(m.scope.kind === 'tenant' ? { tenant: { id: m.scope.tenantId, slug: m.scope.slug } } : {}),
      ...(report.recoveryKey ? { recoveryKey: report.recoveryKey.key } : {}),
    };
  }

  private async intoInstance(source: BackupSource, progress: Progress): Promise<BackupRestoreResult> {
    const t0 = performance.now();
    const forward = await migratedForward(source, progress);
    try {
      progress.line(`sending tenant ${source.manifest.tenants[0].slug} to ${this.url}${this.flags.as ? ` as ${this.flags.as}` : ''}`);
      const r = await this.client.backups.restoreTenant(sendBackup(forward.source), this.flags.as ? { as: this.flags.as } : {});
      this.log(`restored tenant ${r.slug} (${r.tenantId}) into ${this.url}: ${r.tables} tables, ${r.rows} rows${r.renumbered.length ? `; numbered afresh: ${r.renumbered.join(', ')}` : ''}`);
      if (r.platformAdminsDemoted) this.log(`${r.platformAdminsDemoted} of its users were platform admins where they came from; they are not here`);
      if (r.recoveryKey) this.log(`the backup had no secrets: new admin API key of the tenant (shown once): ${r.recoveryKey}`);
      return {
        backupId: source.manifest.id, into: 'instance', target: this.url, tenant: { id: r.tenantId, slug: r.slug, renumbered: r.renumbered, platformAdminsDemoted: r.platformAdminsDemoted },
        tables: r.tables, rows: r.rows, migratedForward: source === forward.source ? [] : forward.source.manifest.schema.migrations.filter((m) => !source.manifest.schema.migrations.some((x) => x.name === m.name)).map((m) => m.name),
        durationMs: Math.round(performance.now() - t0), ...(r.recoveryKey ? { recoveryKey: r.recoveryKey } : {}),
      };
    } finally {
      await forward.release();
    }
  }
}

const usage = (message: string) => new CommandFailure(message, { code: 'USAGE', exit: EXIT.usage });

/**
 * The embedded database: restored into <dir>/pgdata.restoring, a directory of its own, and swapped
 * in only when complete, so a restore killed midway leaves <dir>/pgdata as it was. The data
 * directory's lock keeps a running `mes up` out meanwhile.
 */
async function restoreDataDir(dir: string, source: BackupSource, force: boolean, onProgress: (p: RestoreProgress) => void) {
  let release: () => void;
  try {
    release = lockDataDir(dir);
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CommandFailure(err.message, { code: err.code, cause: err });
    throw err;
  }
  try {
    const live = path.join(dir, 'pgdata');
    if (existsSync(live) && readdirSync(live).length && !force) {
      throw new BackupError('RESTORE_TARGET_NOT_EMPTY', `${live} holds a database: restore into another --data-dir, or pass --force to replace it`);
    }
    const fresh = path.join(dir, 'pgdata.restoring');
    await rm(fresh, { recursive: true, force: true }); // left by a restore that was killed
    const db = await openDatabase({ url: fresh, dataDir: dir });
    let report;
    try {
      report = await restoreInstance(db, source, { recoveryKey: true, onProgress });
    } finally {
      await db.close();
    }
    const old = path.join(dir, `pgdata.replaced-${Date.now()}`);
    if (existsSync(live)) await rename(live, old);
    await rename(fresh, live);
    await rm(old, { recursive: true, force: true });
    return report;
  } finally {
    release();
  }
}
