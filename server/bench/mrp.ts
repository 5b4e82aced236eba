/**
 * mrp: production planning at scale, each figure with a baseline measured in the same run.
 *
 * 1. MRP over a generated plant: MES_BENCH_MRP_MATERIALS materials (default 5,000) in five levels
 *    of equal size, every material above the last level made from three of the next (one with
 *    2 % scrap), MES_BENCH_MRP_DEMAND open sales order lines (default 20,000) on the top level over
 *    20 delivery days, stock for a third of the materials. Timed: POST /v1/mrp-runs on a server
 *    process on a fresh PostgreSQL database (read, net level by level, record every demand element,
 *    planned order and peg), median of MES_BENCH_MRP_RUNS runs (default 1, so `npm run bench` stays short), against a bare
 *    recursive-CTE explosion of the same demand lines through the same BOMs (gross requirements
 *    per material, no netting, nothing written), median of as many.
 * 2. Kitting of MES_BENCH_KIT_ORDERS released orders (default 1,000) of three components each, the
 *    first with the second's material as its substitute:
 *    POST /v1/production-kitting for all of them at once, against a bare SQL sum of their
 *    components' requirements.
 * Data is generated as the owner in plain SQL (generate_series); constraints and triggers stay on.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, readAdminKey, request } from './api-overhead.js';
import { freshDatabase } from './database.js';

const MATERIALS = Number(process.env.MES_BENCH_MRP_MATERIALS ?? 5_000);
const DEMAND = Number(process.env.MES_BENCH_MRP_DEMAND ?? 20_000);
const RUNS = Number(process.env.MES_BENCH_MRP_RUNS ?? 1);
const KIT_ORDERS = Number(process.env.MES_BENCH_KIT_ORDERS ?? 1_000);
const LEVELS = 5;

export interface MrpBenchResult {
  materials: number;
  demandLines: number;
  generationSeconds: number;
  mrp: { ms: number; plannedOrders: number; demandElements: number; cteMs: number; cteRows: number; ratio: number };
  kitting: { orders: number; ms: number; sqlMs: number; ratio: number; shortages: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function mrpBench(): Promise<MrpBenchResult> {
  const db = await freshDatabase('mrp');
  const port = await freePort();
  const server = spawn(process.execPath, [fileURLToPath(new URL('../../dist/main.js', import.meta.url))], {
    env: { ...process.env, MES_DATABASE_URL: db.url, MES_HOST: '127.0.0.1', MES_PORT: String(port), MES_LOG_LEVEL: 'warn', MES_REQUEST_TIMEOUT_MS: '600000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  try {
    const adminKey = await readAdminKey(server);
    const api = async (method: string, path: string, key: string, body?: unknown, expect = 201) => {
      const r = await request(agent, port, method, path, key, body);
      if (r.status !== expect) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 500)}`);
      return JSON.parse(r.body);
    };
    const tenant = await api('POST', '/v1/tenants', adminKey, { slug: 'bench-mrp', name: 'Bench MRP', plan: 'unlimited' });
    const key: string = tenant.apiKey.key;
    const tenantId: string = tenant.tenant.id;
    await api('POST', '/v1/units', key, { code: 'PCS', name: 'Pieces', decimals: 0 });
    await api('POST', '/v1/customers', key, { code: 'C1', name: 'Customer' });
    await api('POST', '/v1/warehouses', key, { code: 'MAIN', name: 'Main' });

    const started = performance.now();
    await generate(pool, tenantId);
    const generationSeconds = (performance.now() - started) / 1000;

    const mrpTimes: number[] = [];
    let last: any;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      last = await api('POST', '/v1/mrp-runs', key, { asOf: '2026-01-01' });
      mrpTimes.push(performance.now() - t0);
    }
    const cteTimes: number[] = [];
    let cteRows = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      cteRows = await bareExplosion(pool, tenantId);
      cteTimes.push(performance.now() - t0);
    }
    const mrp = { ms: median(mrpTimes), plannedOrders: last.plannedCount, demandElements: last.demandCount, cteMs: median(cteTimes), cteRows, ratio: median(mrpTimes) / median(cteTimes) };

    const orderIds = await generateReleasedOrders(pool, tenantId);
    const kitTimes: number[] = [];
    const sqlTimes: number[] = [];
    let shortages = 0;
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      shortages = (await api('POST', '/v1/production-kitting', key, { orderIds }, 200)).shortages.length;
      kitTimes.push(performance.now() - t0);
      t0 = performance.now();
      await pool.query(
        `SELECT material_id, sum(required_quantity - issued_quantity) FROM production_order_components WHERE tenant_id = $1 AND order_id = ANY($2::uuid[]) GROUP BY material_id`,
        [tenantId, orderIds],
      );
      sqlTimes.push(performance.now() - t0);
    }
    const kitting = { orders: orderIds.length, ms: median(kitTimes), sqlMs: median(sqlTimes), ratio: median(kitTimes) / median(sqlTimes), shortages };
    return { materials: MATERIALS, demandLines: DEMAND, generationSeconds, mrp, kitting };
  } finally {
    agent.destroy();
    await pool.end();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await db.drop();
  }
}

/** Five levels of materials, BOMs of three lines from the next level, open sales demand, some stock. */
async function generate(pool: pg.Pool, tenantId: string): Promise<void> {
  const per = Math.floor(MATERIALS / LEVELS);
  const q = (sql: string, params: unknown[] = []) => pool.query(sql, [tenantId, ...params]);
  await q(`INSERT INTO materials (tenant_id, code, name, base_unit)
           SELECT $1, 'L' || l || '-' || lpad(i::text, 5, '0'), 'Level ' || l || ' item ' || i, 'PCS' FROM generate_series(0, ${LEVELS - 1}) l, generate_series(1, $2::int) i`, [per]);
  await q(`INSERT INTO boms (tenant_id, material_id, bom_type) SELECT $1, id, 'manufacturing' FROM materials WHERE tenant_id = $1 AND code NOT LIKE 'L${LEVELS - 1}-%'`);
  await q(`INSERT INTO bom_versions (tenant_id, bom_id, revision, status, effective_from, created_by) SELECT $1, id, 1, 'draft', '2020-01-01', 'bench' FROM boms WHERE tenant_id = $1`);
  // Line k of item i at level l uses item (i·7 + k·13) mod n + 1 of level l + 1: k + 1 of it, 2 % scrap on the first.
  await q(`INSERT INTO bom_lines (tenant_id, version_id, line_no, component_id, quantity, unit, base_quantity, scrap_rate)
           SELECT $1, v.id, k + 1, c.id, k + 1, 'PCS', k + 1, CASE WHEN k = 0 THEN 2 ELSE 0 END
             FROM bom_versions v JOIN boms b ON b.tenant_id = v.tenant_id AND b.id = v.bom_id
             JOIN materials p ON p.tenant_id = b.tenant_id AND p.id = b.material_id
             CROSS JOIN generate_series(0, 2) k
             JOIN materials c ON c.tenant_id = $1 AND c.code = 'L' || (substr(p.code, 2, 1)::int + 1) || '-' || lpad(((substr(p.code, 4)::int * 7 + k * 13) % $2::int + 1)::text, 5, '0')
            WHERE v.tenant_id = $1`, [per]);
  await q(`UPDATE bom_versions SET status = 'released', released_by = 'bench', released_at = now() WHERE tenant_id = $1`);
  const orders = Math.ceil(DEMAND / 10);
  await q(`INSERT INTO sales_orders (tenant_id, doc_no, customer_id, status, created_by, created_by_user)
           SELECT $1, 'SO-' || lpad(g::text, 6, '0'), (SELECT id FROM partners WHERE tenant_id = $1 AND code = 'C1'), 'approved', 'bench',
                  (SELECT id FROM users WHERE tenant_id = $1 ORDER BY created_at LIMIT 1)
             FROM generate_series(1, $2::int) g`, [orders]);
  await q(`INSERT INTO sales_order_lines (tenant_id, order_id, line_no, material_id, quantity, unit, base_quantity, price, tax_rate, net_amount, tax_amount, gross_amount, delivery_date)
           SELECT $1, o.id, n, m.id, 1 + (g % 9), 'PCS', 1 + (g % 9), 10, 13, 0, 0, 0, date '2026-02-01' + (g % 20)
             FROM (SELECT g, (g - 1) / 10 + 1 AS o_no, (g - 1) % 10 + 1 AS n FROM generate_series(1, $2::int) g) s
             JOIN sales_orders o ON o.tenant_id = $1 AND o.doc_no = 'SO-' || lpad(s.o_no::text, 6, '0')
             JOIN materials m ON m.tenant_id = $1 AND m.code = 'L0-' || lpad(((s.g * 31) % $3::int + 1)::text, 5, '0')`, [DEMAND, per]);
  await q(`INSERT INTO stock_balances (tenant_id, material_id, warehouse_id, quantity)
           SELECT $1, m.id, (SELECT id FROM warehouses WHERE tenant_id = $1 AND code = 'MAIN'), 50 FROM materials m WHERE m.tenant_id = $1 AND substr(m.code, 4)::int % 3 = 0`);
  for (const t of ['materials', 'boms', 'bom_versions', 'bom_lines', 'sales_orders', 'sales_order_lines', 'stock_balances']) await pool.query(`ANALYZE ${t}`);
}

/** The baseline: every open demand line exploded through the BOMs in effect, gross per material. */
async function bareExplosion(pool: pg.Pool, tenantId: string): Promise<number> {
  const { rows } = await pool.query(
    `WITH RECURSIVE in_effect AS (
       SELECT b.material_id, v.id AS version_id FROM boms b JOIN bom_versions v ON v.tenant_id = b.tenant_id AND v.bom_id = b.id
        WHERE b.tenant_id = $1 AND b.bom_type = 'manufacturing' AND v.status <> 'draft' AND v.effective_from <= date '2026-01-01'
          AND (v.effective_to IS NULL OR v.effective_to > date '2026-01-01')),
     x (material_id, quantity, due, depth) AS (
       SELECT l.material_id, l.base_quantity - l.shipped_base, l.delivery_date, 0
         FROM sales_order_lines l JOIN sales_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
        WHERE l.tenant_id = $1 AND o.status IN ('approved', 'in_delivery')
       UNION ALL
       SELECT bl.component_id, x.quantity * bl.base_quantity * (1 + bl.scrap_rate / 100), x.due, x.depth + 1
         FROM x JOIN in_effect e ON e.material_id = x.material_id JOIN bom_lines bl ON bl.tenant_id = $1 AND bl.version_id = e.version_id
        WHERE x.depth < 10)
     SELECT material_id, sum(quantity) FROM x GROUP BY material_id`,
    [tenantId],
  );
  return rows.length;
}

/** Released orders of level-1 items with their three components, as release would copy them. */
async function generateReleasedOrders(pool: pg.Pool, tenantId: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO production_orders (tenant_id, doc_no, material_id, quantity, unit, base_quantity, planned_start, planned_finish, status, created_by, created_by_user)
     SELECT $1, 'MO-BENCH-' || lpad(g::text, 6, '0'), m.id, 10, 'PCS', 10, date '2026-02-01', date '2026-02-03', 'released', 'bench',
            (SELECT id FROM users WHERE tenant_id = $1 ORDER BY created_at LIMIT 1)
       FROM generate_series(1, $2::int) g JOIN materials m ON m.tenant_id = $1 AND m.code = 'L1-' || lpad((g % $3::int + 1)::text, 5, '0')
     RETURNING id`,
    [tenantId, KIT_ORDERS, Math.floor(MATERIALS / LEVELS)],
  );
  await pool.query(
    `INSERT INTO production_order_components (tenant_id, order_id, line_no, material_id, bom_version_id, bom_line_no, per_unit, scrap_rate, standard_quantity, required_quantity,
                                              issue_type, include_in_kitting, optional, alternates)
     SELECT $1, o.id, l.line_no, l.component_id, l.version_id, l.line_no, l.base_quantity, l.scrap_rate, 10 * l.base_quantity, ceil(10 * l.base_quantity * (1 + l.scrap_rate / 100)),
            'manual', true, false,
            -- The first line may be substituted by the second line's material (kitting looks at it when the first is short).
            CASE WHEN l.line_no = 10 THEN (SELECT jsonb_build_array(jsonb_build_object('priority', 1, 'materialId', l2.component_id, 'perUnit', l2.base_quantity::text))
                                             FROM bom_lines l2 WHERE l2.tenant_id = l.tenant_id AND l2.version_id = l.version_id AND l2.line_no = 20)
                 ELSE '[]'::jsonb END
       FROM production_orders o JOIN boms b ON b.tenant_id = o.tenant_id AND b.material_id = o.material_id
       JOIN bom_versions v ON v.tenant_id = b.tenant_id AND v.bom_id = b.id JOIN bom_lines l ON l.tenant_id = v.tenant_id AND l.version_id = v.id
      WHERE o.tenant_id = $1 AND o.doc_no LIKE 'MO-BENCH-%'`,
    [tenantId],
  );
  await pool.query('ANALYZE production_orders');
  await pool.query('ANALYZE production_order_components');
  return rows.map((r) => r.id);
}

export function printMrpBench(r: MrpBenchResult): void {
  console.log(`\nmrp: ${r.materials} materials in ${LEVELS} levels, ${r.demandLines} open sales order lines (generated in ${r.generationSeconds.toFixed(1)} s)`);
  console.log(`  MRP run (POST /v1/mrp-runs, recorded)      ${(r.mrp.ms / 1000).toFixed(2)} s  ${r.mrp.plannedOrders} planned orders, ${r.mrp.demandElements} demand elements`);
  console.log(`  bare recursive-CTE explosion (baseline)    ${(r.mrp.cteMs / 1000).toFixed(2)} s  ${r.mrp.cteRows} materials`);
  console.log(`  ratio MRP / explosion                      ${r.mrp.ratio.toFixed(2)}`);
  console.log(`  kitting of ${r.kitting.orders} orders (POST /v1/production-kitting)  ${(r.kitting.ms / 1000).toFixed(2)} s, ${r.kitting.shortages} materials short; bare SQL sum ${r.kitting.sqlMs.toFixed(0)} ms, ratio ${r.kitting.ratio.toFixed(1)}`);
}
