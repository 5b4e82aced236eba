/** Kitting's reads of production orders and components, and the allocation table (production_allocations). */
import type { Sql } from '../../platform/db.js';

export interface KitOrderRow { id: string; doc_no: string; status: string; material_id: string; base_quantity: string; planned_start: string }

export async function ordersByIds(tx: Sql, tenantId: string, ids: string[]): Promise<KitOrderRow[]> {
  const { rows } = await tx.query<KitOrderRow>(
    `SELECT id, doc_no, status, material_id, base_quantity::text, planned_start::text FROM production_orders WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
    [tenantId, ids],
  );
  return rows;
}

export interface KitComponentRow {
  id: string; order_id: string; line_no: number; material_id: string; per_unit: string; outstanding: string; allocated: string;
  alternates: { priority: number; materialId: string; perUnit: string }[];
}

/** Components that count for kitting, with what is still to be issued and what of their own material is allocated to each. */
export async function kittingComponents(tx: Sql, tenantId: string, orderIds: string[]): Promise<KitComponentRow[]> {
  const { rows } = await tx.query<KitComponentRow>(
    `SELECT c.id, c.order_id, c.line_no, c.material_id, c.per_unit::text, c.alternates,
            greatest(c.required_quantity - c.issued_quantity - c.backflushed_quantity + c.returned_quantity, 0)::text AS outstanding,
            coalesce(a.quantity, 0)::text AS allocated
       FROM production_order_components c
       LEFT JOIN production_allocations a ON a.tenant_id = c.tenant_id AND a.component_id = c.id AND a.material_id = c.material_id
      WHERE c.tenant_id = $1 AND c.order_id = ANY($2::uuid[]) AND c.include_in_kitting
      ORDER BY c.order_id, c.line_no`,
    [tenantId, orderIds],
  );
  return rows;
}

/** Substitutes (alternates) allocated to components: one row per component and material. */
export async function substituteAllocations(tx: Sql, tenantId: string, componentIds: string[]): Promise<{ component_id: string; material_id: string; quantity: string }[]> {
  const { rows } = await tx.query<{ component_id: string; material_id: string; quantity: string }>(
    `SELECT a.component_id, a.material_id, a.quantity::text
       FROM production_allocations a JOIN production_order_components c ON c.tenant_id = a.tenant_id AND c.id = a.component_id
      WHERE a.tenant_id = $1 AND a.component_id = ANY($2::uuid[]) AND a.material_id <> c.material_id`,
    [tenantId, componentIds],
  );
  return rows;
}

/**
 * Stock held by allocations per material: each component's allocation counts up to what it still
 * needs (issues use it up), a substitute's up to that need at the substitute's usage ratio, and
 * only on released and running orders.
 */
export async function allocatedByMaterial(tx: Sql, tenantId: string, materialIds: string[]): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ material_id: string; held: string }>(
    `SELECT a.material_id,
            sum(least(a.quantity, greatest(c.required_quantity - c.issued_quantity - c.backflushed_quantity + c.returned_quantity, 0)
                * CASE WHEN a.material_id = c.material_id THEN 1
                       ELSE coalesce((SELECT (x->>'perUnit')::numeric FROM jsonb_array_elements(c.alternates) x WHERE x->>'materialId' = a.material_id::text LIMIT 1), 0) / c.per_unit END))::text AS held
       FROM production_allocations a
       JOIN production_order_components c ON c.tenant_id = a.tenant_id AND c.id = a.component_id
       JOIN production_orders o ON o.tenant_id = a.tenant_id AND o.id = a.order_id
      WHERE a.tenant_id = $1 AND a.material_id = ANY($2::uuid[]) AND o.status IN ('released', 'in_progress')
      GROUP BY a.material_id`,
    [tenantId, materialIds],
  );
  return new Map(rows.map((r) => [r.material_id, r.held]));
}

/** Open production orders of materials as dated supply (planned finish), for the earliest kit date. */
export async function productionSupply(tx: Sql, tenantId: string, materialIds: string[]) {
  const { rows } = await tx.query<{ material_id: string; date: string; quantity: string }>(
    `SELECT material_id, planned_finish::text AS date, sum(greatest(base_quantity - received_base, 0))::text AS quantity
       FROM production_orders WHERE tenant_id = $1 AND material_id = ANY($2::uuid[]) AND status IN ('planned', 'released', 'in_progress')
      GROUP BY material_id, planned_finish`,
    [tenantId, materialIds],
  );
  return rows;
}

/** Allocations of one material queue here until commit, so two allocations never both take the same stock. */
export async function lockMaterials(tx: Sql, tenantId: string, materialIds: string[]): Promise<void> {
  for (const id of [...new Set(materialIds)].sort()) await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`mes:allocation:${tenantId}:${id}`]);
}

export async function setAllocations(tx: Sql, tenantId: string, rows: { componentId: string; orderId: string; materialId: string; quantity: string }[], actor: string): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO production_allocations (tenant_id, component_id, order_id, material_id, quantity, updated_by)
     SELECT $1, c, o, m, q, $6 FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::numeric[]) AS x (c, o, m, q)
     ON CONFLICT (tenant_id, component_id, material_id) DO UPDATE SET quantity = EXCLUDED.quantity, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [tenantId, rows.map((r) => r.componentId), rows.map((r) => r.orderId), rows.map((r) => r.materialId), rows.map((r) => r.quantity), actor],
  );
}
