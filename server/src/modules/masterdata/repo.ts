import type { Sql } from '../../platform/db.js';
import type { Bin, Material, Unit, UnitConversion, Warehouse } from './schema.js';

export async function listUnits(tx: Sql, tenantId: string): Promise<Unit[]> {
  return (await tx.query<Unit>('SELECT code, name, decimals, rounding FROM units WHERE tenant_id = $1 ORDER BY code', [tenantId])).rows;
}

export async function insertUnit(tx: Sql, tenantId: string, u: Unit): Promise<void> {
  await tx.query('INSERT INTO units (tenant_id, code, name, decimals, rounding) VALUES ($1, $2, $3, $4, $5)', [tenantId, u.code, u.name, u.decimals, u.rounding]);
}

export async function listConversions(tx: Sql, tenantId: string, materialId?: string): Promise<UnitConversion[]> {
  const { rows } = await tx.query<{ id: string; material_id: string | null; from_unit: string; to_unit: string; factor: string }>(
    `SELECT id, material_id, from_unit, to_unit, factor::text FROM unit_conversions
      WHERE tenant_id = $1 AND ($2::uuid IS NULL OR material_id = $2 OR material_id IS NULL) ORDER BY material_id NULLS FIRST, from_unit, to_unit`,
    [tenantId, materialId ?? null],
  );
  return rows.map((r) => ({ id: r.id, materialId: r.material_id, fromUnit: r.from_unit, toUnit: r.to_unit, factor: r.factor }));
}

export async function insertConversion(tx: Sql, tenantId: string, c: Omit<UnitConversion, 'id'>): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO unit_conversions (tenant_id, material_id, from_unit, to_unit, factor) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [tenantId, c.materialId, c.fromUnit, c.toUnit, c.factor],
  );
  return rows[0].id;
}

interface MaterialRow {
  id: string;
  code: string;
  name: string;
  specification: string;
  category: string;
  base_unit: string;
  purchase_unit: string | null;
  sales_unit: string | null;
  stock_unit: string | null;
  production_unit: string | null;
  tracking: Material['tracking'];
  track_expiry: boolean;
  issue_type: Material['production']['issueType'];
  include_in_kitting: boolean;
  default_routing: string | null;
  variant_of: string | null;
  variant_features: string[];
  variant_rule: string | null;
  feature_values: Record<string, string>;
  status: Material['status'];
  version: number;
  created_at: Date;
}

export const MATERIAL_COLUMNS = `id, code, name, specification, category, base_unit, purchase_unit, sales_unit, stock_unit, production_unit,
  tracking, track_expiry, issue_type, include_in_kitting, default_routing, variant_of, variant_features, variant_rule, feature_values,
  status, version, created_at`;

/** Units a material does not set fall back to its base unit. */
export function toMaterial(r: MaterialRow): Material {
  const unit = (u: string | null) => u ?? r.base_unit;
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    specification: r.specification,
    category: r.category,
    baseUnit: r.base_unit,
    purchaseUnit: unit(r.purchase_unit),
    salesUnit: unit(r.sales_unit),
    stockUnit: unit(r.stock_unit),
    productionUnit: unit(r.production_unit),
    tracking: r.tracking,
    trackExpiry: r.track_expiry,
    production: { issueType: r.issue_type, includeInKitting: r.include_in_kitting, productionUnit: unit(r.production_unit), defaultRouting: r.default_routing },
    variantOf: r.variant_of,
    variantFeatures: r.variant_features,
    variantRule: r.variant_rule,
    featureValues: r.feature_values,
    status: r.status,
    version: r.version,
    createdAt: r.created_at.toISOString(),
  };
}

export async function findMaterial(tx: Sql, tenantId: string, id: string): Promise<Material | undefined> {
  const { rows } = await tx.query<MaterialRow>(`SELECT ${MATERIAL_COLUMNS} FROM materials WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return rows[0] && toMaterial(rows[0]);
}

/** Many materials by id or code at once (documents resolve all their lines in one query). */
export async function findMaterials(tx: Sql, tenantId: string, ids: string[], codes: string[]): Promise<Material[]> {
  const { rows } = await tx.query<MaterialRow>(
    `SELECT ${MATERIAL_COLUMNS} FROM materials WHERE tenant_id = $1 AND (id = ANY($2::uuid[]) OR code = ANY($3::text[]))`,
    [tenantId, ids, codes],
  );
  return rows.map(toMaterial);
}

export async function listMaterials(tx: Sql, tenantId: string, q: { limit: number; after?: string; category?: string; variantOf?: string; q?: string }) {
  const { rows } = await tx.query<MaterialRow>(
    `SELECT ${MATERIAL_COLUMNS} FROM materials
      WHERE tenant_id = $1 AND ($2::text IS NULL OR code > $2) AND ($3::text IS NULL OR category = $3)
        AND ($4::uuid IS NULL OR variant_of = $4) AND ($5::text IS NULL OR strpos(lower(code || ' ' || name), lower($5)) > 0)
      ORDER BY code LIMIT $6`,
    [tenantId, q.after ?? null, q.category ?? null, q.variantOf ?? null, q.q ?? null, q.limit + 1],
  );
  return rows.map(toMaterial);
}

export async function insertMaterial(tx: Sql, tenantId: string, m: Omit<Material, 'id' | 'version' | 'createdAt' | 'production' | 'status'> & { issueType: string; includeInKitting: boolean; defaultRouting: string | null }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO materials (tenant_id, code, name, specification, category, base_unit, purchase_unit, sales_unit, stock_unit, production_unit,
       tracking, track_expiry, issue_type, include_in_kitting, default_routing, variant_of, variant_features, variant_rule, feature_values)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
    [
      tenantId, m.code, m.name, m.specification, m.category, m.baseUnit, m.purchaseUnit, m.salesUnit, m.stockUnit, m.productionUnit,
      m.tracking, m.trackExpiry, m.issueType, m.includeInKitting, m.defaultRouting, m.variantOf, m.variantFeatures, m.variantRule,
      JSON.stringify(m.featureValues),
    ],
  );
  return rows[0].id;
}

export async function updateMaterial(tx: Sql, tenantId: string, id: string, version: number, set: Record<string, unknown>): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE materials SET name = coalesce($4, name), specification = coalesce($5, specification), category = coalesce($6, category),
            status = coalesce($7, status), issue_type = coalesce($8, issue_type), include_in_kitting = coalesce($9, include_in_kitting),
            default_routing = CASE WHEN $10::boolean THEN $11 ELSE default_routing END,
            version = version + 1, updated_at = now()
      WHERE tenant_id = $1 AND id = $2 AND version = $3`,
    [
      tenantId, id, version, set.name ?? null, set.specification ?? null, set.category ?? null, set.status ?? null, set.issueType ?? null,
      set.includeInKitting ?? null, set.defaultRouting !== undefined, set.defaultRouting ?? null,
    ],
  );
  return rowCount === 1;
}

interface WarehouseRow {
  id: string;
  code: string;
  name: string;
  kind: Warehouse['kind'];
  allow_negative: boolean;
  status: Warehouse['status'];
  version: number;
}

const toWarehouse = (r: WarehouseRow): Warehouse => ({
  id: r.id, code: r.code, name: r.name, kind: r.kind, allowNegative: r.allow_negative, status: r.status, version: r.version,
});

export async function listWarehouses(tx: Sql, tenantId: string): Promise<Warehouse[]> {
  const { rows } = await tx.query<WarehouseRow>('SELECT id, code, name, kind, allow_negative, status, version FROM warehouses WHERE tenant_id = $1 ORDER BY code', [tenantId]);
  return rows.map(toWarehouse);
}

export async function findWarehouse(tx: Sql, tenantId: string, id: string): Promise<Warehouse | undefined> {
  const { rows } = await tx.query<WarehouseRow>('SELECT id, code, name, kind, allow_negative, status, version FROM warehouses WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return rows[0] && toWarehouse(rows[0]);
}

export async function insertWarehouse(tx: Sql, tenantId: string, w: { code: string; name: string; kind: string; allowNegative: boolean }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO warehouses (tenant_id, code, name, kind, allow_negative) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [tenantId, w.code, w.name, w.kind, w.allowNegative],
  );
  return rows[0].id;
}

export async function updateWarehouse(tx: Sql, tenantId: string, id: string, version: number, set: { name?: string; allowNegative?: boolean; status?: string }): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE warehouses SET name = coalesce($4, name), allow_negative = coalesce($5, allow_negative), status = coalesce($6, status), version = version + 1
      WHERE tenant_id = $1 AND id = $2 AND version = $3`,
    [tenantId, id, version, set.name ?? null, set.allowNegative ?? null, set.status ?? null],
  );
  return rowCount === 1;
}

export async function listBins(tx: Sql, tenantId: string, warehouseId: string): Promise<Bin[]> {
  const { rows } = await tx.query<{ id: string; warehouse_id: string; code: string; name: string }>(
    'SELECT id, warehouse_id, code, name FROM bins WHERE tenant_id = $1 AND warehouse_id = $2 ORDER BY code',
    [tenantId, warehouseId],
  );
  return rows.map((r) => ({ id: r.id, warehouseId: r.warehouse_id, code: r.code, name: r.name }));
}

export async function insertBin(tx: Sql, tenantId: string, warehouseId: string, b: { code: string; name: string }): Promise<Bin> {
  const { rows } = await tx.query<{ id: string }>('INSERT INTO bins (tenant_id, warehouse_id, code, name) VALUES ($1, $2, $3, $4) RETURNING id', [
    tenantId, warehouseId, b.code, b.name,
  ]);
  return { id: rows[0].id, warehouseId, code: b.code, name: b.name };
}

export async function upsertSafetyStock(tx: Sql, tenantId: string, materialId: string, warehouseId: string | null, quantity: string): Promise<void> {
  await tx.query(
    `INSERT INTO safety_stocks (tenant_id, material_id, warehouse_id, quantity) VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT safety_stocks_key DO UPDATE SET quantity = EXCLUDED.quantity`,
    [tenantId, materialId, warehouseId, quantity],
  );
}

export async function listSafetyStocks(tx: Sql, tenantId: string, materialId: string) {
  const { rows } = await tx.query<{ material_id: string; warehouse_id: string | null; quantity: string }>(
    'SELECT material_id, warehouse_id, quantity::text FROM safety_stocks WHERE tenant_id = $1 AND material_id = $2 ORDER BY warehouse_id NULLS FIRST',
    [tenantId, materialId],
  );
  return rows.map((r) => ({ materialId: r.material_id, warehouseId: r.warehouse_id, quantity: r.quantity }));
}

export type NewMaterial = Omit<Material, 'id' | 'version' | 'createdAt' | 'production' | 'status' | 'variantOf' | 'featureValues'> & {
  issueType: string; includeInKitting: boolean; defaultRouting: string | null;
};

/** Many new materials (not variants) in one statement. */
export async function insertMaterials(tx: Sql, tenantId: string, ms: NewMaterial[]): Promise<void> {
  const col = <K extends keyof NewMaterial>(k: K) => ms.map((m) => m[k]);
  await tx.query(
    `INSERT INTO materials (tenant_id, code, name, specification, category, base_unit, purchase_unit, sales_unit, stock_unit, production_unit,
       tracking, track_expiry, issue_type, include_in_kitting, default_routing, variant_features, variant_rule)
     SELECT $1, code, name, spec, cat, bu, pu, su, stu, pru, tr, te, it, ik, dr, coalesce((SELECT array_agg(f) FROM jsonb_array_elements_text(vf) f), '{}'), vr
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[],
                   $13::text[], $14::boolean[], $15::text[], $16::jsonb[], $17::text[])
         AS x(code, name, spec, cat, bu, pu, su, stu, pru, tr, te, it, ik, dr, vf, vr)`,
    [
      tenantId, col('code'), col('name'), col('specification'), col('category'), col('baseUnit'), col('purchaseUnit'), col('salesUnit'), col('stockUnit'),
      col('productionUnit'), col('tracking'), col('trackExpiry'), col('issueType'), col('includeInKitting'), col('defaultRouting'),
      ms.map((m) => JSON.stringify(m.variantFeatures)), col('variantRule'),
    ],
  );
}

/** Which of these codes name materials already. */
export async function takenMaterialCodes(tx: Sql, tenantId: string, codes: string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ code: string }>('SELECT code FROM materials WHERE tenant_id = $1 AND code = ANY($2::text[])', [tenantId, codes]);
  return new Set(rows.map((r) => r.code));
}

/** Coding rules, warehouses and bins of a tenant (the cutover's readiness check). */
export async function countSetup(tx: Sql, tenantId: string): Promise<{ codingRules: number; warehouses: number; bins: number }> {
  const { rows } = await tx.query<{ codingRules: number; warehouses: number; bins: number }>(
    `SELECT (SELECT count(*)::int FROM coding_rules WHERE tenant_id = $1) AS "codingRules",
            (SELECT count(*)::int FROM warehouses WHERE tenant_id = $1) AS warehouses,
            (SELECT count(*)::int FROM bins WHERE tenant_id = $1) AS bins`,
    [tenantId],
  );
  return rows[0];
}

/** The first material codes, in code order. */
export async function firstMaterialCodes(tx: Sql, tenantId: string, limit: number): Promise<string[]> {
  const { rows } = await tx.query<{ code: string }>('SELECT code FROM materials WHERE tenant_id = $1 ORDER BY code LIMIT $2', [tenantId, limit]);
  return rows.map((r) => r.code);
}
