/** What the backup suites share: taking a backup through the API, empty targets, table contents. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BackupSetReader, BackupSetWriter, decodeFrames, newEncryption, openDatabase, receiveBackup, type Database, type KeySource } from '../src/index.js';
import { BULK_SESSION_SETTINGS } from '../src/modules/backups/dump.js';
import { quoteIdent as q, readSchema } from '../src/modules/backups/introspect.js';
import { backend, freshPostgresDatabase, type TestServer } from './harness.js';

export const PASSPHRASE = 'a passphrase for the test backups';
export const signingKey: KeyObject = generateKeyPairSync('ed25519').privateKey;

/** A temporary directory for backups, removed by remove(). */
export function backupDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mes-backup-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A backup through POST /v1/backups, written to disk (encrypted unless key is null) and opened. */
export async function takeBackup(t: TestServer, dest: string, opts: { tenant?: string; key?: KeySource | null } = {}) {
  const key = opts.key === undefined ? { passphrase: PASSPHRASE } : opts.key;
  const res = await fetch(`${t.url}/v1/backups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: opts.tenant, includeSecrets: key !== null }),
  });
  if (res.status !== 200 || !res.body) throw new Error(`POST /v1/backups: ${res.status} ${await res.text()}`);
  const writer = await BackupSetWriter.create({
    dir: (id) => path.join(dest, id), encryption: key ? newEncryption(key) : undefined, signingKey, tool: { name: 'test', version: '0' },
  });
  const { dir, manifest } = await receiveBackup(decodeFrames(Readable.fromWeb(res.body as never)), writer);
  return { dir, manifest, reader: await BackupSetReader.open(dir, { key: key ?? undefined }) };
}

let blank: Promise<Blob> | undefined;

/** An empty database on the test backend (PGlite in memory, or a new PostgreSQL database). */
export async function emptyDatabase(): Promise<{ db: Database; url: string; drop(): Promise<void> }> {
  if (backend === 'pglite') {
    // initdb once per worker; every later empty database starts from its files.
    blank ??= openDatabase({ url: 'memory://', dataDir: '/tmp/mes-test-unused' }).then(async (d) => {
      const files = await d.dumpDataDir!();
      await d.close();
      return files;
    });
    const db = await openDatabase({ url: 'memory://', dataDir: '/tmp/mes-test-unused', snapshot: await blank });
    return { db, url: 'memory://', drop: () => db.close() };
  }
  const fresh = await freshPostgresDatabase();
  const db = await openDatabase({ url: fresh.url, dataDir: '/tmp/mes-test-unused', poolSize: 4 });
  return {
    db,
    url: fresh.url,
    async drop() {
      await db.close();
      await fresh.drop();
    },
  };
}

/**
 * Every row of every table (or of the rows `where` selects) as text, in a fixed order: two
 * databases hold the same data exactly when these are equal. Identity columns can be left out.
 */
/**
 * Tables a running server changes by the clock alone: the minute telemetry rollup inserts and
 * advances each tenant's mark whether or not there are readings. A copy taken a minute earlier
 * differs from the live source there without anything being lost, so comparisons leave them out.
 */
const CLOCK_DRIVEN = new Set(['telemetry_rollup_marks']);

export async function tableContents(db: Database, where: (table: string, columns: string[]) => string | undefined = () => 'true', omit: string[] = []) {
  return db.bulk({}, async (s) => {
    await s.query(BULK_SESSION_SETTINGS);
    const schema = await readSchema(s);
    const out: Record<string, string[]> = {};
    for (const t of schema.tables) {
      const columns = t.columns.map((c) => c.name);
      const filter = CLOCK_DRIVEN.has(t.name) ? undefined : where(t.name, columns);
      if (filter === undefined) continue;
      const kept = t.columns.filter((c) => !omit.includes(`${t.name}.${c.name}`)).map((c) => `t.${q(c.name)}`);
      const row = `ROW(${kept.join(', ')})::text`;
      const { rows } = await s.query<{ r: string }>(`SELECT ${row} AS r FROM ${q(t.name)} t WHERE ${filter} ORDER BY ${row} COLLATE "C"`);
      out[t.name] = rows.map((r) => r.r);
    }
    return out;
  });
}

/** A tenant's rows only: tenant tables by tenant_id, the tenants table by id. */
export const rowsOfTenant = (tenantId: string) => (table: string, columns: string[]) =>
  table === 'tenants' ? `t.id = '${tenantId}'` : columns.includes('tenant_id') ? `t.tenant_id = '${tenantId}'` : undefined;
