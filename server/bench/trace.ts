/**
 * trace: backward and forward trace at depth 5 (S1-5.4.5-d) over a generated history on
 * PostgreSQL, each against the bare SQL of the same statement in the same run.
 *
 * History (generated as the owner in plain SQL, generate_series; constraints stay on): six levels
 * of 20 batch-tracked materials; MES_BENCH_TRACE_BATCHES batches (default 100,000) spread over the
 * levels; every batch above the first made by its own production order and receipt from three
 * batches of the level below (so about three batches of the level above consume each batch);
 * level-0 batches bought from a supplier (purchase order, receipt, incoming inspection), level-5
 * batches shipped to a customer (sales order, delivery plan, posted outbound); ten ledger
 * movements per batch (MES_BENCH_TRACE_MOVEMENTS_PER_BATCH, default 10: ≥ 1,000,000) and a balance.
 *
 * Timed: GET /v1/trace/batches/{no}?direction=…&depth=5 on a server process (root lookup and the
 * trace statement, JSON out) against the trace statement alone (repo.traceSql) sent on one
 * connection as mes_app with the tenant set, for the same random roots, interleaved, after a
 * warm-up: MES_BENCH_TRACE_SAMPLES per direction (default 200). Reports p50/p95 and their ratios.
 * MES_BENCH_TRACE_KEEP=1 keeps the database (its URL is printed) instead of dropping it.
 */
import http from 'node:http';
import pg from 'pg';
import { request, startBenchServer, type BenchServer } from './api-overhead.js';
import { freshDatabase } from './database.js';

const BATCHES = Number(process.env.MES_BENCH_TRACE_BATCHES ?? 100_000);
const MOVES = Number(process.env.MES_BENCH_TRACE_MOVEMENTS_PER_BATCH ?? 10);
const SAMPLES = Number(process.env.MES_BENCH_TRACE_SAMPLES ?? 200);
const LEVELS = 6;
const MATERIALS_PER_LEVEL = 20;
const DEPTH = 5;

interface Timing { p50: number; p95: number }
export interface TraceDirectionResult { api: Timing; sql: Timing; ratioP50: number; ratioP95: number; avgNodes: number; avgEdges: number }
export interface TraceBenchResult {
  batches: number; movements: number; genealogyRows: number; generationSeconds: number; samples: number; depth: number;
  backward: TraceDirectionResult; forward: TraceDirectionResult;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const timing = (xs: number[]): Timing => ({ p50: pct(xs, 0.5), p95: pct(xs, 0.95) });

/** The server's own trace statement, from its build (bench/dist sits beside the server's dist at run time). */
type TraceRepo = typeof import('../dist/modules/traceability/repo.js');
const traceRepo = () => import(new URL('../../dist/modules/traceability/repo.js', import.meta.url).href) as Promise<TraceRepo>;

export async function traceBench(): Promise<TraceBenchResult> {
  const { traceSql } = await traceRepo();
  const db = await freshDatabase('trace');
  const owner = new pg.Client({ connectionString: db.url });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let server: BenchServer | undefined;
  try {
    server = await startBenchServer(db.url, { MES_REQUEST_TIMEOUT_MS: '600000' });
    const { port, adminKey } = server;
    const api = async (method: string, path: string, key: string, body?: unknown, expect = 201) => {
      const r = await request(agent, port, method, path, key, body);
      if (r.status !== expect) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 500)}`);
      return JSON.parse(r.body);
    };
    const tenant = await api('POST', '/v1/tenants', adminKey, { slug: 'bench-trace', name: 'Bench trace', plan: 'unlimited' });
    const key: string = tenant.apiKey.key;
    const tenantId: string = tenant.tenant.id;
    await api('POST', '/v1/units', key, { code: 'PCS', name: 'Pieces', decimals: 0 });
    await api('POST', '/v1/warehouses', key, { code: 'MAIN', name: 'Main' });
    await api('POST', '/v1/suppliers', key, { code: 'S1', name: 'Supplier' });
    await api('POST', '/v1/customers', key, { code: 'C1', name: 'Customer' });

    await owner.connect();
    const started = performance.now();
    const per = Math.ceil(BATCHES / LEVELS);
    const sizes = await generate(owner, tenantId, per);
    const generationSeconds = (performance.now() - started) / 1000;

    // The baseline: the same statement, one round trip, as the role and tenant the server uses.
    await owner.query('SET ROLE mes_app');
    await owner.query("SELECT set_config('mes.tenant_id', $1, false), set_config('mes.platform', 'off', false)", [tenantId]);
    const ids = new Map((await owner.query<{ code: string; id: string }>('SELECT code, id FROM materials')).rows.map((r) => [r.code, r.id]));
    const materialOf = (level: number, g: number) => `L${level}-${(g % MATERIALS_PER_LEVEL) + 1}`;
    const measure = async (direction: 'backward' | 'forward'): Promise<TraceDirectionResult> => {
      const level = direction === 'backward' ? LEVELS - 1 : 0;
      const statement = traceSql(direction);
      const apiMs: number[] = [];
      const sqlMs: number[] = [];
      let nodes = 0;
      let edges = 0;
      const warmUp = 20;
      for (let i = 0; i < SAMPLES + warmUp; i++) {
        const g = 1 + Math.floor(Math.random() * per);
        const material = materialOf(level, g);
        const batchNo = `B${level}-${g}`;
        let t0 = performance.now();
        const r = await request(agent, port, 'GET', `/v1/trace/batches/${batchNo}?materialCode=${material}&direction=${direction}&depth=${DEPTH}`, key);
        const tApi = performance.now() - t0;
        if (r.status !== 200) throw new Error(`trace ${batchNo}: ${r.status} ${r.body.slice(0, 300)}`);
        t0 = performance.now();
        await owner.query(statement, [tenantId, ids.get(material), batchNo, null, DEPTH]);
        const tSql = performance.now() - t0;
        if (i < warmUp) continue;
        apiMs.push(tApi);
        sqlMs.push(tSql);
        const body = JSON.parse(r.body);
        nodes += body.nodes.length;
        edges += body.edges.length;
      }
      const a = timing(apiMs);
      const s = timing(sqlMs);
      return { api: a, sql: s, ratioP50: a.p50 / s.p50, ratioP95: a.p95 / s.p95, avgNodes: nodes / SAMPLES, avgEdges: edges / SAMPLES };
    };
    if (process.env.MES_BENCH_TRACE_EXPLAIN) {
      for (const [direction, level] of [['backward', LEVELS - 1], ['forward', 0]] as const) {
        const plan = await owner.query(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) ${traceSql(direction)}`, [tenantId, ids.get(materialOf(level, 7)), `B${level}-7`, null, DEPTH]);
        console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
      }
    }
    const backward = await measure('backward');
    const forward = await measure('forward');
    return { ...sizes, generationSeconds, samples: SAMPLES, depth: DEPTH, backward, forward };
  } finally {
    agent.destroy();
    await owner.end().catch(() => undefined);
    await server?.stop();
    // MES_BENCH_TRACE_KEEP=1 keeps the generated history for EXPLAIN ANALYZE by hand (drop it afterwards).
    if (process.env.MES_BENCH_TRACE_KEEP) console.log(`trace: kept ${db.url}`);
    else await db.drop();
  }
}

/** The history described above; returns its size. */
async function generate(c: pg.Client, tenantId: string, per: number): Promise<{ batches: number; movements: number; genealogyRows: number }> {
  const q = (sql: string, params: unknown[] = []) => c.query(sql, [tenantId, ...params]);
  const user = `(SELECT id FROM users WHERE tenant_id = $1 ORDER BY created_at LIMIT 1)`;
  const main = `(SELECT id FROM warehouses WHERE tenant_id = $1 AND code = 'MAIN')`;
  await q(`INSERT INTO materials (tenant_id, code, name, base_unit, tracking)
           SELECT $1, 'L' || l || '-' || i, 'Level ' || l || ' item ' || i, 'PCS', 'batch' FROM generate_series(0, ${LEVELS - 1}) l, generate_series(1, ${MATERIALS_PER_LEVEL}) i`);
  // Batch g of level l is of material L<l>-<g mod 20 + 1>; kept in a scratch table for the joins below.
  await c.query(`CREATE TEMP TABLE bench_batches (level int, g int, material_id uuid, batch_no text, batch_id uuid, PRIMARY KEY (level, g))`);
  await q(`INSERT INTO bench_batches (level, g, material_id, batch_no)
           SELECT l, g, m.id, 'B' || l || '-' || g FROM generate_series(0, ${LEVELS - 1}) l CROSS JOIN generate_series(1, $2::int) g
             JOIN materials m ON m.tenant_id = $1 AND m.code = 'L' || l || '-' || (g % ${MATERIALS_PER_LEVEL} + 1)`, [per]);
  await q(`WITH b AS (INSERT INTO batches (tenant_id, material_id, batch_no, received_at)
                      SELECT $1, material_id, batch_no, timestamptz '2026-01-01' + (level * interval '10 days') + g * interval '1 second' FROM bench_batches RETURNING id, batch_no)
           UPDATE bench_batches x SET batch_id = b.id FROM b WHERE b.batch_no = x.batch_no`);
  await c.query('ANALYZE bench_batches');

  // Production: an order and a receipt per batch above level 0, each made of three batches below.
  await q(`INSERT INTO production_orders (tenant_id, doc_no, material_id, quantity, unit, base_quantity, planned_start, planned_finish, status, created_by, created_by_user)
           SELECT $1, 'MO-' || batch_no, material_id, 10, 'PCS', 10, date '2026-01-01', date '2026-01-02', 'completed', 'bench', ${user} FROM bench_batches WHERE level > 0`);
  await q(`INSERT INTO production_receipts (tenant_id, doc_no, order_id, warehouse_id, operators, equipment_codes, work_started_at, work_ended_at, created_by)
           SELECT $1, 'MR-' || substr(o.doc_no, 4), o.id, ${main}, '{W-1,W-2}', '{EQ-1}', timestamptz '2026-01-01 08:00Z', timestamptz '2026-01-01 16:00Z', 'bench'
             FROM production_orders o WHERE o.tenant_id = $1 AND o.doc_no LIKE 'MO-B%'`);
  await q(`INSERT INTO production_receipt_lines (tenant_id, receipt_id, line_no, kind, material_id, quantity, unit, base_quantity, batch_no)
           SELECT $1, r.id, 1, 'product', b.material_id, 10, 'PCS', 10, b.batch_no
             FROM production_receipts r JOIN bench_batches b ON 'MR-' || b.batch_no = r.doc_no WHERE r.tenant_id = $1`);
  await q(`INSERT INTO production_genealogy (tenant_id, receipt_id, line_no, order_id, produced_material_id, produced_batch_no, consumed_material_id, consumed_batch_no, consumed_quantity)
           SELECT $1, r.id, 1, r.order_id, b.material_id, b.batch_no, c.material_id, c.batch_no, 10
             FROM bench_batches b
             JOIN production_receipts r ON r.tenant_id = $1 AND r.doc_no = 'MR-' || b.batch_no
             CROSS JOIN generate_series(0, 2) k
             JOIN bench_batches c ON c.level = b.level - 1 AND c.g = (b.g * 11 + k * 5003) % $2::int + 1
            WHERE b.level > 0`, [per]);

  // Purchasing: level-0 batches bought from S1, one receipt and inspection each.
  await q(`INSERT INTO purchase_orders (tenant_id, doc_no, supplier_id, status, created_by, created_by_user)
           VALUES ($1, 'PO-BENCH', (SELECT id FROM partners WHERE tenant_id = $1 AND code = 'S1'), 'receiving', 'bench', ${user})`);
  await q(`INSERT INTO purchase_order_lines (tenant_id, order_id, line_no, material_id, quantity, unit, base_quantity)
           SELECT $1, (SELECT id FROM purchase_orders WHERE tenant_id = $1 AND doc_no = 'PO-BENCH'), i, m.id, 1000000, 'PCS', 1000000
             FROM generate_series(1, ${MATERIALS_PER_LEVEL}) i JOIN materials m ON m.tenant_id = $1 AND m.code = 'L0-' || i`);
  await q(`INSERT INTO purchase_receipts (tenant_id, doc_no, order_id, supplier_id, status, created_by, created_by_user)
           SELECT $1, 'PR-' || b.batch_no, o.id, o.supplier_id, 'inspected', 'bench', ${user}
             FROM bench_batches b, purchase_orders o WHERE b.level = 0 AND o.tenant_id = $1 AND o.doc_no = 'PO-BENCH'`);
  await q(`INSERT INTO purchase_receipt_lines (tenant_id, receipt_id, line_no, order_line_id, material_id, quantity, unit, base_quantity, accepted_base, batch_no, supplier_batch)
           SELECT $1, r.id, 1, ol.id, b.material_id, 100, 'PCS', 100, 100, b.batch_no, 'S-' || b.g
             FROM bench_batches b JOIN purchase_receipts r ON r.tenant_id = $1 AND r.doc_no = 'PR-' || b.batch_no
             JOIN purchase_order_lines ol ON ol.tenant_id = $1 AND ol.order_id = r.order_id AND ol.material_id = b.material_id
            WHERE b.level = 0`);
  await q(`INSERT INTO incoming_inspections (tenant_id, receipt_id, receipt_line_id, accepted_base, rejected_base, inspector, created_by)
           SELECT $1, l.receipt_id, l.id, 100, 0, 'QC', 'bench' FROM purchase_receipt_lines l WHERE l.tenant_id = $1`);

  // Sales: level-5 batches shipped to C1, one posted outbound each.
  await q(`INSERT INTO sales_orders (tenant_id, doc_no, customer_id, status, created_by, created_by_user)
           VALUES ($1, 'SO-BENCH', (SELECT id FROM partners WHERE tenant_id = $1 AND code = 'C1'), 'in_delivery', 'bench', ${user})`);
  await q(`INSERT INTO sales_order_lines (tenant_id, order_id, line_no, material_id, quantity, unit, base_quantity, price, tax_rate, net_amount, tax_amount, gross_amount, delivery_date)
           SELECT $1, (SELECT id FROM sales_orders WHERE tenant_id = $1 AND doc_no = 'SO-BENCH'), i, m.id, 1000000, 'PCS', 1000000, 1, 13, 0, 0, 0, date '2026-06-01'
             FROM generate_series(1, ${MATERIALS_PER_LEVEL}) i JOIN materials m ON m.tenant_id = $1 AND m.code = 'L${LEVELS - 1}-' || i`);
  await q(`INSERT INTO delivery_plans (tenant_id, doc_no, customer_id, planned_date, created_by, created_by_user)
           SELECT $1, 'DP-BENCH', customer_id, date '2026-06-01', 'bench', ${user} FROM sales_orders WHERE tenant_id = $1 AND doc_no = 'SO-BENCH'`);
  await q(`INSERT INTO delivery_plan_lines (tenant_id, plan_id, line_no, order_line_id, quantity, unit, base_quantity)
           SELECT $1, (SELECT id FROM delivery_plans WHERE tenant_id = $1 AND doc_no = 'DP-BENCH'), l.line_no, l.id, 1000000, 'PCS', 1000000
             FROM sales_order_lines l WHERE l.tenant_id = $1`);
  await q(`INSERT INTO sales_outbounds (tenant_id, doc_no, plan_id, customer_id, warehouse_id, status, created_by, created_by_user, posted_by, posted_at)
           SELECT $1, 'SOB-' || b.batch_no, p.id, p.customer_id, ${main}, 'posted', 'bench', ${user}, 'bench', timestamptz '2026-06-01' + b.g * interval '1 minute'
             FROM bench_batches b, delivery_plans p WHERE b.level = ${LEVELS - 1} AND p.tenant_id = $1 AND p.doc_no = 'DP-BENCH'`);
  await q(`INSERT INTO sales_outbound_lines (tenant_id, outbound_id, line_no, plan_line_id, material_id, quantity, unit, base_quantity, warehouse_id, batch_no, origin)
           SELECT $1, ob.id, 1, pl.id, b.material_id, 5, 'PCS', 5, ob.warehouse_id, b.batch_no, 'fifo'
             FROM bench_batches b JOIN sales_outbounds ob ON ob.tenant_id = $1 AND ob.doc_no = 'SOB-' || b.batch_no
             JOIN sales_order_lines sl ON sl.tenant_id = $1 AND sl.material_id = b.material_id
             JOIN delivery_plan_lines pl ON pl.tenant_id = $1 AND pl.order_line_id = sl.id
            WHERE b.level = ${LEVELS - 1}`);

  // The ledger: a receipt, transfers out and in, and a final issue per batch; what is left of each.
  await q(`INSERT INTO stock_movements (tenant_id, movement_type, material_id, warehouse_id, batch_id, quantity, entered_quantity, entered_unit, source_type, source_id, source_line, occurred_at, posted_by)
           SELECT $1, CASE WHEN k = 1 THEN 'other_in' WHEN k = $2::int THEN 'other_out' WHEN k % 2 = 0 THEN 'transfer_out' ELSE 'transfer_in' END,
                  b.material_id, ${main}, b.batch_id, CASE WHEN k = 1 THEN 100 WHEN k = $2::int THEN -90 WHEN k % 2 = 0 THEN -10 ELSE 10 END, 10, 'PCS',
                  'bench', '00000000-0000-0000-0000-000000000000', k, timestamptz '2026-01-01' + b.g * interval '1 second' + k * interval '1 hour', 'bench'
             FROM bench_batches b CROSS JOIN generate_series(1, $2::int) k`, [MOVES]);
  await q(`INSERT INTO stock_balances (tenant_id, material_id, warehouse_id, batch_id, quantity) SELECT $1, material_id, ${main}, batch_id, 10 FROM bench_batches`);
  for (const t of ['materials', 'batches', 'production_orders', 'production_receipts', 'production_receipt_lines', 'production_genealogy', 'purchase_receipts', 'purchase_receipt_lines',
    'incoming_inspections', 'sales_outbounds', 'sales_outbound_lines', 'stock_movements', 'stock_balances']) await c.query(`VACUUM ANALYZE ${t}`);
  const count = async (t: string) => Number((await c.query(`SELECT count(*) FROM ${t}`)).rows[0].count);
  return { batches: await count('batches'), movements: await count('stock_movements'), genealogyRows: await count('production_genealogy') };
}

export function printTraceBench(r: TraceBenchResult): void {
  console.log(`\ntrace: ${r.batches} batches, ${r.movements} ledger movements, ${r.genealogyRows} genealogy links (generated in ${r.generationSeconds.toFixed(1)} s); depth ${r.depth}, ${r.samples} random roots per direction`);
  for (const [name, d] of [['backward (finished batch)', r.backward], ['forward (supplier batch)', r.forward]] as const) {
    console.log(`  ${name.padEnd(26)} API p50 ${d.api.p50.toFixed(1)} ms  p95 ${d.api.p95.toFixed(1)} ms | bare SQL p50 ${d.sql.p50.toFixed(1)} ms  p95 ${d.sql.p95.toFixed(1)} ms | ratio p50 ${d.ratioP50.toFixed(2)}  p95 ${d.ratioP95.toFixed(2)} | ${d.avgNodes.toFixed(0)} nodes, ${d.avgEdges.toFixed(0)} edges`);
  }
}
