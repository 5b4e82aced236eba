/** Dispatching's rows: an operation's placement, the change history, the work centre queue. */
import type { Sql } from '../../platform/db.js';

export interface PlacementRow {
  id: string; seq: number; status: string; work_centre_id: string; station_id: string | null; dispatch_seq: number | null; setup_minutes: string; run_minutes: string;
  planned_minutes: string; alternates: { priority: number; workCentreId: string; workCentreCode: string; setupMinutes: string | null; runMinutes: string | null }[];
}

export async function lockPlacement(tx: Sql, tenantId: string, orderId: string, seq: number): Promise<PlacementRow | undefined> {
  const { rows } = await tx.query<PlacementRow>(
    `SELECT id, seq, status, work_centre_id, station_id, dispatch_seq, setup_minutes::text, run_minutes::text, planned_minutes::text, alternates
       FROM production_order_operations WHERE tenant_id = $1 AND order_id = $2 AND seq = $3 FOR UPDATE`,
    [tenantId, orderId, seq],
  );
  return rows[0];
}

export async function setPlacement(tx: Sql, tenantId: string, id: string, p: { workCentreId: string; stationId: string | null; dispatchSeq: number | null; setupMinutes: string; runMinutes: string; plannedMinutes: string; alternates: unknown[] }): Promise<void> {
  await tx.query(
    `UPDATE production_order_operations SET work_centre_id = $3, station_id = $4, dispatch_seq = $5, setup_minutes = $6, run_minutes = $7, planned_minutes = $8, alternates = $9
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, p.workCentreId, p.stationId, p.dispatchSeq, p.setupMinutes, p.runMinutes, p.plannedMinutes, JSON.stringify(p.alternates)],
  );
}

export async function insertChange(tx: Sql, tenantId: string, c: { id: string; orderId: string; operationId: string; cause: string; reason: string; before: unknown; after: unknown; changedBy: string }): Promise<void> {
  await tx.query(
    `INSERT INTO production_dispatch_changes (tenant_id, id, order_id, operation_id, cause, reason, before, after, changed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [tenantId, c.id, c.orderId, c.operationId, c.cause, c.reason, JSON.stringify(c.before), JSON.stringify(c.after), c.changedBy],
  );
}

export interface ChangeRow {
  id: string; order_id: string; order_doc_no: string; operation_seq: number; cause: string; reason: string; before: any; after: any; changed_by: string; created_at: Date;
}

export async function changes(tx: Sql, tenantId: string, q: { orderId?: string; id?: string; limit: number; after?: [string, string] }): Promise<ChangeRow[]> {
  const { rows } = await tx.query<ChangeRow>(
    `SELECT c.id, c.order_id, po.doc_no AS order_doc_no, o.seq AS operation_seq, c.cause, c.reason, c.before, c.after, c.changed_by, c.created_at
       FROM production_dispatch_changes c
       JOIN production_orders po ON po.tenant_id = c.tenant_id AND po.id = c.order_id
       JOIN production_order_operations o ON o.tenant_id = c.tenant_id AND o.id = c.operation_id
      WHERE c.tenant_id = $1 AND ($2::uuid IS NULL OR c.order_id = $2) AND ($3::uuid IS NULL OR c.id = $3)
        AND ($4::timestamptz IS NULL OR (c.created_at, c.id) < ($4::timestamptz, $5::uuid))
      ORDER BY c.created_at DESC, c.id DESC LIMIT $6`,
    [tenantId, q.orderId ?? null, q.id ?? null, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1],
  );
  return rows;
}

/** The open operations of released and running orders at a work centre, in dispatch order. */
export async function queue(tx: Sql, tenantId: string, workCentreId: string) {
  const { rows } = await tx.query<{
    order_id: string; order_doc_no: string; order_status: string; priority: number; due_date: string | null; material_code: string; operation_seq: number;
    operation_name: string; status: 'pending' | 'in_progress' | 'paused' | 'completed'; station_id: string | null; dispatch_seq: number | null; planned_start: Date | null;
    planned_minutes: string; good_quantity: string; order_quantity: string;
  }>(
    `SELECT po.id AS order_id, po.doc_no AS order_doc_no, po.status AS order_status, po.priority, po.due_date::text, m.code AS material_code, o.seq AS operation_seq,
            o.name AS operation_name, o.status, o.station_id, o.dispatch_seq, o.planned_start, o.planned_minutes::text, o.good_quantity::text,
            po.base_quantity::text AS order_quantity
       FROM production_order_operations o
       JOIN production_orders po ON po.tenant_id = o.tenant_id AND po.id = o.order_id
       JOIN materials m ON m.tenant_id = po.tenant_id AND m.id = po.material_id
      WHERE o.tenant_id = $1 AND o.work_centre_id = $2 AND o.status <> 'completed' AND po.status IN ('released', 'in_progress')
      ORDER BY o.dispatch_seq NULLS LAST, o.planned_start NULLS LAST, po.priority, po.due_date NULLS LAST, po.doc_no, o.seq`,
    [tenantId, workCentreId],
  );
  return rows;
}
