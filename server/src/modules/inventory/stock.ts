import type { Sql } from '../../platform/db.js';
import { fieldError, notFound, unprocessable } from '../../platform/errors.js';
import { formatQty, qty } from '../../platform/quantity.js';
import * as repo from './repo.js';

/**
 * FIFO suggestion (S1-5.4.3-i): the batches and bins to pick for a quantity, earliest expiry
 * first where the material tracks expiry, then oldest receipt, then location code for a stable
 * order. Only positive balances in active warehouses that are not quarantine or WIP count, and
 * never a batch past its expiry date: that quantity is reported as `expired`, not suggested.
 */
export async function suggestFifo(tx: Sql, tenantId: string, materialId: string, quantity: string, warehouseId?: string) {
  if (!qty(quantity).gt(0)) throw unprocessable('FIFO_QUERY_INVALID', 'a FIFO suggestion is for a quantity greater than 0', [fieldError('quantity', 'NOT_POSITIVE', 'must be greater than 0', 'query')]);
  const material = await tx.query<{ track_expiry: boolean }>('SELECT track_expiry FROM materials WHERE tenant_id = $1 AND id = $2', [tenantId, materialId]);
  if (!material.rows[0]) throw notFound('material', materialId);
  const { rows } = await tx.query<{
    warehouse_id: string; bin_id: string | null; batch_id: string | null; batch_no: string | null; serial_no: string | null;
    expiry_date: string | null; received_at: Date | null; quantity: string; expired: boolean;
  }>(
    `SELECT b.warehouse_id, b.bin_id, b.batch_id, ba.batch_no, s.serial_no, ba.expiry_date::text, ba.received_at, b.quantity::text,
            coalesce(ba.expiry_date < current_date, false) AS expired
       FROM stock_balances b
       JOIN warehouses w ON w.tenant_id = b.tenant_id AND w.id = b.warehouse_id
       LEFT JOIN bins bi ON bi.tenant_id = b.tenant_id AND bi.id = b.bin_id
       LEFT JOIN batches ba ON ba.tenant_id = b.tenant_id AND ba.id = b.batch_id
       LEFT JOIN serials s ON s.tenant_id = b.tenant_id AND s.id = b.serial_id
      WHERE b.tenant_id = $1 AND b.material_id = $2 AND b.quantity > 0 AND w.status = 'active' AND w.kind = 'normal'
        AND ($3::uuid IS NULL OR b.warehouse_id = $3)
      ORDER BY CASE WHEN $4 THEN ba.expiry_date END ASC NULLS LAST, ba.received_at ASC NULLS LAST, w.code, bi.code NULLS FIRST, s.serial_no`,
    [tenantId, materialId, warehouseId ?? null, material.rows[0].track_expiry],
  );
  let open = qty(quantity);
  const picks = [];
  const expired = rows.filter((r) => r.expired).reduce((sum, r) => sum.plus(qty(r.quantity)), qty(0));
  for (const r of rows.filter((x) => !x.expired)) {
    if (!open.gt(0)) break; // not isPositive(): decimal.js counts 0 as positive
    const take = qty(r.quantity).lessThan(open) ? qty(r.quantity) : open;
    picks.push({
      warehouseId: r.warehouse_id, binId: r.bin_id, batchId: r.batch_id, batchNo: r.batch_no, serialNo: r.serial_no, expiryDate: r.expiry_date,
      receivedAt: r.received_at?.toISOString() ?? null, available: r.quantity, quantity: formatQty(take),
    });
    open = open.minus(take);
  }
  return { materialId, requested: formatQty(qty(quantity)), suggested: formatQty(qty(quantity).minus(open)), shortfall: formatQty(open), expired: formatQty(expired), picks };
}

export interface BalanceFilter {
  materialId?: string;
  warehouseId?: string;
  binId?: string;
  batchNo?: string;
  category?: string;
  includeZero?: boolean;
}

/** Real-time stock (S1-5.4.3-k) at the finest grain, filterable by any dimension, by key order. */
export async function listBalances(tx: Sql, tenantId: string, f: BalanceFilter, limit: number, after?: string[]) {
  const { rows } = await tx.query<{
    material_id: string; material_code: string; warehouse_id: string; warehouse_code: string; bin_id: string | null; bin_code: string | null;
    batch_no: string | null; serial_no: string | null; quantity: string; base_unit: string;
  }>(
    `SELECT b.material_id, m.code AS material_code, b.warehouse_id, w.code AS warehouse_code, b.bin_id, bi.code AS bin_code,
            ba.batch_no, s.serial_no, b.quantity::text, m.base_unit
       FROM stock_balances b
       JOIN materials m ON m.tenant_id = b.tenant_id AND m.id = b.material_id
       JOIN warehouses w ON w.tenant_id = b.tenant_id AND w.id = b.warehouse_id
       LEFT JOIN bins bi ON bi.tenant_id = b.tenant_id AND bi.id = b.bin_id
       LEFT JOIN batches ba ON ba.tenant_id = b.tenant_id AND ba.id = b.batch_id
       LEFT JOIN serials s ON s.tenant_id = b.tenant_id AND s.id = b.serial_id
      WHERE b.tenant_id = $1 AND ($2::uuid IS NULL OR b.material_id = $2) AND ($3::uuid IS NULL OR b.warehouse_id = $3)
        AND ($4::uuid IS NULL OR b.bin_id = $4) AND ($5::text IS NULL OR ba.batch_no = $5) AND ($6::text IS NULL OR m.category = $6)
        AND ($7 OR b.quantity <> 0)
        AND ($8::text IS NULL OR (m.code, w.code, coalesce(bi.code, ''), coalesce(ba.batch_no, ''), coalesce(s.serial_no, '')) > ($8, $9, $10, $11, $12))
      ORDER BY m.code, w.code, coalesce(bi.code, ''), coalesce(ba.batch_no, ''), coalesce(s.serial_no, '')
      LIMIT $13`,
    [
      tenantId, f.materialId ?? null, f.warehouseId ?? null, f.binId ?? null, f.batchNo ?? null, f.category ?? null, f.includeZero ?? false,
      after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, after?.[3] ?? null, after?.[4] ?? null, limit + 1,
    ],
  );
  return rows.map((r) => ({
    materialId: r.material_id, materialCode: r.material_code, warehouseId: r.warehouse_id, warehouseCode: r.warehouse_code, binId: r.bin_id,
    binCode: r.bin_code, batchNo: r.batch_no, serialNo: r.serial_no, quantity: r.quantity, baseUnit: r.base_unit,
  }));
}

export async function listMovements(
  tx: Sql,
  tenantId: string,
  f: { materialId?: string; warehouseId?: string; serialNo?: string; batchNo?: string; sourceId?: string; from?: string; to?: string },
  limit: number,
  afterId?: string,
) {
  const { rows } = await tx.query<{
    id: string; movement_type: string; material_id: string; material_code: string; warehouse_id: string; bin_id: string | null; batch_no: string | null;
    serial_no: string | null; quantity: string; entered_quantity: string; entered_unit: string; source_type: string; source_id: string; source_line: number;
    occurred_at: Date; posted_by: string;
  }>(
    `SELECT sm.id::text, sm.movement_type, sm.material_id, m.code AS material_code, sm.warehouse_id, sm.bin_id, ba.batch_no, s.serial_no,
            sm.quantity::text, sm.entered_quantity::text, sm.entered_unit, sm.source_type, sm.source_id, sm.source_line, sm.occurred_at, sm.posted_by
       FROM stock_movements sm
       JOIN materials m ON m.tenant_id = sm.tenant_id AND m.id = sm.material_id
       LEFT JOIN batches ba ON ba.tenant_id = sm.tenant_id AND ba.id = sm.batch_id
       LEFT JOIN serials s ON s.tenant_id = sm.tenant_id AND s.id = sm.serial_id
      WHERE sm.tenant_id = $1 AND ($2::bigint IS NULL OR sm.id > $2) AND ($3::uuid IS NULL OR sm.material_id = $3)
        AND ($4::uuid IS NULL OR sm.warehouse_id = $4) AND ($5::text IS NULL OR s.serial_no = $5) AND ($6::text IS NULL OR ba.batch_no = $6)
        AND ($7::uuid IS NULL OR sm.source_id = $7) AND ($8::timestamptz IS NULL OR sm.occurred_at >= $8) AND ($9::timestamptz IS NULL OR sm.occurred_at < $9)
      ORDER BY sm.id LIMIT $10`,
    [tenantId, afterId ?? null, f.materialId ?? null, f.warehouseId ?? null, f.serialNo ?? null, f.batchNo ?? null, f.sourceId ?? null, f.from ?? null, f.to ?? null, limit + 1],
  );
  return rows.map((r) => ({
    id: r.id, type: r.movement_type, materialId: r.material_id, materialCode: r.material_code, warehouseId: r.warehouse_id, binId: r.bin_id,
    batchNo: r.batch_no, serialNo: r.serial_no, quantity: r.quantity, enteredQuantity: r.entered_quantity, enteredUnit: r.entered_unit,
    sourceType: r.source_type, sourceId: r.source_id, sourceLine: r.source_line, occurredAt: r.occurred_at.toISOString(), postedBy: r.posted_by,
  }));
}

/** Batches of a material (S1-5.4.3-f) with their dates, supplier lot and stock on hand, oldest first. */
export async function listBatches(tx: Sql, tenantId: string, materialId: string) {
  const { rows } = await tx.query<{
    id: string; batch_no: string; production_date: string | null; expiry_date: string | null; supplier_batch: string | null; received_at: Date; on_hand: string;
  }>(
    `SELECT ba.id, ba.batch_no, ba.production_date::text, ba.expiry_date::text, ba.supplier_batch, ba.received_at,
            coalesce((SELECT sum(b.quantity) FROM stock_balances b WHERE b.tenant_id = ba.tenant_id AND b.batch_id = ba.id), 0)::text AS on_hand
       FROM batches ba WHERE ba.tenant_id = $1 AND ba.material_id = $2 ORDER BY ba.received_at, ba.batch_no`,
    [tenantId, materialId],
  );
  return rows.map((r) => ({
    id: r.id, batchNo: r.batch_no, productionDate: r.production_date, expiryDate: r.expiry_date, supplierBatch: r.supplier_batch,
    receivedAt: r.received_at.toISOString(), onHand: r.on_hand,
  }));
}

/**
 * What planning and kitting count as on hand, per material (base unit): positive balances in
 * active normal warehouses (not quarantine, not WIP), and the tenant-wide safety stock (the larger
 * of the tenant-wide level and the sum of the per-warehouse ones). `materialIds` null: all.
 */
export async function planningStock(tx: Sql, tenantId: string, materialIds: string[] | null) {
  const onHand = await tx.query<{ material_id: string; quantity: string }>(
    `SELECT b.material_id, sum(b.quantity)::text AS quantity
       FROM stock_balances b JOIN warehouses w ON w.tenant_id = b.tenant_id AND w.id = b.warehouse_id
      WHERE b.tenant_id = $1 AND b.quantity > 0 AND w.status = 'active' AND w.kind = 'normal' AND ($2::uuid[] IS NULL OR b.material_id = ANY($2::uuid[]))
      GROUP BY b.material_id`,
    [tenantId, materialIds],
  );
  const safety = await tx.query<{ material_id: string; quantity: string }>(
    `SELECT material_id, greatest(coalesce(max(quantity) FILTER (WHERE warehouse_id IS NULL), 0), coalesce(sum(quantity) FILTER (WHERE warehouse_id IS NOT NULL), 0))::text AS quantity
       FROM safety_stocks WHERE tenant_id = $1 AND ($2::uuid[] IS NULL OR material_id = ANY($2::uuid[])) GROUP BY material_id`,
    [tenantId, materialIds],
  );
  return {
    onHand: new Map(onHand.rows.map((r) => [r.material_id, qty(r.quantity)])),
    safetyStock: new Map(safety.rows.filter((r) => qty(r.quantity).gt(0)).map((r) => [r.material_id, qty(r.quantity)])),
  };
}

/** The id of a material's batch, or null when the ledger has never seen that batch number (other modules read batches through here). */
export const findBatchId = (tx: Sql, tenantId: string, materialId: string, batchNo: string) => repo.batchId(tx, tenantId, materialId, batchNo);
