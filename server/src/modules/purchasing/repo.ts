import type { Sql } from '../../platform/db.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { encodeGs1, type Gs1Fields } from '../barcodes/gs1.js';
import type {
  ProgressRow, PurchaseInbound, PurchaseOrder, PurchaseReceipt, PurchaseReturn, SupplierMaterial,
} from './schema.js';

const n = (s: string | null) => (s === null ? null : formatQty(qty(s)));
const iso = (d: Date | null) => d?.toISOString() ?? null;
const max0 = (x: Qty) => (x.isNegative() ? qty(0) : x);

// ---------------------------------------------------------------------------------------------
// Supplier materials

interface SupplierMaterialRow {
  id: string; supplier_id: string; supplier_code: string; material_id: string; material_code: string; supplier_material_code: string | null;
  price: string | null; lead_time_days: number; preferred: boolean; version: number; updated_at: Date;
}
const toSupplierMaterial = (r: SupplierMaterialRow): SupplierMaterial => ({
  id: r.id, supplierId: r.supplier_id, supplierCode: r.supplier_code, materialId: r.material_id, materialCode: r.material_code,
  supplierMaterialCode: r.supplier_material_code, price: n(r.price), leadTimeDays: r.lead_time_days, preferred: r.preferred, version: r.version,
  updatedAt: r.updated_at.toISOString(),
});

export async function listSupplierMaterials(tx: Sql, tenantId: string, q: { supplierId?: string; materialId?: string; id?: string }): Promise<SupplierMaterial[]> {
  const { rows } = await tx.query<SupplierMaterialRow>(
    `SELECT sm.id, sm.supplier_id, p.code AS supplier_code, sm.material_id, m.code AS material_code, sm.supplier_material_code, sm.price::text,
            sm.lead_time_days, sm.preferred, sm.version, sm.updated_at
       FROM supplier_materials sm
       JOIN partners p ON p.tenant_id = sm.tenant_id AND p.id = sm.supplier_id
       JOIN materials m ON m.tenant_id = sm.tenant_id AND m.id = sm.material_id
      WHERE sm.tenant_id = $1 AND ($2::uuid IS NULL OR sm.supplier_id = $2) AND ($3::uuid IS NULL OR sm.material_id = $3) AND ($4::uuid IS NULL OR sm.id = $4)
      ORDER BY m.code, p.code LIMIT 5000`,
    [tenantId, q.supplierId ?? null, q.materialId ?? null, q.id ?? null],
  );
  return rows.map(toSupplierMaterial);
}

// ---------------------------------------------------------------------------------------------
// Purchase orders

interface OrderRow {
  id: string; doc_no: string; supplier_id: string; supplier_code: string; buyer_id: string | null; group_id: string | null;
  demand_source: PurchaseOrder['demandSource']; demand_ref: string | null; remarks: string; status: PurchaseOrder['status']; version: number;
  created_by: string; created_by_user: string; approved_by: string | null; approved_at: Date | null; created_at: Date; updated_at: Date;
}
const ORDER_SELECT = `SELECT o.id, o.doc_no, o.supplier_id, p.code AS supplier_code, o.buyer_id, o.group_id, o.demand_source, o.demand_ref, o.remarks,
       o.status, o.version, o.created_by, o.created_by_user, o.approved_by, o.approved_at, o.created_at, o.updated_at
  FROM purchase_orders o JOIN partners p ON p.tenant_id = o.tenant_id AND p.id = o.supplier_id`;
const toOrderSummary = (r: OrderRow): Omit<PurchaseOrder, 'lines'> => ({
  id: r.id, docNo: r.doc_no, supplierId: r.supplier_id, supplierCode: r.supplier_code, buyerId: r.buyer_id, groupId: r.group_id,
  demandSource: r.demand_source, demandRef: r.demand_ref, remarks: r.remarks, status: r.status, version: r.version, createdBy: r.created_by,
  approvedBy: r.approved_by, approvedAt: iso(r.approved_at), createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

export interface OrderLineRow {
  id: string; line_no: number; material_id: string; material_code: string; quantity: string; unit: string; base_quantity: string; base_unit: string;
  price: string | null; tax_rate: string | null; needed_by: string | null; mto_number: string | null; features: Record<string, string>;
  cancelled: boolean; received_base: string; accepted_base: string; rejected_base: string;
}
const LINE_SELECT = `SELECT l.id, l.line_no, l.material_id, m.code AS material_code, l.quantity::text, l.unit, l.base_quantity::text, m.base_unit,
       l.price::text, l.tax_rate::text, l.needed_by::text, l.mto_number, l.features, l.cancelled, l.received_base::text, l.accepted_base::text, l.rejected_base::text
  FROM purchase_order_lines l JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id`;

export async function orderLines(tx: Sql, tenantId: string, orderId: string, opts: { lock?: boolean; includeCancelled?: boolean } = {}): Promise<OrderLineRow[]> {
  const { rows } = await tx.query<OrderLineRow>(
    `${LINE_SELECT} WHERE l.tenant_id = $1 AND l.order_id = $2 AND ($3 OR NOT l.cancelled) ORDER BY l.id${opts.lock ? ' FOR UPDATE OF l' : ''}`,
    [tenantId, orderId, opts.includeCancelled ?? false],
  );
  return rows.sort((a, b) => a.line_no - b.line_no);
}

/** Net received: what the supplier delivered and we kept or still hold for inspection. */
export const netReceived = (l: OrderLineRow) => qty(l.received_base).minus(qty(l.rejected_base));
export const openOf = (l: OrderLineRow) => max0(qty(l.base_quantity).minus(netReceived(l)));

export function toOrderLine(l: OrderLineRow): PurchaseOrder['lines'][number] {
  return {
    id: l.id, lineNo: l.line_no, materialId: l.material_id, materialCode: l.material_code, quantity: formatQty(qty(l.quantity)), unit: l.unit,
    baseQuantity: formatQty(qty(l.base_quantity)), baseUnit: l.base_unit, price: n(l.price), taxRate: n(l.tax_rate), neededBy: l.needed_by,
    mtoNumber: l.mto_number, features: l.features, received: formatQty(qty(l.received_base)), accepted: formatQty(qty(l.accepted_base)),
    rejected: formatQty(qty(l.rejected_base)), open: formatQty(openOf(l)),
  };
}

export async function findOrderRow(tx: Sql, tenantId: string, id: string, lock = false): Promise<(Omit<PurchaseOrder, 'lines'> & { createdByUser: string }) | undefined> {
  if (lock) await tx.query('SELECT 1 FROM purchase_orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
  const { rows } = await tx.query<OrderRow>(`${ORDER_SELECT} WHERE o.tenant_id = $1 AND o.id = $2`, [tenantId, id]);
  return rows[0] && { ...toOrderSummary(rows[0]), createdByUser: rows[0].created_by_user };
}

export async function findOrder(tx: Sql, tenantId: string, id: string): Promise<PurchaseOrder | undefined> {
  const head = await findOrderRow(tx, tenantId, id);
  if (!head) return undefined;
  const { createdByUser: _, ...order } = head;
  return { ...order, lines: (await orderLines(tx, tenantId, id)).map(toOrderLine) };
}

export async function listOrders(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; status?: string; supplierId?: string; materialId?: string; docNo?: string }) {
  const statuses = q.status === 'open' ? ['approved', 'receiving'] : q.status ? [q.status] : null;
  const { rows } = await tx.query<OrderRow>(
    `${ORDER_SELECT} WHERE o.tenant_id = $1 AND ($2::timestamptz IS NULL OR (o.created_at, o.id) < ($2::timestamptz, $3::uuid))
        AND ($4::text[] IS NULL OR o.status = ANY($4::text[])) AND ($5::uuid IS NULL OR o.supplier_id = $5)
        AND ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM purchase_order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id AND l.material_id = $6 AND NOT l.cancelled))
        AND ($8::text IS NULL OR o.doc_no = $8)
      ORDER BY o.created_at DESC, o.id DESC LIMIT $7`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, statuses, q.supplierId ?? null, q.materialId ?? null, q.limit + 1, q.docNo ?? null],
  );
  return rows.map(toOrderSummary);
}

export interface NewOrderLine {
  id: string; lineNo: number; materialId: string; quantity: string; unit: string; baseQuantity: string; price: string | null; taxRate: string | null;
  neededBy: string | null; mtoNumber: string | null; features: Record<string, string>;
}

export async function insertOrderLines(tx: Sql, tenantId: string, orderId: string, lines: NewOrderLine[]): Promise<void> {
  if (!lines.length) return;
  const col = <T>(f: (l: NewOrderLine) => T) => lines.map(f);
  await tx.query(
    `INSERT INTO purchase_order_lines (tenant_id, order_id, id, line_no, material_id, quantity, unit, base_quantity, price, tax_rate, needed_by, mto_number, features)
     SELECT $1, $2, * FROM unnest($3::uuid[], $4::int[], $5::uuid[], $6::numeric[], $7::text[], $8::numeric[], $9::numeric[], $10::numeric[], $11::date[], $12::text[], $13::jsonb[])`,
    [tenantId, orderId, col((l) => l.id), col((l) => l.lineNo), col((l) => l.materialId), col((l) => l.quantity), col((l) => l.unit), col((l) => l.baseQuantity),
      col((l) => l.price), col((l) => l.taxRate), col((l) => l.neededBy), col((l) => l.mtoNumber), col((l) => JSON.stringify(l.features))],
  );
}

export async function updateOrderLine(tx: Sql, tenantId: string, l: NewOrderLine): Promise<void> {
  await tx.query(
    `UPDATE purchase_order_lines SET material_id = $3, quantity = $4, unit = $5, base_quantity = $6, price = $7, tax_rate = $8, needed_by = $9, mto_number = $10, features = $11
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, l.id, l.materialId, l.quantity, l.unit, l.baseQuantity, l.price, l.taxRate, l.neededBy, l.mtoNumber, JSON.stringify(l.features)],
  );
}

/** Replaces a document's provisional number with its real one (taken last in the transaction). */
export async function setDocNo(tx: Sql, tenantId: string, table: 'purchase_orders' | 'purchase_receipts' | 'purchase_inbounds' | 'purchase_returns', id: string, docNo: string) {
  await tx.query(`UPDATE ${table} SET doc_no = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, docNo]);
}

/** On-order quantities still to come into stock from open orders, per material (base unit). */
export async function incomingByMaterial(tx: Sql, tenantId: string, materialIds: string[]): Promise<Map<string, Qty>> {
  const { rows } = await tx.query<{ material_id: string; incoming: string }>(
    `SELECT l.material_id, sum(greatest(l.base_quantity - l.accepted_base, 0))::text AS incoming
       FROM purchase_order_lines l JOIN purchase_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
      WHERE l.tenant_id = $1 AND l.material_id = ANY($2::uuid[]) AND NOT l.cancelled AND o.status IN ('draft', 'approved', 'receiving')
      GROUP BY l.material_id`,
    [tenantId, materialIds],
  );
  return new Map(rows.map((r) => [r.material_id, qty(r.incoming)]));
}

// ---------------------------------------------------------------------------------------------
// Receipts

interface ReceiptRow {
  id: string; doc_no: string; order_id: string; order_doc_no: string; supplier_id: string; status: PurchaseReceipt['status']; remarks: string;
  created_by: string; created_at: Date;
}
const RECEIPT_SELECT = `SELECT r.id, r.doc_no, r.order_id, o.doc_no AS order_doc_no, r.supplier_id, r.status, r.remarks, r.created_by, r.created_at
  FROM purchase_receipts r JOIN purchase_orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id`;
const toReceiptSummary = (r: ReceiptRow): Omit<PurchaseReceipt, 'lines' | 'labels' | 'inspections'> => ({
  id: r.id, docNo: r.doc_no, orderId: r.order_id, orderDocNo: r.order_doc_no, supplierId: r.supplier_id, status: r.status, remarks: r.remarks,
  createdBy: r.created_by, createdAt: r.created_at.toISOString(),
});

export interface ReceiptLineRow {
  id: string; line_no: number; order_line_id: string; material_id: string; material_code: string; quantity: string; unit: string; base_quantity: string;
  accepted_base: string; rejected_base: string; base_unit: string; batch_no: string | null; serial_no: string | null; supplier_batch: string | null;
  production_date: string | null; expiry_date: string | null;
}
export const pendingOf = (l: ReceiptLineRow) => qty(l.base_quantity).minus(qty(l.accepted_base)).minus(qty(l.rejected_base));

export async function receiptLines(tx: Sql, tenantId: string, receiptId: string, lock = false): Promise<ReceiptLineRow[]> {
  const { rows } = await tx.query<ReceiptLineRow>(
    `SELECT l.id, l.line_no, l.order_line_id, l.material_id, m.code AS material_code, l.quantity::text, l.unit, l.base_quantity::text, l.accepted_base::text,
            l.rejected_base::text, m.base_unit, l.batch_no, l.serial_no, l.supplier_batch, l.production_date::text, l.expiry_date::text
       FROM purchase_receipt_lines l JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id
      WHERE l.tenant_id = $1 AND l.receipt_id = $2 ORDER BY l.id${lock ? ' FOR UPDATE OF l' : ''}`,
    [tenantId, receiptId],
  );
  return rows.sort((a, b) => a.line_no - b.line_no);
}

/** What a receipt line's label carries: material, batch or serial, dates, count, the receipt's number. */
export function labelOf(l: ReceiptLineRow, docNo: string) {
  const quantity = formatQty(qty(l.base_quantity));
  const fields: Gs1Fields = {
    material: l.material_code,
    ...(l.batch_no ? { batch: l.batch_no } : {}),
    ...(l.serial_no ? { serial: l.serial_no } : {}),
    ...(l.expiry_date ? { expiry: l.expiry_date } : {}),
    ...(l.production_date ? { productionDate: l.production_date } : {}),
    ...(/^\d{1,8}$/.test(quantity) && !l.serial_no ? { quantity } : {}),
    document: docNo,
  };
  let gs1: string | null = null;
  try {
    gs1 = encodeGs1(fields).humanReadable;
  } catch {
    gs1 = null;
  }
  return { receiptLineId: l.id, materialCode: l.material_code, batchNo: l.batch_no, serialNo: l.serial_no, quantity, fields: fields as Record<string, unknown>, gs1 };
}

export async function findReceipt(tx: Sql, tenantId: string, id: string): Promise<PurchaseReceipt | undefined> {
  const { rows } = await tx.query<ReceiptRow>(`${RECEIPT_SELECT} WHERE r.tenant_id = $1 AND r.id = $2`, [tenantId, id]);
  if (!rows[0]) return undefined;
  const lines = await receiptLines(tx, tenantId, id);
  const inspections = await tx.query<{
    id: string; receipt_line_id: string; accepted_base: string; rejected_base: string; inspector: string; remarks: string; inbound_id: string | null;
    return_id: string | null; created_at: Date;
  }>(
    `SELECT i.id, i.receipt_line_id, i.accepted_base::text, i.rejected_base::text, i.inspector, i.remarks, i.inbound_id, i.return_id, i.created_at
       FROM incoming_inspections i JOIN purchase_receipt_lines l ON l.tenant_id = i.tenant_id AND l.id = i.receipt_line_id
      WHERE i.tenant_id = $1 AND i.receipt_id = $2 ORDER BY i.created_at, l.line_no, i.id`,
    [tenantId, id],
  );
  return {
    ...toReceiptSummary(rows[0]),
    lines: lines.map((l) => {
      const accepted = qty(l.accepted_base);
      const rejected = qty(l.rejected_base);
      return {
        id: l.id, lineNo: l.line_no, orderLineId: l.order_line_id, materialId: l.material_id, materialCode: l.material_code, quantity: formatQty(qty(l.quantity)),
        unit: l.unit, received: formatQty(qty(l.base_quantity)), inspected: formatQty(accepted.plus(rejected)), accepted: formatQty(accepted),
        rejected: formatQty(rejected), pending: formatQty(pendingOf(l)), baseUnit: l.base_unit, batchNo: l.batch_no, serialNo: l.serial_no,
        supplierBatch: l.supplier_batch, productionDate: l.production_date, expiryDate: l.expiry_date,
      };
    }),
    labels: lines.map((l) => labelOf(l, rows[0].doc_no)),
    inspections: inspections.rows.map((i) => ({
      id: i.id, receiptLineId: i.receipt_line_id, accepted: formatQty(qty(i.accepted_base)), rejected: formatQty(qty(i.rejected_base)), inspector: i.inspector,
      remarks: i.remarks, inboundId: i.inbound_id, returnId: i.return_id, createdAt: i.created_at.toISOString(),
    })),
  };
}

export async function listReceipts(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; orderId?: string; supplierId?: string; pendingInspection?: boolean }) {
  const status = q.pendingInspection === undefined ? null : q.pendingInspection ? 'pending_inspection' : 'inspected';
  const { rows } = await tx.query<ReceiptRow>(
    `${RECEIPT_SELECT} WHERE r.tenant_id = $1 AND ($2::timestamptz IS NULL OR (r.created_at, r.id) < ($2::timestamptz, $3::uuid))
        AND ($4::uuid IS NULL OR r.order_id = $4) AND ($5::uuid IS NULL OR r.supplier_id = $5) AND ($6::text IS NULL OR r.status = $6)
      ORDER BY r.created_at DESC, r.id DESC LIMIT $7`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.orderId ?? null, q.supplierId ?? null, status, q.limit + 1],
  );
  return rows.map(toReceiptSummary);
}

// ---------------------------------------------------------------------------------------------
// Inbounds

export async function findInbound(tx: Sql, tenantId: string, id: string): Promise<PurchaseInbound | undefined> {
  const { rows } = await tx.query<{ id: string; doc_no: string; receipt_id: string; order_id: string; supplier_id: string; created_by: string; created_at: Date }>(
    'SELECT id, doc_no, receipt_id, order_id, supplier_id, created_by, created_at FROM purchase_inbounds WHERE tenant_id = $1 AND id = $2',
    [tenantId, id],
  );
  if (!rows[0]) return undefined;
  const lines = await inboundLines(tx, tenantId, id);
  const r = rows[0];
  return {
    id: r.id, docNo: r.doc_no, receiptId: r.receipt_id, orderId: r.order_id, supplierId: r.supplier_id, createdBy: r.created_by, createdAt: r.created_at.toISOString(),
    lines: lines.map((l) => ({
      id: l.id, lineNo: l.line_no, receiptLineId: l.receipt_line_id, orderLineId: l.order_line_id, materialId: l.material_id, materialCode: l.material_code,
      quantity: formatQty(qty(l.base_quantity)), returned: formatQty(qty(l.returned_base)), baseUnit: l.base_unit, warehouseId: l.warehouse_id, binId: l.bin_id,
      batchNo: l.batch_no, serialNo: l.serial_no,
    })),
  };
}

export interface InboundLineRow {
  id: string; line_no: number; receipt_line_id: string; order_line_id: string; material_id: string; material_code: string; base_quantity: string;
  returned_base: string; base_unit: string; warehouse_id: string; bin_id: string | null; batch_no: string | null; serial_no: string | null;
}
export async function inboundLines(tx: Sql, tenantId: string, inboundId: string, lock = false): Promise<InboundLineRow[]> {
  const { rows } = await tx.query<InboundLineRow>(
    `SELECT l.id, l.line_no, l.receipt_line_id, l.order_line_id, l.material_id, m.code AS material_code, l.base_quantity::text, l.returned_base::text, m.base_unit,
            l.warehouse_id, l.bin_id, l.batch_no, l.serial_no
       FROM purchase_inbound_lines l JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id
      WHERE l.tenant_id = $1 AND l.inbound_id = $2 ORDER BY l.id${lock ? ' FOR UPDATE OF l' : ''}`,
    [tenantId, inboundId],
  );
  return rows.sort((a, b) => a.line_no - b.line_no);
}

export async function listInbounds(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; orderId?: string; supplierId?: string }) {
  const { rows } = await tx.query<{ id: string; doc_no: string; receipt_id: string; order_id: string; supplier_id: string; created_by: string; created_at: Date }>(
    `SELECT id, doc_no, receipt_id, order_id, supplier_id, created_by, created_at FROM purchase_inbounds
      WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        AND ($4::uuid IS NULL OR order_id = $4) AND ($5::uuid IS NULL OR supplier_id = $5)
      ORDER BY created_at DESC, id DESC LIMIT $6`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.orderId ?? null, q.supplierId ?? null, q.limit + 1],
  );
  return rows.map((r) => ({ id: r.id, docNo: r.doc_no, receiptId: r.receipt_id, orderId: r.order_id, supplierId: r.supplier_id, createdBy: r.created_by, createdAt: r.created_at.toISOString() }));
}

// ---------------------------------------------------------------------------------------------
// Returns

export interface NewReturnLine {
  lineNo: number; sourceLineId: string | null; orderLineId: string | null; materialId: string; quantity: string; unit: string; baseQuantity: string;
  warehouseId: string | null; binId: string | null; batchNo: string | null; serialNo: string | null;
}

export async function insertReturn(
  tx: Sql, tenantId: string,
  r: { id: string; sourceKind: PurchaseReturn['sourceKind']; sourceId: string | null; orderId: string | null; supplierId: string; reason: string; createdBy: string },
  lines: NewReturnLine[],
): Promise<void> {
  await tx.query(
    `INSERT INTO purchase_returns (tenant_id, id, doc_no, source_kind, source_id, order_id, supplier_id, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [tenantId, r.id, `~${r.id}`, r.sourceKind, r.sourceId, r.orderId, r.supplierId, r.reason, r.createdBy],
  );
  const col = <T>(f: (l: NewReturnLine) => T) => lines.map(f);
  await tx.query(
    `INSERT INTO purchase_return_lines (tenant_id, return_id, line_no, source_line_id, order_line_id, material_id, quantity, unit, base_quantity, warehouse_id, bin_id, batch_no, serial_no)
     SELECT $1, $2, * FROM unnest($3::int[], $4::uuid[], $5::uuid[], $6::uuid[], $7::numeric[], $8::text[], $9::numeric[], $10::uuid[], $11::uuid[], $12::text[], $13::text[])`,
    [tenantId, r.id, col((l) => l.lineNo), col((l) => l.sourceLineId), col((l) => l.orderLineId), col((l) => l.materialId), col((l) => l.quantity), col((l) => l.unit),
      col((l) => l.baseQuantity), col((l) => l.warehouseId), col((l) => l.binId), col((l) => l.batchNo), col((l) => l.serialNo)],
  );
}

interface ReturnRow {
  id: string; doc_no: string; source_kind: PurchaseReturn['sourceKind']; source_id: string | null; order_id: string | null; supplier_id: string; reason: string;
  created_by: string; created_at: Date;
}
const toReturnSummary = (r: ReturnRow): Omit<PurchaseReturn, 'lines'> => ({
  id: r.id, docNo: r.doc_no, sourceKind: r.source_kind, sourceId: r.source_id, orderId: r.order_id, supplierId: r.supplier_id, reason: r.reason,
  createdBy: r.created_by, createdAt: r.created_at.toISOString(),
});

export async function findReturn(tx: Sql, tenantId: string, id: string): Promise<PurchaseReturn | undefined> {
  const { rows } = await tx.query<ReturnRow>(
    'SELECT id, doc_no, source_kind, source_id, order_id, supplier_id, reason, created_by, created_at FROM purchase_returns WHERE tenant_id = $1 AND id = $2',
    [tenantId, id],
  );
  if (!rows[0]) return undefined;
  const lines = await tx.query<{
    line_no: number; source_line_id: string | null; order_line_id: string | null; material_id: string; material_code: string; quantity: string; unit: string;
    base_quantity: string; base_unit: string; warehouse_id: string | null; bin_id: string | null; batch_no: string | null; serial_no: string | null;
  }>(
    `SELECT l.line_no, l.source_line_id, l.order_line_id, l.material_id, m.code AS material_code, l.quantity::text, l.unit, l.base_quantity::text, m.base_unit,
            l.warehouse_id, l.bin_id, l.batch_no, l.serial_no
       FROM purchase_return_lines l JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id
      WHERE l.tenant_id = $1 AND l.return_id = $2 ORDER BY l.line_no`,
    [tenantId, id],
  );
  return {
    ...toReturnSummary(rows[0]),
    lines: lines.rows.map((l) => ({
      lineNo: l.line_no, sourceLineId: l.source_line_id, orderLineId: l.order_line_id, materialId: l.material_id, materialCode: l.material_code,
      quantity: formatQty(qty(l.quantity)), unit: l.unit, baseQuantity: formatQty(qty(l.base_quantity)), baseUnit: l.base_unit, warehouseId: l.warehouse_id,
      binId: l.bin_id, batchNo: l.batch_no, serialNo: l.serial_no,
    })),
  };
}

export async function listReturns(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; orderId?: string; supplierId?: string }) {
  const { rows } = await tx.query<ReturnRow>(
    `SELECT id, doc_no, source_kind, source_id, order_id, supplier_id, reason, created_by, created_at FROM purchase_returns
      WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        AND ($4::uuid IS NULL OR order_id = $4) AND ($5::uuid IS NULL OR supplier_id = $5)
      ORDER BY created_at DESC, id DESC LIMIT $6`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.orderId ?? null, q.supplierId ?? null, q.limit + 1],
  );
  return rows.map(toReturnSummary);
}

// ---------------------------------------------------------------------------------------------
// Progress (S1-5.4.2-g)

/**
 * Per supplier or material, over the lines of non-cancelled orders created in [from, to): ordered,
 * received, inspected, in (accepted), rejected, returned (every purchase return line that names
 * one of these order lines), pending inspection and open = Σ max(0, ordered − (received − rejected)).
 */
export async function progress(
  tx: Sql,
  tenantId: string,
  f: { groupBy: 'supplier' | 'material'; from?: string; to?: string; supplierId?: string; materialId?: string },
  limit: number,
  afterCode?: string,
): Promise<ProgressRow[]> {
  const key = f.groupBy === 'supplier'
    ? { id: 'p.id', code: 'p.code', name: 'p.name', unit: 'NULL::text' }
    : { id: 'm.id', code: 'm.code', name: 'm.name', unit: 'm.base_unit' };
  const { rows } = await tx.query<{
    id: string; code: string; name: string; base_unit: string | null; orders: string; lines: string; ordered: string; received: string; accepted: string;
    rejected: string; returned: string; open: string;
  }>(
    `SELECT ${key.id} AS id, ${key.code} AS code, ${key.name} AS name, ${key.unit} AS base_unit,
            count(DISTINCT o.id)::text AS orders, count(*)::text AS lines,
            sum(l.base_quantity)::text AS ordered, sum(l.received_base)::text AS received, sum(l.accepted_base)::text AS accepted,
            sum(l.rejected_base)::text AS rejected, coalesce(sum(rt.returned), 0)::text AS returned,
            sum(greatest(l.base_quantity - (l.received_base - l.rejected_base), 0))::text AS open
       FROM purchase_order_lines l
       JOIN purchase_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
       JOIN partners p ON p.tenant_id = o.tenant_id AND p.id = o.supplier_id
       JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id
       LEFT JOIN LATERAL (SELECT sum(rl.base_quantity) AS returned FROM purchase_return_lines rl WHERE rl.tenant_id = l.tenant_id AND rl.order_line_id = l.id) rt ON true
      WHERE l.tenant_id = $1 AND NOT l.cancelled AND o.status <> 'cancelled'
        AND ($2::timestamptz IS NULL OR o.created_at >= $2) AND ($3::timestamptz IS NULL OR o.created_at < $3)
        AND ($4::uuid IS NULL OR o.supplier_id = $4) AND ($5::uuid IS NULL OR l.material_id = $5)
        AND ($6::text IS NULL OR ${key.code} > $6)
      GROUP BY ${key.id}, ${key.code}, ${key.name}${f.groupBy === 'material' ? ', m.base_unit' : ''}
      ORDER BY ${key.code}
      LIMIT $7`,
    [tenantId, f.from ?? null, f.to ?? null, f.supplierId ?? null, f.materialId ?? null, afterCode ?? null, limit + 1],
  );
  return rows.map((r) => {
    const received = qty(r.received);
    const inspected = qty(r.accepted).plus(qty(r.rejected));
    return {
      key: { id: r.id, code: r.code, name: r.name }, baseUnit: r.base_unit, orders: Number(r.orders), lines: Number(r.lines),
      ordered: formatQty(qty(r.ordered)), received: formatQty(received), inspected: formatQty(inspected), in: formatQty(qty(r.accepted)),
      rejected: formatQty(qty(r.rejected)), returned: formatQty(qty(r.returned)), pending: formatQty(received.minus(inspected)), open: formatQty(qty(r.open)),
    };
  });
}

/** The receipt and supplier a receipt line belongs to (the quality module's incoming inspections start from a line). */
export async function receiptOfLine(tx: Sql, tenantId: string, lineId: string): Promise<{ receiptId: string; supplierId: string } | undefined> {
  const { rows } = await tx.query<{ receipt_id: string; supplier_id: string }>(
    `SELECT l.receipt_id, r.supplier_id FROM purchase_receipt_lines l JOIN purchase_receipts r ON r.tenant_id = l.tenant_id AND r.id = l.receipt_id
      WHERE l.tenant_id = $1 AND l.id = $2`,
    [tenantId, lineId],
  );
  return rows[0] && { receiptId: rows[0].receipt_id, supplierId: rows[0].supplier_id };
}
