/** Reads for the shop-floor progress board: open orders, their operations and the last word from the floor on each. */
import type { Sql } from '../../platform/db.js';

const OPEN = `o.status IN ('released', 'in_progress')`;

/** Which open orders a board reads: all, one workshop's, one line's (null: no filter). */
export interface Scope { workshopId: string | null; lineId: string | null }
/** The scope's filter with its two parameters at $2 (workshop) and $n (line). */
const inScope = (lineParam: number) => `($2::uuid IS NULL OR o.workshop_id = $2) AND ($${lineParam}::uuid IS NULL OR o.line_id = $${lineParam})`;

export interface ProgressOrderRow {
  id: string; doc_no: string; status: 'released' | 'in_progress'; material_id: string; base_quantity: string; received_base: string;
  workshop_id: string | null; line_id: string | null; planned_start: string; planned_finish: string; due_date: string | null; days_late: number;
}

/** Open orders, late ones first (most late first), then by planned finish; one more than limit to tell truncation. */
export async function openOrders(tx: Sql, tenantId: string, scope: Scope, asOf: string, limit: number): Promise<ProgressOrderRow[]> {
  const { rows } = await tx.query<ProgressOrderRow>(
    `SELECT o.id, o.doc_no, o.status, o.material_id, o.base_quantity::text, o.received_base::text, o.workshop_id, o.line_id, o.planned_start::text,
            o.planned_finish::text, o.due_date::text, greatest($3::date - o.planned_finish, 0)::int AS days_late
       FROM production_orders o
      WHERE o.tenant_id = $1 AND ${OPEN} AND ${inScope(5)}
      ORDER BY days_late DESC, o.planned_finish, o.doc_no
      LIMIT $4`,
    [tenantId, scope.workshopId, asOf, limit + 1, scope.lineId],
  );
  return rows;
}

export interface WorkshopTotalsRow { workshop_id: string | null; open_orders: number; late_orders: number }

export async function workshopTotals(tx: Sql, tenantId: string, scope: Scope, asOf: string): Promise<WorkshopTotalsRow[]> {
  const { rows } = await tx.query<WorkshopTotalsRow>(
    `SELECT o.workshop_id, count(*)::int AS open_orders, (count(*) FILTER (WHERE o.planned_finish < $3::date))::int AS late_orders
       FROM production_orders o
      WHERE o.tenant_id = $1 AND ${OPEN} AND ${inScope(4)}
      GROUP BY o.workshop_id`,
    [tenantId, scope.workshopId, asOf, scope.lineId],
  );
  return rows;
}

export interface CentreCountRow { workshop_id: string | null; work_centre_id: string; status: 'pending' | 'in_progress' | 'paused' | 'completed'; n: number }

/** Operations of open orders counted by workshop, work centre and status. */
export async function operationCounts(tx: Sql, tenantId: string, scope: Scope): Promise<CentreCountRow[]> {
  const { rows } = await tx.query<CentreCountRow>(
    `SELECT o.workshop_id, op.work_centre_id, op.status, count(*)::int AS n
       FROM production_order_operations op JOIN production_orders o ON o.tenant_id = op.tenant_id AND o.id = op.order_id
      WHERE op.tenant_id = $1 AND ${OPEN} AND ${inScope(3)}
      GROUP BY o.workshop_id, op.work_centre_id, op.status`,
    [tenantId, scope.workshopId, scope.lineId],
  );
  return rows;
}

export interface ProgressOperationRow {
  order_id: string; doc_no: string; workshop_id: string | null; line_id: string | null; base_quantity: string; seq: number; name: string; work_centre_id: string;
  status: 'pending' | 'in_progress' | 'paused' | 'completed'; good_quantity: string; scrap_quantity: string; pending_inspection_quantity: string;
  planned_start: Date | null; planned_finish: Date | null; actual_start: Date | null; station_id: string | null; operator: string | null; since: Date | null;
}

/**
 * Operations of the given open orders, or (orderIds null) every operation in progress or paused,
 * each with the newest word from the floor: the last start/pause/resume/end, or the last work
 * report if that is newer (who, where, when).
 */
export async function operations(tx: Sql, tenantId: string, q: { orderIds: string[] | null; scope: Scope; limit: number }): Promise<ProgressOperationRow[]> {
  const { rows } = await tx.query<ProgressOperationRow>(
    `SELECT op.order_id, o.doc_no, o.workshop_id, o.line_id, o.base_quantity::text, op.seq, op.name, op.work_centre_id, op.status, op.good_quantity::text,
            op.scrap_quantity::text, op.pending_inspection_quantity::text, op.planned_start, op.planned_finish, op.actual_start,
            coalesce(last.station_id, op.station_id) AS station_id, last.operator, last.at AS since
       FROM production_order_operations op
       JOIN production_orders o ON o.tenant_id = op.tenant_id AND o.id = op.order_id
       LEFT JOIN LATERAL (
         SELECT w.station_id, w.operator, w.at FROM (
           (SELECT e.station_id, e.operator, e.occurred_at AS at, e.created_at FROM production_operation_events e
             WHERE e.tenant_id = op.tenant_id AND e.order_id = op.order_id AND e.operation_id = op.id ORDER BY e.occurred_at DESC, e.created_at DESC LIMIT 1)
           UNION ALL
           (SELECT r.station_id, r.operator, r.ended_at AS at, r.created_at FROM production_work_reports r
             WHERE r.tenant_id = op.tenant_id AND r.order_id = op.order_id AND r.operation_id = op.id ORDER BY r.ended_at DESC, r.created_at DESC LIMIT 1)
         ) w ORDER BY w.at DESC, w.created_at DESC LIMIT 1
       ) last ON true
      WHERE op.tenant_id = $1 AND ${OPEN} AND ${inScope(5)}
        AND (CASE WHEN $3::uuid[] IS NULL THEN op.status IN ('in_progress', 'paused') ELSE op.order_id = ANY($3) END)
      ORDER BY o.doc_no, op.seq
      LIMIT $4`,
    [tenantId, q.scope.workshopId, q.orderIds, q.limit, q.scope.lineId],
  );
  return rows;
}
