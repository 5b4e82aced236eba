import { Args, Flags } from '@oclif/core';
import type { VerifyReport } from '@mes/server';
import { MesCommand } from '../../base-command.js';
import { backupLocation } from '../../backup/destination.js';
import { verifyStored } from '../../backup/operations.js';
import { backupFailure, keyFlags, keySource, scratchFlag } from '../../backup/support.js';
import { Progress, seconds } from '../../progress.js';

export interface BackupVerifyResult extends VerifyReport {
  location: string;
  scratch: string;
}

export default class BackupVerify extends MesCommand<typeof BackupVerify> {
  static override summary = 'Verify a backup by restoring it into a scratch database and checking the copy.';

  static override description = `In order, stopping at the first failure: the manifest's signature (by the key the catalogue recorded, or --trust); every file's size and SHA-256; the restore into a scratch database (a private PostgreSQL when its binaries are installed, else PGlite; see --scratch) in one transaction; then, on the restored copy, every table's row count and content hash against the manifest, every tenant's audit chain, every ledger balance against the sum of its movements, every foreign key; and last the MES server started on the copy, which must answer /readyz.

Only this marks a backup verified: the result, with the recovery time measured (restore plus server start), goes into the backup's catalogue entry. A failure exits 1 with a code that names what is wrong and, where it is a file, the file: BACKUP_FILE_TRUNCATED, BACKUP_FILE_CORRUPT, BACKUP_SIGNATURE_INVALID, BACKUP_PASSPHRASE_WRONG, BACKUP_ROW_COUNT_MISMATCH, BACKUP_CONTENT_MISMATCH, BACKUP_AUDIT_CHAIN_BROKEN, BACKUP_LEDGER_MISMATCH, BACKUP_FOREIGN_KEY_VIOLATION, BACKUP_SCHEMA_NEWER …`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> /var/backups/mes/20261203T021050Z-instance-3fa2b1 --passphrase-file /etc/mes/backup.pass',
    { description: 'Scratch database on a PostgreSQL server (created and dropped)', command: '<%= config.bin %> <%= command.id %> s3://mes-backups/prod/20261203T021050Z-instance-3fa2b1 --scratch postgres://postgres@db-scratch:5432/postgres --json' },
  ];

  static override args = {
    backup: Args.string({ description: 'The backup: <destination>/<id> (a directory or s3://bucket/prefix/<id>).', required: true }),
  };

  static override flags = {
    ...keyFlags,
    scratch: scratchFlag,
    trust: Flags.string({ summary: 'Accept only this signer (a fingerprint SHA256:…); default: the one the catalogue recorded.' }),
  };

  public async run(): Promise<BackupVerifyResult> {
    const { destination, id } = backupLocation(this.args.backup);
    const progress = new Progress();
    progress.line(`verifying ${id} in ${destination.location}`);
    let result;
    try {
      result = await verifyStored(destination, id, { key: keySource(this.flags), scratch: this.flags.scratch, trust: this.flags.trust }, progress);
    } catch (err) {
      throw backupFailure(err);
    }
    const r = result.report;
    this.log(`verified ${id}: restored ${r.checks.content.tables} tables (${r.checks.content.rows} rows) into ${result.scratch}; contents match the manifest; ` +
      `${r.checks.auditChains.tenants} audit chains (${r.checks.auditChains.records} records) verify; ${r.checks.ledger.balances} balances equal their movements; ` +
      `${r.checks.foreignKeys.checked} foreign keys hold; the server answered /readyz 200`);
    this.log(`recovery time ${seconds(r.rtoMs)} (restore ${seconds(r.timings.restoreMs)}, server start ${seconds(r.timings.readyMs)})`);
    return { ...r, location: this.args.backup, scratch: result.scratch };
  }
}
