import type { Sql } from '../../platform/db.js';
import type { OperationStatus, OrderStatus, ProductionOrderListQuery } from './order-schema.js';

export interface OrderRow {
  id: string; doc_no: string; status: OrderStatus; material_id: string; quantity: string; unit: string; base_quantity: string;
  bom_version_id: string | null; routing_version_id: string | null; workshop_id: string | null; line_id: string | null; planned_start: string;
  planned_finish: string; due_date: string | null; source: 'manual' | 'sales_demand' | 'safety_stock' | 'mrp' | 'rework'; source_ref: string | null; rework_of_order_id: string | null;
  sales_order_line_id: string | null; sales_order_id: string | null; sales_order_line_no: number | null; mto_no: string | null; priority: number;
  include_optional: boolean; received_base: string; scrapped_base: string; remark: string; version: number; created_by: string; created_by_user: string;
  approved_by: string | null; approved_at: Date | null; released_by: string | null; released_at: Date | null; started_at: Date | null;
  completed_at: Date | null; closed_at: Date | null; cancelled_at: Date | null; cancel_reason: string | null; created_at: Date; updated_at: Date;
}

const COLUMNS = `id, doc_no, status, material_id, quantity::text, unit, base_quantity::text, bom_version_id, routing_version_id, workshop_id, line_id,
  planned_start::text, planned_finish::text, due_date::text, source, source_ref, rework_of_order_id, sales_order_line_id, sales_order_id, sales_order_line_no, mto_no, priority,
  include_optional, received_base::text, scrapped_base::text, remark, version, created_by, created_by_user, approved_by, approved_at, released_by, released_at,
  started_at, completed_at, closed_at, cancelled_at, cancel_reason, created_at, updated_at`;

/** Inserts an order; `values` are its columns beyond tenant_id (the service names them). */
export async function insertOrder(tx: Sql, tenantId: string, values: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(values);
  await tx.query(
    `INSERT INTO production_orders (tenant_id, ${columns.join(', ')}) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})`,
    [tenantId, ...Object.values(values)],
  );
}

export async function findOrder(tx: Sql, tenantId: string, id: string, lock = false): Promise<OrderRow | undefined> {
  const { rows } = await tx.query<OrderRow>(`SELECT ${COLUMNS} FROM production_orders WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0];
}

/** Sets columns of an order and bumps its version (the caller holds its row lock). */
export async function updateOrder(tx: Sql, tenantId: string, id: string, set: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(set);
  await tx.query(
    `UPDATE production_orders SET ${[...columns.map((c, i) => `${c} = $${i + 3}`), 'version = version + 1', 'updated_at = now()'].join(', ')}
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, ...Object.values(set)],
  );
}

export async function listOrders(tx: Sql, tenantId: string, q: ProductionOrderListQuery & { limit: number; after?: [string, string] }): Promise<OrderRow[]> {
  const statuses = q.status === 'open' ? ['planned', 'released', 'in_progress'] : q.status ? [q.status] : null;
  const { rows } = await tx.query<OrderRow>(
    `SELECT ${COLUMNS} FROM production_orders
      WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        AND ($4::text[] IS NULL OR status = ANY($4)) AND ($5::uuid IS NULL OR workshop_id = $5) AND ($6::uuid IS NULL OR line_id = $6)
        AND ($7::uuid IS NULL OR material_id = $7) AND ($8::date IS NULL OR due_date >= $8) AND ($9::date IS NULL OR due_date <= $9)
        AND ($10::text IS NULL OR source = $10) AND ($11::uuid IS NULL OR sales_order_id = $11) AND ($12::text IS NULL OR doc_no = $12)
      ORDER BY created_at DESC, id DESC LIMIT $13`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, statuses, q.workshopId ?? null, q.lineId ?? null, q.materialId ?? null, q.dueFrom ?? null,
      q.dueTo ?? null, q.source ?? null, q.salesOrderId ?? null, q.docNo ?? null, q.limit + 1],
  );
  return rows;
}

// ---------------------------------------------------------------- the order's own operations and components

/** An operation's planned start and finish, from the schedule (the caller holds the order's lock). */
export async function setOperationPlan(tx: Sql, tenantId: string, orderId: string, seq: number, start: string, finish: string): Promise<void> {
  await tx.query('UPDATE production_order_operations SET planned_start = $4, planned_finish = $5 WHERE tenant_id = $1 AND order_id = $2 AND seq = $3', [tenantId, orderId, seq, start, finish]);
}

export interface NewOrderOperation {
  seq: number; name: string; description: string; workCentreId: string; setupMinutes: string; runMinutes: string; queueMinutes: string; moveMinutes: string;
  plannedMinutes: string; inspectionPoint: boolean; inspectionText: string; inspectionRef: string | null; alternates: unknown[];
}

export async function insertOperations(tx: Sql, tenantId: string, orderId: string, ops: NewOrderOperation[]): Promise<void> {
  if (!ops.length) return;
  await tx.query(
    `INSERT INTO production_order_operations (tenant_id, order_id, seq, name, description, work_centre_id, setup_minutes, run_minutes, queue_minutes,
                                              move_minutes, planned_minutes, inspection_point, inspection_text, inspection_ref, alternates)
     SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[], $6::uuid[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[],
                                  $12::boolean[], $13::text[], $14::text[], $15::jsonb[])`,
    [tenantId, orderId, ops.map((o) => o.seq), ops.map((o) => o.name), ops.map((o) => o.description), ops.map((o) => o.workCentreId), ops.map((o) => o.setupMinutes),
      ops.map((o) => o.runMinutes), ops.map((o) => o.queueMinutes), ops.map((o) => o.moveMinutes), ops.map((o) => o.plannedMinutes), ops.map((o) => o.inspectionPoint),
      ops.map((o) => o.inspectionText), ops.map((o) => o.inspectionRef), ops.map((o) => JSON.stringify(o.alternates))],
  );
}

export interface NewOrderComponent {
  lineNo: number; materialId: string; operationSeq: number | null; bomVersionId: string; bomLineNo: number; viaPhantoms: string[]; perUnit: string;
  scrapRate: string; standardQuantity: string; requiredQuantity: string; issueType: string; includeInKitting: boolean; optional: boolean; alternates: unknown[];
}

export async function insertComponents(tx: Sql, tenantId: string, orderId: string, comps: NewOrderComponent[]): Promise<void> {
  if (!comps.length) return;
  await tx.query(
    `INSERT INTO production_order_components (tenant_id, order_id, line_no, material_id, operation_seq, bom_version_id, bom_line_no, via_phantoms, per_unit,
                                              scrap_rate, standard_quantity, required_quantity, issue_type, include_in_kitting, optional, alternates)
     SELECT $1, $2, l, m, s, b, bl, (SELECT coalesce(array_agg(x), '{}') FROM jsonb_array_elements_text(v) AS x), p, sr, sq, rq, it, k, o, a
       FROM unnest($3::int[], $4::uuid[], $5::int[], $6::uuid[], $7::int[], $8::jsonb[], $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[], $13::text[],
                   $14::boolean[], $15::boolean[], $16::jsonb[]) AS u(l, m, s, b, bl, v, p, sr, sq, rq, it, k, o, a)`,
    [tenantId, orderId, comps.map((c) => c.lineNo), comps.map((c) => c.materialId), comps.map((c) => c.operationSeq), comps.map((c) => c.bomVersionId),
      comps.map((c) => c.bomLineNo), comps.map((c) => JSON.stringify(c.viaPhantoms)), comps.map((c) => c.perUnit), comps.map((c) => c.scrapRate),
      comps.map((c) => c.standardQuantity), comps.map((c) => c.requiredQuantity), comps.map((c) => c.issueType), comps.map((c) => c.includeInKitting),
      comps.map((c) => c.optional), comps.map((c) => JSON.stringify(c.alternates))],
  );
}

export interface OperationRow {
  id: string; order_id: string; seq: number; name: string; description: string; work_centre_id: string; station_id: string | null; setup_minutes: string;
  run_minutes: string; queue_minutes: string; move_minutes: string; planned_minutes: string; inspection_point: boolean; inspection_text: string;
  inspection_ref: string | null; alternates: { priority: number; workCentreId: string; workCentreCode: string; setupMinutes: string | null; runMinutes: string | null }[];
  status: OperationStatus; good_quantity: string; scrap_quantity: string; pending_inspection_quantity: string; planned_start: Date | null;
  planned_finish: Date | null; actual_start: Date | null; actual_finish: Date | null;
}

export async function operationsOf(tx: Sql, tenantId: string, orderId: string): Promise<OperationRow[]> {
  const { rows } = await tx.query<OperationRow>(
    `SELECT id, order_id, seq, name, description, work_centre_id, station_id, setup_minutes::text, run_minutes::text, queue_minutes::text, move_minutes::text,
            planned_minutes::text, inspection_point, inspection_text, inspection_ref, alternates, status, good_quantity::text, scrap_quantity::text,
            pending_inspection_quantity::text, planned_start, planned_finish, actual_start, actual_finish
       FROM production_order_operations WHERE tenant_id = $1 AND order_id = $2 ORDER BY seq`,
    [tenantId, orderId],
  );
  return rows;
}

/** Which operation of an order an inspection belongs to: the one at `seq`, else the first inspection point whose inspection_ref is `inspectionRef`. */
export interface OperationRef { orderId: string; seq: number | null; inspectionRef: string | null }

export interface OperationAt extends OperationRef {
  routing_code: string | null; op_seq: number | null; op_name: string | null; order_line_id: string | null; work_centre_id: string | null;
}

/** Per reference, the operation it resolves to (nulls when none), its order's routing and line and the operation's work centre. */
export async function operationsAt(tx: Sql, tenantId: string, refs: OperationRef[]): Promise<OperationAt[]> {
  const { rows } = await tx.query<OperationAt>(
    `SELECT x.order_id AS "orderId", x.seq, x.ref AS "inspectionRef", rt.code AS routing_code, op.seq AS op_seq, op.name AS op_name,
            po.line_id AS order_line_id, op.work_centre_id
       FROM unnest($2::uuid[], $3::int[], $4::text[]) AS x(order_id, seq, ref)
       JOIN production_orders po ON po.tenant_id = $1 AND po.id = x.order_id
       LEFT JOIN LATERAL (SELECT o.seq, o.name, o.work_centre_id FROM production_order_operations o
                           WHERE o.tenant_id = $1 AND o.order_id = x.order_id
                             AND (o.seq = x.seq OR (x.seq IS NULL AND o.inspection_point AND o.inspection_ref = x.ref))
                           ORDER BY o.seq LIMIT 1) op ON true
       LEFT JOIN routing_versions rv ON rv.tenant_id = $1 AND rv.id = po.routing_version_id
       LEFT JOIN routings rt ON rt.tenant_id = $1 AND rt.id = rv.routing_id`,
    [tenantId, refs.map((r) => r.orderId), refs.map((r) => r.seq), refs.map((r) => r.inspectionRef)],
  );
  return rows;
}

export interface ComponentRow {
  id: string; order_id: string; line_no: number; material_id: string; operation_seq: number | null; bom_version_id: string; bom_line_no: number;
  via_phantoms: string[]; per_unit: string; scrap_rate: string; standard_quantity: string; required_quantity: string;
  issue_type: 'manual' | 'backflush_operation' | 'backflush_receipt'; include_in_kitting: boolean; optional: boolean;
  alternates: { priority: number; materialId: string; materialCode: string; perUnit: string }[]; issued_quantity: string; backflushed_quantity: string;
  returned_quantity: string;
}

export async function componentsOf(tx: Sql, tenantId: string, orderId: string): Promise<ComponentRow[]> {
  const { rows } = await tx.query<ComponentRow>(
    `SELECT id, order_id, line_no, material_id, operation_seq, bom_version_id, bom_line_no, via_phantoms, per_unit::text, scrap_rate::text,
            standard_quantity::text, required_quantity::text, issue_type, include_in_kitting, optional, alternates, issued_quantity::text,
            backflushed_quantity::text, returned_quantity::text
       FROM production_order_components WHERE tenant_id = $1 AND order_id = $2 ORDER BY line_no`,
    [tenantId, orderId],
  );
  return rows;
}

/** Whether anything happened on the shop floor for an order: material out, work reported, goods received. */
export async function hasActivity(tx: Sql, tenantId: string, orderId: string): Promise<boolean> {
  const { rows } = await tx.query<{ busy: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM production_order_components WHERE tenant_id = $1 AND order_id = $2 AND (issued_quantity <> returned_quantity OR backflushed_quantity > 0))
         OR EXISTS (SELECT 1 FROM production_order_operations WHERE tenant_id = $1 AND order_id = $2 AND (good_quantity + scrap_quantity + pending_inspection_quantity > 0 OR status <> 'pending'))
         OR EXISTS (SELECT 1 FROM production_orders WHERE tenant_id = $1 AND id = $2 AND received_base + scrapped_base > 0) AS busy`,
    [tenantId, orderId],
  );
  return rows[0].busy;
}
