/**
 * The tables of production execution (migration 0014) and the execution columns of the order's
 * operations and components. Callers hold the order's row lock (orders.lockOrder) before writing.
 */
import type { Sql } from '../../platform/db.js';
import type { ComponentRow, OperationRow } from './order-repo.js';

// ---------------------------------------------------------------- the order's rows under lock

/** The order's component rows, locked in id order (after the order's own lock). */
export async function lockComponents(tx: Sql, tenantId: string, orderId: string): Promise<ComponentRow[]> {
  const { rows } = await tx.query<ComponentRow>(
    `SELECT id, order_id, line_no, material_id, operation_seq, bom_version_id, bom_line_no, via_phantoms, per_unit::text, scrap_rate::text,
            standard_quantity::text, required_quantity::text, issue_type, include_in_kitting, optional, alternates, issued_quantity::text,
            backflushed_quantity::text, returned_quantity::text
       FROM production_order_components WHERE tenant_id = $1 AND order_id = $2 ORDER BY id FOR UPDATE`,
    [tenantId, orderId],
  );
  return rows.sort((a, b) => a.line_no - b.line_no);
}

/** The order's operation rows, locked in id order, returned by sequence. */
export async function lockOperations(tx: Sql, tenantId: string, orderId: string): Promise<OperationRow[]> {
  const { rows } = await tx.query<OperationRow>(
    `SELECT id, order_id, seq, name, description, work_centre_id, station_id, setup_minutes::text, run_minutes::text, queue_minutes::text, move_minutes::text,
            planned_minutes::text, inspection_point, inspection_text, inspection_ref, alternates, status, good_quantity::text, scrap_quantity::text,
            pending_inspection_quantity::text, planned_start, planned_finish, actual_start, actual_finish
       FROM production_order_operations WHERE tenant_id = $1 AND order_id = $2 ORDER BY id FOR UPDATE`,
    [tenantId, orderId],
  );
  return rows.sort((a, b) => a.seq - b.seq);
}

/** Adds to a component's issued, backflushed and returned quantities (base unit). */
export async function addToComponent(tx: Sql, tenantId: string, id: string, add: { issued?: string; backflushed?: string; returned?: string }): Promise<void> {
  await tx.query(
    `UPDATE production_order_components SET issued_quantity = issued_quantity + $3, backflushed_quantity = backflushed_quantity + $4,
            returned_quantity = returned_quantity + $5 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, add.issued ?? '0', add.backflushed ?? '0', add.returned ?? '0'],
  );
}

/** Adds reported quantities to an operation and sets its status and actual times. */
export async function updateOperation(
  tx: Sql, tenantId: string, id: string,
  set: { good?: string; scrap?: string; pending?: string; status: string; actualStart?: Date | null; actualFinish?: Date | null },
): Promise<void> {
  await tx.query(
    `UPDATE production_order_operations SET good_quantity = good_quantity + $3, scrap_quantity = scrap_quantity + $4,
            pending_inspection_quantity = pending_inspection_quantity + $5, status = $6,
            actual_start = coalesce(actual_start, $7), actual_finish = coalesce($8, actual_finish)
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, set.good ?? '0', set.scrap ?? '0', set.pending ?? '0', set.status, set.actualStart ?? null, set.actualFinish ?? null],
  );
}

/** Adds received product to the order (the caller holds its lock); the order's version moves on. */
export async function addReceived(tx: Sql, tenantId: string, orderId: string, base: string): Promise<void> {
  await tx.query('UPDATE production_orders SET received_base = received_base + $3, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, orderId, base]);
}

// ---------------------------------------------------------------- material documents

export interface NewMaterialLine {
  componentId: string; materialId: string; quantity: string; unit: string; baseQuantity: string; warehouseId: string; binId: string | null;
  batchNo: string | null; serialNo: string | null; origin: 'fifo' | 'scan' | 'manual' | 'backflush';
}

export async function insertMaterialDoc(
  tx: Sql, tenantId: string,
  d: { id: string; orderId: string; kind: 'issue' | 'return' | 'backflush'; operationSeq: number | null; sourceReportId: string | null; sourceReceiptId: string | null; reason: string; createdBy: string },
  lines: NewMaterialLine[],
): Promise<void> {
  await tx.query(
    `INSERT INTO production_material_docs (tenant_id, id, doc_no, order_id, kind, operation_seq, source_report_id, source_receipt_id, reason, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [tenantId, d.id, `~${d.id}`, d.orderId, d.kind, d.operationSeq, d.sourceReportId, d.sourceReceiptId, d.reason, d.createdBy],
  );
  await tx.query(
    `INSERT INTO production_material_lines (tenant_id, doc_id, line_no, component_id, material_id, quantity, unit, base_quantity, warehouse_id, bin_id, batch_no, serial_no, origin)
     SELECT $1, $2, n, c, m, q, u, b, w, bi, ba, s, o
       FROM unnest($3::int[], $4::uuid[], $5::uuid[], $6::numeric[], $7::text[], $8::numeric[], $9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::text[])
         AS x(n, c, m, q, u, b, w, bi, ba, s, o)`,
    [tenantId, d.id, lines.map((_, i) => i + 1), lines.map((l) => l.componentId), lines.map((l) => l.materialId), lines.map((l) => l.quantity), lines.map((l) => l.unit),
      lines.map((l) => l.baseQuantity), lines.map((l) => l.warehouseId), lines.map((l) => l.binId), lines.map((l) => l.batchNo), lines.map((l) => l.serialNo),
      lines.map((l) => l.origin)],
  );
}

export interface MaterialDocRow {
  id: string; doc_no: string; order_id: string; kind: 'issue' | 'return' | 'backflush'; operation_seq: number | null; source_report_id: string | null;
  source_receipt_id: string | null; reason: string; created_by: string; created_at: Date;
}
export interface MaterialLineRow {
  doc_id: string; line_no: number; component_line_no: number; material_id: string; material_code: string; quantity: string; unit: string; base_quantity: string;
  base_unit: string; warehouse_id: string; warehouse_code: string; bin_id: string | null; bin_code: string | null; batch_no: string | null; serial_no: string | null;
  origin: 'fifo' | 'scan' | 'manual' | 'backflush';
}

export async function materialDocs(
  tx: Sql, tenantId: string, q: { orderId?: string; ids?: string[]; kind?: string; limit: number; after?: [string, string] },
): Promise<{ docs: MaterialDocRow[]; lines: MaterialLineRow[] }> {
  const { rows: docs } = await tx.query<MaterialDocRow>(
    `SELECT id, doc_no, order_id, kind, operation_seq, source_report_id, source_receipt_id, reason, created_by, created_at FROM production_material_docs
      WHERE tenant_id = $1 AND ($2::uuid IS NULL OR order_id = $2) AND ($3::uuid[] IS NULL OR id = ANY($3)) AND ($4::text IS NULL OR kind = $4)
        AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $7`,
    [tenantId, q.orderId ?? null, q.ids ?? null, q.kind ?? null, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1],
  );
  const { rows: lines } = await tx.query<MaterialLineRow>(
    `SELECT l.doc_id, l.line_no, c.line_no AS component_line_no, l.material_id, m.code AS material_code, l.quantity::text, l.unit, l.base_quantity::text,
            m.base_unit, l.warehouse_id, w.code AS warehouse_code, l.bin_id, b.code AS bin_code, l.batch_no, l.serial_no, l.origin
       FROM production_material_lines l
       JOIN production_order_components c ON c.tenant_id = l.tenant_id AND c.id = l.component_id
       JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id
       JOIN warehouses w ON w.tenant_id = l.tenant_id AND w.id = l.warehouse_id
       LEFT JOIN bins b ON b.tenant_id = l.tenant_id AND b.id = l.bin_id
      WHERE l.tenant_id = $1 AND l.doc_id = ANY($2::uuid[]) ORDER BY l.doc_id, l.line_no`,
    [tenantId, docs.map((d) => d.id)],
  );
  return { docs, lines };
}

/** What an order holds of each component batch and serial: issued less returned (returnable), and consumed (issued + backflushed − returned). */
export async function heldByOrder(tx: Sql, tenantId: string, orderId: string): Promise<{
  component_id: string; material_id: string; batch_no: string | null; serial_no: string | null; issued_net: string; consumed: string;
}[]> {
  const { rows } = await tx.query<{ component_id: string; material_id: string; batch_no: string | null; serial_no: string | null; issued_net: string; consumed: string }>(
    `SELECT l.component_id, l.material_id, l.batch_no, l.serial_no,
            sum(CASE d.kind WHEN 'issue' THEN l.base_quantity WHEN 'return' THEN -l.base_quantity ELSE 0 END)::text AS issued_net,
            sum(CASE d.kind WHEN 'return' THEN -l.base_quantity ELSE l.base_quantity END)::text AS consumed
       FROM production_material_lines l JOIN production_material_docs d ON d.tenant_id = l.tenant_id AND d.id = l.doc_id
      WHERE l.tenant_id = $1 AND d.order_id = $2
      GROUP BY l.component_id, l.material_id, l.batch_no, l.serial_no
      ORDER BY l.material_id, l.batch_no NULLS FIRST, l.serial_no NULLS FIRST`,
    [tenantId, orderId],
  );
  return rows;
}

// ---------------------------------------------------------------- operation events and work reports

export async function insertOperationEvent(
  tx: Sql, tenantId: string,
  e: { id: string; orderId: string; operationId: string; event: string; reason: string; operator: string; stationId: string | null; equipmentCode: string | null; occurredAt: Date; recordedBy: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO production_operation_events (tenant_id, id, order_id, operation_id, event, reason, operator, station_id, equipment_code, occurred_at, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [tenantId, e.id, e.orderId, e.operationId, e.event, e.reason, e.operator, e.stationId, e.equipmentCode, e.occurredAt, e.recordedBy],
  );
}

export interface OperationEventRow {
  id: string; order_id: string; operation_seq: number; event: 'start' | 'pause' | 'resume' | 'end'; reason: string; operator: string; station_id: string | null;
  equipment_code: string | null; occurred_at: Date; recorded_by: string; operation_status: 'pending' | 'in_progress' | 'paused' | 'completed'; created_at: Date;
}

export async function operationEvents(tx: Sql, tenantId: string, q: { orderId?: string; id?: string; limit: number; after?: [string, string] }): Promise<OperationEventRow[]> {
  const { rows } = await tx.query<OperationEventRow>(
    `SELECT e.id, e.order_id, o.seq AS operation_seq, e.event, e.reason, e.operator, e.station_id, e.equipment_code, e.occurred_at, e.recorded_by,
            o.status AS operation_status, e.created_at
       FROM production_operation_events e JOIN production_order_operations o ON o.tenant_id = e.tenant_id AND o.id = e.operation_id
      WHERE e.tenant_id = $1 AND ($2::uuid IS NULL OR e.order_id = $2) AND ($3::uuid IS NULL OR e.id = $3)
        AND ($4::timestamptz IS NULL OR (e.created_at, e.id) < ($4::timestamptz, $5::uuid))
      ORDER BY e.created_at DESC, e.id DESC LIMIT $6`,
    [tenantId, q.orderId ?? null, q.id ?? null, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1],
  );
  return rows;
}

export async function insertWorkReport(tx: Sql, tenantId: string, values: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(values);
  await tx.query(
    `INSERT INTO production_work_reports (tenant_id, ${columns.join(', ')}) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})`,
    [tenantId, ...Object.values(values)],
  );
}

export interface WorkReportRow {
  id: string; doc_no: string; order_id: string; order_doc_no: string; material_id: string; base_unit: string; operation_seq: number; operation_name: string;
  good_quantity: string; scrap_quantity: string; pending_inspection_quantity: string; unit: string; scrap_reason: string; operator: string; station_id: string | null;
  equipment_code: string | null; started_at: Date | null; ended_at: Date; piece_rate: string | null; wage_amount: string; created_by: string; created_at: Date;
  backflush_id: string | null;
  settled_good: string; settled_scrap: string; settled_at: Date | null; settled_inspection_id: string | null; settled_inspection_no: string | null;
}

export async function workReports(tx: Sql, tenantId: string, q: { orderId?: string; id?: string; limit: number; after?: [string, string] }): Promise<WorkReportRow[]> {
  const { rows } = await tx.query<WorkReportRow>(
    `SELECT r.id, r.doc_no, r.order_id, po.doc_no AS order_doc_no, po.material_id, m.base_unit, r.operation_seq, op.name AS operation_name,
            r.good_quantity::text, r.scrap_quantity::text, r.pending_inspection_quantity::text, r.unit, r.scrap_reason, r.operator, r.station_id,
            r.equipment_code, r.started_at, r.ended_at, r.piece_rate::text, r.wage_amount::text, r.created_by, r.created_at,
            r.settled_good::text, r.settled_scrap::text, r.settled_at, r.settled_inspection_id, r.settled_inspection_no,
            (SELECT d.id FROM production_material_docs d WHERE d.tenant_id = r.tenant_id AND d.source_report_id = r.id) AS backflush_id
       FROM production_work_reports r
       JOIN production_orders po ON po.tenant_id = r.tenant_id AND po.id = r.order_id
       JOIN materials m ON m.tenant_id = po.tenant_id AND m.id = po.material_id
       JOIN production_order_operations op ON op.tenant_id = r.tenant_id AND op.id = r.operation_id
      WHERE r.tenant_id = $1 AND ($2::uuid IS NULL OR r.order_id = $2) AND ($3::uuid IS NULL OR r.id = $3)
        AND ($4::timestamptz IS NULL OR (r.created_at, r.id) < ($4::timestamptz, $5::uuid))
      ORDER BY r.created_at DESC, r.id DESC LIMIT $6`,
    [tenantId, q.orderId ?? null, q.id ?? null, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1],
  );
  return rows;
}

/** Who worked on an order, where, with what, and when: for the genealogy of what it produced. */
export async function workSummary(tx: Sql, tenantId: string, orderId: string): Promise<{
  operators: string[]; station_ids: string[]; equipment_codes: string[]; started: Date | null; ended: Date | null;
}> {
  const { rows } = await tx.query<{ operators: string[]; station_ids: string[]; equipment_codes: string[]; started: Date | null; ended: Date | null }>(
    `WITH w AS (
       SELECT operator, station_id, equipment_code, coalesce(started_at, ended_at) AS t0, ended_at AS t1 FROM production_work_reports WHERE tenant_id = $1 AND order_id = $2
       UNION ALL
       SELECT operator, station_id, equipment_code, occurred_at, occurred_at FROM production_operation_events WHERE tenant_id = $1 AND order_id = $2)
     SELECT coalesce(array_agg(DISTINCT operator ORDER BY operator), '{}') AS operators,
            coalesce(array_agg(DISTINCT station_id ORDER BY station_id) FILTER (WHERE station_id IS NOT NULL), '{}') AS station_ids,
            coalesce(array_agg(DISTINCT equipment_code ORDER BY equipment_code) FILTER (WHERE equipment_code IS NOT NULL), '{}') AS equipment_codes,
            min(t0) AS started, max(t1) AS ended
       FROM w`,
    [tenantId, orderId],
  );
  return rows[0];
}

// ---------------------------------------------------------------- piece rates and wages

export async function insertPieceRate(tx: Sql, tenantId: string, r: { id: string; materialId: string; operationSeq: number; rate: string; effectiveFrom: string; createdBy: string }): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO production_piece_rates (tenant_id, id, material_id, operation_seq, rate, effective_from, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, material_id, operation_seq, effective_from) DO NOTHING RETURNING id`,
    [tenantId, r.id, r.materialId, r.operationSeq, r.rate, r.effectiveFrom, r.createdBy],
  );
  return rows.length === 1;
}

export interface PieceRateRow { id: string; material_id: string; material_code: string; operation_seq: number; rate: string; effective_from: string; created_by: string; created_at: Date }

export async function pieceRates(tx: Sql, tenantId: string, q: { id?: string; materialId?: string; limit: number; after?: [string, string] }): Promise<PieceRateRow[]> {
  const { rows } = await tx.query<PieceRateRow>(
    `SELECT r.id, r.material_id, m.code AS material_code, r.operation_seq, r.rate::text, r.effective_from::text, r.created_by, r.created_at
       FROM production_piece_rates r JOIN materials m ON m.tenant_id = r.tenant_id AND m.id = r.material_id
      WHERE r.tenant_id = $1 AND ($2::uuid IS NULL OR r.id = $2) AND ($3::uuid IS NULL OR r.material_id = $3)
        AND ($4::timestamptz IS NULL OR (r.created_at, r.id) < ($4::timestamptz, $5::uuid))
      ORDER BY r.created_at DESC, r.id DESC LIMIT $6`,
    [tenantId, q.id ?? null, q.materialId ?? null, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1],
  );
  return rows;
}

/** The rate in effect on a date for a product's operation. */
export async function pieceRateOn(tx: Sql, tenantId: string, materialId: string, operationSeq: number, date: string): Promise<string | null> {
  const { rows } = await tx.query<{ rate: string }>(
    `SELECT rate::text FROM production_piece_rates WHERE tenant_id = $1 AND material_id = $2 AND operation_seq = $3 AND effective_from <= $4
      ORDER BY effective_from DESC LIMIT 1`,
    [tenantId, materialId, operationSeq, date],
  );
  return rows[0]?.rate ?? null;
}

export async function wageLines(tx: Sql, tenantId: string, from: string, to: string, operator: string | null) {
  const { rows } = await tx.query<{
    operator: string; material_id: string; material_code: string; operation_seq: number; piece_rate: string | null; reports: number; good: string; scrap: string;
    base_unit: string; wage: string;
  }>(
    `SELECT r.operator, po.material_id, m.code AS material_code, r.operation_seq, r.piece_rate::text, count(*)::int AS reports,
            sum(r.good_quantity)::text AS good, sum(r.scrap_quantity)::text AS scrap, m.base_unit, sum(r.wage_amount)::text AS wage
       FROM production_work_reports r
       JOIN production_orders po ON po.tenant_id = r.tenant_id AND po.id = r.order_id
       JOIN materials m ON m.tenant_id = po.tenant_id AND m.id = po.material_id
      WHERE r.tenant_id = $1 AND r.ended_at >= $2::date AND r.ended_at < $3::date + 1 AND ($4::text IS NULL OR r.operator = $4)
      GROUP BY r.operator, po.material_id, m.code, r.operation_seq, r.piece_rate, m.base_unit
      ORDER BY r.operator, m.code, r.operation_seq, r.piece_rate NULLS FIRST`,
    [tenantId, from, to, operator],
  );
  return rows;
}

/**
 * Good and scrap quantities (base units) reported per machine code over reports that ended in
 * [from, to): the quality rate of OEE (S1-5.4.6-f). Reports naming no machine are left out.
 */
export async function equipmentOutputs(tx: Sql, tenantId: string, codes: string[], from: string, to: string) {
  const { rows } = await tx.query<{ equipment_code: string; reports: number; good: string; scrap: string }>(
    `SELECT equipment_code, count(*)::int AS reports, sum(good_quantity)::text AS good, sum(scrap_quantity)::text AS scrap
       FROM production_work_reports
      WHERE tenant_id = $1 AND equipment_code = ANY($2::text[]) AND ended_at >= $3 AND ended_at < $4
      GROUP BY equipment_code`,
    [tenantId, codes, from, to],
  );
  return rows;
}

// ---------------------------------------------------------------- receipts and genealogy

export interface NewReceiptLine {
  kind: 'product' | 'by_product'; materialId: string; quantity: string; unit: string; baseQuantity: string; binId: string | null; batchNo: string | null; serialNo: string | null;
}

export async function insertReceipt(
  tx: Sql, tenantId: string,
  r: { id: string; orderId: string; warehouseId: string; bomVersionId: string | null; operators: string[]; stationIds: string[]; equipmentCodes: string[]; started: Date | null; ended: Date | null; createdBy: string },
  lines: NewReceiptLine[],
): Promise<void> {
  await tx.query(
    `INSERT INTO production_receipts (tenant_id, id, doc_no, order_id, warehouse_id, bom_version_id, operators, station_ids, equipment_codes, work_started_at, work_ended_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [tenantId, r.id, `~${r.id}`, r.orderId, r.warehouseId, r.bomVersionId, r.operators, r.stationIds, r.equipmentCodes, r.started, r.ended, r.createdBy],
  );
  await tx.query(
    `INSERT INTO production_receipt_lines (tenant_id, receipt_id, line_no, kind, material_id, quantity, unit, base_quantity, bin_id, batch_no, serial_no)
     SELECT $1, $2, n, k, m, q, u, b, bi, ba, s
       FROM unnest($3::int[], $4::text[], $5::uuid[], $6::numeric[], $7::text[], $8::numeric[], $9::uuid[], $10::text[], $11::text[]) AS x(n, k, m, q, u, b, bi, ba, s)`,
    [tenantId, r.id, lines.map((_, i) => i + 1), lines.map((l) => l.kind), lines.map((l) => l.materialId), lines.map((l) => l.quantity), lines.map((l) => l.unit),
      lines.map((l) => l.baseQuantity), lines.map((l) => l.binId), lines.map((l) => l.batchNo), lines.map((l) => l.serialNo)],
  );
}

/** Links every line of a receipt to everything the order had consumed (given), one row per pair. */
export async function insertGenealogy(
  tx: Sql, tenantId: string, receiptId: string, orderId: string,
  consumed: { materialId: string; batchNo: string | null; serialNo: string | null; quantity: string }[],
): Promise<void> {
  if (!consumed.length) return;
  await tx.query(
    `INSERT INTO production_genealogy (tenant_id, receipt_id, line_no, order_id, produced_material_id, produced_batch_no, produced_serial_no,
                                       consumed_material_id, consumed_batch_no, consumed_serial_no, consumed_quantity)
     SELECT $1, $2, l.line_no, $3, l.material_id, l.batch_no, l.serial_no, c.m, c.b, c.s, c.q
       FROM production_receipt_lines l
      CROSS JOIN unnest($4::uuid[], $5::text[], $6::text[], $7::numeric[]) AS c(m, b, s, q)
      WHERE l.tenant_id = $1 AND l.receipt_id = $2`,
    [tenantId, receiptId, orderId, consumed.map((c) => c.materialId), consumed.map((c) => c.batchNo), consumed.map((c) => c.serialNo), consumed.map((c) => c.quantity)],
  );
}

export interface ReceiptRow {
  id: string; doc_no: string; order_id: string; order_doc_no: string; warehouse_id: string; warehouse_code: string; bom_version_id: string | null; operators: string[];
  station_ids: string[]; equipment_codes: string[]; work_started_at: Date | null; work_ended_at: Date | null; created_by: string; created_at: Date; backflush_id: string | null;
}
export interface ReceiptLineRow {
  receipt_id: string; line_no: number; kind: 'product' | 'by_product'; material_id: string; material_code: string; quantity: string; unit: string; base_quantity: string;
  base_unit: string; bin_id: string | null; batch_no: string | null; serial_no: string | null;
}

export async function receipts(tx: Sql, tenantId: string, q: { orderId?: string; id?: string; limit: number; after?: [string, string] }): Promise<{ heads: ReceiptRow[]; lines: ReceiptLineRow[] }> {
  const { rows: heads } = await tx.query<ReceiptRow>(
    `SELECT r.id, r.doc_no, r.order_id, po.doc_no AS order_doc_no, r.warehouse_id, w.code AS warehouse_code, r.bom_version_id, r.operators, r.station_ids,
            r.equipment_codes, r.work_started_at, r.work_ended_at, r.created_by, r.created_at,
            (SELECT d.id FROM production_material_docs d WHERE d.tenant_id = r.tenant_id AND d.source_receipt_id = r.id) AS backflush_id
       FROM production_receipts r
       JOIN production_orders po ON po.tenant_id = r.tenant_id AND po.id = r.order_id
       JOIN warehouses w ON w.tenant_id = r.tenant_id AND w.id = r.warehouse_id
      WHERE r.tenant_id = $1 AND ($2::uuid IS NULL OR r.order_id = $2) AND ($3::uuid IS NULL OR r.id = $3)
        AND ($4::timestamptz IS NULL OR (r.created_at, r.id) < ($4::timestamptz, $5::uuid))
      ORDER BY r.created_at DESC, r.id DESC LIMIT $6`,
    [tenantId, q.orderId ?? null, q.id ?? null, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1],
  );
  const { rows: lines } = await tx.query<ReceiptLineRow>(
    `SELECT l.receipt_id, l.line_no, l.kind, l.material_id, m.code AS material_code, l.quantity::text, l.unit, l.base_quantity::text, m.base_unit, l.bin_id,
            l.batch_no, l.serial_no
       FROM production_receipt_lines l JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id
      WHERE l.tenant_id = $1 AND l.receipt_id = ANY($2::uuid[]) ORDER BY l.receipt_id, l.line_no`,
    [tenantId, heads.map((h) => h.id)],
  );
  return { heads, lines };
}

export interface GenealogyRow {
  level: number; produced_material_id: string; produced_material_code: string; produced_batch_no: string | null; produced_serial_no: string | null;
  consumed_material_id: string; consumed_material_code: string; consumed_batch_no: string | null; consumed_serial_no: string | null; consumed_quantity: string;
  order_id: string; order_doc_no: string; receipt_id: string; receipt_doc_no: string; bom_version_id: string | null; operators: string[]; station_ids: string[];
  equipment_codes: string[]; work_started_at: Date | null; work_ended_at: Date | null; received_at: Date;
}

/**
 * The genealogy from one item, level by level, in one recursive query: backward walks from what
 * was produced to what it consumed (and what that consumed…), forward from what was consumed to
 * what it went into. Rows down to maxDepth + 1 are read so the caller can tell there is more.
 */
export async function genealogy(
  tx: Sql, tenantId: string, direction: 'backward' | 'forward', item: { materialId: string; batchNo: string | null; serialNo: string | null }, maxDepth: number,
): Promise<GenealogyRow[]> {
  const [from, to] = direction === 'backward' ? ['produced', 'consumed'] : ['consumed', 'produced'];
  const { rows } = await tx.query<GenealogyRow>(
    `WITH RECURSIVE g AS (
       SELECT 1 AS level, x.receipt_id, x.line_no, x.order_id, x.produced_material_id, x.produced_batch_no, x.produced_serial_no,
              x.consumed_material_id, x.consumed_batch_no, x.consumed_serial_no, x.consumed_quantity
         FROM production_genealogy x
        WHERE x.tenant_id = $1 AND x.${from}_material_id = $2 AND ($3::text IS NULL OR x.${from}_batch_no = $3) AND ($4::text IS NULL OR x.${from}_serial_no = $4)
       UNION ALL
       SELECT g.level + 1, x.receipt_id, x.line_no, x.order_id, x.produced_material_id, x.produced_batch_no, x.produced_serial_no,
              x.consumed_material_id, x.consumed_batch_no, x.consumed_serial_no, x.consumed_quantity
         FROM g JOIN production_genealogy x
           ON x.tenant_id = $1 AND x.${from}_material_id = g.${to}_material_id
          AND x.${from}_batch_no IS NOT DISTINCT FROM g.${to}_batch_no AND x.${from}_serial_no IS NOT DISTINCT FROM g.${to}_serial_no
        WHERE g.level <= $5)
     SELECT g.level, g.produced_material_id, pm.code AS produced_material_code, g.produced_batch_no, g.produced_serial_no,
            g.consumed_material_id, cm.code AS consumed_material_code, g.consumed_batch_no, g.consumed_serial_no, g.consumed_quantity::text,
            g.order_id, po.doc_no AS order_doc_no, g.receipt_id, r.doc_no AS receipt_doc_no, r.bom_version_id, r.operators, r.station_ids, r.equipment_codes,
            r.work_started_at, r.work_ended_at, r.created_at AS received_at
       FROM g
       JOIN materials pm ON pm.tenant_id = $1 AND pm.id = g.produced_material_id
       JOIN materials cm ON cm.tenant_id = $1 AND cm.id = g.consumed_material_id
       JOIN production_orders po ON po.tenant_id = $1 AND po.id = g.order_id
       JOIN production_receipts r ON r.tenant_id = $1 AND r.id = g.receipt_id
      ORDER BY g.level, r.created_at, g.line_no, cm.code, g.consumed_batch_no NULLS FIRST, g.consumed_serial_no NULLS FIRST`,
    [tenantId, item.materialId, item.batchNo, item.serialNo, maxDepth],
  );
  return rows;
}

export interface SettlementRow { id: string; doc_no: string; order_id: string; operation_id: string; operation_seq: number; pending_inspection_quantity: string; settled_good: string; settled_scrap: string }

/** A work report's pending quantity and what of it is settled, locked (the caller holds the order's lock). */
export async function lockReportForSettlement(tx: Sql, tenantId: string, id: string): Promise<SettlementRow | undefined> {
  const { rows } = await tx.query<SettlementRow>(
    `SELECT id, doc_no, order_id, operation_id, operation_seq, pending_inspection_quantity::text, settled_good::text, settled_scrap::text
       FROM production_work_reports WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, id],
  );
  return rows[0];
}

/** The order a work report belongs to (to take the order's lock first). */
export async function orderOfReport(tx: Sql, tenantId: string, id: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ order_id: string }>('SELECT order_id FROM production_work_reports WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return rows[0]?.order_id;
}

export async function setSettlement(tx: Sql, tenantId: string, id: string, s: { good: string; scrap: string; inspectionId: string; inspectionNo: string }): Promise<void> {
  await tx.query(
    `UPDATE production_work_reports SET settled_good = $3, settled_scrap = $4, settled_inspection_id = $5, settled_inspection_no = $6, settled_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, s.good, s.scrap, s.inspectionId, s.inspectionNo],
  );
}
