/** The quality reports' queries over the inspection tables (S1-5.4.5-f). */
import type { Sql } from '../../platform/db.js';
import type { OperationPlace, OperationRef } from '../production/orders.js';

// ---------------------------------------------------------------- reports (S1-5.4.5-f)

const JUDGED_IN = `i.tenant_id = $1 AND i.judged_at >= $2::timestamptz AND i.judged_at < $3::timestamptz`;

export type ParetoBy = 'code' | 'supplier' | 'material' | 'operation' | 'line';

/** The distinct shop-floor references of the inspections with a failed result judged in the period. */
export async function shopFloorRefs(tx: Sql, t: string, p: { from: string; to: string }): Promise<OperationRef[]> {
  const { rows } = await tx.query<OperationRef>(
    `SELECT DISTINCT i.production_order_id AS "orderId", i.operation_seq AS seq, qp.code AS "inspectionRef"
       FROM quality_inspections i
       LEFT JOIN quality_plans qp ON qp.tenant_id = i.tenant_id AND qp.id = i.plan_id
      WHERE ${JUDGED_IN} AND i.production_order_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM quality_inspection_results r WHERE r.tenant_id = i.tenant_id AND r.inspection_id = i.id AND NOT r.passed)`,
    [t, p.from, p.to],
  );
  return rows;
}

/**
 * Where a defect was found on the shop floor, as production placed each inspection's reference
 * (`places`, passed in as arrays: quality reads no production or plant table); '-' when there is
 * none (incoming and manual inspections, an order without a line).
 */
const SHOP_FLOOR = `
       LEFT JOIN quality_plans qp ON qp.tenant_id = i.tenant_id AND qp.id = i.plan_id
       LEFT JOIN unnest($4::uuid[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) AS sf(order_id, seq, ref, op_key, op_name, line_code, line_name)
         ON sf.order_id = i.production_order_id AND sf.seq IS NOT DISTINCT FROM i.operation_seq AND sf.ref IS NOT DISTINCT FROM qp.code`;

export async function defectCounts(tx: Sql, t: string, p: { from: string; to: string }, by: ParetoBy, places: OperationPlace[] = []) {
  const key = {
    code: ['d.code', 'd.name'], supplier: ["coalesce(s.code, '-')", "coalesce(s.name, 'no supplier')"], material: ['m.code', 'm.name'],
    operation: ["coalesce(sf.op_key, '-')", "coalesce(sf.op_name, 'no operation')"], line: ["coalesce(sf.line_code, '-')", "coalesce(sf.line_name, 'no line')"],
  }[by];
  const shopFloor = by === 'operation' || by === 'line';
  const column = <K extends keyof OperationPlace>(k: K) => places.map((x) => x[k]);
  const { rows } = await tx.query<{ key: string; name: string; count: number }>(
    `SELECT ${key[0]} AS key, ${key[1]} AS name, count(*)::int AS count
       FROM quality_inspection_results r
       JOIN quality_inspections i ON i.tenant_id = r.tenant_id AND i.id = r.inspection_id
       JOIN quality_defect_codes d ON d.tenant_id = r.tenant_id AND d.code = r.defect_code
       JOIN materials m ON m.tenant_id = i.tenant_id AND m.id = i.material_id
       LEFT JOIN partners s ON s.tenant_id = i.tenant_id AND s.id = i.supplier_id${shopFloor ? SHOP_FLOOR : ''}
      WHERE ${JUDGED_IN} AND NOT r.passed
      GROUP BY 1, 2 ORDER BY 3 DESC, 1`,
    shopFloor
      ? [t, p.from, p.to, column('orderId'), column('seq'), column('inspectionRef'), column('operationKey'), column('operationName'), column('lineCode'), column('lineName')]
      : [t, p.from, p.to],
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
