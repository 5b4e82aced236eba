/** The quality module's tables: only this file reads and writes them. */
import type { Sql } from '../../platform/db.js';
import type { DefectCode, Disposition, Inspection, InspectionSummary, Plan, Standard, StandardItem } from './schema.js';
import { INITIAL_STATE, type SwitchingState } from './sampling.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

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
  status: Standard['status']; version: number; created_at: Date;
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
  for (const i of items) {
    await tx.query(
      `INSERT INTO quality_standard_items (tenant_id, standard_id, item_no, code, name, kind, nominal, lower_limit, upper_limit, unit, decimals, defect_code, method, instrument)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [t, id, i.itemNo, i.code, i.name, i.kind, i.nominal, i.lowerLimit, i.upperLimit, i.unit, i.decimals, i.defectCode, i.method, i.instrument],
    );
  }
  return id;
}

const STANDARD_SELECT = `SELECT s.id, s.code, s.name, s.material_id, m.code AS material_code, s.material_category, s.status, s.version, s.created_at
   FROM quality_standards s LEFT JOIN materials m ON m.tenant_id = s.tenant_id AND m.id = s.material_id`;

async function withItems(tx: Sql, t: string, rows: StandardRow[]): Promise<Standard[]> {
  if (!rows.length) return [];
  const items = await tx.query<ItemRow>(
    `SELECT standard_id, item_no, code, name, kind, nominal::text, lower_limit::text, upper_limit::text, unit, decimals, defect_code, method, instrument
       FROM quality_standard_items WHERE tenant_id = $1 AND standard_id = ANY($2::uuid[]) ORDER BY item_no`,
    [t, rows.map((r) => r.id)],
  );
  return rows.map((r) => ({
    id: r.id, code: r.code, name: r.name, materialId: r.material_id, materialCode: r.material_code, materialCategory: r.material_category, status: r.status,
    version: r.version, createdAt: r.created_at.toISOString(), items: items.rows.filter((i) => i.standard_id === r.id).map(toItem),
  }));
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

// ---------------------------------------------------------------- inspections

export interface NewInspection {
  id: string; docNo: string; inspectionType: string; planId: string | null; materialId: string; sourceKind: string; receiptId: string | null; receiptLineId: string | null;
  productionOrderId: string | null; supplierId: string | null; warehouseId: string | null; batchNo: string | null; lotSize: string; severity: string | null;
  codeLetter: string | null; sampleSize: number; acceptNumber: number; rejectNumber: number; createdBy: string;
  operationSeq?: number | null; workReportId?: string | null; productionReceiptId?: string | null; trigger?: string | null; triggerKey?: string | null;
}

/** False when an inspection with the same trigger key exists (the event was seen before): nothing is written. */
export async function insertInspection(tx: Sql, t: string, i: NewInspection): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO quality_inspections (tenant_id, id, doc_no, inspection_type, plan_id, material_id, source_kind, receipt_id, receipt_line_id, production_order_id,
       supplier_id, warehouse_id, batch_no, lot_size, severity, code_letter, sample_size, accept_number, reject_number, created_by,
       operation_seq, work_report_id, production_receipt_id, trigger, trigger_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
     ON CONFLICT (tenant_id, trigger_key) DO NOTHING RETURNING id`,
    [t, i.id, i.docNo, i.inspectionType, i.planId, i.materialId, i.sourceKind, i.receiptId, i.receiptLineId, i.productionOrderId, i.supplierId, i.warehouseId,
      i.batchNo, i.lotSize, i.severity, i.codeLetter, i.sampleSize, i.acceptNumber, i.rejectNumber, i.createdBy,
      i.operationSeq ?? null, i.workReportId ?? null, i.productionReceiptId ?? null, i.trigger ?? null, i.triggerKey ?? null],
  );
  return rows.length === 1;
}

/** The inspections started by these trigger keys. */
export async function inspectionsByTrigger(tx: Sql, t: string, keys: string[]): Promise<InspectionSummary[]> {
  const { rows } = await tx.query<InspectionRow>(`${INSPECTION_SELECT} WHERE i.tenant_id = $1 AND i.trigger_key = ANY($2::text[]) ORDER BY i.created_at, i.id`, [t, keys]);
  return rows.map(toSummary);
}

export async function setDocNo(tx: Sql, t: string, id: string, docNo: string): Promise<void> {
  await tx.query('UPDATE quality_inspections SET doc_no = $3 WHERE tenant_id = $1 AND id = $2', [t, id, docNo]);
}

/** Open inspections of receipt lines: a line is not inspected twice at once. */
export async function openInspectionsOfLines(tx: Sql, t: string, lineIds: string[]): Promise<string[]> {
  const { rows } = await tx.query<{ receipt_line_id: string }>(
    `SELECT receipt_line_id FROM quality_inspections WHERE tenant_id = $1 AND receipt_line_id = ANY($2::uuid[]) AND status <> 'closed'`,
    [t, lineIds],
  );
  return rows.map((r) => r.receipt_line_id);
}

interface InspectionRow {
  id: string; doc_no: string; inspection_type: InspectionSummary['inspectionType']; plan_id: string | null; plan_code: string | null; material_id: string; material_code: string;
  operation_seq: number | null; work_report_id: string | null; production_receipt_id: string | null; trigger: InspectionSummary['trigger'];
  source_kind: InspectionSummary['sourceKind']; receipt_id: string | null; receipt_line_id: string | null; production_order_id: string | null; supplier_id: string | null;
  warehouse_id: string | null; batch_no: string | null; lot_size: string; severity: InspectionSummary['severity']; code_letter: string | null; sample_size: number;
  accept_number: number; reject_number: number; status: InspectionSummary['status']; defectives: number | null; judgement: InspectionSummary['judgement'];
  judgement_reason: string | null; judged_by: string | null; judged_at: Date | null; automatic_judgement: InspectionSummary['judgement']; review_reason: string | null;
  reviewed_by: string | null; reviewed_at: Date | null; rejected_quantity: string | null; disposed_accepted: string; disposed_rejected: string; version: number;
  created_by: string; created_at: Date;
}
const toSummary = (r: InspectionRow): InspectionSummary => ({
  id: r.id, docNo: r.doc_no, inspectionType: r.inspection_type, planId: r.plan_id, planCode: r.plan_code, materialId: r.material_id, materialCode: r.material_code,
  operationSeq: r.operation_seq, trigger: r.trigger, workReportId: r.work_report_id, productionReceiptId: r.production_receipt_id,
  sourceKind: r.source_kind, receiptId: r.receipt_id, receiptLineId: r.receipt_line_id, productionOrderId: r.production_order_id, supplierId: r.supplier_id,
  warehouseId: r.warehouse_id, batchNo: r.batch_no, lotSize: r.lot_size, severity: r.severity, codeLetter: r.code_letter, sampleSize: r.sample_size,
  acceptNumber: r.accept_number, rejectNumber: r.reject_number, status: r.status, defectives: r.defectives, judgement: r.judgement, judgementReason: r.judgement_reason,
  judgedBy: r.judged_by, judgedAt: iso(r.judged_at), automaticJudgement: r.automatic_judgement, reviewReason: r.review_reason, reviewedBy: r.reviewed_by,
  reviewedAt: iso(r.reviewed_at), rejectedQuantity: r.rejected_quantity, disposedAccepted: r.disposed_accepted, disposedRejected: r.disposed_rejected,
  version: r.version, createdBy: r.created_by, createdAt: r.created_at.toISOString(),
});
const INSPECTION_SELECT = `SELECT i.id, i.doc_no, i.inspection_type, i.plan_id, p.code AS plan_code, i.material_id, m.code AS material_code, i.source_kind, i.receipt_id,
        i.receipt_line_id, i.production_order_id, i.supplier_id, i.warehouse_id, i.batch_no, i.lot_size::text, i.severity, i.code_letter, i.sample_size, i.accept_number,
        i.reject_number, i.status, i.defectives, i.judgement, i.judgement_reason, i.judged_by, i.judged_at, i.automatic_judgement, i.review_reason, i.reviewed_by,
        i.reviewed_at, i.rejected_quantity::text, i.disposed_accepted::text, i.disposed_rejected::text, i.version, i.created_by, i.created_at,
        i.operation_seq, i.work_report_id, i.production_receipt_id, i.trigger
   FROM quality_inspections i
   LEFT JOIN quality_plans p ON p.tenant_id = i.tenant_id AND p.id = i.plan_id
   JOIN materials m ON m.tenant_id = i.tenant_id AND m.id = i.material_id`;

export async function findInspectionSummary(tx: Sql, t: string, id: string, lock = false): Promise<InspectionSummary | undefined> {
  const { rows } = await tx.query<InspectionRow>(`${INSPECTION_SELECT} WHERE i.tenant_id = $1 AND i.id = $2${lock ? ' FOR UPDATE OF i' : ''}`, [t, id]);
  return rows[0] && toSummary(rows[0]);
}

export async function findInspection(tx: Sql, t: string, id: string): Promise<Inspection | undefined> {
  const head = await findInspectionSummary(tx, t, id);
  if (!head) return undefined;
  const results = await tx.query<{ sample_no: number; item_code: string; value: string | null; passed: boolean; defect_code: string | null; recorded_by: string; recorded_at: Date }>(
    `SELECT r.sample_no, r.item_code, r.value::text, r.passed, r.defect_code, r.recorded_by, r.recorded_at FROM quality_inspection_results r
      WHERE r.tenant_id = $1 AND r.inspection_id = $2 ORDER BY r.sample_no, r.item_code`,
    [t, id],
  );
  return {
    ...head,
    results: results.rows.map((r) => ({ sampleNo: r.sample_no, itemCode: r.item_code, value: r.value, passed: r.passed, defectCode: r.defect_code, recordedBy: r.recorded_by, recordedAt: r.recorded_at.toISOString() })),
    dispositions: await dispositionsOf(tx, t, id),
  };
}

export async function listInspections(
  tx: Sql, t: string,
  q: { limit: number; after?: [string, string]; status?: string; inspectionType?: string; materialId?: string; receiptId?: string; docNo?: string; productionOrderId?: string },
): Promise<InspectionSummary[]> {
  const { rows } = await tx.query<InspectionRow>(
    `${INSPECTION_SELECT} WHERE i.tenant_id = $1 AND ($2::timestamptz IS NULL OR (i.created_at, i.id) < ($2, $3::uuid))
        AND ($4::text IS NULL OR i.status = $4) AND ($5::text IS NULL OR i.inspection_type = $5) AND ($6::uuid IS NULL OR i.material_id = $6)
        AND ($7::uuid IS NULL OR i.receipt_id = $7) AND ($8::text IS NULL OR i.doc_no = $8) AND ($10::uuid IS NULL OR i.production_order_id = $10)
      ORDER BY i.created_at DESC, i.id DESC LIMIT $9`,
    [t, q.after?.[0] ?? null, q.after?.[1] ?? null, q.status ?? null, q.inspectionType ?? null, q.materialId ?? null, q.receiptId ?? null, q.docNo ?? null, q.limit + 1,
      q.productionOrderId ?? null],
  );
  return rows.map(toSummary);
}

export async function insertResults(tx: Sql, t: string, inspectionId: string, by: string, rows: { sampleNo: number; itemCode: string; value: string | null; passed: boolean; defectCode: string | null }[]): Promise<void> {
  await tx.query(
    `INSERT INTO quality_inspection_results (tenant_id, inspection_id, sample_no, item_code, value, passed, defect_code, recorded_by)
     SELECT $1, $2, s, c, v, p, d, $8 FROM unnest($3::int[], $4::text[], $5::numeric[], $6::boolean[], $7::text[]) AS x(s, c, v, p, d)`,
    [t, inspectionId, rows.map((r) => r.sampleNo), rows.map((r) => r.itemCode), rows.map((r) => r.value), rows.map((r) => r.passed), rows.map((r) => r.defectCode), by],
  );
}

export async function setJudgement(tx: Sql, t: string, id: string, j: { defectives: number; judgement: string; reason: string; by: string; rejectedQuantity: string }): Promise<void> {
  await tx.query(
    `UPDATE quality_inspections SET status = 'judged', defectives = $3, judgement = $4, automatic_judgement = $4, judgement_reason = $5, judged_by = $6, judged_at = now(),
            rejected_quantity = $7, version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
    [t, id, j.defectives, j.judgement, j.reason, j.by, j.rejectedQuantity],
  );
}

export async function setReview(tx: Sql, t: string, id: string, r: { judgement: string; reason: string; by: string; rejectedQuantity: string }): Promise<void> {
  await tx.query(
    `UPDATE quality_inspections SET judgement = $3, review_reason = $4, reviewed_by = $5, reviewed_at = now(), rejected_quantity = $6, version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
    [t, id, r.judgement, r.reason, r.by, r.rejectedQuantity],
  );
}

export async function addDisposed(tx: Sql, t: string, id: string, accepted: string, rejected: string, close: boolean): Promise<void> {
  await tx.query(
    `UPDATE quality_inspections SET disposed_accepted = disposed_accepted + $3, disposed_rejected = disposed_rejected + $4,
            status = CASE WHEN $5 THEN 'closed' ELSE status END, version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
    [t, id, accepted, rejected, close],
  );
}

export interface NewDisposition {
  id: string; lineNo: number; kind: string; quantity: string; warehouseId: string | null; productionOrderId: string | null; approvedBy: string | null; reason: string;
  purchaseInboundId: string | null; purchaseReturnId: string | null; reworkOrderId?: string | null;
}

export async function insertDisposition(tx: Sql, t: string, inspectionId: string, by: string, d: NewDisposition): Promise<void> {
  await tx.query(
    `INSERT INTO quality_dispositions (tenant_id, id, inspection_id, line_no, kind, quantity, warehouse_id, production_order_id, approved_by, reason,
       purchase_inbound_id, purchase_return_id, created_by, rework_order_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [t, d.id, inspectionId, d.lineNo, d.kind, d.quantity, d.warehouseId, d.productionOrderId, d.approvedBy, d.reason, d.purchaseInboundId, d.purchaseReturnId, by,
      d.reworkOrderId ?? null],
  );
}

export async function dispositionsOf(tx: Sql, t: string, inspectionId: string): Promise<Disposition[]> {
  const { rows } = await tx.query<{
    id: string; line_no: number; kind: Disposition['kind']; quantity: string; warehouse_id: string | null; production_order_id: string | null; approved_by: string | null;
    reason: string; purchase_inbound_id: string | null; purchase_return_id: string | null; rework_order_id: string | null; created_by: string; created_at: Date;
  }>(
    `SELECT id, line_no, kind, quantity::text, warehouse_id, production_order_id, approved_by, reason, purchase_inbound_id, purchase_return_id, rework_order_id, created_by, created_at
       FROM quality_dispositions WHERE tenant_id = $1 AND inspection_id = $2 ORDER BY created_at, line_no`,
    [t, inspectionId],
  );
  return rows.map((r) => ({
    id: r.id, lineNo: r.line_no, kind: r.kind, quantity: r.quantity, warehouseId: r.warehouse_id, productionOrderId: r.production_order_id, approvedBy: r.approved_by,
    reason: r.reason, purchaseInboundId: r.purchase_inbound_id, purchaseReturnId: r.purchase_return_id, reworkOrderId: r.rework_order_id, createdBy: r.created_by, createdAt: r.created_at.toISOString(),
  }));
}

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
