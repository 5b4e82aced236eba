/**
 * What the backup routes do beyond HTTP: stream a backup, restore a tenant from a stream, run a
 * drill in the background and keep its record.
 */
import { randomUUID } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { appendAudit, type AuditEntry } from '../../platform/audit.js';
import type { Database } from '../../platform/db.js';
import { MesProblem } from '../../platform/errors.js';
import { dumpDatabase } from './dump.js';
import { runDrill } from './drill.js';
import { BackupError } from './errors.js';
import * as repo from './repo.js';
import type { BackupDrill } from './schema.js';
import { decodeFrames, encodeFrame, streamSource, streamStart, writeFully } from './stream.js';
import { restoreTenant, type TenantRestoreReport } from './tenant-restore.js';

/** A BackupError as a problem: the backup (or stream) the caller sent is at fault, not the server. */
export function backupProblem(err: unknown): unknown {
  if (!(err instanceof BackupError)) return err;
  const status = err.code === 'BACKUP_STREAM_INVALID' ? 400 : 422;
  return new MesProblem(status, err.code, err.message, err.file ? { file: err.file } : {});
}

/**
 * Streams a backup into `out`: the magic, each file's frames, then the manifest. A failure after
 * the response started is sent as an error frame (the status line is already 200); a caller that
 * goes away ends the dump, whose transaction then rolls back.
 */
export async function streamBackup(db: Database, out: Writable, opts: { tenantId?: string; includeSecrets: boolean; compressionLevel?: number }, log: FastifyBaseLogger): Promise<void> {
  try {
    await writeFully(out, streamStart());
    const manifest = await dumpDatabase(db, opts, { data: (file, chunk) => writeFully(out, encodeFrame({ kind: 'data', file, chunk })) });
    await writeFully(out, encodeFrame({ kind: 'manifest', manifest }));
    log.info({ backupId: manifest.id, tables: manifest.tables.length, rows: manifest.tables.reduce((n, t) => n + t.rows, 0) }, 'backup streamed');
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, 'backup stream failed');
    const code = (err as { code?: string }).code;
    if (!out.destroyed) out.write(encodeFrame({ kind: 'error', problem: { code: typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'BACKUP_FAILED', detail: (err as Error).message } }));
  } finally {
    out.end();
  }
}

export async function restoreTenantFromStream(db: Database, body: Readable, opts: { as?: string; audit: Omit<AuditEntry, 'resource' | 'outcome' | 'details'> }): Promise<TenantRestoreReport> {
  try {
    return await restoreTenant(db, await streamSource(decodeFrames(body)), opts);
  } catch (err) {
    throw backupProblem(err);
  }
}

/** Appends the audit record of an action that is not a single-transaction mutation (a streamed backup). */
export async function auditAction(db: Database, entry: AuditEntry): Promise<void> {
  await db.transaction({ tenantId: entry.tenantId }, (tx) => appendAudit(tx, entry));
}

export const newDrillId = () => randomUUID();

/** Runs a drill to its end and records the outcome; never throws (the drill's record says what happened). */
export async function completeDrill(db: Database, drill: BackupDrill, opts: { tenantId?: string; scratchUrl?: string }, log: FastifyBaseLogger): Promise<void> {
  let status: 'passed' | 'failed' = 'passed';
  let result: Record<string, unknown>;
  try {
    const r = await runDrill(db, opts);
    result = { ...r };
    log.info({ drill: drill.id, rtoMs: r.rtoMs, rpoMs: r.rpoMs }, 'backup drill passed');
  } catch (err) {
    status = 'failed';
    const e = err as { code?: string; message: string; file?: string };
    result = { error: { code: typeof e.code === 'string' ? e.code : 'BACKUP_DRILL_FAILED', message: e.message, ...(e.file ? { file: e.file } : {}) } };
    log.warn({ drill: drill.id, code: e.code, reason: e.message }, 'backup drill failed');
  }
  await db.transaction({ platform: true }, (tx) => repo.finishDrill(tx, drill.id, status, result)).catch((err) => {
    log.error({ drill: drill.id, err: { message: (err as Error).message } }, 'could not record the end of a backup drill');
  });
}
