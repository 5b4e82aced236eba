/**
 * Planning's tables: material planning parameters, MRP runs with their netting, demand and planned
 * orders (pegs on them), written set-based (unnest) so a run of hundreds of thousands of rows is a few
 * statements; and the reads a run makes of the production tables (structure, open orders).
 */
import type { Sql } from '../../platform/db.js';
import type { Demand, Netting, Peg, PlannedOrder } from './mrp.js';
import { formatQty } from '../../platform/quantity.js';

// ---------------------------------------------------------------- what a run reads

export interface MaterialPlanningRow {
  id: string; code: string; name: string; base_unit: string; decimals: number; status: string; procurement: 'make' | 'buy' | null; lead_time_days: number | null;
  lot_sizing: 'lot_for_lot' | 'fixed' | 'min_multiple'; fixed_lot: string | null; min_lot: string | null; lot_multiple: string | null; has_bom: boolean;
  version: number | null; updated_by: string | null; updated_at: Date | null;
}

/** Every material with its planning parameters and whether a manufacturing BOM is in effect on `date` (ids null: all). */
export async function planningMaterials(tx: Sql, tenantId: string, date: string, ids: string[] | null): Promise<MaterialPlanningRow[]> {
  const { rows } = await tx.query<MaterialPlanningRow>(
    `SELECT m.id, m.code, m.name, m.base_unit, u.decimals, m.status, p.procurement, p.lead_time_days, coalesce(p.lot_sizing, 'lot_for_lot') AS lot_sizing,
            p.fixed_lot::text, p.min_lot::text, p.lot_multiple::text, p.version, p.updated_by, p.updated_at,
            EXISTS (SELECT 1 FROM boms b JOIN bom_versions v ON v.tenant_id = b.tenant_id AND v.bom_id = b.id
                     WHERE b.tenant_id = m.tenant_id AND b.material_id = m.id AND b.bom_type = 'manufacturing' AND v.status <> 'draft'
                       AND v.effective_from <= $2::date AND (v.effective_to IS NULL OR v.effective_to > $2::date)) AS has_bom
       FROM materials m JOIN units u ON u.tenant_id = m.tenant_id AND u.code = m.base_unit
       LEFT JOIN material_planning p ON p.tenant_id = m.tenant_id AND p.material_id = m.id
      WHERE m.tenant_id = $1 AND ($3::uuid[] IS NULL OR m.id = ANY($3::uuid[])) AND cardinality(m.variant_features) = 0
      ORDER BY m.code`,
    [tenantId, date, ids],
  );
  return rows;
}

/** The lines of every manufacturing BOM in effect on `date` (optional lines left out), per base unit of the parent, scrap included. */
export async function structureInEffect(tx: Sql, tenantId: string, date: string) {
  const { rows } = await tx.query<{ parent_id: string; component_id: string; per_unit: string; phantom: boolean }>(
    `SELECT b.material_id AS parent_id, l.component_id, (l.base_quantity * (1 + l.scrap_rate / 100))::text AS per_unit, l.phantom
       FROM boms b JOIN bom_versions v ON v.tenant_id = b.tenant_id AND v.bom_id = b.id
       JOIN bom_lines l ON l.tenant_id = v.tenant_id AND l.version_id = v.id
      WHERE b.tenant_id = $1 AND b.bom_type = 'manufacturing' AND v.status <> 'draft' AND NOT l.optional
        AND v.effective_from <= $2::date AND (v.effective_to IS NULL OR v.effective_to > $2::date)
      ORDER BY b.material_id, l.line_no`,
    [tenantId, date],
  );
  return rows;
}

/** Open production orders: supply of their product (still to be received); planned ones without their own components yet. */
export async function openProductionOrders(tx: Sql, tenantId: string) {
  const { rows } = await tx.query<{ id: string; doc_no: string; status: string; material_id: string; open: string; planned_start: string; planned_finish: string; mto_no: string | null }>(
    `SELECT id, doc_no, status, material_id, greatest(base_quantity - received_base, 0)::text AS open, planned_start::text, planned_finish::text, mto_no
       FROM production_orders WHERE tenant_id = $1 AND status IN ('planned', 'released', 'in_progress') ORDER BY doc_no`,
    [tenantId],
  );
  return rows;
}

/** What released and running orders still need of their components (required − issued − backflushed + returned), base unit. */
export async function openComponentNeeds(tx: Sql, tenantId: string) {
  const { rows } = await tx.query<{ order_id: string; doc_no: string; material_id: string; open: string; planned_start: string; mto_no: string | null }>(
    `SELECT o.id AS order_id, o.doc_no, c.material_id, sum(c.required_quantity - c.issued_quantity - c.backflushed_quantity + c.returned_quantity)::text AS open,
            o.planned_start::text, o.mto_no
       FROM production_order_components c JOIN production_orders o ON o.tenant_id = c.tenant_id AND o.id = c.order_id
      WHERE c.tenant_id = $1 AND o.status IN ('released', 'in_progress')
      GROUP BY o.id, o.doc_no, c.material_id, o.planned_start, o.mto_no
     HAVING sum(c.required_quantity - c.issued_quantity - c.backflushed_quantity + c.returned_quantity) > 0
      ORDER BY o.doc_no, c.material_id`,
    [tenantId],
  );
  return rows;
}

// ---------------------------------------------------------------- planning parameters

export async function upsertPlanning(tx: Sql, tenantId: string, materialId: string, p: { procurement: string | null; leadTimeDays: number | null; lotSizing: string; fixedLot: string | null; minLot: string | null; lotMultiple: string | null; actor: string }) {
  await tx.query(
    `INSERT INTO material_planning (tenant_id, material_id, procurement, lead_time_days, lot_sizing, fixed_lot, min_lot, lot_multiple, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (tenant_id, material_id) DO UPDATE SET procurement = EXCLUDED.procurement, lead_time_days = EXCLUDED.lead_time_days, lot_sizing = EXCLUDED.lot_sizing,
       fixed_lot = EXCLUDED.fixed_lot, min_lot = EXCLUDED.min_lot, lot_multiple = EXCLUDED.lot_multiple, updated_by = EXCLUDED.updated_by,
       version = material_planning.version + 1, updated_at = now()`,
    [tenantId, materialId, p.procurement, p.leadTimeDays, p.lotSizing, p.fixedLot, p.minLot, p.lotMultiple, p.actor],
  );
}

export async function lockPlanning(tx: Sql, tenantId: string, materialId: string): Promise<number | undefined> {
  const { rows } = await tx.query<{ version: number }>('SELECT version FROM material_planning WHERE tenant_id = $1 AND material_id = $2 FOR UPDATE', [tenantId, materialId]);
  return rows[0]?.version;
}

// ---------------------------------------------------------------- runs

export async function insertRun(tx: Sql, tenantId: string, r: { id: string; asOf: string; inputs: unknown; inputDigest: string; resultDigest: string; materials: number; demands: number; planned: number; durationMs: number; actor: string; rescheduleMessages: unknown[] }) {
  await tx.query(
    `INSERT INTO mrp_runs (id, tenant_id, doc_no, as_of, inputs, input_digest, result_digest, material_count, demand_count, planned_count, duration_ms, created_by, reschedule_messages)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [r.id, tenantId, `~${r.id}`, r.asOf, JSON.stringify(r.inputs), r.inputDigest, r.resultDigest, r.materials, r.demands, r.planned, r.durationMs, r.actor, JSON.stringify(r.rescheduleMessages)],
  );
}

const CHUNK = 20_000;
async function chunked<T>(rows: T[], fn: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await fn(rows.slice(i, i + CHUNK));
}

/** A run's results in a few set-based statements. */
export async function insertResults(tx: Sql, tenantId: string, runId: string, r: { netting: Netting[]; demands: Demand[]; planned: PlannedOrder[]; pegs: Peg[] }) {
  const f = formatQty;
  await chunked(r.netting, (n) => tx.query(
    `INSERT INTO mrp_run_materials (tenant_id, run_id, material_id, level, procurement, gross, on_hand, open_supply, safety_stock, net, planned)
     SELECT $1, $2, * FROM unnest($3::uuid[], $4::int[], $5::text[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[])`,
    [tenantId, runId, n.map((x) => x.materialId), n.map((x) => x.level), n.map((x) => x.procurement), n.map((x) => f(x.gross)), n.map((x) => f(x.onHand)),
      n.map((x) => f(x.openSupply)), n.map((x) => f(x.safetyStock)), n.map((x) => f(x.net)), n.map((x) => f(x.planned))],
  ));
  await chunked(r.demands, (d) => tx.query(
    `INSERT INTO mrp_demands (tenant_id, run_id, seq, material_id, due_date, quantity, source, source_id, source_ref, mto_no, parent_line)
     SELECT $1, $2, * FROM unnest($3::int[], $4::uuid[], $5::date[], $6::numeric[], $7::text[], $8::uuid[], $9::text[], $10::text[], $11::int[])`,
    [tenantId, runId, d.map((x) => x.seq), d.map((x) => x.materialId), d.map((x) => x.dueDate), d.map((x) => f(x.quantity)), d.map((x) => x.source),
      d.map((x) => x.sourceId), d.map((x) => x.sourceRef), d.map((x) => x.mtoNo), d.map((x) => x.parentLine)],
  ));
  const pegs = new Map<number, Peg[]>();
  for (const g of r.pegs) pegs.set(g.lineNo, [...(pegs.get(g.lineNo) ?? []), g]);
  const arr = (xs: string[]) => `{${xs.join(',')}}`;
  await chunked(r.planned, (p) => tx.query(
    `INSERT INTO mrp_planned_orders (tenant_id, run_id, line_no, material_id, kind, level, quantity, start_date, due_date, late, mto_no, sales_order_line_id, supplier_id, peg_seqs, peg_quantities)
     SELECT $1, $2, line_no, material_id, kind, level, quantity, start_date, due_date, late, mto_no, sales_order_line_id, supplier_id, seqs::int[], quantities::numeric[]
       FROM unnest($3::int[], $4::uuid[], $5::text[], $6::int[], $7::numeric[], $8::date[], $9::date[], $10::boolean[], $11::text[], $12::uuid[], $13::uuid[], $14::text[], $15::text[])
         AS x (line_no, material_id, kind, level, quantity, start_date, due_date, late, mto_no, sales_order_line_id, supplier_id, seqs, quantities)`,
    [tenantId, runId, p.map((x) => x.lineNo), p.map((x) => x.materialId), p.map((x) => x.kind), p.map((x) => x.level), p.map((x) => f(x.quantity)), p.map((x) => x.startDate),
      p.map((x) => x.dueDate), p.map((x) => x.late), p.map((x) => x.mtoNo), p.map((x) => x.salesOrderLineId), p.map((x) => x.supplierId),
      p.map((x) => arr((pegs.get(x.lineNo) ?? []).map((g) => String(g.demandSeq)))), p.map((x) => arr((pegs.get(x.lineNo) ?? []).map((g) => f(g.quantity))))],
  ));
}

export interface RunRow {
  id: string; doc_no: string; as_of: string; inputs: unknown; input_digest: string; result_digest: string; material_count: number; demand_count: number;
  planned_count: number; duration_ms: number; created_by: string; created_at: Date;
  reschedule_messages: { materialId: string; action: 'reschedule_in' | 'reschedule_out'; supplyKind: 'purchase_order' | 'production_order'; supplyRef: string; supplyDate: string; neededBy: string; demandRef?: string; quantity: string }[];
}
const RUN = `SELECT id, doc_no, as_of::text, inputs, input_digest, result_digest, material_count, demand_count, planned_count, duration_ms, created_by, created_at, reschedule_messages FROM mrp_runs`;

export async function findRun(tx: Sql, tenantId: string, id: string, lock = false): Promise<RunRow | undefined> {
  const { rows } = await tx.query<RunRow>(`${RUN} WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0];
}

export async function listRuns(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string] }): Promise<RunRow[]> {
  const { rows } = await tx.query<RunRow>(
    `${RUN} WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid)) ORDER BY created_at DESC, id DESC LIMIT $4`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1],
  );
  return rows;
}

export interface PlannedRow {
  line_no: number; material_id: string; kind: 'make' | 'buy'; level: number; quantity: string; start_date: string; due_date: string; late: boolean;
  mto_no: string | null; sales_order_line_id: string | null; supplier_id: string | null; firmed_id: string | null; firmed_doc_no: string | null; firmed_by: string | null; firmed_at: Date | null;
}

export async function plannedOf(tx: Sql, tenantId: string, runId: string, q: { lineNos?: number[]; kind?: string; materialId?: string; lock?: boolean; limit?: number }): Promise<PlannedRow[]> {
  const { rows } = await tx.query<PlannedRow>(
    `SELECT p.line_no, p.material_id, p.kind, p.level, p.quantity::text, p.start_date::text, p.due_date::text, p.late, p.mto_no, p.sales_order_line_id,
            p.supplier_id, p.firmed_id, p.firmed_doc_no, p.firmed_by, p.firmed_at
       FROM mrp_planned_orders p
      WHERE p.tenant_id = $1 AND p.run_id = $2 AND ($3::int[] IS NULL OR p.line_no = ANY($3::int[])) AND ($4::text IS NULL OR p.kind = $4)
        AND ($5::uuid IS NULL OR p.material_id = $5)
      ORDER BY p.line_no LIMIT $6${q.lock ? ' FOR UPDATE' : ''}`,
    [tenantId, runId, q.lineNos ?? null, q.kind ?? null, q.materialId ?? null, q.limit ?? null],
  );
  return rows;
}

/**
 * The pegs of some planned orders with the demand they cover. Two plain lookups rather than one
 * join: a run's rows are fresh, without statistics, and a join planned on "empty" tables would
 * scan the run's demand once per planned order.
 */
export async function pegsOf(tx: Sql, tenantId: string, runId: string, lineNos: number[]) {
  const pegs = await tx.query<{ line_no: number; seq: number; quantity: string }>(
    `SELECT p.line_no, g.seq, g.quantity::text FROM mrp_planned_orders p CROSS JOIN LATERAL unnest(p.peg_seqs, p.peg_quantities) AS g (seq, quantity)
      WHERE p.tenant_id = $1 AND p.run_id = $2 AND p.line_no = ANY($3::int[]) ORDER BY p.line_no, g.seq`,
    [tenantId, runId, lineNos],
  );
  const demands = await tx.query<{ seq: number; due_date: string; source: string; source_id: string | null; source_ref: string; mto_no: string | null; parent_line: number | null }>(
    `SELECT seq, due_date::text, source, source_id, source_ref, mto_no, parent_line FROM mrp_demands WHERE tenant_id = $1 AND run_id = $2 AND seq = ANY($3::int[])`,
    [tenantId, runId, [...new Set(pegs.rows.map((g) => g.seq))]],
  );
  const bySeq = new Map(demands.rows.map((d) => [d.seq, d]));
  return pegs.rows.map((g) => ({ line_no: g.line_no, demand_seq: g.seq, quantity: g.quantity, ...bySeq.get(g.seq)! }));
}

export async function nettingOf(tx: Sql, tenantId: string, runId: string, materialId: string | null, limit: number) {
  const { rows } = await tx.query<{ material_id: string; level: number; procurement: string; gross: string; on_hand: string; open_supply: string; safety_stock: string; net: string; planned: string }>(
    `SELECT material_id, level, procurement, gross::text, on_hand::text, open_supply::text, safety_stock::text, net::text, planned::text
       FROM mrp_run_materials WHERE tenant_id = $1 AND run_id = $2 AND ($3::uuid IS NULL OR material_id = $3) ORDER BY level, material_id LIMIT $4`,
    [tenantId, runId, materialId, limit],
  );
  return rows;
}

export async function markFirmed(tx: Sql, tenantId: string, runId: string, lineNos: number[], doc: { id: string; docNo: string; actor: string }) {
  await tx.query(
    `UPDATE mrp_planned_orders SET firmed_id = $4, firmed_doc_no = $5, firmed_by = $6, firmed_at = now() WHERE tenant_id = $1 AND run_id = $2 AND line_no = ANY($3::int[])`,
    [tenantId, runId, lineNos, doc.id, doc.docNo, doc.actor],
  );
}

// ---------------------------------------------------------------- scheduling

export interface ScheduleOperationRow {
  order_id: string; doc_no: string; priority: number; due_date: string | null; planned_start: string; planned_finish: string; seq: number; name: string;
  work_centre_id: string; planned_minutes: string; status: string;
}

/** The operations still to do of released and running orders (ids null: all of them), in order and sequence. */
export async function operationsToSchedule(tx: Sql, tenantId: string, orderIds: string[] | null): Promise<ScheduleOperationRow[]> {
  const { rows } = await tx.query<ScheduleOperationRow>(
    `SELECT o.id AS order_id, o.doc_no, o.priority, o.due_date::text, o.planned_start::text, o.planned_finish::text, p.seq, p.name, p.work_centre_id,
            p.planned_minutes::text, p.status
       FROM production_orders o JOIN production_order_operations p ON p.tenant_id = o.tenant_id AND p.order_id = o.id
      WHERE o.tenant_id = $1 AND o.status IN ('released', 'in_progress') AND p.status <> 'completed' AND ($2::uuid[] IS NULL OR o.id = ANY($2::uuid[]))
      ORDER BY o.priority, coalesce(o.due_date, o.planned_finish), o.doc_no, p.seq`,
    [tenantId, orderIds],
  );
  return rows;
}
