/**
 * The genealogy graph (S1-5.4.5-d) as a read model across modules: the ledger (batches, serials,
 * movements, balances), purchasing (receipts, incoming inspections), production (receipts and the
 * genealogy of migration 0014) and sales (posted outbounds).
 *
 * Why the SQL is here and not behind each module's service: a trace is one recursive walk whose
 * every step needs the facts of four modules. Going through their services would be one round
 * trip per node and module (hundreds per trace); one statement per direction answers in one.
 * This module only reads those tables, never writes them, and the owning modules' docs say so.
 */
import type { Sql } from '../../platform/db.js';

export type Direction = 'backward' | 'forward';

export interface Root {
  materialId: string;
  materialCode: string;
  batchNo: string | null;
  serialNo: string | null;
}

/** The batches (and serials) of that number, per material: the ledger knows every one it moved. */
export async function findRoots(tx: Sql, tenantId: string, q: { batchNo?: string; serialNo?: string; materialCode?: string }): Promise<Root[]> {
  const { rows } = q.serialNo
    ? await tx.query<Root>(
      `SELECT s.material_id AS "materialId", m.code AS "materialCode", b.batch_no AS "batchNo", s.serial_no AS "serialNo"
         FROM serials s JOIN materials m ON m.tenant_id = s.tenant_id AND m.id = s.material_id
         LEFT JOIN batches b ON b.tenant_id = s.tenant_id AND b.id = s.batch_id
        WHERE s.tenant_id = $1 AND s.serial_no = $2 AND ($3::text IS NULL OR m.code = $3) ORDER BY m.code`,
      [tenantId, q.serialNo, q.materialCode ?? null],
    )
    : await tx.query<Root>(
      `SELECT b.material_id AS "materialId", m.code AS "materialCode", b.batch_no AS "batchNo", NULL AS "serialNo"
         FROM batches b JOIN materials m ON m.tenant_id = b.tenant_id AND m.id = b.material_id
        WHERE b.tenant_id = $1 AND b.batch_no = $2 AND ($3::text IS NULL OR m.code = $3) ORDER BY m.code`,
      [tenantId, q.batchNo, q.materialCode ?? null],
    );
  return rows;
}

/** What one trace statement answers: JSON built by the database, one row. */
export interface TraceRow {
  nodes: NodeJson[];
  edges: EdgeJson[];
  truncated: boolean;
}

export interface NodeJson {
  depth: number;
  materialId: string; materialCode: string; materialName: string; baseUnit: string;
  batchNo: string | null; serialNo: string | null;
  made: Record<string, unknown>[];
  supplied: Record<string, unknown>[];
  delivered: Record<string, unknown>[];
  stock: Record<string, unknown>[];
  returned: Record<string, unknown>[];
  ledger: { movements: number; firstMovedAt: string | null; lastMovedAt: string | null };
}

export interface EdgeJson {
  fromMaterialCode: string; fromBatchNo: string | null; fromSerialNo: string | null;
  toMaterialCode: string; toBatchNo: string | null; toSerialNo: string | null;
  quantity: string; orderId: string; orderDocNo: string; receiptId: string; receiptDocNo: string;
}

/** A batch or serial's identity in the walk: the serial if it has one, else the batch, else none (untracked). */
const nodeKey = (p: string) => `CASE WHEN ${p}serial_no IS NOT NULL THEN 's:' || ${p}serial_no WHEN ${p}batch_no IS NOT NULL THEN 'b:' || ${p}batch_no ELSE 'i:' END`;
const ROOT_KEY = `(CASE WHEN $4::text IS NOT NULL THEN 's:' || $4::text ELSE 'b:' || $3::text END)`;
/** Timestamps as the API writes them everywhere (toISOString). */
const iso = (e: string) => `to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/**
 * The rows of a document-line table that are nodes, for every node at once: serial nodes by
 * serial, the others by batch. Two joins, never an OR join (which the planner turns into scans);
 * each carries the node's identity (nm, nk) for grouping.
 */
const linesOf = (t: string) => `(SELECT n.material_id AS nm, n.node_key AS nk, x.* FROM tracked n
                JOIN ${t} x ON x.tenant_id = $1 AND x.material_id = n.material_id AND x.serial_no = n.serial_no
              UNION ALL
              SELECT n.material_id, n.node_key, x.* FROM tracked n
                JOIN ${t} x ON n.serial_no IS NULL AND x.tenant_id = $1 AND x.material_id = n.material_id AND x.batch_no = n.batch_no)`;
/** The same for the ledger's tables, which hold batch and serial ids. */
const ledgerOf = (t: string) => `(SELECT n.material_id AS nm, n.node_key AS nk, x.* FROM tracked n JOIN ${t} x ON x.tenant_id = $1 AND x.serial_id = n.serial_id
              UNION ALL
              SELECT n.material_id, n.node_key, x.* FROM tracked n JOIN ${t} x ON x.tenant_id = $1 AND x.batch_id = n.batch_id)`;
/** A fact of the nodes, found set-based above, joined to its node. */
const factOf = (cte: string) => `LEFT JOIN ${cte} ON ${cte}.nm = n.material_id AND ${cte}.nk = n.node_key`;

/**
 * The trace statement of one direction. Backward walks production genealogy from what was produced
 * to what it consumed, forward from what was consumed to what it went into. The walk is bounded by
 * $5 steps and cycle-safe: each row carries the path of nodes it came by, and a step onto a node
 * already on its path is kept as an edge but not walked on (a rework that consumes a batch into the
 * same batch number). Untracked components are leaves: they have no identity to walk from.
 * Then the facts of all nodes, set-based: one join per fact table over the node set (how it was
 * made, who supplied it with the incoming inspection, which customers it reached, where it is in
 * stock, its ledger movements), grouped per node, and joined to the nodes once.
 */
export function traceSql(direction: Direction): string {
  const [from, to] = direction === 'backward' ? ['produced', 'consumed'] : ['consumed', 'produced'];
  const step = (by: 'serial' | 'batch') => `
        SELECT g.${to}_material_id AS material_id, g.${to}_batch_no AS batch_no, g.${to}_serial_no AS serial_no, ${nodeKey(`g.${to}_`)} AS node_key,
               g.receipt_id, g.line_no, g.order_id, g.consumed_quantity
          FROM production_genealogy g
         WHERE ${by === 'serial' ? 'w.serial_no IS NOT NULL' : 'w.serial_no IS NULL AND w.batch_no IS NOT NULL'}
           AND g.tenant_id = $1 AND g.${from}_material_id = w.material_id AND g.${from}_${by}_no = w.${by}_no`;
  // An edge runs from the consumed item to the produced one; the walk reached either (e.*) from the other (e.prev_*).
  const [c, p] = direction === 'backward' ? ['', 'prev_'] : ['prev_', ''];
  // Is there a step beyond the last level walked? One index probe per node there (LIMIT keeps it a probe, not a join).
  const more = (by: 'serial' | 'batch') => `EXISTS (SELECT 1 FROM walk w CROSS JOIN LATERAL (SELECT 1 FROM production_genealogy g
              WHERE g.tenant_id = $1 AND g.${from}_material_id = w.material_id AND g.${from}_${by}_no = w.${by}_no LIMIT 1) x
            WHERE w.depth = $5 AND NOT w.cycle AND ${by === 'serial' ? 'w.serial_no IS NOT NULL' : 'w.serial_no IS NULL'})`;
  return `
WITH RECURSIVE walk AS (
  SELECT 0 AS depth, $2::uuid AS material_id, $3::text AS batch_no, $4::text AS serial_no,
         ${ROOT_KEY} AS node_key, ARRAY[$2::text || ${ROOT_KEY}] AS path, false AS cycle,
         NULL::uuid AS receipt_id, NULL::integer AS line_no, NULL::uuid AS order_id, NULL::numeric AS quantity,
         NULL::uuid AS prev_material_id, NULL::text AS prev_batch_no, NULL::text AS prev_serial_no
  UNION ALL
  SELECT w.depth + 1, x.material_id, x.batch_no, x.serial_no, x.node_key, w.path || (x.material_id::text || x.node_key),
         (x.material_id::text || x.node_key) = ANY (w.path), x.receipt_id, x.line_no, x.order_id, x.consumed_quantity,
         w.material_id, w.batch_no, w.serial_no
    FROM walk w
    CROSS JOIN LATERAL (${step('serial')}
      UNION ALL${step('batch')}) x
   WHERE w.depth < $5 AND NOT w.cycle
),
nodes AS (
  SELECT DISTINCT ON (material_id, node_key) material_id, node_key, batch_no, serial_no, depth
    FROM walk ORDER BY material_id, node_key, depth, batch_no NULLS LAST
),
edges AS (
  SELECT DISTINCT receipt_id, line_no, order_id, quantity, material_id, batch_no, serial_no, prev_material_id, prev_batch_no, prev_serial_no
    FROM walk WHERE depth > 0
),
tracked AS MATERIALIZED (
  SELECT n.*, b.id AS batch_id, s.id AS serial_id
    FROM nodes n
    LEFT JOIN batches b ON n.serial_no IS NULL AND b.tenant_id = $1 AND b.material_id = n.material_id AND b.batch_no = n.batch_no
    LEFT JOIN serials s ON n.serial_no IS NOT NULL AND s.tenant_id = $1 AND s.material_id = n.material_id AND s.serial_no = n.serial_no
),
made_rows AS MATERIALIZED (
  SELECT l.nm, l.nk, l.line_no, l.base_quantity, r.id AS receipt_id, r.doc_no AS receipt_doc_no, r.order_id, po.doc_no AS order_doc_no, r.created_at,
         r.bom_version_id, bv.revision AS bom_revision, r.operators, r.station_ids, r.equipment_codes, r.work_started_at, r.work_ended_at
    FROM ${linesOf('production_receipt_lines')} l
    JOIN production_receipts r ON r.tenant_id = $1 AND r.id = l.receipt_id
    JOIN production_orders po ON po.tenant_id = $1 AND po.id = r.order_id
    LEFT JOIN bom_versions bv ON bv.tenant_id = $1 AND bv.id = r.bom_version_id
),
made AS (
  SELECT k.nm, k.nk, json_agg(json_build_object(
           'orderId', k.order_id, 'orderDocNo', k.order_doc_no, 'receiptId', k.receipt_id, 'receiptDocNo', k.receipt_doc_no, 'quantity', k.base_quantity::text,
           'bomVersionId', k.bom_version_id, 'bomRevision', k.bom_revision, 'operators', k.operators,
           'stationCodes', CASE WHEN cardinality(k.station_ids) = 0 THEN '{}'
                           ELSE (SELECT coalesce(array_agg(s.code ORDER BY s.code), '{}') FROM stations s WHERE s.tenant_id = $1 AND s.id = ANY (k.station_ids)) END,
           'equipmentCodes', k.equipment_codes, 'workStartedAt', ${iso('k.work_started_at')}, 'workEndedAt', ${iso('k.work_ended_at')},
           'receivedAt', ${iso('k.created_at')}) ORDER BY k.created_at, k.line_no) AS made
    FROM made_rows k
   GROUP BY k.nm, k.nk
),
supplied AS (
  SELECT l.nm, l.nk, json_agg(json_build_object(
           'supplierId', p.id, 'supplierCode', p.code, 'supplierName', p.name, 'purchaseOrderId', o.id, 'purchaseOrderDocNo', o.doc_no,
           'receiptId', r.id, 'receiptDocNo', r.doc_no, 'supplierBatch', l.supplier_batch, 'quantity', l.base_quantity::text,
           'accepted', l.accepted_base::text, 'rejected', l.rejected_base::text, 'receivedAt', ${iso('r.created_at')},
           'inspections', (SELECT coalesce(json_agg(json_build_object('inspector', i.inspector, 'accepted', i.accepted_base::text, 'rejected', i.rejected_base::text,
                                                                      'remarks', i.remarks, 'inspectedAt', ${iso('i.created_at')}) ORDER BY i.created_at), '[]')
                             FROM incoming_inspections i WHERE i.tenant_id = $1 AND i.receipt_line_id = l.id)) ORDER BY r.created_at, l.line_no) AS supplied
    FROM ${linesOf('purchase_receipt_lines')} l
    JOIN purchase_receipts r ON r.tenant_id = $1 AND r.id = l.receipt_id
    JOIN purchase_orders o ON o.tenant_id = $1 AND o.id = r.order_id
    JOIN partners p ON p.tenant_id = $1 AND p.id = r.supplier_id
   GROUP BY l.nm, l.nk
),
delivered AS (
  SELECT l.nm, l.nk, json_agg(json_build_object(
           'customerId', c.id, 'customerCode', c.code, 'customerName', c.name, 'outboundId', ob.id, 'outboundDocNo', ob.doc_no,
           'deliveryPlanId', dp.id, 'deliveryPlanDocNo', dp.doc_no, 'salesOrderDocNo', so.doc_no, 'quantity', l.base_quantity::text,
           'returned', l.returned_base::text, 'kept', (l.base_quantity - l.returned_base)::text, 'shippedAt', ${iso('ob.posted_at')}) ORDER BY ob.posted_at, l.line_no) AS delivered
    FROM ${linesOf('sales_outbound_lines')} l
    JOIN sales_outbounds ob ON ob.tenant_id = $1 AND ob.id = l.outbound_id AND ob.status = 'posted'
    JOIN partners c ON c.tenant_id = $1 AND c.id = ob.customer_id
    JOIN delivery_plans dp ON dp.tenant_id = $1 AND dp.id = ob.plan_id
    JOIN delivery_plan_lines pl ON pl.tenant_id = $1 AND pl.id = l.plan_line_id
    JOIN sales_order_lines sl ON sl.tenant_id = $1 AND sl.id = pl.order_line_id
    JOIN sales_orders so ON so.tenant_id = $1 AND so.id = sl.order_id
   GROUP BY l.nm, l.nk
),
-- Sales returns of the nodes, with the quality inspection of the returned goods (S1-5.4.5-e).
returned AS (
  SELECT l.nm, l.nk, json_agg(json_build_object(
           'returnId', r.id, 'returnDocNo', r.doc_no, 'customerId', c.id, 'customerCode', c.code, 'quantity', l.base_quantity::text,
           'reasonCode', r.reason_code, 'reason', r.reason, 'returnedAt', ${iso('r.created_at')},
           'inspection', CASE WHEN qi.id IS NULL THEN NULL ELSE json_build_object('id', qi.id, 'docNo', qi.doc_no, 'status', qi.status, 'judgement', qi.judgement) END)
           ORDER BY r.created_at, l.line_no) AS returned
    FROM ${linesOf('sales_return_lines')} l
    JOIN sales_returns r ON r.tenant_id = $1 AND r.id = l.return_id
    JOIN partners c ON c.tenant_id = $1 AND c.id = r.customer_id
    LEFT JOIN quality_inspections qi ON qi.tenant_id = $1 AND qi.id = l.quality_inspection_id
   GROUP BY l.nm, l.nk
),
stock AS (
  SELECT sb.nm, sb.nk, json_agg(json_build_object(
           'warehouseId', wh.id, 'warehouseCode', wh.code, 'warehouseKind', wh.kind, 'binId', bn.id, 'binCode', bn.code, 'quantity', sb.quantity::text)
           ORDER BY wh.code, bn.code NULLS FIRST) AS stock
    FROM ${ledgerOf('stock_balances')} sb
    JOIN warehouses wh ON wh.tenant_id = $1 AND wh.id = sb.warehouse_id
    LEFT JOIN bins bn ON bn.tenant_id = $1 AND bn.id = sb.bin_id
   WHERE sb.quantity <> 0
   GROUP BY sb.nm, sb.nk
),
ledger AS (
  SELECT sm.nm, sm.nk, count(*) AS movements, min(sm.occurred_at) AS first_at, max(sm.occurred_at) AS last_at
    FROM ${ledgerOf('stock_movements')} sm
   GROUP BY sm.nm, sm.nk
),
-- The materials of the nodes, each looked up once, for the nodes and both ends of the edges.
mats AS MATERIALIZED (
  SELECT m.id, m.code, m.name, m.base_unit FROM materials m WHERE m.tenant_id = $1 AND m.id IN (SELECT material_id FROM tracked)
),
-- The receipts the edges name, each once: an edge's receipt made its produced item, so it is mostly among the nodes'
-- made rows already; only the others are looked up.
edge_receipts AS MATERIALIZED (SELECT DISTINCT receipt_id, order_id FROM edges),
known AS MATERIALIZED (
  SELECT DISTINCT ON (k.receipt_id, k.order_id) k.receipt_id AS id, k.order_id, k.receipt_doc_no AS doc_no, k.created_at, k.order_doc_no
    FROM edge_receipts e JOIN made_rows k ON k.receipt_id = e.receipt_id AND k.order_id = e.order_id
),
unknown AS MATERIALIZED (
  SELECT e.* FROM edge_receipts e WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.id = e.receipt_id AND k.order_id = e.order_id)
),
receipts AS (
  SELECT * FROM known
  UNION ALL
  SELECT r.id, e.order_id, r.doc_no, r.created_at, po.doc_no
    FROM unknown e
    JOIN production_receipts r ON r.tenant_id = $1 AND r.id = e.receipt_id
    JOIN production_orders po ON po.tenant_id = $1 AND po.id = e.order_id
)
SELECT
  (SELECT coalesce(json_agg(json_build_object(
            'depth', n.depth, 'materialId', n.material_id, 'materialCode', m.code, 'materialName', m.name, 'baseUnit', m.base_unit,
            'batchNo', n.batch_no, 'serialNo', n.serial_no,
            'made', coalesce(made.made, '[]'), 'supplied', coalesce(supplied.supplied, '[]'), 'delivered', coalesce(delivered.delivered, '[]'),
            'stock', coalesce(stock.stock, '[]'), 'returned', coalesce(returned.returned, '[]'),
            'ledger', json_build_object('movements', coalesce(ledger.movements, 0), 'firstMovedAt', ${iso('ledger.first_at')}, 'lastMovedAt', ${iso('ledger.last_at')}))
          ORDER BY n.depth, m.code, n.node_key), '[]')
     FROM tracked n
     JOIN mats m ON m.id = n.material_id
     ${factOf('made')} ${factOf('supplied')} ${factOf('delivered')} ${factOf('stock')} ${factOf('returned')} ${factOf('ledger')}) AS nodes,
  (SELECT coalesce(json_agg(json_build_object(
            'fromMaterialCode', ${c}m.code, 'fromBatchNo', e.${c}batch_no, 'fromSerialNo', e.${c}serial_no,
            'toMaterialCode', ${p}m.code, 'toBatchNo', e.${p}batch_no, 'toSerialNo', e.${p}serial_no,
            'quantity', e.quantity::text, 'orderId', e.order_id, 'orderDocNo', r.order_doc_no, 'receiptId', e.receipt_id, 'receiptDocNo', r.doc_no)
          ORDER BY r.created_at, e.line_no, ${c}m.code, e.${c}batch_no, e.${c}serial_no, ${p}m.code, e.${p}batch_no, e.${p}serial_no), '[]')
     FROM edges e
     JOIN mats m ON m.id = e.material_id
     JOIN mats prev_m ON prev_m.id = e.prev_material_id
     JOIN receipts r ON r.id = e.receipt_id AND r.order_id = e.order_id) AS edges,
  ${more('serial')} OR ${more('batch')} AS truncated`;
}

/** One trace: the statement of the direction from the root, at most `depth` steps. */
export async function trace(tx: Sql, tenantId: string, direction: Direction, root: Root, depth: number): Promise<TraceRow> {
  const { rows } = await tx.query<TraceRow>(traceSql(direction), [tenantId, root.materialId, root.batchNo, root.serialNo, depth]);
  return rows[0];
}
