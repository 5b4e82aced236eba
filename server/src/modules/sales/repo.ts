import type { Sql } from '../../platform/db.js';
import type {
  DeliveryPlan, SalesOrder, SalesOrderListQuery, SalesOrderSummary, SalesOutbound, SalesProgressQuery, SalesProgressRow, SalesReturn,
} from './schema.js';

// ---------------------------------------------------------------- orders

interface OrderRow {
  id: string; doc_no: string; customer_id: string; customer_code: string; customer_name: string; order_date: string; status: SalesOrder['status'];
  remark: string; version: number; net_total: string; tax_total: string; gross_total: string; created_by: string; created_by_user: string;
  approved_by: string | null; approved_at: Date | null; closed_at: Date | null; close_reason: string | null; created_at: Date; updated_at: Date; line_count: number;
}

const ORDER_SELECT = `SELECT o.id, o.doc_no, o.customer_id, c.code AS customer_code, c.name AS customer_name, o.order_date::text, o.status, o.remark, o.version,
    coalesce(t.net, 0)::text AS net_total, coalesce(t.tax, 0)::text AS tax_total, coalesce(t.gross, 0)::text AS gross_total, coalesce(t.n, 0)::int AS line_count,
    o.created_by, o.created_by_user, o.approved_by, o.approved_at, o.closed_at, o.close_reason, o.created_at, o.updated_at
  FROM sales_orders o
  JOIN partners c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
  LEFT JOIN LATERAL (SELECT sum(net_amount) AS net, sum(tax_amount) AS tax, sum(gross_amount) AS gross, count(*) AS n
                       FROM sales_order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id) t ON true`;

const toOrderSummary = (r: OrderRow): SalesOrderSummary => ({
  id: r.id, docNo: r.doc_no, customerId: r.customer_id, customerCode: r.customer_code, customerName: r.customer_name, orderDate: r.order_date,
  status: r.status, remark: r.remark, version: r.version, netTotal: r.net_total, taxTotal: r.tax_total, grossTotal: r.gross_total, createdBy: r.created_by,
  approvedBy: r.approved_by, approvedAt: r.approved_at?.toISOString() ?? null, closedAt: r.closed_at?.toISOString() ?? null, closeReason: r.close_reason,
  createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(), lineCount: r.line_count,
});

/** Planned quantity of an order line: on every plan that is not cancelled. */
export const PLANNED_OF_LINE = `(SELECT coalesce(sum(pl.base_quantity), 0) FROM delivery_plan_lines pl
    JOIN delivery_plans p ON p.tenant_id = pl.tenant_id AND p.id = pl.plan_id
   WHERE pl.tenant_id = l.tenant_id AND pl.order_line_id = l.id AND p.status <> 'cancelled')`;

export interface OrderWithOwner extends SalesOrder {
  createdByUser: string;
}

export async function findOrder(tx: Sql, tenantId: string, id: string, lock = false): Promise<OrderWithOwner | undefined> {
  if (lock) await tx.query('SELECT 1 FROM sales_orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
  const { rows } = await tx.query<OrderRow>(`${ORDER_SELECT} WHERE o.tenant_id = $1 AND o.id = $2`, [tenantId, id]);
  if (!rows[0]) return undefined;
  const { lineCount: _, ...head } = toOrderSummary(rows[0]);
  const lines = await tx.query<{
    id: string; line_no: number; material_id: string; material_code: string; material_name: string; quantity: string; unit: string; base_quantity: string;
    base_unit: string; price: string; tax_rate: string; net_amount: string; tax_amount: string; gross_amount: string; delivery_date: string; planned: string;
    shipped: string; returned: string; open: string;
  }>(
    `SELECT l.id, l.line_no, l.material_id, m.code AS material_code, m.name AS material_name, l.quantity::text, l.unit, l.base_quantity::text, m.base_unit,
            l.price::text, l.tax_rate::text, l.net_amount::text, l.tax_amount::text, l.gross_amount::text, l.delivery_date::text,
            ${PLANNED_OF_LINE}::text AS planned, l.shipped_base::text AS shipped, l.returned_base::text AS returned,
            (CASE WHEN o.status IN ('closed', 'cancelled') THEN 0 ELSE greatest(l.base_quantity - l.shipped_base + l.returned_base, 0) END)::text AS open
       FROM sales_order_lines l
       JOIN sales_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
       JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id
      WHERE l.tenant_id = $1 AND l.order_id = $2 ORDER BY l.line_no`,
    [tenantId, id],
  );
  return {
    ...head,
    createdByUser: rows[0].created_by_user,
    lines: lines.rows.map((l) => ({
      id: l.id, lineNo: l.line_no, materialId: l.material_id, materialCode: l.material_code, materialName: l.material_name, quantity: l.quantity, unit: l.unit,
      baseQuantity: l.base_quantity, baseUnit: l.base_unit, price: l.price, taxRate: l.tax_rate, netAmount: l.net_amount, taxAmount: l.tax_amount,
      grossAmount: l.gross_amount, deliveryDate: l.delivery_date, planned: l.planned, shipped: l.shipped, returned: l.returned, open: l.open,
    })),
  };
}

/** The order as the API shows it (without who created it, which only the approval rule needs). */
export function publicOrder(o: OrderWithOwner): SalesOrder {
  const { createdByUser: _, ...order } = o;
  return order;
}

export async function findOrderIdByDocNo(tx: Sql, tenantId: string, docNo: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM sales_orders WHERE tenant_id = $1 AND doc_no = $2', [tenantId, docNo]);
  return rows[0]?.id;
}

export async function listOrders(tx: Sql, tenantId: string, q: SalesOrderListQuery & { limit: number; after?: [string, string] }) {
  const statuses = q.status === 'open' ? ['approved', 'in_delivery'] : q.status ? [q.status] : null;
  const { rows } = await tx.query<OrderRow>(
    `${ORDER_SELECT}
      WHERE o.tenant_id = $1 AND ($2::timestamptz IS NULL OR (o.created_at, o.id) < ($2::timestamptz, $3::uuid))
        AND ($4::text[] IS NULL OR o.status = ANY($4)) AND ($5::uuid IS NULL OR o.customer_id = $5)
        AND ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM sales_order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id AND l.material_id = $6))
        AND ($7::text IS NULL OR strpos(lower(o.doc_no || ' ' || c.code || ' ' || c.name), lower($7)) > 0)
      ORDER BY o.created_at DESC, o.id DESC LIMIT $8`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, statuses, q.customerId ?? null, q.materialId ?? null, q.q ?? null, q.limit + 1],
  );
  return rows.map(toOrderSummary);
}

// ---------------------------------------------------------------- delivery plans

interface PlanRow {
  id: string; doc_no: string; customer_id: string; customer_code: string; status: DeliveryPlan['status']; planned_date: string; address: string;
  consignee_name: string; consignee_phone: string; remark: string; version: number; created_by: string; created_at: Date; updated_at: Date; line_count: number;
}

const PLAN_SELECT = `SELECT p.id, p.doc_no, p.customer_id, c.code AS customer_code, p.status, p.planned_date::text, p.address, p.consignee_name, p.consignee_phone,
    p.remark, p.version, p.created_by, p.created_at, p.updated_at,
    (SELECT count(*) FROM delivery_plan_lines pl WHERE pl.tenant_id = p.tenant_id AND pl.plan_id = p.id)::int AS line_count
  FROM delivery_plans p JOIN partners c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id`;

const toPlanSummary = (r: PlanRow) => ({
  id: r.id, docNo: r.doc_no, customerId: r.customer_id, customerCode: r.customer_code, status: r.status, plannedDate: r.planned_date, address: r.address,
  consignee: { name: r.consignee_name, phone: r.consignee_phone }, remark: r.remark, version: r.version, createdBy: r.created_by,
  createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(), lineCount: r.line_count,
});

export interface PlanLineRow {
  id: string; line_no: number; order_line_id: string; order_id: string; order_doc_no: string; order_line_no: number; order_status: SalesOrder['status'];
  material_id: string; material_code: string; quantity: string; unit: string; base_quantity: string; base_unit: string; shipped_base: string;
  open_base: string;
}

export async function planLines(tx: Sql, tenantId: string, planId: string): Promise<PlanLineRow[]> {
  const { rows } = await tx.query<PlanLineRow>(
    `SELECT pl.id, pl.line_no, pl.order_line_id, ol.order_id, o.doc_no AS order_doc_no, ol.line_no AS order_line_no, o.status AS order_status, ol.material_id,
            m.code AS material_code, pl.quantity::text, pl.unit, pl.base_quantity::text, m.base_unit, pl.shipped_base::text,
            greatest(pl.base_quantity - pl.shipped_base, 0)::text AS open_base
       FROM delivery_plan_lines pl
       JOIN sales_order_lines ol ON ol.tenant_id = pl.tenant_id AND ol.id = pl.order_line_id
       JOIN sales_orders o ON o.tenant_id = ol.tenant_id AND o.id = ol.order_id
       JOIN materials m ON m.tenant_id = ol.tenant_id AND m.id = ol.material_id
      WHERE pl.tenant_id = $1 AND pl.plan_id = $2 ORDER BY pl.line_no`,
    [tenantId, planId],
  );
  return rows;
}

export async function findPlan(tx: Sql, tenantId: string, id: string, lock = false): Promise<DeliveryPlan | undefined> {
  if (lock) await tx.query('SELECT 1 FROM delivery_plans WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
  const { rows } = await tx.query<PlanRow>(`${PLAN_SELECT} WHERE p.tenant_id = $1 AND p.id = $2`, [tenantId, id]);
  if (!rows[0]) return undefined;
  const { lineCount: _, ...head } = toPlanSummary(rows[0]);
  const lines = await planLines(tx, tenantId, id);
  return {
    ...head,
    lines: lines.map((l) => ({
      lineNo: l.line_no, orderLineId: l.order_line_id, orderId: l.order_id, orderDocNo: l.order_doc_no, orderLineNo: l.order_line_no, materialId: l.material_id,
      materialCode: l.material_code, quantity: l.quantity, unit: l.unit, baseQuantity: l.base_quantity, baseUnit: l.base_unit, shipped: l.shipped_base,
      open: l.open_base,
    })),
  };
}

export async function listPlans(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; status?: string; customerId?: string; orderId?: string }) {
  const { rows } = await tx.query<PlanRow>(
    `${PLAN_SELECT}
      WHERE p.tenant_id = $1 AND ($2::timestamptz IS NULL OR (p.created_at, p.id) < ($2::timestamptz, $3::uuid))
        AND ($4::text IS NULL OR p.status = $4) AND ($5::uuid IS NULL OR p.customer_id = $5)
        AND ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM delivery_plan_lines pl JOIN sales_order_lines ol ON ol.tenant_id = pl.tenant_id AND ol.id = pl.order_line_id
                                          WHERE pl.tenant_id = p.tenant_id AND pl.plan_id = p.id AND ol.order_id = $6))
      ORDER BY p.created_at DESC, p.id DESC LIMIT $7`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.status ?? null, q.customerId ?? null, q.orderId ?? null, q.limit + 1],
  );
  return rows.map(toPlanSummary);
}

// ---------------------------------------------------------------- outbounds

interface OutboundRow {
  id: string; doc_no: string; plan_id: string; plan_doc_no: string; customer_id: string; customer_code: string; warehouse_id: string;
  status: SalesOutbound['status']; created_by: string; posted_by: string | null; posted_at: Date | null; created_at: Date; line_count: number;
}

const OUTBOUND_SELECT = `SELECT s.id, s.doc_no, s.plan_id, p.doc_no AS plan_doc_no, s.customer_id, c.code AS customer_code, s.warehouse_id, s.status, s.created_by,
    s.posted_by, s.posted_at, s.created_at,
    (SELECT count(*) FROM sales_outbound_lines sl WHERE sl.tenant_id = s.tenant_id AND sl.outbound_id = s.id)::int AS line_count
  FROM sales_outbounds s
  JOIN delivery_plans p ON p.tenant_id = s.tenant_id AND p.id = s.plan_id
  JOIN partners c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id`;

const toOutboundSummary = (r: OutboundRow) => ({
  id: r.id, docNo: r.doc_no, planId: r.plan_id, planDocNo: r.plan_doc_no, customerId: r.customer_id, customerCode: r.customer_code, warehouseId: r.warehouse_id,
  status: r.status, createdBy: r.created_by, postedBy: r.posted_by, postedAt: r.posted_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(),
  lineCount: r.line_count,
});

export interface OutboundLineRow {
  line_no: number; plan_line_id: string; plan_line_no: number; order_line_id: string; order_id: string; order_doc_no: string; order_line_no: number;
  material_id: string; material_code: string; quantity: string; unit: string; base_quantity: string; base_unit: string; warehouse_id: string;
  bin_id: string | null; batch_no: string | null; serial_no: string | null; origin: 'fifo' | 'scan' | 'manual'; returned_base: string; expired_reason: string | null;
}

export async function outboundLines(tx: Sql, tenantId: string, outboundId: string, lock = false): Promise<OutboundLineRow[]> {
  const { rows } = await tx.query<OutboundLineRow>(
    `SELECT sl.line_no, sl.plan_line_id, pl.line_no AS plan_line_no, pl.order_line_id, ol.order_id, o.doc_no AS order_doc_no, ol.line_no AS order_line_no,
            sl.material_id, m.code AS material_code, sl.quantity::text, sl.unit, sl.base_quantity::text, m.base_unit, sl.warehouse_id, sl.bin_id,
            sl.batch_no, sl.serial_no, sl.origin, sl.returned_base::text, sl.expired_reason
       FROM sales_outbound_lines sl
       JOIN delivery_plan_lines pl ON pl.tenant_id = sl.tenant_id AND pl.id = sl.plan_line_id
       JOIN sales_order_lines ol ON ol.tenant_id = pl.tenant_id AND ol.id = pl.order_line_id
       JOIN sales_orders o ON o.tenant_id = ol.tenant_id AND o.id = ol.order_id
       JOIN materials m ON m.tenant_id = sl.tenant_id AND m.id = sl.material_id
      WHERE sl.tenant_id = $1 AND sl.outbound_id = $2 ORDER BY sl.line_no${lock ? ' FOR UPDATE OF sl' : ''}`,
    [tenantId, outboundId],
  );
  return rows;
}

export async function findOutbound(tx: Sql, tenantId: string, id: string): Promise<SalesOutbound | undefined> {
  const { rows } = await tx.query<OutboundRow>(`${OUTBOUND_SELECT} WHERE s.tenant_id = $1 AND s.id = $2`, [tenantId, id]);
  if (!rows[0]) return undefined;
  const { lineCount: _, ...head } = toOutboundSummary(rows[0]);
  const lines = await outboundLines(tx, tenantId, id);
  return {
    ...head,
    lines: lines.map((l) => ({
      lineNo: l.line_no, planLineNo: l.plan_line_no, orderId: l.order_id, orderDocNo: l.order_doc_no, orderLineNo: l.order_line_no, materialId: l.material_id,
      materialCode: l.material_code, quantity: l.quantity, unit: l.unit, baseQuantity: l.base_quantity, baseUnit: l.base_unit, warehouseId: l.warehouse_id,
      binId: l.bin_id, batchNo: l.batch_no, serialNo: l.serial_no, origin: l.origin, returned: l.returned_base, expiredReason: l.expired_reason,
    })),
  };
}

export async function listOutbounds(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; status?: string; planId?: string; customerId?: string }) {
  const { rows } = await tx.query<OutboundRow>(
    `${OUTBOUND_SELECT}
      WHERE s.tenant_id = $1 AND ($2::timestamptz IS NULL OR (s.created_at, s.id) < ($2::timestamptz, $3::uuid))
        AND ($4::text IS NULL OR s.status = $4) AND ($5::uuid IS NULL OR s.plan_id = $5) AND ($6::uuid IS NULL OR s.customer_id = $6)
      ORDER BY s.created_at DESC, s.id DESC LIMIT $7`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.status ?? null, q.planId ?? null, q.customerId ?? null, q.limit + 1],
  );
  return rows.map(toOutboundSummary);
}

// ---------------------------------------------------------------- returns

interface ReturnRow {
  id: string; doc_no: string; customer_id: string; customer_code: string; source_outbound_id: string | null; source_doc_no: string | null; warehouse_id: string;
  reason_code: SalesReturn['reasonCode']; reason: string; status: 'posted'; created_by: string; created_at: Date; line_count: number;
}

const RETURN_SELECT = `SELECT r.id, r.doc_no, r.customer_id, c.code AS customer_code, r.source_outbound_id, s.doc_no AS source_doc_no, r.warehouse_id, r.reason_code,
    r.reason, r.status, r.created_by, r.created_at,
    (SELECT count(*) FROM sales_return_lines rl WHERE rl.tenant_id = r.tenant_id AND rl.return_id = r.id)::int AS line_count
  FROM sales_returns r
  JOIN partners c ON c.tenant_id = r.tenant_id AND c.id = r.customer_id
  LEFT JOIN sales_outbounds s ON s.tenant_id = r.tenant_id AND s.id = r.source_outbound_id`;

const toReturnSummary = (r: ReturnRow) => ({
  id: r.id, docNo: r.doc_no, customerId: r.customer_id, customerCode: r.customer_code, sourceOutboundId: r.source_outbound_id, sourceOutboundDocNo: r.source_doc_no,
  warehouseId: r.warehouse_id, reasonCode: r.reason_code, reason: r.reason, status: r.status, createdBy: r.created_by, createdAt: r.created_at.toISOString(),
  lineCount: r.line_count,
});

/** A return as stored: each line names the quality inspection linked to it (sales' service adds what it is and where the goods came from). */
export type ReturnRecord = Omit<SalesReturn, 'lines'> & { lines: (Omit<SalesReturn['lines'][number], 'qualityInspection' | 'sourceBatches'> & { qualityInspectionId: string | null })[] };

export async function findReturn(tx: Sql, tenantId: string, id: string, lock = false): Promise<ReturnRecord | undefined> {
  const { rows } = await tx.query<ReturnRow>(`${RETURN_SELECT} WHERE r.tenant_id = $1 AND r.id = $2${lock ? ' FOR UPDATE OF r' : ''}`, [tenantId, id]);
  if (!rows[0]) return undefined;
  const { lineCount: _, ...head } = toReturnSummary(rows[0]);
  const lines = await tx.query<{
    line_no: number; outbound_line_no: number | null; order_id: string | null; order_line_no: number | null; material_id: string; material_code: string;
    quantity: string; unit: string; base_quantity: string; base_unit: string; bin_id: string | null; batch_no: string | null; serial_no: string | null;
    quality_inspection_id: string | null;
  }>(
    `SELECT rl.line_no, rl.outbound_line_no, ol.order_id, ol.line_no AS order_line_no, rl.material_id, m.code AS material_code, rl.quantity::text, rl.unit,
            rl.base_quantity::text, m.base_unit, rl.bin_id, rl.batch_no, rl.serial_no, rl.quality_inspection_id
       FROM sales_return_lines rl
       JOIN materials m ON m.tenant_id = rl.tenant_id AND m.id = rl.material_id
       LEFT JOIN sales_order_lines ol ON ol.tenant_id = rl.tenant_id AND ol.id = rl.order_line_id
      WHERE rl.tenant_id = $1 AND rl.return_id = $2 ORDER BY rl.line_no`,
    [tenantId, id],
  );
  return {
    ...head,
    lines: lines.rows.map((l) => ({
      lineNo: l.line_no, outboundLineNo: l.outbound_line_no, orderId: l.order_id, orderLineNo: l.order_line_no, materialId: l.material_id,
      materialCode: l.material_code, quantity: l.quantity, unit: l.unit, baseQuantity: l.base_quantity, baseUnit: l.base_unit, binId: l.bin_id,
      batchNo: l.batch_no, serialNo: l.serial_no, qualityInspectionId: l.quality_inspection_id,
    })),
  };
}

/** Names the quality inspection of these lines of a return; a line's link is set once. */
export async function linkInspection(tx: Sql, tenantId: string, returnId: string, lineNos: number[], inspectionId: string): Promise<void> {
  await tx.query('UPDATE sales_return_lines SET quality_inspection_id = $4 WHERE tenant_id = $1 AND return_id = $2 AND line_no = ANY($3::int[]) AND quality_inspection_id IS NULL', [tenantId, returnId, lineNos, inspectionId]);
}

/** The return lines naming an inspection. */
export async function returnLinesOfInspection(tx: Sql, tenantId: string, inspectionId: string) {
  const { rows } = await tx.query<{ return_id: string; doc_no: string; customer_code: string; reason_code: string; line_no: number; base_quantity: string; batch_no: string | null; serial_no: string | null; created_at: Date }>(
    `SELECT r.id AS return_id, r.doc_no, c.code AS customer_code, r.reason_code, rl.line_no, rl.base_quantity::text, rl.batch_no, rl.serial_no, r.created_at
       FROM sales_return_lines rl
       JOIN sales_returns r ON r.tenant_id = rl.tenant_id AND r.id = rl.return_id
       JOIN partners c ON c.tenant_id = r.tenant_id AND c.id = r.customer_id
      WHERE rl.tenant_id = $1 AND rl.quality_inspection_id = $2 ORDER BY r.created_at, r.id, rl.line_no`,
    [tenantId, inspectionId],
  );
  return rows;
}

export async function listReturns(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; customerId?: string; sourceOutboundId?: string }) {
  const { rows } = await tx.query<ReturnRow>(
    `${RETURN_SELECT}
      WHERE r.tenant_id = $1 AND ($2::timestamptz IS NULL OR (r.created_at, r.id) < ($2::timestamptz, $3::uuid))
        AND ($4::uuid IS NULL OR r.customer_id = $4) AND ($5::uuid IS NULL OR r.source_outbound_id = $5)
      ORDER BY r.created_at DESC, r.id DESC LIMIT $6`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.customerId ?? null, q.sourceOutboundId ?? null, q.limit + 1],
  );
  return rows.map(toReturnSummary);
}

// ---------------------------------------------------------------- progress (S1-5.4.1-g)

/**
 * Ordered, planned, shipped, returned and open per customer and material (groupBy customer) or per
 * material (groupBy material), in base units: quantities of different materials are never added.
 */
export async function progress(tx: Sql, tenantId: string, q: SalesProgressQuery & { limit: number; after?: [string, string] }): Promise<SalesProgressRow[]> {
  const byCustomer = (q.groupBy ?? 'customer') === 'customer';
  const { rows } = await tx.query<{
    customer_id: string | null; customer_code: string | null; customer_name: string | null; material_id: string; material_code: string; material_name: string;
    base_unit: string; ordered: string; planned: string; shipped: string; returned: string; open: string; unsourced: string; amount: string;
  }>(
    `WITH figures AS (
       SELECT o.customer_id, l.material_id, l.base_quantity AS ordered, ${PLANNED_OF_LINE} AS planned, l.shipped_base AS shipped, l.returned_base AS returned,
              CASE WHEN o.status IN ('approved', 'in_delivery') THEN greatest(l.base_quantity - l.shipped_base + l.returned_base, 0) ELSE 0 END AS open,
              0::numeric AS unsourced, l.gross_amount AS amount
         FROM sales_order_lines l JOIN sales_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
        WHERE l.tenant_id = $1 AND o.status IN ('approved', 'in_delivery', 'closed')
          AND ($2::date IS NULL OR o.order_date >= $2) AND ($3::date IS NULL OR o.order_date <= $3)
          AND ($4::uuid IS NULL OR o.customer_id = $4) AND ($5::uuid IS NULL OR l.material_id = $5)
       UNION ALL
       SELECT r.customer_id, rl.material_id, 0, 0, 0, 0, 0, rl.base_quantity, 0
         FROM sales_return_lines rl JOIN sales_returns r ON r.tenant_id = rl.tenant_id AND r.id = rl.return_id
        WHERE rl.tenant_id = $1 AND r.source_outbound_id IS NULL
          AND ($2::date IS NULL OR r.created_at::date >= $2) AND ($3::date IS NULL OR r.created_at::date <= $3)
          AND ($4::uuid IS NULL OR r.customer_id = $4) AND ($5::uuid IS NULL OR rl.material_id = $5)
     ), grouped AS (
       SELECT ${byCustomer ? 'f.customer_id' : 'NULL::uuid'} AS customer_id, f.material_id, sum(f.ordered) AS ordered, sum(f.planned) AS planned,
              sum(f.shipped) AS shipped, sum(f.returned) AS returned, sum(f.open) AS open, sum(f.unsourced) AS unsourced, sum(f.amount) AS amount
         FROM figures f GROUP BY 1, 2
     )
     SELECT g.customer_id, c.code AS customer_code, c.name AS customer_name, g.material_id, m.code AS material_code, m.name AS material_name, m.base_unit,
            g.ordered::text, g.planned::text, g.shipped::text, g.returned::text, g.open::text, g.unsourced::text, g.amount::text
       FROM grouped g
       JOIN materials m ON m.tenant_id = $1 AND m.id = g.material_id
       LEFT JOIN partners c ON c.tenant_id = $1 AND c.id = g.customer_id
      WHERE ($6::text IS NULL OR (coalesce(c.code, ''), m.code) > ($6, $7))
      ORDER BY coalesce(c.code, ''), m.code LIMIT $8`,
    [tenantId, q.from ?? null, q.to ?? null, q.customerId ?? null, q.materialId ?? null, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1],
  );
  return rows.map((r) => ({
    customerId: r.customer_id, customerCode: r.customer_code, customerName: r.customer_name, materialId: r.material_id, materialCode: r.material_code,
    materialName: r.material_name, baseUnit: r.base_unit, ordered: r.ordered, planned: r.planned, shipped: r.shipped, returned: r.returned, open: r.open,
    returnedWithoutSource: r.unsourced, orderedAmount: r.amount,
  }));
}
