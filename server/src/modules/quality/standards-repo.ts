/** The quality module's tables of defect codes, standards and their item versions, plans and switching states: only this file reads and writes them. */
import type { Sql } from '../../platform/db.js';
import type { DefectCode, Plan, Standard, StandardItem } from './schema.js';
import { INITIAL_STATE, type SwitchingState } from './sampling.js';

// ---------------------------------------------------------------- defect codes

interface DefectRow { id: string; code: string; name: string; severity: DefectCode['severity']; status: DefectCode['status']; created_at: Date }
const toDefect = (r: DefectRow): DefectCode => ({ id: r.id, code: r.code, name: r.name, severity: r.severity, status: r.status, createdAt: r.created_at.toISOString() });

export async function insertDefectCode(tx: Sql, t: string, d: { code: string; name: string; severity: string }): Promise<DefectCode> {
  const { rows } = await tx.query<DefectRow>(
    'INSERT INTO quality_defect_codes (tenant_id, code, name, severity) VALUES ($1, $2, $3, $4) RETURNING id, code, name, severity, status, created_at',
    [t, d.code, d.name, d.severity],
  );
  return toDefect(rows[0]);
}

export async function listDefectCodes(tx: Sql, t: string, q: { limit: number; after?: string }): Promise<DefectCode[]> {
  const { rows } = await tx.query<DefectRow>(
    'SELECT id, code, name, severity, status, created_at FROM quality_defect_codes WHERE tenant_id = $1 AND ($2::text IS NULL OR code > $2) ORDER BY code LIMIT $3',
    [t, q.after ?? null, q.limit + 1],
  );
  return rows.map(toDefect);
}

export async function defectCodes(tx: Sql, t: string, codes: string[]): Promise<Map<string, DefectCode>> {
  if (!codes.length) return new Map();
  const { rows } = await tx.query<DefectRow>('SELECT id, code, name, severity, status, created_at FROM quality_defect_codes WHERE tenant_id = $1 AND code = ANY($2::text[])', [t, codes]);
  return new Map(rows.map((r) => [r.code, toDefect(r)]));
}

// ---------------------------------------------------------------- standards

interface StandardRow {
  id: string; code: string; name: string; material_id: string | null; material_code: string | null; material_category: string | null;
  status: Standard['status']; version: number; items_version: number; created_at: Date;
}
interface ItemRow {
  standard_id: string; item_no: number; code: string; name: string; kind: StandardItem['kind']; nominal: string | null; lower_limit: string | null;
  upper_limit: string | null; unit: string | null; decimals: number | null; defect_code: string | null; method: string; instrument: string;
}
const toItem = (r: ItemRow): StandardItem => ({
  itemNo: r.item_no, code: r.code, name: r.name, kind: r.kind, nominal: r.nominal, lowerLimit: r.lower_limit, upperLimit: r.upper_limit, unit: r.unit,
  decimals: r.decimals, defectCode: r.defect_code, method: r.method, instrument: r.instrument,
});

export async function insertStandard(tx: Sql, t: string, s: { code: string; name: string; materialId: string | null; materialCategory: string | null }, items: StandardItem[]): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO quality_standards (tenant_id, code, name, material_id, material_category) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [t, s.code, s.name, s.materialId, s.materialCategory],
  );
  const id = rows[0].id;
  await insertItems(tx, t, id, 1, items);
  return id;
}

async function insertItems(tx: Sql, t: string, standardId: string, itemsVersion: number, items: StandardItem[]): Promise<void> {
  for (const i of items) {
    await tx.query(
      `INSERT INTO quality_standard_items (tenant_id, standard_id, items_version, item_no, code, name, kind, nominal, lower_limit, upper_limit, unit, decimals, defect_code, method, instrument)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [t, standardId, itemsVersion, i.itemNo, i.code, i.name, i.kind, i.nominal, i.lowerLimit, i.upperLimit, i.unit, i.decimals, i.defectCode, i.method, i.instrument],
    );
  }
}

/** The next items version of a standard: the new set written beside the old ones, which stay. */
export async function newItemsVersion(tx: Sql, t: string, standardId: string, itemsVersion: number, items: StandardItem[]): Promise<void> {
  await insertItems(tx, t, standardId, itemsVersion, items);
  await tx.query('UPDATE quality_standards SET items_version = $3, version = version + 1 WHERE tenant_id = $1 AND id = $2', [t, standardId, itemsVersion]);
}

const STANDARD_SELECT = `SELECT s.id, s.code, s.name, s.material_id, m.code AS material_code, s.material_category, s.status, s.version, s.items_version, s.created_at
   FROM quality_standards s LEFT JOIN materials m ON m.tenant_id = s.tenant_id AND m.id = s.material_id`;

/** Standards with the items of their current version (or, for one standard, of the version asked for). */
async function withItems(tx: Sql, t: string, rows: StandardRow[], itemsVersion?: number): Promise<Standard[]> {
  if (!rows.length) return [];
  if (itemsVersion !== undefined) rows = rows.map((r) => ({ ...r, items_version: itemsVersion }));
  const items = await tx.query<ItemRow>(
    `SELECT i.standard_id, i.item_no, i.code, i.name, i.kind, i.nominal::text, i.lower_limit::text, i.upper_limit::text, i.unit, i.decimals, i.defect_code, i.method, i.instrument
       FROM quality_standard_items i JOIN unnest($2::uuid[], $3::int[]) AS v(standard_id, items_version) ON v.standard_id = i.standard_id AND v.items_version = i.items_version
      WHERE i.tenant_id = $1 ORDER BY i.item_no`,
    [t, rows.map((r) => r.id), rows.map((r) => r.items_version)],
  );
  return rows.map((r) => ({
    id: r.id, code: r.code, name: r.name, materialId: r.material_id, materialCode: r.material_code, materialCategory: r.material_category, status: r.status,
    version: r.version, itemsVersion: r.items_version, createdAt: r.created_at.toISOString(), items: items.rows.filter((i) => i.standard_id === r.id).map(toItem),
  }));
}

/** A standard with the items of one of its items versions (undefined when it has no such version). */
export async function findStandardVersion(tx: Sql, t: string, id: string, itemsVersion: number): Promise<Standard | undefined> {
  const { rows } = await tx.query<StandardRow>(`${STANDARD_SELECT} WHERE s.tenant_id = $1 AND s.id = $2 AND s.items_version >= $3`, [t, id, itemsVersion]);
  return (await withItems(tx, t, rows, itemsVersion))[0];
}

/** Active plans of a standard naming items (a plan naming none takes every item of any version). */
export async function plansNamingItems(tx: Sql, t: string, standardId: string): Promise<{ code: string; item_codes: string[] }[]> {
  const { rows } = await tx.query<{ code: string; item_codes: string[] }>(
    `SELECT code, item_codes FROM quality_plans WHERE tenant_id = $1 AND standard_id = $2 AND status = 'active' AND cardinality(item_codes) > 0 ORDER BY code`, [t, standardId],
  );
  return rows;
}

/** Which of these standard codes exist, in one query. */
export async function standardCodes(tx: Sql, t: string, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const { rows } = await tx.query<{ code: string }>('SELECT code FROM quality_standards WHERE tenant_id = $1 AND code = ANY($2::text[])', [t, codes]);
  return new Set(rows.map((r) => r.code));
}

export async function findStandard(tx: Sql, t: string, id: string, lock = false): Promise<Standard | undefined> {
  const { rows } = await tx.query<StandardRow>(`${STANDARD_SELECT} WHERE s.tenant_id = $1 AND s.id = $2${lock ? ' FOR UPDATE OF s' : ''}`, [t, id]);
  return (await withItems(tx, t, rows))[0];
}

export async function updateStandard(tx: Sql, t: string, id: string, s: { name: string; status: string }): Promise<void> {
  await tx.query('UPDATE quality_standards SET name = $3, status = $4, version = version + 1 WHERE tenant_id = $1 AND id = $2', [t, id, s.name, s.status]);
}

export async function listStandards(tx: Sql, t: string, q: { limit: number; after?: string; materialId?: string }): Promise<Standard[]> {
  const { rows } = await tx.query<StandardRow>(
    `${STANDARD_SELECT} WHERE s.tenant_id = $1 AND ($2::text IS NULL OR s.code > $2) AND ($3::uuid IS NULL OR s.material_id = $3) ORDER BY s.code LIMIT $4`,
    [t, q.after ?? null, q.materialId ?? null, q.limit + 1],
  );
  return withItems(tx, t, rows);
}

// ---------------------------------------------------------------- plans

interface PlanRow {
  id: string; code: string; name: string; inspection_type: Plan['inspectionType']; standard_id: string; standard_code: string; item_codes: string[];
  sampling: Plan['sampling']; sample_size: number | null; accept_number: number | null; aql: string | null; inspection_level: string | null;
  every_hours: string | null; every_pieces: number | null; operation_seq: number | null; status: Plan['status']; version: number; created_at: Date;
}
const toPlan = (r: PlanRow): Plan => ({
  id: r.id, code: r.code, name: r.name, inspectionType: r.inspection_type, standardId: r.standard_id, standardCode: r.standard_code, itemCodes: r.item_codes,
  sampling: r.sampling, sampleSize: r.sample_size, acceptNumber: r.accept_number, aql: r.aql, inspectionLevel: r.inspection_level, everyHours: r.every_hours,
  everyPieces: r.every_pieces, operationSeq: r.operation_seq, status: r.status, version: r.version, createdAt: r.created_at.toISOString(),
});
const PLAN_SELECT = `SELECT p.id, p.code, p.name, p.inspection_type, p.standard_id, s.code AS standard_code, p.item_codes, p.sampling, p.sample_size, p.accept_number,
        p.aql, p.inspection_level, p.every_hours::text, p.every_pieces, p.operation_seq, p.status, p.version, p.created_at
   FROM quality_plans p JOIN quality_standards s ON s.tenant_id = p.tenant_id AND s.id = p.standard_id`;

export async function insertPlan(tx: Sql, t: string, p: Omit<Plan, 'id' | 'standardCode' | 'status' | 'version' | 'createdAt'>): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO quality_plans (tenant_id, code, name, inspection_type, standard_id, item_codes, sampling, sample_size, accept_number, aql, inspection_level, every_hours, every_pieces,
       operation_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
    [t, p.code, p.name, p.inspectionType, p.standardId, p.itemCodes, p.sampling, p.sampleSize, p.acceptNumber, p.aql, p.inspectionLevel, p.everyHours, p.everyPieces,
      p.operationSeq],
  );
  return rows[0].id;
}

export async function findPlan(tx: Sql, t: string, id: string, lock = false): Promise<Plan | undefined> {
  const { rows } = await tx.query<PlanRow>(`${PLAN_SELECT} WHERE p.tenant_id = $1 AND p.id = $2${lock ? ' FOR UPDATE OF p' : ''}`, [t, id]);
  return rows[0] && toPlan(rows[0]);
}

export async function updatePlan(
  tx: Sql, t: string, id: string,
  p: Pick<Plan, 'name' | 'status' | 'sampling' | 'sampleSize' | 'acceptNumber' | 'aql' | 'inspectionLevel' | 'everyHours' | 'everyPieces' | 'operationSeq'>,
): Promise<void> {
  await tx.query(
    `UPDATE quality_plans SET name = $3, status = $4, sampling = $5, sample_size = $6, accept_number = $7, aql = $8, inspection_level = $9, every_hours = $10,
            every_pieces = $11, operation_seq = $12, version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
    [t, id, p.name, p.status, p.sampling, p.sampleSize, p.acceptNumber, p.aql, p.inspectionLevel, p.everyHours, p.everyPieces, p.operationSeq],
  );
}

export async function listPlans(tx: Sql, t: string, q: { limit: number; after?: string; inspectionType?: string }): Promise<Plan[]> {
  const { rows } = await tx.query<PlanRow>(
    `${PLAN_SELECT} WHERE p.tenant_id = $1 AND ($2::text IS NULL OR p.code > $2) AND ($3::text IS NULL OR p.inspection_type = $3) ORDER BY p.code LIMIT $4`,
    [t, q.after ?? null, q.inspectionType ?? null, q.limit + 1],
  );
  return rows.map(toPlan);
}

const COVERS = `p.status = 'active' AND s.status = 'active' AND (s.material_id = $3 OR (s.material_category <> '' AND s.material_category = $4))`;

/**
 * The active plan of a type for a material (and an operation of its routing): one for the material
 * itself first, else one for its category; of those, one naming the operation before one naming none.
 */
export async function planFor(tx: Sql, t: string, type: string, materialId: string, category: string, operationSeq: number | null = null): Promise<Plan | undefined> {
  const { rows } = await tx.query<PlanRow>(
    `${PLAN_SELECT} WHERE p.tenant_id = $1 AND p.inspection_type = $2 AND ${COVERS} AND (p.operation_seq IS NULL OR p.operation_seq = $5)
      ORDER BY (p.operation_seq IS NULL), (s.material_id IS NULL), p.code LIMIT 1`,
    [t, type, materialId, category, operationSeq],
  );
  return rows[0] && toPlan(rows[0]);
}

/** Every active patrol plan covering a material (and the operation, when given); by pieces or by hours. */
export async function patrolPlansFor(tx: Sql, t: string, materialId: string, category: string, operationSeq: number): Promise<Plan[]> {
  const { rows } = await tx.query<PlanRow>(
    `${PLAN_SELECT} WHERE p.tenant_id = $1 AND p.inspection_type = $2 AND ${COVERS} AND p.every_pieces IS NOT NULL AND (p.operation_seq IS NULL OR p.operation_seq = $5)
      ORDER BY p.code`,
    [t, 'patrol', materialId, category, operationSeq],
  );
  return rows.map(toPlan);
}

/** Active patrol plans every N hours (of active standards): what the patrol timer runs. */
export async function timePatrolPlans(tx: Sql, t: string): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT p.id FROM quality_plans p JOIN quality_standards s ON s.tenant_id = p.tenant_id AND s.id = p.standard_id
      WHERE p.tenant_id = $1 AND p.inspection_type = 'patrol' AND p.every_hours IS NOT NULL AND p.status = 'active' AND s.status = 'active' ORDER BY p.code`,
    [t],
  );
  return rows.map((r) => r.id);
}

export async function findPlanByCode(tx: Sql, t: string, code: string): Promise<Plan | undefined> {
  const { rows } = await tx.query<PlanRow>(`${PLAN_SELECT} WHERE p.tenant_id = $1 AND p.code = $2`, [t, code]);
  return rows[0] && toPlan(rows[0]);
}

// ---------------------------------------------------------------- switching states

export async function switchingState(tx: Sql, t: string, supplierId: string, materialId: string, lock = false): Promise<SwitchingState> {
  const { rows } = await tx.query<{ severity: SwitchingState['severity']; recent: boolean[]; accepted_run: number; tightened_rejections: number; score: number }>(
    `SELECT severity, recent, accepted_run, tightened_rejections, score FROM quality_switching_states
      WHERE tenant_id = $1 AND supplier_id = $2 AND material_id = $3${lock ? ' FOR UPDATE' : ''}`,
    [t, supplierId, materialId],
  );
  const r = rows[0];
  return r ? { severity: r.severity, recent: r.recent, acceptedRun: r.accepted_run, tightenedRejections: r.tightened_rejections, score: r.score } : INITIAL_STATE;
}

export async function putSwitchingState(tx: Sql, t: string, supplierId: string, materialId: string, s: SwitchingState): Promise<void> {
  await tx.query(
    `INSERT INTO quality_switching_states (tenant_id, supplier_id, material_id, severity, recent, accepted_run, tightened_rejections, score)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (tenant_id, supplier_id, material_id) DO UPDATE SET severity = $4, recent = $5, accepted_run = $6, tightened_rejections = $7, score = $8, updated_at = now()`,
    [t, supplierId, materialId, s.severity, s.recent, s.acceptedRun, s.tightenedRejections, s.score],
  );
}

/** Which of these plan codes the tenant holds (one query, for imports). */
export async function planCodes(tx: Sql, t: string, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const { rows } = await tx.query<{ code: string }>('SELECT code FROM quality_plans WHERE tenant_id = $1 AND code = ANY($2::text[])', [t, codes]);
  return new Set(rows.map((r) => r.code));
}

/** Standards by code → id (one query, for imports). */
export async function standardIds(tx: Sql, t: string, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const { rows } = await tx.query<{ id: string; code: string }>('SELECT id, code FROM quality_standards WHERE tenant_id = $1 AND code = ANY($2::text[])', [t, codes]);
  return new Map(rows.map((r) => [r.code, r.id]));
}
