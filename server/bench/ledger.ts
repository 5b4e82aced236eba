/**
 * ledger: two figures for the stock ledger, each as a ratio to a baseline measured in the same run.
 *
 * 1. Postings per second: 16 clients POSTing single-line other_in/other_out documents with
 *    post: true to a server process on a fresh PostgreSQL database, against the same SQL sent
 *    straight with pg by 16 clients (tenant transaction; document row, line row, movement,
 *    balance upsert; one transaction each), in interleaved phases of one run. Both post to one
 *    balance, so both serialise on its row lock the same way.
 * 2. The receive/issue/balance summary over 1,000,000 movements (200 materials, 3 warehouses,
 *    365 days, generated with INSERT … SELECT generate_series as the owner, nothing disabled):
 *    the median of 5 runs of the summary for one month, through GET /v1/reports/stock-summary
 *    when that route exists and as the equivalent SQL, against a plain count(*) of the same
 *    movements. Generation time is printed separately.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, readAdminKey, request } from './api-overhead.js';
import { freshDatabase, generateLedger } from './database.js';
import { formatInterleaved, interleave, type Interleaved } from './load.js';
import type { BenchOptions } from './api-overhead.js';

export interface LedgerBenchResult {
  /** The posting SQL sent directly (baseline) against the API posting (subject). */
  postings: Interleaved;
  summary: {
    movements: number;
    generationSeconds: number;
    countMs: number;
    sqlMs: number;
    sqlRatio: number;
    apiMs: number | null;
    apiRatio: number | null;
    apiRows: number | null;
  };
}

const MOVEMENTS = Number(process.env.MES_BENCH_LEDGER_MOVEMENTS ?? 1_000_000);

export async function ledgerBench(opts: BenchOptions): Promise<LedgerBenchResult> {
  const db = await freshDatabase('ledger');
  const port = await freePort();
  const server = spawn(process.execPath, [fileURLToPath(new URL('../../dist/main.js', import.meta.url))], {
    env: { ...process.env, MES_DATABASE_URL: db.url, MES_HOST: '127.0.0.1', MES_PORT: String(port), MES_LOG_LEVEL: 'warn', MES_DB_POOL_SIZE: String(opts.concurrency) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pool = new pg.Pool({ connectionString: db.url, max: opts.concurrency });
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  try {
    const adminKey = await readAdminKey(server);
    const api = async (method: string, path: string, key: string, body?: unknown, expect = 201) => {
      const r = await request(agent, port, method, path, key, body);
      if (r.status !== expect) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
      return JSON.parse(r.body);
    };
    const postings = await measurePostings(opts, api, pool, adminKey, port, agent);
    const summary = await measureSummary(opts, api, pool, adminKey);
    return { postings, summary };
  } finally {
    agent.destroy();
    await pool.end();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await db.drop();
  }
}

type Api = (method: string, path: string, key: string, body?: unknown, expect?: number) => Promise<any>;

async function measurePostings(opts: BenchOptions, api: Api, pool: pg.Pool, adminKey: string, port: number, agent: http.Agent) {
  const tenant = await api('POST', '/v1/tenants', adminKey, { slug: 'bench-ledger', name: 'Bench ledger', plan: 'unlimited' });
  const key: string = tenant.apiKey.key;
  const tenantId: string = tenant.tenant.id;
  await api('POST', '/v1/units', key, { code: 'PCS', name: 'Pieces', decimals: 0 });
  const material = await api('POST', '/v1/materials', key, { code: 'BENCH-1', name: 'Bench item', baseUnit: 'PCS' });
  const warehouse = await api('POST', '/v1/warehouses', key, { code: 'MAIN', name: 'Main' });
  // Enough stock that no issue is ever short.
  await api('POST', '/v1/stock-documents', key, { type: 'other_in', post: true, lines: [{ materialId: material.id, warehouseId: warehouse.id, quantity: '1000000000' }] });

  let n = 0;
  const viaApi = async () => {
    const type = n++ % 2 ? 'other_out' : 'other_in';
    const r = await request(agent, port, 'POST', '/v1/stock-documents', key, { type, post: true, lines: [{ materialId: material.id, warehouseId: warehouse.id, quantity: '1' }] });
    return r.status === 201;
  };
  let m = 0;
  const direct = async () => {
    const type = m++ % 2 ? 'other_out' : 'other_in';
    const signed = type === 'other_in' ? '1' : '-1';
    const client = await pool.connect();
    try {
      // As the app role with the tenant set, so row-level security checks every statement as it does for the API.
      await client.query(`BEGIN; SET LOCAL ROLE mes_app; SELECT set_config('mes.tenant_id', '${tenantId}', true), set_config('mes.platform', 'off', true)`);
      const doc = await client.query<{ id: string }>(
        `INSERT INTO stock_documents (tenant_id, doc_no, doc_type, status, created_by, posted_by, posted_at) VALUES ($1, $2, $3, 'posted', 'bench', 'bench', now()) RETURNING id`,
        [tenantId, `DIRECT-${randomUUID()}`, type],
      );
      const docId = doc.rows[0].id;
      await client.query(
        `INSERT INTO stock_document_lines (tenant_id, document_id, line_no, material_id, quantity, unit, base_quantity, warehouse_id) VALUES ($1, $2, 1, $3, 1, 'PCS', 1, $4)`,
        [tenantId, docId, material.id, warehouse.id],
      );
      await client.query(
        `INSERT INTO stock_movements (tenant_id, movement_type, material_id, warehouse_id, quantity, entered_quantity, entered_unit, source_type, source_id, source_line, posted_by)
         VALUES ($1, $2, $3, $4, $5, 1, 'PCS', 'stock_document', $6, 1, 'bench')`,
        [tenantId, type, material.id, warehouse.id, signed, docId],
      );
      const bal = await client.query(
        `INSERT INTO stock_balances (tenant_id, material_id, warehouse_id, bin_id, batch_id, serial_id, quantity) VALUES ($1, $2, $3, NULL, NULL, NULL, $4)
         ON CONFLICT ON CONSTRAINT stock_balances_key DO UPDATE SET quantity = stock_balances.quantity + EXCLUDED.quantity, updated_at = now() RETURNING quantity`,
        [tenantId, material.id, warehouse.id, signed],
      );
      await client.query('COMMIT');
      return bal.rowCount === 1;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  };
  return interleave(
    { ...opts, maxRequests: 2_000_000 },
    { label: `direct SQL posting (pg, ${opts.concurrency} clients)`, once: direct },
    { label: 'API POST /v1/stock-documents post', once: viaApi },
  );
}

async function measureSummary(opts: { seconds: number }, api: Api, pool: pg.Pool, adminKey: string) {
  const tenant = await api('POST', '/v1/tenants', adminKey, { slug: 'bench-summary', name: 'Bench summary', plan: 'unlimited' });
  const key: string = tenant.apiKey.key;
  const tenantId: string = tenant.tenant.id;
  await api('POST', '/v1/units', key, { code: 'PCS', name: 'Pieces', decimals: 0 });

  const started = performance.now();
  const owner = await pool.connect();
  try {
    await generateLedger(owner, tenantId, MOVEMENTS);
  } finally {
    owner.release();
  }
  const generationSeconds = (performance.now() - started) / 1000;

  // One calendar month well inside the year of data.
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 1)).toISOString();
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1)).toISOString();
  const deadline = performance.now() + opts.seconds * 1000 * 3;
  const median5 = async (fn: () => Promise<unknown>) => {
    await fn(); // warm
    const times: number[] = [];
    for (let i = 0; i < 5 && (times.length === 0 || performance.now() < deadline); i++) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  };
  const tenantTx = async <T>(fn: (c: pg.PoolClient) => Promise<T>) => {
    const c = await pool.connect();
    try {
      await c.query(`BEGIN; SET LOCAL ROLE mes_app; SELECT set_config('mes.tenant_id', '${tenantId}', true), set_config('mes.platform', 'off', true)`);
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  };
  const countMs = await median5(() => tenantTx((c) => c.query('SELECT count(*) FROM stock_movements WHERE tenant_id = $1', [tenantId])));
  const SUMMARY_SQL = `SELECT m.id, m.code, s.opening, s.receipts, s.issues, s.opening + s.receipts - s.issues AS closing
       FROM materials m
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(sm.quantity) FILTER (WHERE sm.occurred_at < $2), 0) AS opening,
                coalesce(sum(sm.quantity) FILTER (WHERE sm.occurred_at >= $2 AND sm.quantity > 0), 0) AS receipts,
                coalesce(-sum(sm.quantity) FILTER (WHERE sm.occurred_at >= $2 AND sm.quantity < 0), 0) AS issues
           FROM stock_movements sm WHERE sm.tenant_id = $1 AND sm.material_id = m.id AND sm.occurred_at < $3) s
      WHERE m.tenant_id = $1 ORDER BY m.code`;
  let sqlRows = 0;
  const sqlMs = await median5(() => tenantTx(async (c) => (sqlRows = (await c.query(SUMMARY_SQL, [tenantId, from, to])).rowCount ?? 0)));
  if (sqlRows !== 200) throw new Error(`the summary SQL returned ${sqlRows} rows, expected 200`);

  let apiMs: number | null = null;
  let apiRows: number | null = null;
  const path = `/v1/reports/stock-summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=1000`;
  const probe = await api('GET', path, key, undefined, 200).catch(() => null);
  if (probe) {
    apiRows = probe.items.length;
    apiMs = await median5(() => api('GET', path, key, undefined, 200));
  }
  return {
    movements: MOVEMENTS, generationSeconds, countMs, sqlMs, sqlRatio: sqlMs / countMs, apiMs, apiRatio: apiMs === null ? null : apiMs / countMs, apiRows,
  };
}

export function printLedgerBench(r: LedgerBenchResult): void {
  console.log('\nledger postings: single-line other_in/other_out posted through the API vs the same SQL sent directly (one balance), interleaved');
  console.log(formatInterleaved(r.postings, 0.5));
  const s = r.summary;
  console.log(`\nledger summary: receive/issue/balance for one month over ${s.movements.toLocaleString('en')} movements (200 materials, 3 warehouses, 365 days)`);
  console.log(`generation (INSERT … SELECT generate_series, balances, ANALYZE): ${s.generationSeconds.toFixed(1)} s`);
  console.log(`baseline SELECT count(*) of the movements:        ${s.countMs.toFixed(1).padStart(8)} ms (median of 5)`);
  console.log(`summary, equivalent SQL in a tenant transaction:  ${s.sqlMs.toFixed(1).padStart(8)} ms   ratio to count(*) ${s.sqlRatio.toFixed(2)}`);
  if (s.apiMs !== null) console.log(`summary, GET /v1/reports/stock-summary (${s.apiRows} rows): ${s.apiMs.toFixed(1).padStart(8)} ms   ratio to count(*) ${s.apiRatio!.toFixed(2)}`);
  else console.log('summary through the API: GET /v1/reports/stock-summary did not answer 200; timed as SQL only');
}
