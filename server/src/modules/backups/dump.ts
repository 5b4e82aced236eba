/**
 * Taking a backup: every table in foreign-key order, in one snapshot, as PostgreSQL COPY text,
 * gzip-compressed, streamed to a sink in constant memory. Tenant tables are read tenant by
 * tenant (each tenant's rows one "slice", ordered by primary key), so that one tenant can be
 * restored out of an instance backup and so that the same rows always give the same bytes, which
 * is what the content hashes of the manifest and the verification of a restored copy rely on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { SERVER_VERSION } from '../../config.js';
import { chainHead } from '../../platform/audit.js';
import type { BulkSession, Database, Sql } from '../../platform/db.js';
import { MesProblem } from '../../platform/errors.js';
import { ledgerTotals } from '../inventory/integrity.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, type BackupScope, type DumpManifest, type TableEntry, type TableSlice, type TenantSummary } from './manifest.js';
import { quoteIdent as q, readSchema, TENANTS_TABLE, type ForeignKey, type SchemaMap, type TableInfo } from './introspect.js';

export interface DumpOptions {
  /** One tenant instead of the whole instance. */
  tenantId?: string;
  /** Secret columns as they are (the backup will be encrypted) or as a redaction marker. */
  includeSecrets: boolean;
  /** gzip level, 1 (fast) to 9 (small). */
  compressionLevel?: number;
  /** Only count and hash (verifying a restored copy): nothing is compressed or sent to the sink. */
  digestOnly?: boolean;
  onProgress?(p: DumpProgress): void;
}

export interface DumpProgress {
  table: string;
  index: number;
  total: number;
  rows: number;
}

/** Receives each file's compressed bytes, file after file; its promise is the backpressure. */
export interface DumpSink {
  data(file: string, chunk: Buffer): Promise<void>;
}

/** What an unencrypted backup holds in place of a secret that may not be null. */
export const REDACTED = 'mes:redacted';

/**
 * Text output fixed for the session, so that a value prints the same on every database and reads
 * back as the same value; bulk work is never cut short by a timeout meant for requests.
 */
export const BULK_SESSION_SETTINGS = [
  "SET LOCAL TimeZone = 'UTC'", "SET LOCAL DateStyle = 'ISO, YMD'", "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 1', "SET LOCAL bytea_output = 'hex'", 'SET LOCAL statement_timeout = 0',
].join('; ');

/** Sets the transaction's tenant (and platform visibility) for the row-level security policies. */
export async function scopeTo(sql: Sql, tenantId: string | null): Promise<void> {
  await sql.query(`SELECT set_config('mes.tenant_id', $1, true), set_config('mes.platform', 'on', true)`, [tenantId ?? '']);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const literal = (uuid: string) => {
  if (!UUID.test(uuid)) throw new Error(`not a UUID: ${uuid}`);
  return `'${uuid}'`;
};

interface SlicePlan {
  tenantId: string | null;
  filter: string;
}

export async function dumpDatabase(db: Database, opts: DumpOptions, sink: DumpSink): Promise<DumpManifest> {
  return db.bulk({ snapshot: true }, async (s) => {
    await s.query(BULK_SESSION_SETTINGS);
    // The first statement that reads takes the snapshot: its clock is the backup's point in time.
    const snapshotAt = new Date((await s.query<{ at: Date }>('SELECT clock_timestamp() AS at')).rows[0].at).toISOString();
    const migrations = (await s.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name')).rows;
    const schema = await readSchema(s);
    const tenants = await tenantsInScope(s, opts.tenantId);
    const scope: BackupScope = opts.tenantId ? { kind: 'tenant', tenantId: tenants[0].id, slug: tenants[0].slug } : { kind: 'instance' };
    const plans = schema.tables
      .map((t) => ({ table: t, slices: slicesOf(t, schema, tenants.map((x) => x.id), opts) }))
      .filter((p): p is { table: TableInfo; slices: SlicePlan[] } => p.slices !== undefined);

    const tables: TableEntry[] = [];
    for (const [i, { table, slices }] of plans.entries()) {
      const entry = await dumpTable(s, table, slices, `tables/${String(i + 1).padStart(3, '0')}-${table.name}.copy.gz`, schema.foreignKeys, opts, sink);
      tables.push(entry);
      opts.onProgress?.({ table: table.name, index: i + 1, total: plans.length, rows: entry.rows });
    }
    const summaries: TenantSummary[] = [];
    let newest: string | null = null;
    for (const t of tenants) {
      await scopeTo(s, t.id);
      const head = await chainHead(s, t.id);
      if (head.at && (!newest || head.at > newest)) newest = head.at;
      summaries.push({ id: t.id, slug: t.slug, audit: { headSeq: head.seq, headHash: head.hash }, ledger: await ledgerTotals(s, t.id) });
    }
    return {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      id: backupId(snapshotAt, scope),
      scope,
      snapshotAt,
      finishedAt: new Date().toISOString(),
      newestRecordAt: newest,
      source: { database: db.kind, serverVersion: SERVER_VERSION, databaseVersion: (await s.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version },
      schema: { migrations },
      secrets: opts.includeSecrets ? 'included' : 'redacted',
      compression: 'gzip',
      tables,
      sequences: scope.kind === 'instance' ? await sequencePositions(s, schema.sequences) : [],
      tenants: summaries,
    };
  });
}

function backupId(snapshotAt: string, scope: BackupScope): string {
  const stamp = snapshotAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${scope.kind === 'instance' ? 'instance' : `tenant-${scope.slug}`}-${randomBytes(3).toString('hex')}`;
}

async function tenantsInScope(s: Sql, tenantId: string | undefined): Promise<{ id: string; slug: string }[]> {
  await scopeTo(s, null);
  const { rows } = await s.query<{ id: string; slug: string }>(
    `SELECT id, slug FROM ${TENANTS_TABLE} ${tenantId ? 'WHERE id = $1' : ''} ORDER BY id`,
    tenantId ? [tenantId] : [],
  );
  if (tenantId && rows.length === 0) throw new MesProblem(404, 'RESOURCE_NOT_FOUND', `tenant ${tenantId} does not exist`);
  return rows;
}

/**
 * Which rows of a table the backup holds, as slices. Tenant tables: one slice per tenant (and
 * the rows without a tenant, if the column allows null). Platform tables: all rows, or for a
 * tenant backup the rows its tenant tables reference (its plan); none when they hold secrets and
 * the backup is not encrypted. Undefined: the table is not part of the backup.
 */
function slicesOf(t: TableInfo, schema: SchemaMap, tenantIds: string[], opts: DumpOptions): SlicePlan[] | undefined {
  if (t.tenantKey) {
    const slices: SlicePlan[] = tenantIds.map((id) => ({ tenantId: id, filter: `t.${q(t.tenantKey!)} = ${literal(id)}` }));
    const nullable = !t.columns.find((c) => c.name === t.tenantKey)!.notNull;
    if (nullable && !opts.tenantId) slices.push({ tenantId: null, filter: `t.${q(t.tenantKey)} IS NULL` });
    return slices;
  }
  if (!opts.includeSecrets && t.columns.some((c) => c.secret)) return [];
  if (!opts.tenantId) return [{ tenantId: null, filter: 'true' }];
  // A tenant backup: the platform rows the tenant's own rows point at.
  const conditions = schema.foreignKeys.flatMap((f) => {
    const child = schema.tables.find((x) => x.name === f.table);
    if (f.references !== t.name || !child?.tenantKey) return [];
    return [`(${f.referencedColumns.map((c) => `t.${q(c)}`).join(', ')}) IN (SELECT ${f.columns.map(q).join(', ')} FROM ${q(f.table)} WHERE ${q(child.tenantKey)} = ${literal(opts.tenantId!)})`];
  });
  return conditions.length ? [{ tenantId: null, filter: conditions.join(' OR ') }] : undefined;
}

/** The SELECT of one slice: secret columns redacted unless included, rows in primary-key order. */
function sliceSelect(t: TableInfo, filter: string, includeSecrets: boolean): string {
  const columns = t.columns.map((c) => {
    if (!c.secret || includeSecrets) return `t.${q(c.name)}`;
    return c.notNull ? `'${REDACTED}'::${c.type}` : `NULL::${c.type}`;
  });
  // Without a primary key, the whole row's text orders it: the same rows, the same order.
  const order = t.primaryKey.length
    ? t.primaryKey.map((k) => `t.${q(k)}${t.columns.find((c) => c.name === k)!.collatable ? ' COLLATE "C"' : ''}`).join(', ')
    : 't::text COLLATE "C"';
  return `SELECT ${columns.join(', ')} FROM ${q(t.name)} t WHERE ${filter} ORDER BY ${order}`;
}

async function dumpTable(s: BulkSession, t: TableInfo, slices: SlicePlan[], file: string, fks: ForeignKey[], opts: DumpOptions, sink: DumpSink): Promise<TableEntry> {
  const whole = createHash('sha256');
  const done: TableSlice[] = [];
  const produce = async (write: (chunk: Buffer) => Promise<void>) => {
    for (const slice of slices) {
      // A tenant backup's platform rows are chosen through the tenant's rows: read in its scope.
      await scopeTo(s, slice.tenantId ?? opts.tenantId ?? null);
      const hash = createHash('sha256');
      let rows = 0;
      for await (const chunk of s.copyOut(sliceSelect(t, slice.filter, opts.includeSecrets))) {
        hash.update(chunk);
        whole.update(chunk);
        rows += countLines(chunk);
        await write(chunk);
      }
      done.push({ tenantId: slice.tenantId, rows, sha256: hash.digest('hex') });
    }
  };
  if (opts.digestOnly) await produce(async () => {});
  else await compressed(file, sink, opts.compressionLevel ?? 3, produce);
  return {
    name: t.name,
    file,
    columns: t.columns.map((c) => c.name),
    identity: t.columns.filter((c) => c.identity).map((c) => c.name),
    references: [...new Set(fks.filter((f) => f.table === t.name && f.references !== t.name).map((f) => f.references))].sort(),
    rows: done.reduce((n, x) => n + x.rows, 0),
    sha256: whole.digest('hex'),
    slices: done,
    redacted: opts.includeSecrets ? [] : t.columns.filter((c) => c.secret).map((c) => c.name),
    ...(t.partitions.length ? { partitions: t.partitions } : {}),
  };
}

/** Runs produce() with a writer into a gzip stream whose output goes to the sink as `file`. */
async function compressed(file: string, sink: DumpSink, level: number, produce: (write: (chunk: Buffer) => Promise<void>) => Promise<void>): Promise<void> {
  const gzip = createGzip({ level, chunkSize: 256 * 1024 });
  const forwarded = (async () => {
    for await (const out of gzip) await sink.data(file, out as Buffer);
  })();
  forwarded.catch((err) => gzip.destroy(err));
  try {
    await produce(async (chunk) => {
      if (!gzip.write(chunk)) await once(gzip, 'drain');
    });
    gzip.end();
  } catch (err) {
    gzip.destroy(err as Error);
    await forwarded.catch(() => {});
    throw err;
  }
  await forwarded;
}

/** COPY text has one line per row: newlines inside values are escaped. */
export function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

async function sequencePositions(s: Sql, names: string[]) {
  const out: DumpManifest['sequences'] = [];
  for (const name of names) {
    const { rows } = await s.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM ${q(name)}`);
    out.push({ name, lastValue: rows[0].last_value, isCalled: rows[0].is_called });
  }
  return out;
}
