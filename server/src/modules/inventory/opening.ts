import type { Sql } from '../../platform/db.js';
import { createDocument } from './documents.js';
import type { StockDocument, StockLineInput } from './schema.js';

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
  const { rows } = await tx.query<{ ord: number }>(
    `SELECT DISTINCT k.ord FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS k(m, w, b, ba, s, ord)
       JOIN materials m ON m.tenant_id = $1 AND m.code = k.m
       JOIN warehouses w ON w.tenant_id = $1 AND w.code = k.w
       JOIN stock_document_lines l ON l.tenant_id = $1 AND l.material_id = m.id AND l.warehouse_id = w.id
       JOIN stock_documents d ON d.tenant_id = $1 AND d.id = l.document_id AND d.doc_type = 'other_in' AND d.status = 'posted' AND d.reason = $2
       LEFT JOIN bins bn ON bn.tenant_id = $1 AND bn.id = l.bin_id
      WHERE coalesce(bn.code, '') = k.b AND (k.ba = '' OR l.batch_no = k.ba) AND coalesce(l.serial_no, '') = k.s`,
    [tenantId, OPENING_STOCK_REASON, keys.map((k) => k.materialCode), keys.map((k) => k.warehouseCode), keys.map((k) => k.binCode), keys.map((k) => k.batchNo), keys.map((k) => k.serialNo)],
  );
  return new Set(rows.map((r) => openingKeyOf(keys[Number(r.ord) - 1])));
}

/** Posts opening stock as one posted other-in document: the ledger's only door, with every line's checks. */
export function postOpeningStock(tx: Sql, tenantId: string, actor: string, lines: StockLineInput[]): Promise<StockDocument> {
  return createDocument(tx, tenantId, actor, { type: 'other_in', reason: OPENING_STOCK_REASON, lines, post: true });
}
