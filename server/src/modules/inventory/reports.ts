/**
 * Inventory reports (S1-5.4.3-k): the receive/issue/balance summary over a period and safety
 * stock against on-hand.
 */
import type { Sql } from '../../platform/db.js';
import { formatQty, qty } from '../../platform/quantity.js';
import type { SafetyStockRow, StockSummaryFilter, StockSummaryRow } from './report-schema.js';

const norm = (n: string) => formatQty(qty(n));

/**
 * Opening (movements before `from`), receipts and issues (positive and negative movements in
 * [from, to)) and closing per material, one page by material code.
 *
 * The page walks materials in code order (index materials(tenant_id, code)) and aggregates each
 * one's movements before `to` through the index stock_movements_summary (tenant_id, material_id,
 * occurred_at) INCLUDE (warehouse_id, quantity): an index-only range scan per material, stopping
 * once the page is full. Materials with nothing to show are skipped unless includeZero.
 */
export async function stockSummary(tx: Sql, tenantId: string, f: StockSummaryFilter, limit: number, afterCode?: string): Promise<StockSummaryRow[]> {
  const { rows } = await tx.query<{
    id: string; code: string; name: string; category: string; base_unit: string; opening: string; receipts: string; issues: string;
  }>(
    `SELECT m.id, m.code, m.name, m.category, m.base_unit, s.opening::text, s.receipts::text, s.issues::text
       FROM materials m
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(sm.quantity) FILTER (WHERE sm.occurred_at < $2), 0) AS opening,
                coalesce(sum(sm.quantity) FILTER (WHERE sm.occurred_at >= $2 AND sm.quantity > 0), 0) AS receipts,
                coalesce(-sum(sm.quantity) FILTER (WHERE sm.occurred_at >= $2 AND sm.quantity < 0), 0) AS issues
           FROM stock_movements sm
          WHERE sm.tenant_id = $1 AND sm.material_id = m.id AND sm.occurred_at < $3 AND ($4::uuid IS NULL OR sm.warehouse_id = $4)
       ) s
      WHERE m.tenant_id = $1 AND ($5::uuid IS NULL OR m.id = $5) AND ($6::text IS NULL OR m.category = $6) AND ($7::text IS NULL OR m.code > $7)
        AND ($8 OR s.opening <> 0 OR s.receipts <> 0 OR s.issues <> 0)
      ORDER BY m.code
      LIMIT $9`,
    [tenantId, f.from, f.to, f.warehouseId ?? null, f.materialId ?? null, f.category ?? null, afterCode ?? null, f.includeZero ?? false, limit + 1],
  );
  return rows.map((r) => {
    const closing = qty(r.opening).plus(qty(r.receipts)).minus(qty(r.issues));
    return {
      materialId: r.id, materialCode: r.code, materialName: r.name, category: r.category, baseUnit: r.base_unit, warehouseId: f.warehouseId ?? null,
      opening: norm(r.opening), receipts: norm(r.receipts), issues: norm(r.issues), closing: formatQty(closing),
    };
  });
}

/**
 * Safety stock levels with on-hand and shortfall, by material code then warehouse code (a
 * tenant-wide level first). A warehouse's level compares with that warehouse's stock; a
 * tenant-wide level with the stock of all active normal warehouses (quarantine and WIP stock is
 * not available). onlyShort keeps the levels that stock is below.
 */
export async function safetyStock(
  tx: Sql,
  tenantId: string,
  f: { warehouseId?: string; onlyShort: boolean },
  limit: number,
  after?: [string, string],
): Promise<SafetyStockRow[]> {
  const { rows } = await tx.query<{
    material_id: string; material_code: string; material_name: string; base_unit: string; warehouse_id: string | null; warehouse_code: string | null;
    level: string; on_hand: string;
  }>(
    `SELECT * FROM (
       SELECT ss.material_id, m.code AS material_code, m.name AS material_name, m.base_unit, ss.warehouse_id, w.code AS warehouse_code,
              ss.quantity::text AS level,
              coalesce((SELECT sum(b.quantity) FROM stock_balances b JOIN warehouses bw ON bw.tenant_id = b.tenant_id AND bw.id = b.warehouse_id
                         WHERE b.tenant_id = $1 AND b.material_id = ss.material_id
                           AND (b.warehouse_id = ss.warehouse_id OR (ss.warehouse_id IS NULL AND bw.kind = 'normal' AND bw.status = 'active'))), 0)::text AS on_hand
         FROM safety_stocks ss
         JOIN materials m ON m.tenant_id = ss.tenant_id AND m.id = ss.material_id
         LEFT JOIN warehouses w ON w.tenant_id = ss.tenant_id AND w.id = ss.warehouse_id
        WHERE ss.tenant_id = $1 AND ($2::uuid IS NULL OR ss.warehouse_id = $2)
          AND ($3::text IS NULL OR (m.code, coalesce(w.code, '')) > ($3, $4))
     ) x
      WHERE NOT $5 OR x.on_hand::numeric < x.level::numeric
      ORDER BY x.material_code, coalesce(x.warehouse_code, '')
      LIMIT $6`,
    [tenantId, f.warehouseId ?? null, after?.[0] ?? null, after?.[1] ?? null, f.onlyShort, limit + 1],
  );
  return rows.map((r) => {
    const level = qty(r.level);
    const onHand = qty(r.on_hand);
    return {
      materialId: r.material_id, materialCode: r.material_code, materialName: r.material_name, baseUnit: r.base_unit, warehouseId: r.warehouse_id,
      warehouseCode: r.warehouse_code, level: formatQty(level), onHand: formatQty(onHand), shortfall: formatQty(onHand.lessThan(level) ? level.minus(onHand) : qty(0)),
    };
  });
}
