/**
 * Test harness: a real server on a real database, reached over real HTTP.
 *
 * The backend comes from MES_TEST_DATABASE_URL: unset means an in-memory PGlite per server;
 * a postgres:// URL means a fresh database on that server per test server, dropped afterwards.
 * `npm test` runs on PGlite; .ci/run runs the suite again with PostgreSQL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { loadConfig, migrate, openDatabase, startServer, type Database, type RunningServer, type ServerConfig } from '../src/index.js';
import { readMigrations } from '../src/platform/migrations.js';

export const PG_ADMIN_URL = process.env.MES_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const backend = process.env.MES_TEST_DATABASE_URL ? 'postgres' : 'pglite';

/** A new PostgreSQL database on the test server, empty or a copy of `template`; drop() removes it. */
export async function freshPostgresDatabase(adminUrl = process.env.MES_TEST_DATABASE_URL ?? PG_ADMIN_URL, template?: string) {
  const name = `mes_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`tests need PostgreSQL at ${adminUrl} (set MES_TEST_PG_ADMIN_URL): ${(err as Error).message}`);
  }
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A new PostgreSQL database that is already migrated: a copy of a template database migrated once
 * per set of migration files (its name carries their checksum), which costs a fraction of running
 * the migrations again. The template is made under an advisory lock, so parallel workers and
 * checkouts with other migrations each get a template that matches their files.
 */
export async function migratedPostgresDatabase(adminUrl = process.env.MES_TEST_DATABASE_URL ?? PG_ADMIN_URL) {
  const template = `mes_test_template_${migrationsDigest()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!exists.rowCount) await createTemplate(admin, adminUrl, template);
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
  } finally {
    await admin.end();
  }
  return freshPostgresDatabase(adminUrl, template);
}

/** Migrates a database under a scratch name and renames it, so no half-migrated template is ever visible. */
async function createTemplate(admin: pg.Client, adminUrl: string, template: string) {
  const scratch = await freshPostgresDatabase(adminUrl);
  try {
    const db = await openDatabase({ url: scratch.url, dataDir: '/tmp/mes-test-unused' });
    await migrate(db).finally(() => db.close());
    await admin.query(`ALTER DATABASE ${scratch.name} RENAME TO ${template}`);
  } catch (err) {
    await scratch.drop();
    throw err;
  }
}

let migratedSnapshot: Promise<Blob> | undefined;

/**
 * An in-memory PGlite that is already migrated. initdb and the migrations cost about ten seconds
 * per database on two cores; they are done once per set of migration files and PGlite version, the
 * data directory kept as a tarball in the temp directory, and every test database in every worker
 * process starts from it.
 */
export async function openMigratedPGlite(): Promise<Database> {
  migratedSnapshot ??= cachedPGliteSnapshot();
  return openDatabase({ url: 'memory://', dataDir: '/tmp/mes-test-unused', snapshot: await migratedSnapshot });
}

async function cachedPGliteSnapshot(): Promise<Blob> {
  // The migration runner's own code also shapes the database (roles, grants, its bookkeeping).
  const runner = readFileSync(new URL('../src/platform/migrations.ts', import.meta.url), 'utf8');
  const file = join(tmpdir(), `mes-test-pglite-${migrationsDigest(pgliteVersion(), runner)}.tar`);
  const cached = await readFile(file).catch(() => undefined);
  if (cached) return new Blob([cached]);
  const template = await openDatabase({ url: 'memory://', dataDir: '/tmp/mes-test-unused' });
  await migrate(template);
  const dump = await template.dumpDataDir!();
  await template.close();
  // Written under a unique name and renamed: a parallel worker reads a whole tarball or none.
  const scratch = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(scratch, Buffer.from(await dump.arrayBuffer()));
  renameSync(scratch, file);
  return dump;
}

/** PGlite's version: its data directory format changes with it (package.json is not exported, so read it beside the entry). */
function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A name for the current migration files (and whatever else shapes a migrated database). */
function migrationsDigest(...extra: string[]): string {
  const digest = createHash('sha256');
  for (const m of readMigrations()) digest.update(m.name).update(m.checksum);
  for (const e of extra) digest.update(e);
  return digest.digest('hex').slice(0, 16);
}

/**
 * A migrated database on the test backend, for tests that call services directly: PGlite in
 * memory, or a fresh PostgreSQL database. close() closes it and drops the PostgreSQL one.
 */
export async function openTestDatabase(): Promise<{ db: Database; close(): Promise<void> }> {
  const fresh = backend === 'postgres' ? await migratedPostgresDatabase() : undefined;
  const db = fresh ? await openDatabase({ url: fresh.url, dataDir: '/tmp/mes-test-unused' }) : await openMigratedPGlite();
  return {
    db,
    async close() {
      await db.close();
      await fresh?.drop();
    },
  };
}

export interface TestServer {
  url: string;
  adminKey: string;
  server: RunningServer;
  databaseUrl: string;
  /** Fetch with the platform admin key unless headers say otherwise; JSON in, JSON out. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** Starts a server on its own fresh database (PGlite in memory or a new PostgreSQL database). */
export async function startTestServer(overrides: Partial<ServerConfig> = {}, opts: { postgres?: boolean } = {}): Promise<TestServer> {
  const usePg = opts.postgres ?? backend === 'postgres';
  const db = usePg ? await migratedPostgresDatabase() : undefined;
  const config = loadConfig({
    databaseUrl: db?.url ?? 'memory://',
    dataDir: `/tmp/mes-test-${randomBytes(4).toString('hex')}`,
    port: 0,
    logLevel: process.env.MES_TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  }, {});
  // PostgreSQL: the server opens its own pool on the fresh database. PGlite: the harness opens a
  // migrated snapshot, hands it to the server and closes it after the server has stopped.
  const pglite = db ? undefined : await openMigratedPGlite();
  const server = await startServer(config, { db: pglite }).catch(async (err) => {
    await pglite?.close();
    await db?.drop();
    throw err;
  });
  const adminKey = server.bootstrap.apiKey!;
  return {
    url: server.url,
    adminKey,
    server,
    databaseUrl: config.databaseUrl!,
    call: (method, path, body, headers) => call(server.url, adminKey, method, path, body, headers),
    async stop() {
      await server.shutdown();
      await pglite?.close();
      await db?.drop();
    },
  };
}

export async function call(baseUrl: string, key: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (metrics): keep the text
  }
  if (res.status >= 400) assertProblem(res.status, res.headers.get('content-type'), parsed, `${method} ${path}`);
  return { status: res.status, body: parsed as any, headers: res.headers };
}

/**
 * Every refusal the tests receive is checked against RFC 9457 and our conventions, so every suite
 * proves it: problem+json, `status` the HTTP status (never a document's state), an UPPER_SNAKE
 * `code`, and `type`, `title`, `detail`, `traceId`.
 */
export function assertProblem(status: number, contentType: string | null, body: unknown, what: string): void {
  const p = body as Record<string, unknown> | undefined;
  const wrong: string[] = [];
  if (!/^application\/problem\+json/.test(contentType ?? '')) wrong.push(`content-type is ${contentType}`);
  if (typeof p !== 'object' || p === null) wrong.push('the body is not a JSON object');
  else {
    if (p.status !== status) wrong.push(`status is ${JSON.stringify(p.status)}, not ${status}`);
    if (typeof p.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(p.code)) wrong.push(`code ${JSON.stringify(p.code)} is not UPPER_SNAKE`);
    for (const member of ['type', 'title', 'detail', 'traceId']) if (typeof p[member] !== 'string' || p[member] === '') wrong.push(`${member} is missing`);
  }
  if (wrong.length) throw new Error(`${what} answered ${status} with a body that is not a conforming problem (${wrong.join('; ')}): ${JSON.stringify(body)?.slice(0, 500)}`);
}

/** Creates a tenant through the API and returns its admin key. */
export async function createTenant(t: TestServer, slug: string, plan = 'unlimited') {
  const res = await t.call('POST', '/v1/tenants', { slug, name: slug.toUpperCase(), plan });
  if (res.status !== 201) throw new Error(`creating tenant ${slug}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.tenant.id as string, key: res.body.apiKey.key as string, adminUserId: res.body.admin.id as string };
}
