import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { PGlite as PGliteType } from '@electric-sql/pglite';
import { writeRecordedEvents } from './outbox.js';

/** The role every request runs as. It owns no table, so row-level security always applies. */
export const APP_ROLE = 'mes_app';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * What runs SQL inside a transaction (or as the owner). `query` answers with the rows; `defer`
 * is for statements whose result the caller does not read (an insert, an audit append): it costs
 * no round trip of its own, travelling in the same write as the next query or the COMMIT, and if
 * it fails, that query or the commit fails with onError(err) instead (never for a lost connection).
 */
export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  defer(text: string, params?: unknown[], onError?: (err: unknown) => unknown): void;
}

/** Scope of a transaction: which tenant's rows it may see, and whether platform-wide rows too. */
export interface TxScope {
  tenantId?: string;
  platform?: boolean;
  /**
   * A read: READ ONLY, and on PostgreSQL each statement is its own transaction sent in one write
   * (BEGIN READ ONLY, the scope, the statement, COMMIT). Under READ COMMITTED every statement
   * takes its own snapshot anyway, so a read sees nothing it would not have seen in one transaction.
   */
  readOnly?: boolean;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
  /** How long the longest-waiting request has waited for a connection so far (0: none waits). */
  longestWaitMs: number;
  /** When the database last refused a new connection because its connection limit was reached. */
  lastLimitRefusal: Date | null;
}

/** Every pooled connection is checked out and requests queue for one. */
export const poolSaturated = (s: PoolStats): boolean => s.waiting > 0 && s.idle === 0 && s.total >= s.max;

/**
 * Saturated for long enough that it is not a burst: readiness goes false and diagnostics fail
 * (S1-5.3.6). Bursts under load queue for milliseconds; two seconds means connections are held.
 */
export const POOL_EXHAUSTED_AFTER_MS = 2000;
export const poolExhausted = (s: PoolStats): boolean => poolSaturated(s) && s.longestWaitMs >= POOL_EXHAUSTED_AFTER_MS;

/**
 * The database cannot serve the request: unreachable, shutting down, refusing new connections at
 * its connection limit, or no pooled connection free in time. Requests answer 503 with this code
 * (never 500), and the server recovers by itself.
 */
export type DatabaseUnavailableCode = 'DATABASE_UNAVAILABLE' | 'DATABASE_POOL_EXHAUSTED' | 'DATABASE_TOO_MANY_CONNECTIONS';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  constructor(readonly code: DatabaseUnavailableCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** SQLSTATE 53300: the server refused the connection because max_connections (or a role's or database's limit) is reached. */
export const TOO_MANY_CONNECTIONS = '53300';

/** PostgreSQL SQLSTATEs that mean the connection, not the statement, failed. */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', TOO_MANY_CONNECTIONS]);
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// What pg throws, with no code, for a socket that closed or a client that broke earlier.
const CONNECTION_MESSAGES = /Connection terminated|not queryable|timeout exceeded when trying to connect/i;

const sqlstateOf = (err: unknown): string => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};

export function isConnectionError(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  const code = sqlstateOf(err);
  return code.startsWith('08') || CONNECTION_SQLSTATES.has(code) || CONNECTION_ERRNOS.has(code) || CONNECTION_MESSAGES.test(String((err as Error | null)?.message ?? ''));
}

/** A connection-class failure as a DatabaseUnavailableError; any other error unchanged. */
export function classify(err: unknown): unknown {
  if (err instanceof DatabaseUnavailableError || !isConnectionError(err)) return err;
  const code = sqlstateOf(err) === TOO_MANY_CONNECTIONS ? 'DATABASE_TOO_MANY_CONNECTIONS' : 'DATABASE_UNAVAILABLE';
  return new DatabaseUnavailableError(code, (err as Error).message, { cause: err });
}

/** When each request still waiting for a connection started waiting. */
class WaitTracker {
  private readonly since = new Set<{ at: number }>();

  get count(): number {
    return this.since.size;
  }

  /** Marks a request as waiting; the returned function (safe to call twice) marks it served. */
  begin(): () => void {
    const entry = { at: performance.now() };
    this.since.add(entry);
    return () => this.since.delete(entry);
  }

  longestMs(): number {
    let oldest = Infinity;
    for (const e of this.since) oldest = Math.min(oldest, e.at);
    return oldest === Infinity ? 0 : Math.round(performance.now() - oldest);
  }
}

/**
 * A session for bulk work (backups and restores): owner rights, one transaction that commits when
 * the callback resolves and rolls back when it throws, and COPY in both directions.
 */
export interface BulkSession extends Sql {
  /**
   * The rows of a SELECT in PostgreSQL's COPY text format (one line per row, tab-separated, `\N`
   * for null), streamed: COPY … TO STDOUT on PostgreSQL, a cursor on PGlite (same bytes).
   */
  copyOut(select: string): AsyncIterable<Buffer>;
  /** Loads COPY text into `table` (its `columns`, in order): COPY … FROM STDIN, or through blobs on PGlite. */
  copyIn(table: string, columns: string[], source: AsyncIterable<Buffer>): Promise<void>;
}

export interface BulkOptions {
  /** One read-only repeatable-read snapshot (PostgreSQL; PGlite runs one transaction at a time anyway). */
  snapshot?: boolean;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** One statement outside any transaction, as the app role with no tenant: it sees no tenant's rows. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  /**
   * One statement on the operations connection, outside the request pool and with owner rights
   * (it sees every session in pg_stat_activity): readiness and diagnostics still answer while every
   * pooled connection is busy. Bounded by a 2 s connect and statement timeout.
   */
  probe<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  /**
   * Runs fn in one transaction as the app role with the tenant scope set; commits or rolls back.
   * fn may run twice: once more, from the start, when a schema change (a migration by another
   * replica) invalidated a prepared statement and the first run was rolled back.
   */
  transaction<T>(scope: TxScope, fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs fn with owner rights (migrations, bootstrap, operator tooling). */
  asOwner<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Runs fn in one owner transaction of its own with COPY streaming (backups, restores). */
  bulk<T>(opts: BulkOptions, fn: (session: BulkSession) => Promise<T>): Promise<T>;
  stats(): PoolStats;
  /** PGlite only: the whole data directory as a tarball, which `snapshot` opens again. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The statement that sets a transaction's scope; transaction-local, so it ends with the transaction. */
const SET_SCOPE = "SELECT set_config('mes.tenant_id', $1, true), set_config('mes.platform', $2, true)";

function scopeParams(scope: TxScope): [string, string] {
  if (scope.tenantId !== undefined && !UUID.test(scope.tenantId)) {
    throw new Error(`tenant id is not a UUID: ${scope.tenantId}`);
  }
  return [scope.tenantId ?? '', scope.platform ? 'on' : 'off'];
}

interface Statement {
  text: string;
  params?: unknown[];
  onError?: (err: unknown) => unknown;
}

/** The error a failed statement stands for: its onError translation, except for a lost connection. */
function failureOf(statement: Statement, err: unknown): unknown {
  return statement.onError && !isConnectionError(err) ? statement.onError(err) : err;
}

/**
 * Sql over a function that runs one statement at a time (PGlite, owner sessions): deferred
 * statements run, in order, before the next query or at flush().
 */
class SequentialSql implements Sql {
  private deferred: Statement[] = [];

  constructor(private readonly run: <R>(text: string, params?: unknown[]) => Promise<QueryResult<R>>) {}

  async query<R>(text: string, params?: unknown[]): Promise<QueryResult<R>> {
    await this.flush();
    return this.run<R>(text, params);
  }

  defer(text: string, params?: unknown[], onError?: (err: unknown) => unknown): void {
    this.deferred.push({ text, params, onError });
  }

  async flush(): Promise<void> {
    for (let next = this.deferred.shift(); next; next = this.deferred.shift()) {
      try {
        await this.run(next.text, next.params);
      } catch (err) {
        this.deferred = [];
        throw failureOf(next, err);
      }
    }
  }
}

export interface DatabaseOptions {
  /** postgres://… for PostgreSQL; memory:// for an in-memory PGlite; otherwise a PGlite data dir. */
  url?: string;
  dataDir: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** PGlite only: start from this dumped data directory (dumpDataDir) instead of an empty one. */
  snapshot?: Blob;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url && /^postgres(ql)?:\/\//.test(opts.url)) return openPostgres(opts.url, opts);
  const dir = opts.url === 'memory://' ? 'memory://' : path.resolve(opts.url ?? path.join(opts.dataDir, 'pgdata'));
  return openPGlite(dir, opts.snapshot);
}

/**
 * Names of the statements prepared on the request pool's connections: a statement is parsed and
 * planned once per connection instead of once per use. A schema change can invalidate them
 * ("cached plan must not change result type"); invalidate() then gives every text a new name, so
 * each connection prepares it afresh. Past MAX_PREPARED texts, statements run unnamed.
 */
class PreparedStatements {
  private static readonly MAX_PREPARED = 2000;
  private readonly names = new Map<string, string>();
  private generation = 0;

  config(text: string, params?: unknown[]): pg.QueryConfig {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < PreparedStatements.MAX_PREPARED) {
      name = `mes_${this.generation}_${this.names.size}`;
      this.names.set(text, name);
    }
    return name === undefined ? { text, values: params } : { name, text, values: params };
  }

  invalidate(): void {
    this.names.clear();
    this.generation++;
  }
}

/** A prepared statement that no longer matches the schema, or that the session lost: retry with fresh ones. */
const isStalePlan = (err: unknown): boolean =>
  (sqlstateOf(err) === '0A000' && /cached plan must not change result type/.test((err as Error).message)) || sqlstateOf(err) === '26000';

/**
 * One transaction on a pipelined connection (pg's pipeline mode): statements are written without
 * waiting for earlier answers, and everything one tick sends leaves in one write. BEGIN and the
 * tenant scope go in the same write as the first query; deferred statements with the next query or
 * with COMMIT. A read sends BEGIN READ ONLY, the scope, the statement and COMMIT together.
 */
class PipelinedTransaction implements Sql {
  private opened = false;
  private deferred: Statement[] = [];
  private readonly scope: Statement;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly prepared: PreparedStatements,
    scope: TxScope,
  ) {
    this.scope = { text: SET_SCOPE, params: scopeParams(scope) };
    this.readOnly = scope.readOnly === true;
  }

  private readonly readOnly: boolean;

  async query<R>(text: string, params?: unknown[]): Promise<QueryResult<R>> {
    const statement = { text, params };
    const batch = this.readOnly
      ? [{ text: 'BEGIN READ ONLY' }, this.scope, ...this.takeDeferred(), statement, { text: 'COMMIT' }]
      : [...this.open(), ...this.takeDeferred(), statement];
    const results = await this.send(batch);
    return normalise<R>(results[batch.indexOf(statement)]);
  }

  defer(text: string, params?: unknown[], onError?: (err: unknown) => unknown): void {
    this.deferred.push({ text, params, onError });
  }

  /** Sends what is deferred and COMMIT; a transaction that sent nothing sends nothing. */
  async commit(): Promise<void> {
    if (this.readOnly) {
      if (this.deferred.length) await this.send([{ text: 'BEGIN READ ONLY' }, this.scope, ...this.takeDeferred(), { text: 'COMMIT' }]);
      return;
    }
    if (!this.opened && this.deferred.length === 0) return;
    const results = await this.send([...this.open(), ...this.takeDeferred(), { text: 'COMMIT' }]);
    // COMMIT in a failed transaction rolls back and says so instead of failing.
    if (results.at(-1)?.command !== 'COMMIT') throw new Error('the transaction was rolled back at COMMIT');
  }

  /** Ends whatever the session still has open: after a failure, or a commit that did not finish. */
  async rollback(): Promise<void> {
    this.deferred = [];
    if (this.client.getTransactionStatus() !== 'I') await this.client.query('ROLLBACK');
  }

  private open(): Statement[] {
    if (this.opened) return [];
    this.opened = true;
    return [{ text: 'BEGIN' }, this.scope];
  }

  private takeDeferred(): Statement[] {
    const taken = this.deferred;
    this.deferred = [];
    return taken;
  }

  /**
   * Writes the batch and waits for every answer. The first statement that failed names the error
   * (the ones after it only report the aborted transaction).
   */
  private async send(batch: Statement[]): Promise<pg.QueryResult[]> {
    corkForThisTick(this.client);
    const answers = await Promise.allSettled(batch.map((s) => this.client.query(this.statementConfig(s))));
    const failed = answers.findIndex((a) => a.status === 'rejected');
    if (failed >= 0) throw failureOf(batch[failed], (answers[failed] as PromiseRejectedResult).reason);
    return answers.map((a) => (a as PromiseFulfilledResult<pg.QueryResult>).value);
  }

  /** Statements with parameters, and our own transaction control, run prepared; others as simple queries (they may hold several statements). */
  private statementConfig(s: Statement): pg.QueryConfig | string {
    if (s.params?.length || s.text === 'BEGIN' || s.text === 'BEGIN READ ONLY' || s.text === 'COMMIT') return this.prepared.config(s.text, s.params);
    return s.text;
  }
}

/** Holds the connection's writes until the end of this tick, so that they leave in one write. */
const corked = new WeakSet<pg.PoolClient>();
function corkForThisTick(client: pg.PoolClient): void {
  if (corked.has(client)) return;
  const stream = (client as unknown as { connection: { stream: NodeJS.WritableStream & { cork(): void; uncork(): void } } }).connection.stream;
  corked.add(client);
  stream.cork();
  process.nextTick(() => {
    corked.delete(client);
    stream.uncork();
  });
}

async function openPostgres(url: string, opts: DatabaseOptions): Promise<Database> {
  const max = opts.poolSize ?? 20;
  const statementTimeoutMs = opts.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Generous: a busy host can starve the event loop for seconds, and pg-pool's timer then fires
    // before the socket's already-open connection is even seen (observed on a 2-core CI machine).
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 15_000,
    idleTimeoutMillis: 30_000,
    // Every pooled session becomes the app role as it starts: nothing on this pool can skip RLS.
    options: `-c role=${APP_ROLE} -c statement_timeout=${statementTimeoutMs}`,
    application_name: 'mes-server',
    pipeline: true,
  } as pg.PoolConfig);
  // One connection of its own, so that the checks that must answer during a fault never queue
  // behind requests; it keeps its connection open (no idle timeout) and reconnects after a restart.
  const operations = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    idleTimeoutMillis: 0,
    options: `-c statement_timeout=${PROBE_TIMEOUT_MS}`,
    application_name: 'mes-operations',
  });
  // A client that loses its server (database stopped or restarted) must not crash the process.
  // Idle, the pool drops it; checked out, its next query fails as a connection error and the
  // client is released as broken. Either way the next request opens a new connection.
  for (const p of [pool, operations]) {
    p.on('error', () => {});
    p.on('connect', (client) => client.on('error', () => {}));
  }
  const owner = () => {
    const client = new pg.Client({ connectionString: url, application_name: 'mes-owner' });
    client.on('error', () => {}); // a lost server fails the next query instead of the process
    return client;
  };
  const waits = new WaitTracker();
  const prepared = new PreparedStatements();
  let lastLimitRefusal: Date | null = null;

  /**
   * A pooled connection, or DatabaseUnavailableError: pool exhausted when the connect timed out
   * with every connection checked out, too many connections when the database refused at its
   * limit, unavailable when it refused otherwise or did not accept.
   */
  const connect = async (): Promise<pg.PoolClient> => {
    const served = waits.begin();
    try {
      return await pool.connect();
    } catch (err) {
      if (/timeout exceeded when trying to connect/.test((err as Error).message) && pool.totalCount >= max) {
        throw new DatabaseUnavailableError('DATABASE_POOL_EXHAUSTED', `all ${max} pooled database connections stayed busy for ${pool.options.connectionTimeoutMillis} ms`, { cause: err });
      }
      if (sqlstateOf(err) === TOO_MANY_CONNECTIONS) lastLimitRefusal = new Date();
      throw classify(err);
    } finally {
      served();
    }
  };

  /** One run of fn in a transaction; the connection goes back to the pool only with no transaction open. */
  const runTransaction = async <T>(scope: TxScope, fn: (tx: Sql) => Promise<T>): Promise<T> => {
    const client = await connect();
    let broken: unknown;
    const tx = new PipelinedTransaction(client, prepared, scope);
    try {
      const result = await fn(tx);
      if (!scope.readOnly) await writeRecordedEvents(tx);
      await tx.commit();
      return result;
    } catch (err) {
      if (isConnectionError(err)) broken = err;
      throw classify(err);
    } finally {
      if (!broken) await tx.rollback().catch((err) => (broken = err));
      client.release(broken as Error | undefined);
    }
  };

  return {
    kind: 'postgres',
    async query<R>(text: string, params?: unknown[]) {
      const client = await connect();
      let broken: unknown;
      try {
        return normalise<R>(await client.query(text, params));
      } catch (err) {
        if (isConnectionError(err)) broken = err;
        throw classify(err);
      } finally {
        client.release(broken as Error | undefined);
      }
    },
    probe: async <R>(text: string, params?: unknown[]) => {
      try {
        return normalise<R>(await operations.query(text, params));
      } catch (err) {
        throw classify(err);
      }
    },
    async transaction(scope, fn) {
      scopeParams(scope);
      try {
        return await runTransaction(scope, fn);
      } catch (err) {
        if (!isStalePlan(err)) throw err;
        prepared.invalidate();
        return runTransaction(scope, fn);
      }
    },
    async asOwner(fn) {
      const client = owner();
      await client.connect().catch((err) => Promise.reject(classify(err)));
      try {
        const sql = new SequentialSql(async <R>(text: string, params?: unknown[]) => normalise<R>(await client.query(text, params)));
        const result = await fn(sql);
        await sql.flush();
        return result;
      } finally {
        await client.end();
      }
    },
    async bulk(opts, fn) {
      const client = owner();
      await client.connect().catch((err) => Promise.reject(classify(err)));
      try {
        await client.query(opts.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
        const sql = new SequentialSql(async <R>(text: string, params?: unknown[]) => normalise<R>(await client.query(text, params)));
        const result = await fn(Object.assign(sql, {
          copyOut: (select: string) => client.query(copyTo(`COPY (${select}) TO STDOUT`)),
          copyIn: (table: string, columns: string[], source: AsyncIterable<Buffer>) => pipeline(Readable.from(source), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`))),
        }));
        await sql.flush();
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw classify(err);
      } finally {
        await client.end().catch(() => {});
      }
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max, longestWaitMs: waits.longestMs(), lastLimitRefusal }),
    close: async () => {
      await Promise.all([pool.end(), operations.end()]);
    },
  };
}

/** Bound on the operations connection: connecting, and each statement on it. */
const PROBE_TIMEOUT_MS = 2000;

function normalise<R>(res: { rows: unknown[]; rowCount: number | null }): QueryResult<R> {
  return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
}

async function openPGlite(dir: string, snapshot?: Blob): Promise<Database> {
  if (dir !== 'memory://') mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db: PGliteType = await PGlite.create(dir === 'memory://' ? undefined : dir, snapshot ? { loadDataDir: snapshot } : undefined);
  // PGlite is one session: it runs as the app role except inside asOwner.
  await db.exec(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN SET ROLE ${APP_ROLE}; END IF; END $$`);
  let active = 0;
  const waits = new WaitTracker();
  // Like pg's simple protocol, a query without parameters may hold several statements (migrations).
  const run = async <R>(sql: Pick<PGliteType, 'query' | 'exec'>, text: string, params?: unknown[]): Promise<QueryResult<R>> => {
    const res = params?.length ? await sql.query<R>(text, params) : (await sql.exec(text)).at(-1);
    const rows = (res?.rows ?? []) as R[];
    return { rows, rowCount: res?.affectedRows ?? rows.length };
  };

  return {
    kind: 'pglite',
    query: (text, params) => run(db, text, params),
    probe: (text, params) => run(db, text, params),
    async transaction(scope, fn) {
      const params = scopeParams(scope);
      const served = waits.begin();
      try {
        return await db.transaction(async (tx) => {
          served();
          active++;
          try {
            if (scope.readOnly) await tx.exec('SET TRANSACTION READ ONLY');
            await tx.query(SET_SCOPE, params);
            const sql = new SequentialSql(<R>(text: string, p?: unknown[]) => run<R>(tx, text, p));
            const result = await fn(sql);
            if (!scope.readOnly) await writeRecordedEvents(sql);
            await sql.flush();
            return result;
          } finally {
            active--;
          }
        });
      } finally {
        served();
      }
    },
    async asOwner(fn) {
      // PGlite runs one statement at a time; the role switch is held for the whole callback.
      return db.transaction(async (tx) => {
        await tx.exec('RESET ROLE');
        const sql = new SequentialSql(<R>(text: string, p?: unknown[]) => run<R>(tx, text, p));
        const result = await fn(sql);
        await sql.flush();
        // Only on success: a failure rolls the transaction back, which undoes RESET ROLE by itself,
        // and a statement here would only replace the real error with "transaction is aborted".
        await tx.exec(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN SET ROLE ${APP_ROLE}; END IF; END $$`);
        return result;
      });
    },
    async bulk(_opts, fn) {
      return db.transaction(async (tx) => {
        await tx.exec('RESET ROLE');
        const sql = new SequentialSql((text, params) => run(tx, text, params));
        const result = await fn(Object.assign(sql, {
          copyOut: (select: string) => pgliteCopyOut(tx, select),
          copyIn: (table: string, columns: string[], source: AsyncIterable<Buffer>) => pgliteCopyIn(tx, table, columns, source),
        }));
        await sql.flush();
        await tx.exec(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN SET ROLE ${APP_ROLE}; END IF; END $$`);
        return result;
      });
    },
    stats: () => ({ total: 1, idle: active === 0 ? 1 : 0, waiting: waits.count, max: 1, longestWaitMs: waits.longestMs(), lastLimitRefusal: null }),
    dumpDataDir: async () => db.dumpDataDir('none'),
    close: () => db.close(),
  };
}

type PGliteTx = Parameters<Parameters<PGliteType['transaction']>[0]>[0];

let cursors = 0;
const FETCH_ROWS = 5000;

/**
 * COPY text from a cursor. Every column is read as its type's text output (identity parsers for
 * the result's type oids), then escaped as COPY does, so the bytes equal PostgreSQL's COPY TO.
 */
async function* pgliteCopyOut(tx: PGliteTx, select: string): AsyncGenerator<Buffer> {
  const cursor = `mes_bulk_${++cursors}`;
  await tx.exec(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${select}`);
  try {
    const probe = await tx.query(`FETCH 0 FROM ${cursor}`);
    const parsers = Object.fromEntries(probe.fields.map((f) => [f.dataTypeID, (v: string) => v]));
    for (;;) {
      const { rows } = await tx.query<unknown[]>(`FETCH ${FETCH_ROWS} FROM ${cursor}`, [], { rowMode: 'array', parsers });
      if (rows.length) yield Buffer.from(rows.map((r) => r.map((v) => (v === null ? '\\N' : escapeCopyText(v as string))).join('\t')).join('\n') + '\n');
      if (rows.length < FETCH_ROWS) return;
    }
  } finally {
    await tx.exec(`CLOSE ${cursor}`);
  }
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeCopyText = (v: string) => v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]);

/** PGlite reads COPY input from a blob: the stream is cut into blobs of whole lines. */
async function pgliteCopyIn(tx: PGliteTx, table: string, columns: string[], source: AsyncIterable<Buffer>): Promise<void> {
  const statement = `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`;
  let pending: Buffer[] = [];
  let size = 0;
  const load = (bytes: Buffer) => (bytes.length ? tx.query(statement, [], { blob: new Blob([new Uint8Array(bytes)]) }) : undefined);
  for await (const chunk of source) {
    pending.push(chunk);
    size += chunk.length;
    if (size < BLOB_BYTES) continue;
    const all = Buffer.concat(pending);
    const cut = all.lastIndexOf(0x0a) + 1;
    await load(all.subarray(0, cut));
    pending = [all.subarray(cut)];
    size = all.length - cut;
  }
  await load(Buffer.concat(pending));
}

const BLOB_BYTES = 8 * 1024 * 1024;
