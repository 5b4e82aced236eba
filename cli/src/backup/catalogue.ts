/**
 * The catalogue of a destination: one entry per backup (`catalogue/<id>.json`) with what it holds,
 * whether and when it was verified by restoring it, and its drills. `mes backup list` reads it;
 * `prune` decides with it; a backup is "verified" only by the entry `verify` and `drill` write.
 */
import type { BackupManifest, VerifyReport } from '@mes/server';
import type { Destination } from './destination.js';

export interface Verification {
  at: string;
  ok: boolean;
  /** On failure: the code (BACKUP_FILE_CORRUPT …) and the file it names. */
  code?: string;
  message?: string;
  file?: string;
  scratch: string;
  rtoMs?: number;
  rpoMs?: number;
  checks?: VerifyReport['checks'];
}

export interface CatalogueEntry {
  id: string;
  /** The snapshot's instant. */
  createdAt: string;
  scope: BackupManifest['scope'];
  /** The series the backup belongs to for retention: `instance`, or `tenant:<slug>`. */
  series: string;
  encrypted: boolean;
  secrets: BackupManifest['secrets'];
  bytes: number;
  tables: number;
  rows: number;
  signer: string;
  schema: string[];
  verification: Verification | null;
  drills: { id: string; at: string; rtoMs: number; rpoMs: number; passed: boolean }[];
}

const entryKey = (id: string) => `catalogue/${id}.json`;

export const seriesOf = (scope: BackupManifest['scope']) => (scope.kind === 'instance' ? 'instance' : `tenant:${scope.slug}`);

export async function recordBackup(dest: Destination, manifest: BackupManifest, signer: string): Promise<CatalogueEntry> {
  const entry: CatalogueEntry = {
    id: manifest.id,
    createdAt: manifest.snapshotAt,
    scope: manifest.scope,
    series: seriesOf(manifest.scope),
    encrypted: manifest.encryption !== null,
    secrets: manifest.secrets,
    bytes: Object.values(manifest.files).reduce((n, f) => n + f.bytes, 0),
    tables: manifest.tables.length,
    rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
    signer,
    schema: manifest.schema.migrations.map((m) => m.name),
    verification: null,
    drills: [],
  };
  await dest.writeJson(entryKey(manifest.id), entry);
  return entry;
}

export const readEntry = (dest: Destination, id: string) => dest.readJson<CatalogueEntry>(entryKey(id));

/** Applies a change to an entry (verification, a drill); an entry missing from the catalogue is left alone. */
export async function updateEntry(dest: Destination, id: string, change: (e: CatalogueEntry) => void): Promise<CatalogueEntry | undefined> {
  const entry = await readEntry(dest, id);
  if (!entry) return undefined;
  change(entry);
  await dest.writeJson(entryKey(id), entry);
  return entry;
}

/** Every entry, newest first. */
export async function listEntries(dest: Destination): Promise<CatalogueEntry[]> {
  const entries = await Promise.all((await dest.ids()).map((id) => readEntry(dest, id)));
  return entries.filter((e): e is CatalogueEntry => e !== undefined).sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)));
}

export interface Retention {
  daily: number;
  weekly: number;
  monthly: number;
}

export interface PruneDecision {
  keep: { id: string; reasons: string[] }[];
  remove: string[];
}

/**
 * Grandfather-father-son retention, per series (the instance, each tenant): the newest backup of
 * each of the last `daily` days that have one, of the last `weekly` ISO weeks, of the last
 * `monthly` months (UTC). Whatever else: the newest backup of a series and its newest verified
 * backup are kept, so pruning never leaves a series without one that is known to restore.
 */
export function decidePrune(entries: CatalogueEntry[], keep: Retention): PruneDecision {
  const reasons = new Map<string, string[]>();
  const mark = (id: string, why: string) => reasons.set(id, [...(reasons.get(id) ?? []), why]);
  const series = new Map<string, CatalogueEntry[]>();
  for (const e of entries) series.set(e.series, [...(series.get(e.series) ?? []), e]);
  for (const list of series.values()) {
    const newestFirst = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    mark(newestFirst[0].id, 'newest');
    const verified = newestFirst.find((e) => e.verification?.ok);
    if (verified) mark(verified.id, 'newest verified');
    const buckets = (name: string, count: number, bucketOf: (d: Date) => string) => {
      const seen: string[] = [];
      for (const e of newestFirst) {
        const b = bucketOf(new Date(e.createdAt));
        if (seen.includes(b)) continue;
        if (seen.length >= count) break;
        seen.push(b);
        mark(e.id, `${name} ${b}`);
      }
    };
    buckets('daily', keep.daily, (d) => d.toISOString().slice(0, 10));
    buckets('weekly', keep.weekly, isoWeek);
    buckets('monthly', keep.monthly, (d) => d.toISOString().slice(0, 7));
  }
  return {
    keep: entries.filter((e) => reasons.has(e.id)).map((e) => ({ id: e.id, reasons: reasons.get(e.id)! })),
    remove: entries.filter((e) => !reasons.has(e.id)).map((e) => e.id),
  };
}

/** ISO 8601 week, e.g. 2026-W49. */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
