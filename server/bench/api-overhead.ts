/**
 * api-overhead: an authenticated GET of a small resource (one user) through the whole stack
 * (HTTP, auth, tenant transaction with RLS, JSON) against the same SELECT sent straight to
 * PostgreSQL with pg, both with 16 concurrent clients on the same machine, in interleaved phases
 * of one run. The figure that matters is the ratio; absolute rates on a shared machine are noise.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { formatInterleaved, interleave, type Interleaved } from './load.js';
import { freshDatabase } from './database.js';

const USER_SQL = `SELECT u.id, u.username, u.display_name, u.email, u.status, u.is_platform_admin, u.version, u.created_at, u.updated_at,
  coalesce((SELECT array_agg(r.name ORDER BY r.name) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id), '{}') AS roles
  FROM users u WHERE u.tenant_id = $1 AND u.id = $2`;

export interface ApiOverheadResult {
  /** The bare SELECT (baseline) against the API GET (subject). */
  reads: Interleaved;
}

export interface BenchOptions {
  seconds: number;
  rounds: number;
  concurrency: number;
}

export async function apiOverhead(opts: BenchOptions): Promise<ApiOverheadResult> {
  const db = await freshDatabase('api_overhead');
  const port = await freePort();
  const server = spawn(process.execPath, [fileURLToPath(new URL('../../dist/main.js', import.meta.url))], {
    env: { ...process.env, MES_DATABASE_URL: db.url, MES_PORT: String(port), MES_LOG_LEVEL: 'warn', MES_DB_POOL_SIZE: String(opts.concurrency) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const adminKey = await readAdminKey(server);
    const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
    const get = (path: string, key: string) => request(agent, port, 'GET', path, key);
    const tenant = JSON.parse((await request(agent, port, 'POST', '/v1/tenants', adminKey, { slug: 'bench', name: 'Bench', plan: 'unlimited' })).body);
    const key: string = tenant.apiKey.key;
    const path = `/v1/users/${tenant.admin.id}`;
    const probe = await get(path, key);
    if (probe.status !== 200) throw new Error(`probe failed: ${probe.status} ${probe.body}`);

    const pool = new pg.Pool({ connectionString: db.url, max: opts.concurrency });
    const reads = await interleave(
      opts,
      { label: `direct SELECT (pg, ${opts.concurrency} clients)`, once: () => pool.query(USER_SQL, [tenant.tenant.id, tenant.admin.id]).then((r) => r.rowCount === 1) },
      { label: 'API GET /v1/users/{id}', once: () => get(path, key).then((r) => r.status === 200) },
    );
    await pool.end();
    agent.destroy();
    return { reads };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await db.drop();
  }
}

export function request(agent: http.Agent, port: number, method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export function readAdminKey(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /API key \(shown once\): (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

export interface BenchServer {
  port: number;
  adminKey: string;
  /** SIGTERM, and wait for the process to exit. */
  stop(): Promise<void>;
}

/**
 * The built server (dist/main.js) as a process on `databaseUrl`, on a free loopback port with quiet
 * logs (`env` adds or overrides settings); resolves once it has printed the admin key.
 */
export async function startBenchServer(databaseUrl: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../dist/main.js', import.meta.url))], {
    env: { ...process.env, MES_DATABASE_URL: databaseUrl, MES_HOST: '127.0.0.1', MES_PORT: String(port), MES_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  try {
    return { port, adminKey: await readAdminKey(child), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function printApiOverhead(r: ApiOverheadResult): void {
  console.log('\napi-overhead: authenticated GET through the full stack vs the same SELECT sent directly, interleaved');
  console.log(formatInterleaved(r.reads, 0.5));
}
