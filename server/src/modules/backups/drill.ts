/**
 * A drill run by the server itself (POST /v1/backup-drills), so that anyone holding the platform
 * admin's key (the conformance suite, an auditor) can prove recovery through the API alone: a
 * backup of the instance (or one tenant), encrypted with a one-time key and signed with a one-time
 * signing key, written to a temporary directory, then verified by restoring it into a scratch
 * database (an in-memory PGlite, or a database created on MES_BACKUP_SCRATCH_URL), with the
 * real server started on it. Everything is removed afterwards; the drill's record stays.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVER_VERSION } from '../../config.js';
import type { Database } from '../../platform/db.js';
import { BackupSetReader, BackupSetWriter } from './backup-set.js';
import { newEncryption } from './crypto.js';
import { openScratch } from './scratch.js';
import { dumpDatabase } from './dump.js';
import { readinessInProcess, verifyBackup, type VerifyReport } from './verify.js';

export interface DrillResult {
  backupId: string;
  snapshotAt: string;
  scratch: 'pglite' | 'postgres';
  backup: { ms: number; bytes: number; tables: number; rows: number };
  verify: VerifyReport;
  rtoMs: number;
  rpoMs: number;
  tenants: { id: string; slug: string; auditHeadSeq: number }[];
}

export async function runDrill(db: Database, opts: { tenantId?: string; scratchUrl?: string }): Promise<DrillResult> {
  const work = await mkdtemp(path.join(tmpdir(), 'mes-drill-'));
  try {
    const keyFile = randomBytes(32);
    const { privateKey } = generateKeyPairSync('ed25519');
    const t0 = performance.now();
    const writer = await BackupSetWriter.create({
      dir: (id) => path.join(work, id), encryption: newEncryption({ keyFile }), signingKey: privateKey, tool: { name: '@mes/server drill', version: SERVER_VERSION },
    });
    const dump = await dumpDatabase(db, { tenantId: opts.tenantId, includeSecrets: true }, writer).catch(async (err) => {
      await writer.abort();
      throw err;
    });
    const { dir, manifest } = await writer.finish(dump);
    const backupMs = Math.round(performance.now() - t0);
    const reader = await BackupSetReader.open(dir, { key: { keyFile } });
    const scratch = await openScratch({ adminUrl: opts.scratchUrl });
    let verify: VerifyReport;
    try {
      verify = await verifyBackup(reader, scratch.db, { readiness: readinessInProcess });
    } finally {
      await scratch.drop();
    }
    return {
      backupId: manifest.id,
      snapshotAt: manifest.snapshotAt,
      scratch: scratch.kind,
      backup: { ms: backupMs, bytes: writer.bytes, tables: manifest.tables.length, rows: manifest.tables.reduce((n, t) => n + t.rows, 0) },
      verify,
      rtoMs: verify.rtoMs,
      rpoMs: verify.rpoMs,
      tenants: manifest.tenants.map((t) => ({ id: t.id, slug: t.slug, auditHeadSeq: t.audit.headSeq })),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
