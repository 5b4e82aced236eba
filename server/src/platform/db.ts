import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { PGlite as PGliteType } from '@electric-sql/pglite';
import { writeRecordedEvents } from './outbox.js';

/** The role every request runs as. It owns no table, so row-level security always applies. */
export const APP_ROLE = 'mes_app';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that runs SQL: a transaction handle or the database itself. */
export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/** Scope of a transaction: which tenant's rows it may see, and whether platform-wide rows too. */
export interface TxScope {
  tenantId?: string;
  platform?: boolean;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction as the app role with the tenant scope set; commits or rolls back. */
  transaction<T>(scope: TxScope, fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs fn with owner rights (migrations, bootstrap, operator tooling). */
  asOwner<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  stats(): PoolStats;
  /** PGlite only: the whole data directory as a tarball, which `snapshot` opens again. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The statement that opens every app transaction. It is sent as one simple-protocol round trip,
 * so the tenant id is checked to be a UUID before it is written into the text.
 */
function beginStatement(scope: TxScope): string {
  if (scope.tenantId !== undefined && !UUID.test(scope.tenantId)) {
    throw new Error(`tenant id is not a UUID: ${scope.tenantId}`);
  }
  const tenant = scope.tenantId ?? '';
  const platform = scope.platform ? 'on' : 'off';
  return `BEGIN; SELECT set_config('mes.tenant_id', '${tenant}', true), set_config('mes.platform', '${platform}', true)`;
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

async function openPostgres(url: string, opts: DatabaseOptions): Promise<Database> {
  const max = opts.poolSize ?? 20;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Generous: a busy host can starve the event loop for seconds, and pg-pool's timer then fires
    // before the socket's already-open connection is even seen (observed on a 2-core CI machine).
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 15_000,
    idleTimeoutMillis: 30_000,
    // Every pooled session becomes the app role as it starts: nothing on this pool can skip RLS.
    options: `-c role=${APP_ROLE} -c statement_timeout=${opts.statementTimeoutMs ?? 30_000}`,
    application_name: 'mes-server',
  });
  // An idle client that loses its server (database restarted) must not crash the process.
  pool.on('error', () => {});
  const owner = () => new pg.Client({ connectionString: url, application_name: 'mes-owner' });

  return {
    kind: 'postgres',
    query: async <R>(text: string, params?: unknown[]) => normalise<R>(await pool.query(text, params)),
    async transaction(scope, fn) {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query(beginStatement(scope));
        const tx: Sql = { query: async <R>(text: string, params?: unknown[]) => normalise<R>(await client.query(text, params)) };
        const result = await fn(tx);
        await writeRecordedEvents(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr) => (broken = rollbackErr));
        throw err;
      } finally {
        client.release(broken as Error | undefined);
      }
    },
    async asOwner(fn) {
      const client = owner();
      await client.connect();
      try {
        return await fn({ query: async <R>(text: string, params?: unknown[]) => normalise<R>(await client.query(text, params)) });
      } finally {
        await client.end();
      }
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    close: () => pool.end(),
  };
}

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
  let waiting = 0;
  // Like pg's simple protocol, a query without parameters may hold several statements (migrations).
  const run = async <R>(sql: Pick<PGliteType, 'query' | 'exec'>, text: string, params?: unknown[]): Promise<QueryResult<R>> => {
    const res = params?.length ? await sql.query<R>(text, params) : (await sql.exec(text)).at(-1);
    const rows = (res?.rows ?? []) as R[];
    return { rows, rowCount: res?.affectedRows ?? rows.length };
  };

  return {
    kind: 'pglite',
    query: (text, params) => run(db, text, params),
    async transaction(scope, fn) {
      waiting++;
      return db.transaction(async (tx) => {
        waiting--;
        active++;
        try {
          await tx.exec(beginStatement(scope).replace(/^BEGIN; /, ''));
          const sql: Sql = { query: (text, params) => run(tx, text, params) };
          const result = await fn(sql);
          await writeRecordedEvents(sql);
          return result;
        } finally {
          active--;
        }
      });
    },
    async asOwner(fn) {
      // PGlite runs one statement at a time; the role switch is held for the whole callback.
      return db.transaction(async (tx) => {
        await tx.exec('RESET ROLE');
        const result = await fn({ query: (text, params) => run(tx, text, params) });
        // Only on success: a failure rolls the transaction back, which undoes RESET ROLE by itself,
        // and a statement here would only replace the real error with "transaction is aborted".
        await tx.exec(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN SET ROLE ${APP_ROLE}; END IF; END $$`);
        return result;
      });
    },
    stats: () => ({ total: 1, idle: active === 0 ? 1 : 0, waiting, max: 1 }),
    dumpDataDir: async () => db.dumpDataDir('none'),
    close: () => db.close(),
  };
}
