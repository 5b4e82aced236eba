import { Flags } from '@oclif/core';
import { CommandFailure, EXIT, MesApiCommand } from '../../base-command.js';
import { destinationOf } from '../../backup/destination.js';
import { takeBackup } from '../../backup/operations.js';
import { backupFailure, keyFlags, keySource, signingKeyFlag } from '../../backup/support.js';
import { megabytes, Progress, seconds } from '../../progress.js';

export interface BackupCreateResult {
  id: string;
  location: string;
  scope: 'instance' | 'tenant';
  tenant?: string;
  snapshotAt: string;
  encrypted: boolean;
  secrets: 'included' | 'redacted';
  tables: number;
  rows: number;
  bytes: number;
  durationMs: number;
  signer: string;
}

export default class BackupCreate extends MesApiCommand<typeof BackupCreate> {
  static override summary = 'Back up the MES (or one tenant) through its API into a directory or bucket.';

  static override description = `The server takes one consistent snapshot (on PostgreSQL a repeatable-read transaction; writers go on meanwhile) and streams every table as compressed COPY text; this command writes it as <destination>/<id>/, signs the manifest with --signing-key (Ed25519), and adds the backup to the destination's catalogue. Nothing is left behind when it fails.

With --encrypt every file is encrypted (AES-256-GCM; key from the passphrase through scrypt, or a 32-byte key file) and the backup includes the secrets (API key and password hashes, the login-token secret). Without it, the secrets are replaced by a redaction marker: such a backup restores the data, but its keys and passwords do not work (the restore issues a recovery key).

A backup is a hope until it has been restored: run \`mes backup verify\` on it, or \`mes backup drill\`, which does both. --to is a directory or s3://bucket/prefix (credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; MES_S3_ENDPOINT for an S3-compatible store). See docs/backup.md.

Needs a platform admin's key (backups:read).`;

  static override examples = [
    { description: 'The whole instance, encrypted, into /var/backups/mes', command: 'MES_BACKUP_PASSPHRASE_FILE=/etc/mes/backup.pass <%= config.bin %> <%= command.id %> --to /var/backups/mes --encrypt' },
    { description: 'One tenant', command: '<%= config.bin %> <%= command.id %> --tenant acme --to /var/backups/mes --encrypt --key-file /etc/mes/backup.key' },
    { description: 'Into a bucket of an S3-compatible store', command: 'MES_S3_ENDPOINT=https://minio.internal:9000 <%= config.bin %> <%= command.id %> --to s3://mes-backups/prod --encrypt' },
  ];

  static override flags = {
    to: Flags.string({ summary: 'Destination: a directory, or s3://bucket/prefix.', env: 'MES_BACKUP_DESTINATION', required: true }),
    tenant: Flags.string({ summary: 'Back up this tenant (slug) only.' }),
    encrypt: Flags.boolean({ summary: 'Encrypt every file and include the secrets; needs --passphrase-file, MES_BACKUP_PASSPHRASE or --key-file.', default: false }),
    ...keyFlags,
    'signing-key': signingKeyFlag,
    'compression-level': Flags.integer({ summary: 'gzip level on the server, 1 (fastest) to 9 (smallest).', min: 1, max: 9 }),
  };

  public async run(): Promise<BackupCreateResult> {
    const f = this.flags;
    const key = keySource(f);
    if (f.encrypt && !key) throw new CommandFailure('--encrypt needs a key: --passphrase-file, MES_BACKUP_PASSPHRASE or --key-file', { code: 'USAGE', exit: EXIT.usage });
    if (!f.encrypt && key) throw new CommandFailure('a passphrase or key file was given without --encrypt: add --encrypt, or drop the key', { code: 'USAGE', exit: EXIT.usage });
    const dest = destinationOf(f.to);
    const progress = new Progress();
    progress.line(`backing up ${f.tenant ? `tenant ${f.tenant}` : 'the instance'} of ${this.url} into ${dest.location}${f.encrypt ? ' (encrypted)' : ' (not encrypted: secrets redacted)'}`);
    let taken;
    try {
      taken = await takeBackup(this.client, dest, { tenant: f.tenant, key: f.encrypt ? key : undefined, signingKeyFile: f['signing-key'], compressionLevel: f['compression-level'], toolVersion: this.config.version }, progress);
    } catch (err) {
      throw backupFailure(err);
    }
    const { entry, manifest } = taken;
    this.log(`backup ${entry.id}: ${entry.tables} tables, ${entry.rows} rows, ${megabytes(entry.bytes)} in ${seconds(taken.ms)}${entry.encrypted ? ', encrypted' : ', secrets redacted'}`);
    this.log(`stored in ${dest.location}; not verified yet: mes backup verify ${dest.location.replace(/\/+$/, '')}/${entry.id}`);
    return {
      id: entry.id, location: `${dest.location.replace(/\/+$/, '')}/${entry.id}`, scope: manifest.scope.kind, ...(manifest.scope.kind === 'tenant' ? { tenant: manifest.scope.slug } : {}),
      snapshotAt: manifest.snapshotAt, encrypted: entry.encrypted, secrets: entry.secrets, tables: entry.tables, rows: entry.rows, bytes: entry.bytes, durationMs: taken.ms, signer: entry.signer,
    };
  }
}
