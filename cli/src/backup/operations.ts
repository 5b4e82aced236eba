/** The steps the backup commands are made of: take a backup through the API, verify one by restoring it. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MesClient } from '@mes/sdk';
import {
  BackupError, BackupSetReader, BackupSetWriter, decodeFrames, dumpDatabase, newEncryption, openScratch, planSchema, readinessInProcess, receiveBackup, restoreInstance, verifyBackup,
  type BackupManifest, type BackupSource, type KeySource, type VerifyReport,
} from '@mes/server';
import { readEntry, recordBackup, updateEntry, type CatalogueEntry } from './catalogue.js';
import type { Destination } from './destination.js';
import { megabytes, Progress, seconds } from '../progress.js';
import { scratchDatabase, signingKey } from './support.js';

export interface TakenBackup {
  entry: CatalogueEntry;
  manifest: BackupManifest;
  ms: number;
  /** Bytes received from the server (compressed). */
  bytes: number;
}

/** A backup through POST /v1/backups, written (encrypted with a key) and signed into the destination, and catalogued. */
export async function takeBackup(
  client: MesClient, dest: Destination, opts: { tenant?: string; key?: KeySource; signingKeyFile: string; compressionLevel?: number; toolVersion: string }, progress: Progress,
): Promise<TakenBackup> {
  const signer = await signingKey(opts.signingKeyFile);
  if (signer.generated) progress.line(`generated a new Ed25519 signing key at ${signer.path} (${signer.fingerprint}); keep it, and its public key, to verify these backups`);
  const stage = await dest.stage();
  const writer = await BackupSetWriter.create({
    dir: (id) => path.join(stage.parent, id), encryption: opts.key ? newEncryption(opts.key) : undefined, signingKey: signer.privateKey, tool: { name: '@mes/cli', version: opts.toolVersion },
  });
  const t0 = performance.now();
  let bytes = 0;
  try {
    const res = await client.backups.create({ tenant: opts.tenant, includeSecrets: opts.key !== undefined, ...(opts.compressionLevel ? { compressionLevel: opts.compressionLevel } : {}) });
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        progress.update(`receiving the backup: ${megabytes(bytes)} in ${seconds(performance.now() - t0)} (${megabytes(bytes / Math.max((performance.now() - t0) / 1000, 0.001))}/s)`);
        yield chunk;
      }
    }
    const { manifest } = await receiveBackup(decodeFrames(counted()), writer);
    progress.clear();
    await stage.publish(manifest.id);
    const entry = await recordBackup(dest, manifest, signer.fingerprint);
    return { entry, manifest, ms: Math.round(performance.now() - t0), bytes };
  } catch (err) {
    progress.clear();
    await stage.discard();
    throw err;
  }
}

/** Codes about the caller's key, not the backup: not recorded as a failed verification. */
const KEY_PROBLEMS = new Set(['BACKUP_KEY_MISSING', 'BACKUP_KEY_INVALID', 'BACKUP_PASSPHRASE_WRONG', 'BACKUP_NOT_FOUND']);

/**
 * Verifies backup `id` of `dest` by restoring it into a scratch database; the outcome, pass or
 * fail with its code, goes into the backup's catalogue entry. A catalogued backup must be signed
 * by the key its entry names (or by `trust`).
 */
export async function verifyStored(dest: Destination, id: string, opts: { key?: KeySource; scratch: string; trust?: string }, progress: Progress): Promise<{ report: VerifyReport; scratch: string; entry?: CatalogueEntry }> {
  const entry = await readEntry(dest, id);
  const local = await dest.open(id);
  let where = opts.scratch;
  try {
    const reader = await BackupSetReader.open(local.dir, { key: opts.key, trustedSigner: opts.trust ?? entry?.signer });
    // Files first: a damaged backup is refused before a scratch database (maybe a PostgreSQL) is started.
    const t0 = performance.now();
    progress.line(`checking ${Object.keys(reader.manifest.files).length} files against the manifest`);
    await reader.checkFiles();
    const filesCheckedMs = Math.round(performance.now() - t0);
    const scratch = await scratchDatabase(opts.scratch, (m) => progress.line(m));
    where = scratch.location;
    try {
      const report = await verifyBackup(reader, scratch.db, { readiness: readinessInProcess, onProgress: (m) => progress.update(m), filesCheckedMs });
      progress.clear();
      const updated = await updateEntry(dest, id, (e) => {
        e.verification = { at: new Date().toISOString(), ok: true, scratch: where, rtoMs: report.rtoMs, rpoMs: report.rpoMs, checks: report.checks };
      });
      return { report, scratch: where, entry: updated };
    } finally {
      await scratch.drop();
    }
  } catch (err) {
    progress.clear();
    if (err instanceof BackupError && !KEY_PROBLEMS.has(err.code)) {
      await updateEntry(dest, id, (e) => {
        e.verification = { at: new Date().toISOString(), ok: false, code: err.code, message: err.message, ...(err.file ? { file: err.file } : {}), scratch: where };
      });
    }
    throw err;
  } finally {
    await local.release();
  }
}

/**
 * A backup from an older schema, brought to this version's before a tenant restore through the
 * API (the instance migrates its own schema, not arriving rows): restored into an in-memory
 * PGlite, which migrates it forward, and dumped again.
 */
export async function migratedForward(source: BackupSource, progress: Progress): Promise<{ source: BackupSource; release(): Promise<void> }> {
  const plan = planSchema(source.manifest.schema.migrations);
  if (!plan.forward.length) return { source, release: async () => {} };
  if (source.manifest.scope.kind !== 'tenant') throw new Error('only a tenant-narrowed backup is migrated forward this way');
  progress.line(`the backup is from an older schema: migrating it forward (${plan.forward.map((m) => m.name).join(', ')})`);
  const scratch = await openScratch({});
  const work = await mkdtemp(path.join(tmpdir(), 'mes-backup-forward-'));
  try {
    await restoreInstance(scratch.db, source);
    const writer = await BackupSetWriter.create({ dir: (id) => path.join(work, id), signingKey: generateKeyPairSync('ed25519').privateKey, tool: { name: '@mes/cli migrate-forward', version: '0' } });
    const dump = await dumpDatabase(scratch.db, { tenantId: source.manifest.scope.tenantId, includeSecrets: source.manifest.secrets === 'included' }, writer);
    const { dir } = await writer.finish(dump);
    return { source: await BackupSetReader.open(dir), release: () => rm(work, { recursive: true, force: true }) };
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  } finally {
    await scratch.drop();
  }
}
