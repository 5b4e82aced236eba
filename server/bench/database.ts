import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const BENCH_PG_URL = process.env.MES_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A throwaway database on the benchmark PostgreSQL server. */
export async function freshDatabase(purpose: string) {
  const name = `mes_bench_${purpose}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_URL });
  await admin.connect().catch((err) => {
    throw new Error(`benchmarks need PostgreSQL at ${BENCH_PG_URL} (set MES_BENCH_PG_URL): ${err.message}`);
  });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: BENCH_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * One tenant's stock history as the owner, in plain SQL (constraints, indexes and the append-only
 * trigger stay on): 200 materials, 3 warehouses, `movements` movements over the last 365 days,
 * receipts 55 % and issues 45 %, and the balances they imply. The tenant must have the unit PCS.
 */
export async function generateLedger(owner: pg.ClientBase, tenantId: string, movements: number): Promise<void> {
  await owner.query(`INSERT INTO materials (tenant_id, code, name, base_unit) SELECT $1, 'GEN-' || lpad(g::text, 3, '0'), 'Generated item ' || g, 'PCS' FROM generate_series(1, 200) g`, [tenantId]);
  await owner.query(`INSERT INTO warehouses (tenant_id, code, name) SELECT $1, 'WH-' || g, 'Warehouse ' || g FROM generate_series(1, 3) g`, [tenantId]);
  await owner.query(
    `WITH m AS (SELECT array_agg(id ORDER BY code) AS ids FROM materials WHERE tenant_id = $1),
          w AS (SELECT array_agg(id ORDER BY code) AS ids FROM warehouses WHERE tenant_id = $1)
     INSERT INTO stock_movements (tenant_id, movement_type, material_id, warehouse_id, quantity, entered_quantity, entered_unit, source_type, source_id, source_line, occurred_at, posted_by)
     SELECT $1, CASE WHEN r.inbound THEN 'other_in' ELSE 'other_out' END, m.ids[1 + (r.g % 200)], w.ids[1 + ((r.g / 200) % 3)],
            CASE WHEN r.inbound THEN r.q ELSE -r.q END, r.q, 'PCS', 'bench', gen_random_uuid(), 1,
            now() - (random() * interval '365 days'), 'bench'
       FROM (SELECT g, random() < 0.55 AS inbound, 1 + floor(random() * 100)::int AS q FROM generate_series(1, $2::int) g) r CROSS JOIN m CROSS JOIN w`,
    [tenantId, movements],
  );
  await owner.query(
    `INSERT INTO stock_balances (tenant_id, material_id, warehouse_id, quantity)
     SELECT tenant_id, material_id, warehouse_id, sum(quantity) FROM stock_movements WHERE tenant_id = $1 GROUP BY 1, 2, 3`,
    [tenantId],
  );
  await owner.query('ANALYZE stock_movements');
  await owner.query('ANALYZE materials');
}
