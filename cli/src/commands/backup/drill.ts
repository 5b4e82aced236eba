import { createHash, randomUUID, sign } from 'node:crypto';
import { hostname } from 'node:os';
import { Flags } from '@oclif/core';
import type { VerifyReport } from '@mes/server';
import { CommandFailure, MesApiCommand } from '../../base-command.js';
import { updateEntry } from '../../backup/catalogue.js';
import { destinationOf } from '../../backup/destination.js';
import { takeBackup, verifyStored } from '../../backup/operations.js';
import { backupFailure, keyFlags, keySource, scratchFlag, signingKey, signingKeyFlag } from '../../backup/support.js';
import { megabytes, Progress, seconds } from '../../progress.js';
import { parseDuration } from '../../format.js';

export interface DrillRecord {
  drillId: string;
  startedAt: string;
  finishedAt: string;
  host: string;
  tool: { name: string; version: string };
  target: string;
  destination: string;
  backup: { id: string; scope: string; snapshotAt: string; tables: number; rows: number; bytes: number; encrypted: boolean; ms: number; megabytesPerSecond: number };
  verification: VerifyReport & { scratch: string };
  /** Recovery time: restore plus server start until /readyz answered. */
  rtoMs: number;
  /** Age of the newest data at the simulated loss (the restore's start). */
  rpoMs: number;
  objectives: { maxRtoMs?: number; maxRpoMs?: number; met: boolean };
}

/** The signed form a drill is stored in (drills/<id>.json): the record, its Ed25519 signature, and the key. */
export interface SignedDrill {
  record: DrillRecord;
  signature: { algorithm: 'ed25519'; publicKey: string; fingerprint: string; value: string; signedSha256: string };
}

export default class BackupDrill extends MesApiCommand<typeof BackupDrill> {
  static override summary = 'Drill recovery: back up, verify by restoring, measure RTO and RPO, write a signed drill record.';

  static override description = `Runs \`mes backup create\` and \`mes backup verify\` as one exercise and records it: the recovery time (RTO: the restore into the scratch database plus the server's start until /readyz answered), the age of the newest data at the simulated loss (RPO: from the backup's snapshot to the restore's start; your real RPO is bounded by how often backups run), the backup's size and speed, and every check. The record is signed with the backup signing key and stored as drills/<id>.json in the destination, where auditors and conformance evidence can take it from; the backup's catalogue entry lists it.

--max-rto and --max-rpo state the objectives: a drill that misses one exits 1 (DRILL_OBJECTIVE_MISSED), after recording it.`;

  static override examples = [
    'MES_BACKUP_PASSPHRASE_FILE=/etc/mes/backup.pass <%= config.bin %> <%= command.id %> --to /var/backups/mes --encrypt --max-rto 30m',
    { description: 'One tenant, scratch on a PostgreSQL server', command: '<%= config.bin %> <%= command.id %> --to /var/backups/mes --tenant acme --encrypt --key-file /etc/mes/backup.key --scratch postgres://postgres@db-scratch:5432/postgres --json' },
  ];

  static override flags = {
    to: Flags.string({ summary: 'Destination: a directory, or s3://bucket/prefix.', env: 'MES_BACKUP_DESTINATION', required: true }),
    tenant: Flags.string({ summary: 'Drill one tenant\'s backup.' }),
    encrypt: Flags.boolean({ summary: 'Encrypt the backup (and include the secrets), as your scheduled backups do.', default: false }),
    ...keyFlags,
    'signing-key': signingKeyFlag,
    scratch: scratchFlag,
    'max-rto': Flags.string({ summary: 'Recovery-time objective, e.g. 30m: a slower recovery fails the drill.' }),
    'max-rpo': Flags.string({ summary: 'Recovery-point objective, e.g. 1d: older newest data fails the drill.' }),
  };

  public async run(): Promise<SignedDrill> {
    const f = this.flags;
    const maxRtoMs = f['max-rto'] ? parseDuration(f['max-rto']) : undefined;
    const maxRpoMs = f['max-rpo'] ? parseDuration(f['max-rpo']) : undefined;
    const key = keySource(f);
    if (f.encrypt && !key) throw new CommandFailure('--encrypt needs a key: --passphrase-file, MES_BACKUP_PASSPHRASE or --key-file', { code: 'USAGE', exit: 2 });
    const dest = destinationOf(f.to);
    const progress = new Progress();
    const startedAt = new Date().toISOString();
    let taken;
    let verified;
    try {
      progress.line(`drill: backing up ${f.tenant ? `tenant ${f.tenant}` : 'the instance'} of ${this.url} into ${dest.location}`);
      taken = await takeBackup(this.client, dest, { tenant: f.tenant, key: f.encrypt ? key : undefined, signingKeyFile: f['signing-key'], toolVersion: this.config.version }, progress);
      progress.line(`drill: backup ${taken.entry.id} taken (${megabytes(taken.entry.bytes)} in ${seconds(taken.ms)}); verifying it by restoring it`);
      verified = await verifyStored(dest, taken.entry.id, { key: f.encrypt ? key : undefined, scratch: f.scratch }, progress);
    } catch (err) {
      throw backupFailure(err);
    }
    const r = verified.report;
    const met = (maxRtoMs === undefined || r.rtoMs <= maxRtoMs) && (maxRpoMs === undefined || r.rpoMs <= maxRpoMs);
    const record: DrillRecord = {
      drillId: randomUUID(), startedAt, finishedAt: new Date().toISOString(), host: hostname(), tool: { name: '@mes/cli', version: this.config.version }, target: this.url, destination: dest.location,
      backup: {
        id: taken.entry.id, scope: taken.entry.series, snapshotAt: taken.entry.createdAt, tables: taken.entry.tables, rows: taken.entry.rows, bytes: taken.entry.bytes,
        encrypted: taken.entry.encrypted, ms: taken.ms, megabytesPerSecond: Number((taken.bytes / 1024 / 1024 / Math.max(taken.ms / 1000, 0.001)).toFixed(2)),
      },
      verification: { ...r, scratch: verified.scratch },
      rtoMs: r.rtoMs,
      rpoMs: r.rpoMs,
      objectives: { ...(maxRtoMs !== undefined ? { maxRtoMs } : {}), ...(maxRpoMs !== undefined ? { maxRpoMs } : {}), met },
    };
    const signed = await signDrill(record, f['signing-key']);
    await dest.writeJson(`drills/${record.drillId}.json`, signed);
    await updateEntry(dest, taken.entry.id, (e) => e.drills.push({ id: record.drillId, at: record.finishedAt, rtoMs: r.rtoMs, rpoMs: r.rpoMs, passed: met }));
    this.log(`drill ${record.drillId}: backup ${taken.entry.id} restored and verified; RTO ${seconds(r.rtoMs)}, RPO ${seconds(r.rpoMs)}${maxRtoMs !== undefined || maxRpoMs !== undefined ? `; objectives ${met ? 'met' : 'MISSED'}` : ''}`);
    this.log(`signed record: ${dest.location.replace(/\/+$/, '')}/drills/${record.drillId}.json (${signed.signature.fingerprint})`);
    if (!met) throw new CommandFailure(`the drill missed its objectives: RTO ${seconds(r.rtoMs)}${maxRtoMs !== undefined ? ` (max ${seconds(maxRtoMs)})` : ''}, RPO ${seconds(r.rpoMs)}${maxRpoMs !== undefined ? ` (max ${seconds(maxRpoMs)})` : ''}`, { code: 'DRILL_OBJECTIVE_MISSED', details: signed });
    return signed;
  }
}

/** The record's canonical JSON, signed with Ed25519; anyone with the public key can check it. */
export async function signDrill(record: DrillRecord, keyFile: string): Promise<SignedDrill> {
  const key = await signingKey(keyFile);
  const { canonicalJson } = await import('@mes/conformance');
  const bytes = Buffer.from(canonicalJson(record));
  return {
    record,
    signature: {
      algorithm: 'ed25519', publicKey: key.publicPem, fingerprint: key.fingerprint,
      value: sign(null, bytes, key.privateKey).toString('base64'), signedSha256: createHash('sha256').update(bytes).digest('hex'),
    },
  };
}
