/**
 * The backup point of a cutover and its rollback, through the backups module: a per-tenant dump
 * (secrets included, so the tenant's keys and passwords still work after a rollback) kept in the
 * database with the cutover, and its rows put back in place of the tenant's (replaceTenantRows).
 * Both hold the backup in memory while they work: a cutover's tenant is a plant's opening data,
 * not years of history.
 */
import type { Database } from '../../platform/db.js';
import { gunzip, type BackupSource } from '../backups/backup-set.js';
import { dumpDatabase } from '../backups/dump.js';
import type { BackupManifest } from '../backups/manifest.js';
import { replaceTenantRows, type TenantReplaceReport } from '../backups/tenant-replace.js';
import * as repo from './repo.js';
import { KEPT_ON_ROLLBACK } from './steps.js';

export interface BackupPoint {
  id: string;
  snapshotAt: string;
  tables: number;
  rows: number;
  bytes: number;
}

const CHUNK_BYTES = 1024 * 1024;

export async function takeBackupPoint(db: Database, tenantId: string, cutoverId: string): Promise<BackupPoint> {
  // A backup step run again: the earlier point goes first, so the new one does not hold it.
  await db.transaction({ tenantId }, (tx) => repo.deleteBackupChunks(tx, cutoverId));
  const files = new Map<string, Buffer[]>();
  const manifest = await dumpDatabase(db, { tenantId, includeSecrets: true }, {
    async data(file, chunk) {
      if (!files.has(file)) files.set(file, []);
      files.get(file)!.push(chunk);
    },
  });
  let bytes = 0;
  // After the dump's own session: on PGlite a second transaction would wait for it.
  await db.transaction({ tenantId }, async (tx) => {
    for (const [file, chunks] of files) {
      const whole = Buffer.concat(chunks);
      bytes += whole.length;
      for (let seq = 0, at = 0; at < whole.length; seq++, at += CHUNK_BYTES) {
        await repo.insertBackupChunk(tx, tenantId, cutoverId, file, seq, whole.subarray(at, at + CHUNK_BYTES));
      }
    }
    await repo.updateCutover(tx, cutoverId, { backupManifest: manifest });
  });
  return { id: manifest.id, snapshotAt: manifest.snapshotAt, tables: manifest.tables.length, rows: manifest.tables.reduce((n, t) => n + t.rows, 0), bytes };
}

/** Puts the backup point's rows back in place of the tenant's (all but KEPT_ON_ROLLBACK). */
export async function restoreBackupPoint(db: Database, tenantId: string, cutoverId: string): Promise<TenantReplaceReport> {
  const { manifest, files } = await db.transaction({ tenantId, readOnly: true }, async (tx) => {
    const m = (await repo.backupManifest(tx, tenantId, cutoverId)) as BackupManifest;
    const f = new Map<string, Buffer[]>();
    for (const t of m.tables) f.set(t.file, await repo.backupChunks(tx, cutoverId, t.file));
    return { manifest: m, files: f };
  });
  const source: BackupSource = {
    manifest,
    table: (entry) => gunzip((async function* () { yield* files.get(entry.file) ?? []; })(), entry.file),
  };
  return replaceTenantRows(db, source, tenantId, KEPT_ON_ROLLBACK);
}
