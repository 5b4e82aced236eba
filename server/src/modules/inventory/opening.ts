import type { Sql } from '../../platform/db.js';
import * as masterdata from '../masterdata/repo.js';
import { createPostedDocument } from './documents.js';
import type { StockLineInput } from './schema.js';

/** The reason an opening-stock document carries: how a later import recognises what is already in. */
export const OPENING_STOCK_REASON = 'opening stock (import)';

/** Where one opening-stock line puts stock, by codes; an empty batch matches any batch (the rule numbered it). */
export interface OpeningKey {
  materialCode: string;
  warehouseCode: string;
  binCode: string;
  batchNo: string;
  serialNo: string;
}

export const openingKeyOf = (k: OpeningKey) => [k.materialCode, k.warehouseCode, k.binCode, k.batchNo, k.serialNo].join('|');

/**
 * Which of these opening-stock keys a posted opening-stock document already holds (S1-7.3-a):
 * a second import of the same opening balance finds its lines there and posts nothing again.
 */
export async function openingStockPresent(tx: Sql, tenantId: string, keys: OpeningKey[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const materials = await masterdata.findMaterials(tx, tenantId, [], [...new Set(keys.map((k) => k.materialCode))]);
  const codeOf = new Map(materials.map((m) => [m.id, m.code]));
  // The chunk's materials' opening receipts, material by material through the movements' material
  // index, so a chunk reads its own materials' movements, not every opening movement loaded before
  // it. OFFSET 0 keeps the nested loop whatever the statistics say (a tenant being loaded has none
  // yet), and the source filter stays outside so the source index is not taken instead.
  const { rows } = await tx.query<{ material_id: string; warehouse: string; bin: string; batch: string; serial: string }>(
    `SELECT mv.material_id, w.code AS warehouse, coalesce(bn.code, '') AS bin, coalesce(ba.batch_no, '') AS batch, coalesce(se.serial_no, '') AS serial
       FROM unnest($3::uuid[]) AS k(material_id)
       CROSS JOIN LATERAL (
         SELECT m.* FROM stock_movements m JOIN stock_documents d ON d.tenant_id = m.tenant_id AND d.id = m.source_id
          WHERE m.tenant_id = $1 AND m.material_id = k.material_id AND d.doc_type = 'other_in' AND d.reason = $2
         OFFSET 0) mv
       JOIN warehouses w ON w.tenant_id = mv.tenant_id AND w.id = mv.warehouse_id
       LEFT JOIN bins bn ON bn.tenant_id = mv.tenant_id AND bn.id = mv.bin_id
       LEFT JOIN batches ba ON ba.tenant_id = mv.tenant_id AND ba.id = mv.batch_id
       LEFT JOIN serials se ON se.tenant_id = mv.tenant_id AND se.id = mv.serial_id
      WHERE mv.movement_type = 'other_in' AND mv.source_type = 'stock_document'`,
    [tenantId, OPENING_STOCK_REASON, materials.map((m) => m.id)],
  );
  const held = new Set<string>();
  for (const r of rows) {
    const k = { materialCode: codeOf.get(r.material_id)!, warehouseCode: r.warehouse, binCode: r.bin, batchNo: r.batch, serialNo: r.serial };
    held.add(openingKeyOf(k));
    held.add(openingKeyOf({ ...k, batchNo: '' }));
  }
  return new Set(keys.map(openingKeyOf).filter((k) => held.has(k)));
}

/**
 * Posts opening stock as one other-in document created posted: the ledger's only door
 * (postMovements), with every line's checks, in a few statements per chunk of lines.
 */
export function postOpeningStock(tx: Sql, tenantId: string, actor: string, lines: StockLineInput[]): Promise<{ id: string; docNo: string }> {
  return createPostedDocument(tx, tenantId, actor, { type: 'other_in', reason: OPENING_STOCK_REASON, lines });
}
