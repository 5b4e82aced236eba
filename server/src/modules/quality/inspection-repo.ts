/** The quality module's inspection tables (orders, results, dispositions): only this file reads and writes them. */
import type { Sql } from '../../platform/db.js';
import type { Disposition, Inspection, InspectionSummary } from './schema.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// ---------------------------------------------------------------- inspections

export interface NewInspection {
  id: string; docNo: string; inspectionType: string; planId: string | null; materialId: string; sourceKind: string; receiptId: string | null; receiptLineId: string | null;
  productionOrderId: string | null; supplierId: string | null; warehouseId: string | null; batchNo: string | null; lotSize: string; severity: string | null;
  codeLetter: string | null; sampleSize: number; acceptNumber: number; rejectNumber: number; createdBy: string;
  operationSeq?: number | null; workReportId?: string | null; productionReceiptId?: string | null; trigger?: string | null; triggerKey?: string | null;
  standardItemsVersion?: number;
}

/** False when an inspection with the same trigger key exists (the event was seen before): nothing is written. */
export async function insertInspection(tx: Sql, t: string, i: NewInspection): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO quality_inspections (tenant_id, id, doc_no, inspection_type, plan_id, material_id, source_kind, receipt_id, receipt_line_id, production_order_id,
       supplier_id, warehouse_id, batch_no, lot_size, severity, code_letter, sample_size, accept_number, reject_number, created_by,
       operation_seq, work_report_id, production_receipt_id, trigger, trigger_key, standard_items_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
     ON CONFLICT (tenant_id, trigger_key) DO NOTHING RETURNING id`,
    [t, i.id, i.docNo, i.inspectionType, i.planId, i.materialId, i.sourceKind, i.receiptId, i.receiptLineId, i.productionOrderId, i.supplierId, i.warehouseId,
      i.batchNo, i.lotSize, i.severity, i.codeLetter, i.sampleSize, i.acceptNumber, i.rejectNumber, i.createdBy,
      i.operationSeq ?? null, i.workReportId ?? null, i.productionReceiptId ?? null, i.trigger ?? null, i.triggerKey ?? null, i.standardItemsVersion ?? 1],
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
  created_by: string; created_at: Date; standard_items_version: number;
}
const toSummary = (r: InspectionRow): InspectionSummary => ({
  id: r.id, docNo: r.doc_no, inspectionType: r.inspection_type, planId: r.plan_id, planCode: r.plan_code, materialId: r.material_id, materialCode: r.material_code,
  operationSeq: r.operation_seq, trigger: r.trigger, workReportId: r.work_report_id, productionReceiptId: r.production_receipt_id,
  sourceKind: r.source_kind, receiptId: r.receipt_id, receiptLineId: r.receipt_line_id, productionOrderId: r.production_order_id, supplierId: r.supplier_id,
  warehouseId: r.warehouse_id, batchNo: r.batch_no, lotSize: r.lot_size, severity: r.severity, codeLetter: r.code_letter, sampleSize: r.sample_size,
  acceptNumber: r.accept_number, rejectNumber: r.reject_number, status: r.status, defectives: r.defectives, judgement: r.judgement, judgementReason: r.judgement_reason,
  judgedBy: r.judged_by, judgedAt: iso(r.judged_at), automaticJudgement: r.automatic_judgement, reviewReason: r.review_reason, reviewedBy: r.reviewed_by,
  reviewedAt: iso(r.reviewed_at), rejectedQuantity: r.rejected_quantity, disposedAccepted: r.disposed_accepted, disposedRejected: r.disposed_rejected,
  version: r.version, createdBy: r.created_by, createdAt: r.created_at.toISOString(), standardItemsVersion: r.standard_items_version,
});
const INSPECTION_SELECT = `SELECT i.id, i.doc_no, i.inspection_type, i.plan_id, p.code AS plan_code, i.material_id, m.code AS material_code, i.source_kind, i.receipt_id,
        i.receipt_line_id, i.production_order_id, i.supplier_id, i.warehouse_id, i.batch_no, i.lot_size::text, i.severity, i.code_letter, i.sample_size, i.accept_number,
        i.reject_number, i.status, i.defectives, i.judgement, i.judgement_reason, i.judged_by, i.judged_at, i.automatic_judgement, i.review_reason, i.reviewed_by,
        i.reviewed_at, i.rejected_quantity::text, i.disposed_accepted::text, i.disposed_rejected::text, i.version, i.created_by, i.created_at,
        i.operation_seq, i.work_report_id, i.production_receipt_id, i.trigger, i.standard_items_version
   FROM quality_inspections i
   LEFT JOIN quality_plans p ON p.tenant_id = i.tenant_id AND p.id = i.plan_id
   JOIN materials m ON m.tenant_id = i.tenant_id AND m.id = i.material_id`;

export async function inspectionRefs(tx: Sql, t: string, ids: string[]): Promise<{ id: string; docNo: string; status: string; judgement: string | null }[]> {
  const { rows } = await tx.query<{ id: string; doc_no: string; status: string; judgement: string | null }>(
    'SELECT id, doc_no, status, judgement FROM quality_inspections WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [t, ids],
  );
  return rows.map((r) => ({ id: r.id, docNo: r.doc_no, status: r.status, judgement: r.judgement }));
}

export async function findInspectionSummary(tx: Sql, t: string, id: string, lock = false): Promise<InspectionSummary | undefined> {
  const { rows } = await tx.query<InspectionRow>(`${INSPECTION_SELECT} WHERE i.tenant_id = $1 AND i.id = $2${lock ? ' FOR UPDATE OF i' : ''}`, [t, id]);
  return rows[0] && toSummary(rows[0]);
}

export async function findInspection(tx: Sql, t: string, id: string): Promise<Omit<Inspection, 'salesReturns'> | undefined> {
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
