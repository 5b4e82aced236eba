/** The quality reports' queries over the inspection tables (S1-5.4.5-f). */
import type { Sql } from '../../platform/db.js';

// ---------------------------------------------------------------- reports (S1-5.4.5-f)

const JUDGED_IN = `i.tenant_id = $1 AND i.judged_at >= $2::timestamptz AND i.judged_at < $3::timestamptz`;

export type ParetoBy = 'code' | 'supplier' | 'material' | 'operation' | 'line';

/**
 * Where a defect was found on the shop floor: the operation the inspection was started at
 * (production events record it), else the operation of its production order whose inspection
 * point names the inspection's plan (inspection_ref = plan code; the first such), and the order's line, else that operation's work centre's line. Read across to
 * production and plant like the material and supplier are; '-' when there is none (incoming and
 * manual inspections, an order without a line).
 */
const SHOP_FLOOR = `
       LEFT JOIN quality_plans qp ON qp.tenant_id = i.tenant_id AND qp.id = i.plan_id
       LEFT JOIN production_orders po ON po.tenant_id = i.tenant_id AND po.id = i.production_order_id
       LEFT JOIN LATERAL (SELECT o.seq, o.name, o.work_centre_id FROM production_order_operations o
                           WHERE o.tenant_id = i.tenant_id AND o.order_id = i.production_order_id
                             AND (o.seq = i.operation_seq OR (i.operation_seq IS NULL AND o.inspection_point AND o.inspection_ref = qp.code))
                           ORDER BY o.seq LIMIT 1) op ON true
       LEFT JOIN routing_versions rv ON rv.tenant_id = i.tenant_id AND rv.id = po.routing_version_id
       LEFT JOIN routings rt ON rt.tenant_id = i.tenant_id AND rt.id = rv.routing_id
       LEFT JOIN work_centres wc ON wc.tenant_id = i.tenant_id AND wc.id = op.work_centre_id
       LEFT JOIN production_lines pl ON pl.tenant_id = i.tenant_id AND pl.id = coalesce(po.line_id, wc.line_id)`;

export async function defectCounts(tx: Sql, t: string, p: { from: string; to: string }, by: ParetoBy) {
  const key = {
    code: ['d.code', 'd.name'], supplier: ["coalesce(s.code, '-')", "coalesce(s.name, 'no supplier')"], material: ['m.code', 'm.name'],
    operation: ["coalesce(rt.code || '/' || op.seq, '-')", "coalesce(op.name, 'no operation')"], line: ["coalesce(pl.code, '-')", "coalesce(pl.name, 'no line')"],
  }[by];
  const { rows } = await tx.query<{ key: string; name: string; count: number }>(
    `SELECT ${key[0]} AS key, ${key[1]} AS name, count(*)::int AS count
       FROM quality_inspection_results r
       JOIN quality_inspections i ON i.tenant_id = r.tenant_id AND i.id = r.inspection_id
       JOIN quality_defect_codes d ON d.tenant_id = r.tenant_id AND d.code = r.defect_code
       JOIN materials m ON m.tenant_id = i.tenant_id AND m.id = i.material_id
       LEFT JOIN partners s ON s.tenant_id = i.tenant_id AND s.id = i.supplier_id${by === 'operation' || by === 'line' ? SHOP_FLOOR : ''}
      WHERE ${JUDGED_IN} AND NOT r.passed
      GROUP BY 1, 2 ORDER BY 3 DESC, 1`,
    [t, p.from, p.to],
  );
  return rows;
}

export async function yieldRows(tx: Sql, t: string, p: { from: string; to: string }) {
  const { rows } = await tx.query<{ materialId: string; materialCode: string; inspectionType: string; lots: number; passedFirst: number }>(
    `SELECT i.material_id AS "materialId", m.code AS "materialCode", i.inspection_type AS "inspectionType", count(*)::int AS lots,
            count(*) FILTER (WHERE i.automatic_judgement = 'good')::int AS "passedFirst"
       FROM quality_inspections i JOIN materials m ON m.tenant_id = i.tenant_id AND m.id = i.material_id
      WHERE ${JUDGED_IN}
      GROUP BY 1, 2, 3 ORDER BY 2, 3`,
    [t, p.from, p.to],
  );
  return rows;
}

export async function supplierRows(tx: Sql, t: string, p: { from: string; to: string }) {
  const { rows } = await tx.query<{ supplierId: string; supplierCode: string; lots: number; sampled: number; defectives: number; received: string; rejected: string }>(
    `SELECT i.supplier_id AS "supplierId", s.code AS "supplierCode", count(*)::int AS lots, sum(i.sample_size)::int AS sampled, sum(i.defectives)::int AS defectives,
            sum(i.lot_size)::text AS received, sum(i.rejected_quantity)::text AS rejected
       FROM quality_inspections i JOIN partners s ON s.tenant_id = i.tenant_id AND s.id = i.supplier_id
      WHERE ${JUDGED_IN}
      GROUP BY 1, 2 ORDER BY 2`,
    [t, p.from, p.to],
  );
  return rows;
}

/** Created → judged of every inspection judged in the period, in minutes: p50 and p95 (continuous percentiles), mean and max per inspection type or supplier. */
export async function leadTimeRows(tx: Sql, t: string, p: { from: string; to: string }, by: 'type' | 'supplier') {
  const key = by === 'type' ? ['i.inspection_type', 'i.inspection_type'] : ["coalesce(s.code, '-')", "coalesce(s.name, 'no supplier')"];
  const { rows } = await tx.query<{ key: string; name: string; lots: number; p50: number; p95: number; mean: number; max: number }>(
    `SELECT ${key[0]} AS key, ${key[1]} AS name, count(*)::int AS lots,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY x.minutes) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY x.minutes) AS p95,
            avg(x.minutes)::float8 AS mean, max(x.minutes) AS max
       FROM quality_inspections i
       LEFT JOIN partners s ON s.tenant_id = i.tenant_id AND s.id = i.supplier_id
       CROSS JOIN LATERAL (SELECT extract(epoch FROM i.judged_at - i.created_at)::float8 / 60 AS minutes) x
      WHERE ${JUDGED_IN}
      GROUP BY 1, 2 ORDER BY 1`,
    [t, p.from, p.to],
  );
  return rows;
}

export async function itemSubgroups(tx: Sql, t: string, planId: string, itemCode: string, p: { from: string; to: string }) {
  const { rows } = await tx.query<{ inspection_id: string; doc_no: string; values: string[] }>(
    `SELECT i.id AS inspection_id, i.doc_no, array_agg(r.value::text ORDER BY r.sample_no) AS values
       FROM quality_inspections i
       JOIN quality_inspection_results r ON r.tenant_id = i.tenant_id AND r.inspection_id = i.id AND r.item_code = $5 AND r.value IS NOT NULL
      WHERE ${JUDGED_IN} AND i.plan_id = $4
      GROUP BY i.id, i.doc_no, i.judged_at ORDER BY i.judged_at, i.id`,
    [t, p.from, p.to, planId, itemCode],
  );
  return rows.map((r) => ({ inspectionId: r.inspection_id, docNo: r.doc_no, values: r.values.map(Number) }));
}
