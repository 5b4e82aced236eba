import type { Sql } from '../../platform/db.js';
import { qty } from '../../platform/quantity.js';
import type { ResolvedLine } from './documents.js';
import type { Movement, MovementType } from './ledger.js';
import type { StockDocument } from './schema.js';

export interface BinRef {
  id: string;
  warehouseId: string;
  code: string;
}

export async function binsOf(tx: Sql, tenantId: string): Promise<BinRef[]> {
  const { rows } = await tx.query<{ id: string; warehouse_id: string; code: string }>('SELECT id, warehouse_id, code FROM bins WHERE tenant_id = $1', [tenantId]);
  return rows.map((r) => ({ id: r.id, warehouseId: r.warehouse_id, code: r.code }));
}

/** A draft, or with postedBy a document posted as it is created (its lines are posted in the same transaction). */
export async function insertDocument(tx: Sql, tenantId: string, d: { id: string; docNo: string; type: string; reason: string; createdBy: string; reversesId: string | null; postedBy?: string }): Promise<void> {
  tx.defer(
    `INSERT INTO stock_documents (tenant_id, id, doc_no, doc_type, reason, created_by, reverses_id, status, posted_by, posted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::text IS NULL THEN 'draft' ELSE 'posted' END, $8, CASE WHEN $8::text IS NULL THEN NULL ELSE now() END)`,
    [tenantId, d.id, d.docNo, d.type, d.reason, d.createdBy, d.reversesId, d.postedBy ?? null],
  );
}

export async function setDocNo(tx: Sql, tenantId: string, id: string, docNo: string): Promise<void> {
  tx.defer('UPDATE stock_documents SET doc_no = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, id, docNo]);
}

/** All lines in one statement: a 10,000-line count sheet is one round trip. */
export async function insertLines(tx: Sql, tenantId: string, documentId: string, lines: ResolvedLine[]): Promise<void> {
  const col = <T>(f: (l: ResolvedLine) => T) => lines.map(f);
  tx.defer(
    `INSERT INTO stock_document_lines (tenant_id, document_id, line_no, material_id, quantity, unit, base_quantity, warehouse_id, bin_id,
                                       to_warehouse_id, to_bin_id, batch_no, serial_no, production_date, expiry_date, supplier_batch)
     SELECT $1, $2, * FROM unnest($3::int[], $4::uuid[], $5::numeric[], $6::text[], $7::numeric[], $8::uuid[], $9::uuid[], $10::uuid[], $11::uuid[],
                                  $12::text[], $13::text[], $14::date[], $15::date[], $16::text[])`,
    [
      tenantId, documentId, col((l) => l.lineNo), col((l) => l.material.id), col((l) => l.quantity), col((l) => l.unit), col((l) => l.baseQuantity),
      col((l) => l.warehouseId), col((l) => l.binId), col((l) => l.toWarehouseId), col((l) => l.toBinId), col((l) => l.batchNo), col((l) => l.serialNo),
      col((l) => l.productionDate), col((l) => l.expiryDate), col((l) => l.supplierBatch),
    ],
  );
}

export async function copyLines(tx: Sql, tenantId: string, fromId: string, toId: string): Promise<void> {
  await tx.query(
    `INSERT INTO stock_document_lines (tenant_id, document_id, line_no, material_id, quantity, unit, base_quantity, warehouse_id, bin_id,
                                       to_warehouse_id, to_bin_id, batch_no, serial_no, production_date, expiry_date, supplier_batch)
     SELECT tenant_id, $3, line_no, material_id, quantity, unit, base_quantity, warehouse_id, bin_id, to_warehouse_id, to_bin_id, batch_no,
            serial_no, production_date, expiry_date, supplier_batch
       FROM stock_document_lines WHERE tenant_id = $1 AND document_id = $2`,
    [tenantId, fromId, toId],
  );
}

export async function lockDocument(tx: Sql, tenantId: string, id: string): Promise<void> {
  await tx.query('SELECT 1 FROM stock_documents WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
}

/** Draft to posted, once: the row lock makes a concurrent second post see zero rows. */
export async function markPosted(tx: Sql, tenantId: string, id: string, actor: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE stock_documents SET status = 'posted', posted_by = $3, posted_at = now(), version = version + 1
      WHERE tenant_id = $1 AND id = $2 AND status = 'draft'`,
    [tenantId, id, actor],
  );
  return rowCount === 1;
}

interface DocRow {
  id: string;
  doc_no: string;
  doc_type: StockDocument['type'];
  status: StockDocument['status'];
  reason: string;
  reverses_id: string | null;
  reversed_by_id: string | null;
  created_by: string;
  posted_by: string | null;
  posted_at: Date | null;
  created_at: Date;
}

const DOC_SELECT = `SELECT d.id, d.doc_no, d.doc_type, d.status, d.reason, d.reverses_id, r.id AS reversed_by_id, d.created_by, d.posted_by, d.posted_at, d.created_at
  FROM stock_documents d LEFT JOIN stock_documents r ON r.tenant_id = d.tenant_id AND r.reverses_id = d.id`;

const toSummary = (r: DocRow): Omit<StockDocument, 'lines'> => ({
  id: r.id,
  docNo: r.doc_no,
  type: r.doc_type,
  status: r.status,
  reason: r.reason,
  reversesId: r.reverses_id,
  reversedById: r.reversed_by_id,
  createdBy: r.created_by,
  postedBy: r.posted_by,
  postedAt: r.posted_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export async function findDocument(tx: Sql, tenantId: string, id: string): Promise<StockDocument | undefined> {
  // The document and its lines in one write.
  const [{ rows }, lines] = await Promise.all([tx.query<DocRow>(`${DOC_SELECT} WHERE d.tenant_id = $1 AND d.id = $2`, [tenantId, id]), tx.query<{
    line_no: number; material_id: string; material_code: string; quantity: string; unit: string; base_quantity: string; base_unit: string;
    warehouse_id: string; bin_id: string | null; to_warehouse_id: string | null; to_bin_id: string | null; batch_no: string | null; serial_no: string | null;
    production_date: string | null; expiry_date: string | null; supplier_batch: string | null;
  }>(
    `SELECT l.line_no, l.material_id, m.code AS material_code, l.quantity::text, l.unit, l.base_quantity::text, m.base_unit, l.warehouse_id, l.bin_id,
            l.to_warehouse_id, l.to_bin_id, l.batch_no, l.serial_no, l.production_date::text, l.expiry_date::text, l.supplier_batch
       FROM stock_document_lines l JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id
      WHERE l.tenant_id = $1 AND l.document_id = $2 ORDER BY l.line_no`,
    [tenantId, id],
  )]);
  if (!rows[0]) return undefined;
  return {
    ...toSummary(rows[0]),
    lines: lines.rows.map((l) => ({
      lineNo: l.line_no, materialId: l.material_id, materialCode: l.material_code, quantity: l.quantity, unit: l.unit, baseQuantity: l.base_quantity,
      baseUnit: l.base_unit, warehouseId: l.warehouse_id, binId: l.bin_id, toWarehouseId: l.to_warehouse_id, toBinId: l.to_bin_id, batchNo: l.batch_no,
      serialNo: l.serial_no, productionDate: l.production_date, expiryDate: l.expiry_date, supplierBatch: l.supplier_batch,
    })),
  };
}

export async function listDocuments(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; status?: string; type?: string }) {
  const { rows } = await tx.query<DocRow>(
    `${DOC_SELECT} WHERE d.tenant_id = $1 AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
        AND ($4::text IS NULL OR d.status = $4) AND ($5::text IS NULL OR d.doc_type = $5)
      ORDER BY d.created_at DESC, d.id DESC LIMIT $6`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.status ?? null, q.type ?? null, q.limit + 1],
  );
  return rows.map(toSummary);
}

/**
 * The batch's id; for an inbound line the batch is created on first receipt with its dates.
 */
export async function batchId(
  tx: Sql,
  tenantId: string,
  materialId: string,
  batchNo: string,
  inbound?: { productionDate: string | null; expiryDate: string | null; supplierBatch: string | null },
): Promise<string | null> {
  if (inbound) {
    // A receipt never changes a date the batch has (callers refuse different ones first:
    // BATCH_ATTRIBUTES_DIFFER); it fills in one the batch was received without.
    await tx.query(
      `INSERT INTO batches (tenant_id, material_id, batch_no, production_date, expiry_date, supplier_batch) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, material_id, batch_no) DO NOTHING`,
      [tenantId, materialId, batchNo, inbound.productionDate, inbound.expiryDate, inbound.supplierBatch],
    );
    // Only a batch that lacks a date the line brings is updated (and so locked): concurrent
    // receipts into the same batches do not queue on its row.
    if (inbound.productionDate || inbound.expiryDate || inbound.supplierBatch) {
      await tx.query(
        `UPDATE batches SET production_date = coalesce(production_date, $4), expiry_date = coalesce(expiry_date, $5), supplier_batch = coalesce(supplier_batch, $6)
          WHERE tenant_id = $1 AND material_id = $2 AND batch_no = $3
            AND ((production_date IS NULL AND $4::date IS NOT NULL) OR (expiry_date IS NULL AND $5::date IS NOT NULL) OR (supplier_batch IS NULL AND $6::text IS NOT NULL))`,
        [tenantId, materialId, batchNo, inbound.productionDate, inbound.expiryDate, inbound.supplierBatch],
      );
    }
  }
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM batches WHERE tenant_id = $1 AND material_id = $2 AND batch_no = $3', [tenantId, materialId, batchNo]);
  return rows[0]?.id ?? null;
}

/** A (material, batch number) pair a document's lines name, with the dates an inbound line brings. */
export interface BatchRef {
  materialId: string;
  batchNo: string;
  productionDate?: string | null;
  expiryDate?: string | null;
  supplierBatch?: string | null;
}

/**
 * The ids of many batches by `material|batchNo`, in at most three statements whatever their
 * number (a document's lines at once). Inbound, as batchId: missing batches are created, and a
 * date a batch lacks is filled from the first line that brings it.
 */
export async function batchIds(tx: Sql, tenantId: string, refs: BatchRef[], inbound: boolean): Promise<Map<string, string>> {
  const byKey = new Map<string, Required<BatchRef>>();
  for (const r of refs) {
    const k = `${r.materialId}|${r.batchNo}`;
    const had = byKey.get(k);
    byKey.set(k, {
      materialId: r.materialId, batchNo: r.batchNo, productionDate: had?.productionDate ?? r.productionDate ?? null, expiryDate: had?.expiryDate ?? r.expiryDate ?? null,
      supplierBatch: had?.supplierBatch ?? r.supplierBatch ?? null,
    });
  }
  if (!byKey.size) return new Map();
  const list = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  const arrays = [list.map((r) => r.materialId), list.map((r) => r.batchNo), list.map((r) => r.productionDate), list.map((r) => r.expiryDate), list.map((r) => r.supplierBatch)];
  if (inbound) {
    await tx.query(
      `INSERT INTO batches (tenant_id, material_id, batch_no, production_date, expiry_date, supplier_batch)
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::date[], $5::date[], $6::text[]) ON CONFLICT (tenant_id, material_id, batch_no) DO NOTHING`,
      [tenantId, ...arrays],
    );
    if (list.some((r) => r.productionDate || r.expiryDate || r.supplierBatch)) {
      await tx.query(
        `UPDATE batches b SET production_date = coalesce(b.production_date, x.pd), expiry_date = coalesce(b.expiry_date, x.ed), supplier_batch = coalesce(b.supplier_batch, x.sb)
           FROM unnest($2::uuid[], $3::text[], $4::date[], $5::date[], $6::text[]) AS x(m, n, pd, ed, sb)
          WHERE b.tenant_id = $1 AND b.material_id = x.m AND b.batch_no = x.n
            AND ((b.production_date IS NULL AND x.pd IS NOT NULL) OR (b.expiry_date IS NULL AND x.ed IS NOT NULL) OR (b.supplier_batch IS NULL AND x.sb IS NOT NULL))`,
        [tenantId, ...arrays],
      );
    }
  }
  const { rows } = await tx.query<{ id: string; material_id: string; batch_no: string }>(
    `SELECT b.id, b.material_id, b.batch_no FROM batches b JOIN unnest($2::uuid[], $3::text[]) AS x(m, n) ON b.material_id = x.m AND b.batch_no = x.n WHERE b.tenant_id = $1`,
    [tenantId, arrays[0], arrays[1]],
  );
  return new Map(rows.map((r) => [`${r.material_id}|${r.batch_no}`, r.id]));
}

/** The ids of many serials by `material|serialNo`, in at most two statements; inbound, as serialId: missing ones are created in their batch. */
export async function serialIds(tx: Sql, tenantId: string, refs: { materialId: string; serialNo: string; batchId: string | null }[], inbound: boolean): Promise<Map<string, string>> {
  if (!refs.length) return new Map();
  const list = [...new Map(refs.map((r) => [`${r.materialId}|${r.serialNo}`, r])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  if (inbound) {
    await tx.query(
      `INSERT INTO serials (tenant_id, material_id, serial_no, batch_id) SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::uuid[])
         ON CONFLICT (tenant_id, material_id, serial_no) DO NOTHING`,
      [tenantId, list.map((r) => r.materialId), list.map((r) => r.serialNo), list.map((r) => r.batchId)],
    );
  }
  const { rows } = await tx.query<{ id: string; material_id: string; serial_no: string }>(
    `SELECT s.id, s.material_id, s.serial_no FROM serials s JOIN unnest($2::uuid[], $3::text[]) AS x(m, n) ON s.material_id = x.m AND s.serial_no = x.n WHERE s.tenant_id = $1`,
    [tenantId, list.map((r) => r.materialId), list.map((r) => r.serialNo)],
  );
  return new Map(rows.map((r) => [`${r.material_id}|${r.serial_no}`, r.id]));
}

export interface RecordedBatch {
  productionDate: string | null;
  expiryDate: string | null;
}

/** The dates of the existing batches among these (material, batch number) pairs, by `material|batchNo`. */
export async function recordedBatches(tx: Sql, tenantId: string, pairs: { materialId: string; batchNo: string }[]): Promise<Map<string, RecordedBatch>> {
  if (!pairs.length) return new Map();
  const { rows } = await tx.query<{ material_id: string; batch_no: string; production_date: string | null; expiry_date: string | null }>(
    `SELECT b.material_id, b.batch_no, b.production_date::text, b.expiry_date::text FROM batches b JOIN unnest($2::uuid[], $3::text[]) AS x(m, n) ON b.material_id = x.m AND b.batch_no = x.n
      WHERE b.tenant_id = $1`,
    [tenantId, pairs.map((p) => p.materialId), pairs.map((p) => p.batchNo)],
  );
  return new Map(rows.map((r) => [`${r.material_id}|${r.batch_no}`, { productionDate: r.production_date, expiryDate: r.expiry_date }]));
}

/** The batches of these (material, batch number) pairs that are past their expiry date today, with that date. */
export async function expiredBatches(tx: Sql, tenantId: string, pairs: { materialId: string; batchNo: string }[]): Promise<Map<string, string>> {
  if (!pairs.length) return new Map();
  const { rows } = await tx.query<{ material_id: string; batch_no: string; expiry_date: string }>(
    `SELECT b.material_id, b.batch_no, b.expiry_date::text FROM batches b JOIN unnest($2::uuid[], $3::text[]) AS x(m, n) ON b.material_id = x.m AND b.batch_no = x.n
      WHERE b.tenant_id = $1 AND b.expiry_date < current_date`,
    [tenantId, pairs.map((p) => p.materialId), pairs.map((p) => p.batchNo)],
  );
  return new Map(rows.map((r) => [`${r.material_id}|${r.batch_no}`, r.expiry_date]));
}

export async function serialId(tx: Sql, tenantId: string, materialId: string, serialNo: string, batch: string | null, inbound: boolean): Promise<string | null> {
  if (inbound) {
    await tx.query(
      `INSERT INTO serials (tenant_id, material_id, serial_no, batch_id) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, material_id, serial_no) DO NOTHING`,
      [tenantId, materialId, serialNo, batch],
    );
  }
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM serials WHERE tenant_id = $1 AND material_id = $2 AND serial_no = $3', [tenantId, materialId, serialNo]);
  return rows[0]?.id ?? null;
}

export async function movementsOf(tx: Sql, tenantId: string, sourceType: string, sourceId: string): Promise<Omit<Movement, 'field'>[]> {
  const { rows } = await tx.query<{
    movement_type: MovementType; material_id: string; warehouse_id: string; bin_id: string | null; batch_id: string | null; serial_id: string | null;
    quantity: string; entered_quantity: string; entered_unit: string; source_line: number;
  }>(
    `SELECT movement_type, material_id, warehouse_id, bin_id, batch_id, serial_id, quantity::text, entered_quantity::text, entered_unit, source_line
       FROM stock_movements WHERE tenant_id = $1 AND source_type = $2 AND source_id = $3 ORDER BY id`,
    [tenantId, sourceType, sourceId],
  );
  return rows.map((r) => ({
    type: r.movement_type, materialId: r.material_id, warehouseId: r.warehouse_id, binId: r.bin_id, batchId: r.batch_id, serialId: r.serial_id,
    quantity: qty(r.quantity), enteredQuantity: r.entered_quantity, enteredUnit: r.entered_unit, sourceLine: r.source_line,
  }));
}

/** The batches and serials a document moved, per source line (quantities unsigned): where goods came from. */
export async function batchesMovedBy(tx: Sql, tenantId: string, sourceType: string, sourceId: string): Promise<{ sourceLine: number; batchNo: string | null; serialNo: string | null; quantity: string }[]> {
  const { rows } = await tx.query<{ source_line: number; batch_no: string | null; serial_no: string | null; quantity: string }>(
    `SELECT mv.source_line, b.batch_no, s.serial_no, abs(sum(mv.quantity))::text AS quantity
       FROM stock_movements mv
       LEFT JOIN batches b ON b.tenant_id = mv.tenant_id AND b.id = mv.batch_id
       LEFT JOIN serials s ON s.tenant_id = mv.tenant_id AND s.id = mv.serial_id
      WHERE mv.tenant_id = $1 AND mv.source_type = $2 AND mv.source_id = $3 AND (mv.batch_id IS NOT NULL OR mv.serial_id IS NOT NULL)
      GROUP BY mv.source_line, b.batch_no, s.serial_no
      ORDER BY mv.source_line, b.batch_no, s.serial_no`,
    [tenantId, sourceType, sourceId],
  );
  return rows.map((r) => ({ sourceLine: r.source_line, batchNo: r.batch_no, serialNo: r.serial_no, quantity: r.quantity }));
}
