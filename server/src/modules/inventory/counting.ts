/**
 * Stock counting (S1-5.4.3-b): count sheets, entries from several counters, variance review and
 * posting of the variances to the ledger.
 *
 * A sheet snapshots the book quantity of every non-zero balance in its scope when it is created
 * (one INSERT … SELECT, so a 10,000-line sheet is one statement and one consistent snapshot).
 * Entries are append-only and add up per line. Posting adjusts by the variance counted − book at
 * the snapshot (the standard practice: stock that moved after the snapshot moved on the book and
 * on the floor alike, so the variance, not "book := counted", is the correction), through
 * postMovements as one source document of type count_sheet.
 */
import type { Sql } from '../../platform/db.js';
import { MesProblem, conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { resolveBarcode, type ResolvedBarcode } from '../barcodes/service.js';
import { nextCode } from '../masterdata/coding.js';
import * as masterdata from '../masterdata/repo.js';
import type { Material } from '../masterdata/schema.js';
import { UnitConverter } from '../masterdata/units.js';
import type { CountEntriesInput, CountEntriesResult, CountEntryInput, CountLine, CountSheet, CountSheetSummary, CreateCountSheetInput } from './counting-schema.js';
import { postMovements, type Movement } from './ledger.js';
import * as repo from './repo.js';

export const SOURCE_TYPE = 'count_sheet';

/* ------------------------------------------------------------------------------------------ */
/* Sheets                                                                                      */
/* ------------------------------------------------------------------------------------------ */

interface SheetRow {
  id: string;
  sheet_no: string;
  warehouse_id: string;
  warehouse_code: string;
  bin_ids: string[] | null;
  material_ids: string[] | null;
  category: string | null;
  blind: boolean;
  status: CountSheetSummary['status'];
  uncounted_as_zero: boolean | null;
  created_by: string;
  snapshot_at: Date;
  posted_by: string | null;
  posted_at: Date | null;
  cancelled_by: string | null;
  cancelled_at: Date | null;
  created_at: Date;
}

const SHEET_SELECT = `SELECT s.id, s.sheet_no, s.warehouse_id, w.code AS warehouse_code, s.bin_ids, s.material_ids, s.category, s.blind, s.status,
       s.uncounted_as_zero, s.created_by, s.snapshot_at, s.posted_by, s.posted_at, s.cancelled_by, s.cancelled_at, s.created_at
  FROM count_sheets s JOIN warehouses w ON w.tenant_id = s.tenant_id AND w.id = s.warehouse_id`;

const iso = (d: Date | null) => d?.toISOString() ?? null;
const norm = (n: string | null) => (n === null ? null : formatQty(qty(n)));

const toSummary = (r: SheetRow): CountSheetSummary => ({
  id: r.id,
  sheetNo: r.sheet_no,
  warehouseId: r.warehouse_id,
  warehouseCode: r.warehouse_code,
  binIds: r.bin_ids,
  materialIds: r.material_ids,
  category: r.category,
  blind: r.blind,
  status: r.status,
  uncountedAsZero: r.uncounted_as_zero,
  createdBy: r.created_by,
  snapshotAt: r.snapshot_at.toISOString(),
  postedBy: r.posted_by,
  postedAt: iso(r.posted_at),
  cancelledBy: r.cancelled_by,
  cancelledAt: iso(r.cancelled_at),
  createdAt: r.created_at.toISOString(),
});

async function sheetRow(tx: Sql, tenantId: string, id: string, lock = false): Promise<SheetRow | undefined> {
  const { rows } = await tx.query<SheetRow>(`${SHEET_SELECT} WHERE s.tenant_id = $1 AND s.id = $2${lock ? ' FOR UPDATE OF s' : ''}`, [tenantId, id]);
  return rows[0];
}

export async function createSheet(tx: Sql, tenantId: string, actor: string, input: CreateCountSheetInput, revealBook: boolean): Promise<CountSheet> {
  const errors: FieldError[] = [];
  const warehouse = await masterdata.findWarehouse(tx, tenantId, input.warehouseId);
  if (!warehouse) errors.push(fieldError('warehouseId', 'UNKNOWN_WAREHOUSE', `no warehouse ${input.warehouseId}`));
  if (input.binIds) {
    const bins = new Set((await repo.binsOf(tx, tenantId)).filter((b) => b.warehouseId === input.warehouseId).map((b) => b.id));
    input.binIds.forEach((id, i) => bins.has(id) || errors.push(fieldError(`binIds[${i}]`, 'UNKNOWN_BIN', `no bin ${id} in that warehouse`)));
  }
  if (input.materialIds) {
    const known = new Set((await masterdata.findMaterials(tx, tenantId, input.materialIds, [])).map((m) => m.id));
    input.materialIds.forEach((id, i) => known.has(id) || errors.push(fieldError(`materialIds[${i}]`, 'UNKNOWN_MATERIAL', `no material ${id}`)));
  }
  if (errors.length) throw unprocessable('COUNT_SHEET_INVALID', 'the count sheet cannot be created as asked; nothing was saved', errors);

  const sheetNo = await nextCode(tx, tenantId, 'count_sheet', {}, { pattern: 'CS{yyyy}{mm}{dd}-{seq:3}', reset: 'daily', description: 'Count sheet numbers' });
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO count_sheets (tenant_id, sheet_no, warehouse_id, bin_ids, material_ids, category, blind, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [tenantId, sheetNo, input.warehouseId, input.binIds ?? null, input.materialIds ?? null, input.category ?? null, input.blind ?? false, actor],
  );
  const id = rows[0].id;
  // The snapshot: one statement, so every line's book quantity is of the same instant.
  await tx.query(
    `INSERT INTO count_lines (tenant_id, sheet_id, line_no, material_id, bin_id, batch_id, batch_no, serial_id, serial_no, book_quantity)
     SELECT b.tenant_id, $2, row_number() OVER (ORDER BY m.code, bi.code NULLS FIRST, ba.batch_no NULLS FIRST, s.serial_no NULLS FIRST),
            b.material_id, b.bin_id, b.batch_id, ba.batch_no, b.serial_id, s.serial_no, b.quantity
       FROM stock_balances b
       JOIN materials m ON m.tenant_id = b.tenant_id AND m.id = b.material_id
       LEFT JOIN bins bi ON bi.tenant_id = b.tenant_id AND bi.id = b.bin_id
       LEFT JOIN batches ba ON ba.tenant_id = b.tenant_id AND ba.id = b.batch_id
       LEFT JOIN serials s ON s.tenant_id = b.tenant_id AND s.id = b.serial_id
      WHERE b.tenant_id = $1 AND b.warehouse_id = $3 AND b.quantity <> 0
        AND ($4::uuid[] IS NULL OR b.bin_id = ANY($4::uuid[])) AND ($5::uuid[] IS NULL OR b.material_id = ANY($5::uuid[]))
        AND ($6::text IS NULL OR m.category = $6)`,
    [tenantId, id, input.warehouseId, input.binIds ?? null, input.materialIds ?? null, input.category ?? null],
  );
  return (await getSheet(tx, tenantId, id, { revealBook }))!;
}

export async function listSheets(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string]; status?: string; warehouseId?: string }) {
  const { rows } = await tx.query<SheetRow>(
    `${SHEET_SELECT} WHERE s.tenant_id = $1 AND ($2::timestamptz IS NULL OR (s.created_at, s.id) < ($2::timestamptz, $3::uuid))
        AND ($4::text IS NULL OR s.status = $4) AND ($5::uuid IS NULL OR s.warehouse_id = $5)
      ORDER BY s.created_at DESC, s.id DESC LIMIT $6`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.status ?? null, q.warehouseId ?? null, q.limit + 1],
  );
  return rows.map(toSummary);
}

/**
 * A sheet with its lines and totals. `revealBook` false (a counter on a blind sheet that is still
 * open) hides book quantities and variances.
 */
export async function getSheet(tx: Sql, tenantId: string, id: string, opts: { revealBook: boolean; onlyVariances?: boolean }): Promise<CountSheet | undefined> {
  const sheet = await sheetRow(tx, tenantId, id);
  if (!sheet) return undefined;
  const reveal = opts.revealBook || !sheet.blind || sheet.status !== 'open';
  if (opts.onlyVariances && !reveal) {
    throw new MesProblem(403, 'BLIND_COUNT', `${sheet.sheet_no} is a blind count: variances are for holders of inventory:post`, { permission: 'inventory:post' });
  }
  const { rows } = await tx.query<{
    line_no: number; material_id: string; material_code: string; material_name: string; base_unit: string; bin_id: string | null; bin_code: string | null;
    batch_no: string | null; serial_no: string | null; book: string; counted: string | null; found: boolean; entries: number;
  }>(
    `SELECT l.line_no, l.material_id, m.code AS material_code, m.name AS material_name, m.base_unit, l.bin_id, bi.code AS bin_code, l.batch_no, l.serial_no,
            l.book_quantity::text AS book, l.counted_quantity::text AS counted, l.found, l.entry_count AS entries
       FROM count_lines l
       JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id
       LEFT JOIN bins bi ON bi.tenant_id = l.tenant_id AND bi.id = l.bin_id
      WHERE l.tenant_id = $1 AND l.sheet_id = $2
      ORDER BY l.line_no`,
    [tenantId, id],
  );
  const totals = { lines: rows.length, counted: 0, uncounted: 0, found: 0, withVariance: 0 as number | null, gains: 0 as number | null, losses: 0 as number | null };
  const lines: CountLine[] = [];
  for (const r of rows) {
    // A posted sheet that wrote off uncounted lines shows what it posted for them: 0 - book.
    const effective = r.counted ?? (sheet.status === 'posted' && sheet.uncounted_as_zero ? '0' : null);
    const variance = effective === null ? null : qty(effective).minus(qty(r.book));
    if (r.counted === null) totals.uncounted++;
    else totals.counted++;
    if (r.found) totals.found++;
    if (variance && !variance.isZero()) {
      totals.withVariance!++;
      if (variance.isPositive()) totals.gains!++;
      else totals.losses!++;
    }
    if (opts.onlyVariances && (!variance || variance.isZero())) continue;
    lines.push({
      lineNo: r.line_no, materialId: r.material_id, materialCode: r.material_code, materialName: r.material_name, baseUnit: r.base_unit,
      binId: r.bin_id, binCode: r.bin_code, batchNo: r.batch_no, serialNo: r.serial_no,
      book: reveal ? norm(r.book) : null, counted: norm(r.counted), variance: reveal && variance ? formatQty(variance) : null, found: r.found, entries: r.entries,
    });
  }
  if (!reveal) Object.assign(totals, { withVariance: null, gains: null, losses: null });
  return { ...toSummary(sheet), totals, lines };
}

/* ------------------------------------------------------------------------------------------ */
/* Entries                                                                                     */
/* ------------------------------------------------------------------------------------------ */

interface LineState {
  lineNo: number;
  materialId: string;
  binId: string | null;
  batchNo: string | null;
  serialNo: string | null;
  counted: Qty | null;
  isNew: boolean;
}

const lineKey = (materialId: string, binId: string | null, batchNo: string | null, serialNo: string | null) => `${materialId}|${binId ?? ''}|${batchNo ?? ''}|${serialNo ?? ''}`;
/** Serial-tracked lines are found by serial alone too: a typed serial number need not name its batch. */
const serialKey = (materialId: string, binId: string | null, serialNo: string) => `${materialId}|${binId ?? ''}|#${serialNo}`;

type Scan = { ok: ResolvedBarcode } | { problem: MesProblem };

/**
 * Records entries. Every entry is validated and every problem reported at once (422 with
 * `entries[i].field`); if any is bad nothing is written. Lines are matched by lineNo or by item
 * and place; an item and place the sheet does not list is found stock and gets a new line with
 * book 0, if it lies within the sheet's scope.
 *
 * References are resolved with the same building blocks as stock documents' resolveLines
 * (findMaterials, binsOf, resolveBarcode, UnitConverter) but with counting's rules: the warehouse
 * is the sheet's, 0 is a valid count, a negative entry corrects an earlier one, and blocked
 * materials are still counted.
 *
 * The sheet's row lock serialises entry requests of one sheet (and their found-line numbers)
 * against each other and against posting or cancelling.
 */
export async function addEntries(tx: Sql, tenantId: string, actor: string, sheetId: string, input: CountEntriesInput): Promise<CountEntriesResult> {
  const sheet = await sheetRow(tx, tenantId, sheetId, true);
  if (!sheet) throw notFound('count sheet', sheetId);
  if (sheet.status !== 'open') throw conflict('SHEET_NOT_OPEN', `${sheet.sheet_no} is ${sheet.status}: entries are taken while a sheet is open`, { documentStatus: sheet.status });

  const existing = await tx.query<{ line_no: number; material_id: string; bin_id: string | null; batch_no: string | null; serial_no: string | null; counted: string | null }>(
    `SELECT line_no, material_id, bin_id, batch_no, serial_no, counted_quantity::text AS counted FROM count_lines WHERE tenant_id = $1 AND sheet_id = $2`,
    [tenantId, sheetId],
  );
  const byNo = new Map<number, LineState>();
  const byKey = new Map<string, LineState>();
  const bySerial = new Map<string, LineState>();
  let maxLine = 0;
  const index = (l: LineState) => {
    byNo.set(l.lineNo, l);
    byKey.set(lineKey(l.materialId, l.binId, l.batchNo, l.serialNo), l);
    if (l.serialNo) bySerial.set(serialKey(l.materialId, l.binId, l.serialNo), l);
    maxLine = Math.max(maxLine, l.lineNo);
  };
  for (const r of existing.rows) {
    index({ lineNo: r.line_no, materialId: r.material_id, binId: r.bin_id, batchNo: r.batch_no, serialNo: r.serial_no, counted: r.counted === null ? null : qty(r.counted), isNew: false });
  }

  const entries = input.entries;
  const errors: FieldError[] = [];

  // Scanned labels, each distinct code resolved once.
  const scans = new Map<string, Scan>();
  for (const code of new Set(entries.flatMap((e) => [e.barcode, e.locationBarcode]).filter((c): c is string => !!c))) {
    try {
      scans.set(code, { ok: await resolveBarcode(tx, tenantId, code) });
    } catch (err) {
      if (!(err instanceof MesProblem)) throw err;
      scans.set(code, { problem: err });
    }
  }
  const scanned = (e: CountEntryInput) => ({
    item: e.barcode ? scans.get(e.barcode) : undefined,
    location: e.locationBarcode ? scans.get(e.locationBarcode) : undefined,
  });

  const materials = await masterdata.findMaterials(
    tx, tenantId,
    [
      ...entries.map((e) => e.materialId ?? (e.barcode && 'ok' in scans.get(e.barcode)! ? (scans.get(e.barcode) as { ok: ResolvedBarcode }).ok.material?.id : undefined)),
      ...entries.map((e) => (e.lineNo ? byNo.get(e.lineNo)?.materialId : undefined)),
    ].filter((x): x is string => !!x),
    entries.map((e) => e.materialCode).filter((x): x is string => !!x),
  );
  const materialById = new Map(materials.map((m) => [m.id, m]));
  const materialByCode = new Map(materials.map((m) => [m.code, m]));
  const bins = (await repo.binsOf(tx, tenantId)).filter((b) => b.warehouseId === sheet.warehouse_id);
  const binById = new Map(bins.map((b) => [b.id, b]));
  const binByCode = new Map(bins.map((b) => [b.code, b]));
  const units = await UnitConverter.load(tx, tenantId);
  const scopeBins = sheet.bin_ids ? new Set(sheet.bin_ids) : undefined;
  const scopeMaterials = sheet.material_ids ? new Set(sheet.material_ids) : undefined;

  const accepted: { entry: number; line: LineState; base: Qty; entered: string; unit: string }[] = [];
  for (const [i, e] of entries.entries()) {
    const field = `entries[${i}]`;
    const before = errors.length;
    const err = (attr: string, code: string, message: string) => errors.push(fieldError(`${field}.${attr}`, code, message));
    let line: LineState | undefined;
    let material: Material | undefined;

    const namesItem = !!(e.materialId || e.materialCode || e.barcode || e.binId || e.binCode || e.locationBarcode || e.batchNo || e.serialNo);
    if (e.lineNo !== undefined) {
      if (namesItem) err('lineNo', 'CONFLICTING_REFERENCES', 'name the line by lineNo or by item and place, not both');
      line = byNo.get(e.lineNo);
      if (!line) err('lineNo', 'UNKNOWN_LINE', `${sheet.sheet_no} has no line ${e.lineNo}`);
      else material = materialById.get(line.materialId);
    } else {
      const scan = scanned(e);
      for (const [attr, s] of [['barcode', scan.item], ['locationBarcode', scan.location]] as const) {
        if (s && 'problem' in s) err(attr, s.problem.code, s.problem.message);
      }
      const item = scan.item && 'ok' in scan.item ? scan.item.ok : undefined;
      const place = scan.location && 'ok' in scan.location ? scan.location.ok : undefined;
      if (e.barcode && item && !item.material) err('barcode', 'WRONG_LABEL', 'this label names no material');
      if (e.locationBarcode && place && !place.location) err('locationBarcode', 'WRONG_LABEL', 'this label names no location');

      // Material: by id, by code, or by the scanned label.
      if (!e.materialId && !e.materialCode && !e.barcode) err('materialId', 'REQUIRED', 'name the line by lineNo, or the material by materialId, materialCode or barcode');
      else if (e.materialId || item?.material) {
        material = materialById.get(e.materialId ?? item!.material!.id);
        if (!material && e.materialId) err('materialId', 'UNKNOWN_MATERIAL', `no material ${e.materialId}`);
        if (material && e.materialCode && material.code !== e.materialCode) {
          err('materialCode', 'CONFLICTING_REFERENCES', `the entry names ${e.materialCode} but also ${material.code}`);
          material = undefined;
        }
      } else if (e.materialCode) {
        material = materialByCode.get(e.materialCode);
        if (!material) err('materialCode', 'UNKNOWN_MATERIAL', `no material ${e.materialCode}`);
      }
      if (material && material.variantFeatures.length > 0) {
        err('materialId', 'TEMPLATE_NOT_STOCKED', `${material.code} is a variant template; count its variants`);
        material = undefined;
      }

      // Place: a bin of the sheet's warehouse, or the warehouse itself.
      let binId: string | null = null;
      if (e.binId || e.binCode) {
        const bin = e.binId ? binById.get(e.binId) : binByCode.get(e.binCode!);
        if (!bin) err(e.binId ? 'binId' : 'binCode', 'UNKNOWN_BIN', `no bin ${e.binId ?? e.binCode} in warehouse ${sheet.warehouse_code}`);
        binId = bin?.id ?? null;
        if (bin && place?.location?.bin && place.location.bin.id !== bin.id) err('locationBarcode', 'CONFLICTING_REFERENCES', 'the scanned location is another bin');
      } else if (place?.location) {
        if (place.location.warehouse.id !== sheet.warehouse_id) err('locationBarcode', 'WRONG_WAREHOUSE', `this location is in warehouse ${place.location.warehouse.code}, the sheet counts ${sheet.warehouse_code}`);
        else binId = place.location.bin?.id ?? null;
      }

      const batchNo = e.batchNo ?? item?.batch?.batchNo ?? null;
      const serialNo = e.serialNo ?? item?.serial?.serialNo ?? null;
      if (material) {
        if (material.tracking !== 'batch' && material.tracking !== 'serial' && batchNo) err('batchNo', 'NOT_TRACKED', `${material.code} is not batch-tracked`);
        if (material.tracking !== 'serial' && serialNo) err('serialNo', 'NOT_TRACKED', `${material.code} is not serial-tracked`);
        if (material.tracking === 'batch' && !batchNo) err('batchNo', 'BATCH_REQUIRED', `${material.code} is batch-tracked: say which batch`);
        if (material.tracking === 'serial' && !serialNo) err('serialNo', 'SERIAL_REQUIRED', `${material.code} is serial-tracked: say which serial`);
      }
      if (material && errors.length === before) {
        line = byKey.get(lineKey(material.id, binId, batchNo, serialNo)) ?? (serialNo && !e.batchNo && !item?.batch ? bySerial.get(serialKey(material.id, binId, serialNo)) : undefined);
        if (!line) {
          // Found stock: a new line, if the sheet's scope covers it.
          if (scopeMaterials && !scopeMaterials.has(material.id)) err('materialId', 'OUT_OF_SCOPE', `${sheet.sheet_no} does not count ${material.code}`);
          else if (sheet.category !== null && material.category !== sheet.category) err('materialId', 'OUT_OF_SCOPE', `${sheet.sheet_no} counts category ${sheet.category}; ${material.code} is ${material.category || 'uncategorised'}`);
          else if (scopeBins && (binId === null || !scopeBins.has(binId))) err(e.binId ? 'binId' : e.binCode ? 'binCode' : 'locationBarcode', 'OUT_OF_SCOPE', `${sheet.sheet_no} does not count this place`);
          else {
            line = { lineNo: ++maxLine, materialId: material.id, binId, batchNo, serialNo, counted: null, isNew: true };
            index(line);
          }
        }
      }
    }
    // The quantity is checked whenever the material is known, so an entry reports all its problems.
    if (!material) continue;
    const unit = e.unit ?? material.stockUnit;
    const converted = units.convert(material.id, e.quantity, unit, material.baseUnit, field, errors);
    if (converted && material.tracking === 'serial' && converted.quantity.abs().greaterThan(1)) err('quantity', 'SERIAL_QUANTITY', 'a serial number is one piece: count 1 or 0');
    if (converted && line && errors.length === before) accepted.push({ entry: i, line, base: converted.quantity, entered: formatQty(qty(e.quantity)), unit });
  }

  // The lines' totals after these entries: never below 0, a serial never above 1.
  const after = new Map<LineState, Qty>();
  const added = new Map<LineState, number>();
  for (const a of accepted) {
    after.set(a.line, (after.get(a.line) ?? a.line.counted ?? qty(0)).plus(a.base));
    added.set(a.line, (added.get(a.line) ?? 0) + 1);
  }
  for (const a of accepted) {
    const total = after.get(a.line)!;
    const material = materialById.get(a.line.materialId)!;
    if (total.isNegative()) errors.push(fieldError(`entries[${a.entry}].quantity`, 'NEGATIVE_COUNT', `line ${a.line.lineNo} would be counted ${formatQty(total)}; a correction cannot take a count below 0`));
    else if (material.tracking === 'serial' && total.greaterThan(1)) errors.push(fieldError(`entries[${a.entry}].quantity`, 'SERIAL_COUNTED_TWICE', `serial ${a.line.serialNo} would be counted ${formatQty(total)} times`));
  }
  if (errors.length) {
    // In entry order (the sort is stable: within an entry, in the order found).
    const entryOf = (x: FieldError) => Number(/^entries\[(\d+)\]/.exec(x.field)?.[1] ?? -1);
    errors.sort((a, b) => entryOf(a) - entryOf(b));
    const bad = new Set(errors.map((x) => x.field.split('.')[0])).size;
    throw unprocessable('COUNT_ENTRIES_INVALID', `${bad} of ${entries.length} entries cannot be used; nothing was recorded`, errors);
  }

  const fresh = [...after.keys()].filter((l) => l.isNew).sort((a, b) => a.lineNo - b.lineNo);
  if (fresh.length) await insertFoundLines(tx, tenantId, sheetId, fresh);
  const counter = input.counter ?? actor;
  await tx.query(
    `INSERT INTO count_entries (tenant_id, sheet_id, line_no, quantity, entered_quantity, entered_unit, counter, entered_by)
     SELECT $1, $2, l, q, eq, eu, $3, $4 FROM unnest($5::int[], $6::numeric[], $7::numeric[], $8::text[]) AS x(l, q, eq, eu)`,
    [tenantId, sheetId, counter, actor, accepted.map((a) => a.line.lineNo), accepted.map((a) => formatQty(a.base)), accepted.map((a) => a.entered), accepted.map((a) => a.unit)],
  );
  const touched = [...after.entries()];
  await tx.query(
    `UPDATE count_lines l SET counted_quantity = x.q, entry_count = l.entry_count + x.n
       FROM unnest($3::int[], $4::numeric[], $5::int[]) AS x(line_no, q, n)
      WHERE l.tenant_id = $1 AND l.sheet_id = $2 AND l.line_no = x.line_no`,
    [tenantId, sheetId, touched.map(([l]) => l.lineNo), touched.map(([, q]) => formatQty(q)), touched.map(([l]) => added.get(l)!)],
  );
  return { sheetId, accepted: accepted.length, newLines: fresh.length, lines: touched.map(([l, q]) => ({ lineNo: l.lineNo, counted: formatQty(q) })) };
}

/** Found stock's lines, with the ids of batches and serials the ledger already knows. */
async function insertFoundLines(tx: Sql, tenantId: string, sheetId: string, lines: LineState[]): Promise<void> {
  await tx.query(
    `INSERT INTO count_lines (tenant_id, sheet_id, line_no, material_id, bin_id, batch_id, batch_no, serial_id, serial_no, book_quantity, found)
     SELECT $1, $2, x.l, x.m, x.b, ba.id, x.bn, s.id, x.sn, 0, true
       FROM unnest($3::int[], $4::uuid[], $5::uuid[], $6::text[], $7::text[]) AS x(l, m, b, bn, sn)
       LEFT JOIN batches ba ON ba.tenant_id = $1 AND ba.material_id = x.m AND ba.batch_no = x.bn
       LEFT JOIN serials s ON s.tenant_id = $1 AND s.material_id = x.m AND s.serial_no = x.sn`,
    [tenantId, sheetId, lines.map((l) => l.lineNo), lines.map((l) => l.materialId), lines.map((l) => l.binId), lines.map((l) => l.batchNo), lines.map((l) => l.serialNo)],
  );
}

/* ------------------------------------------------------------------------------------------ */
/* Posting and cancelling                                                                      */
/* ------------------------------------------------------------------------------------------ */

/**
 * Posts every counted line's variance (counted − book at the snapshot) as count_gain or
 * count_loss movements, all under one source document (count_sheet, the sheet's id). Uncounted
 * lines are left alone unless uncountedAsZero. Posting a posted sheet is a no-op that returns it.
 */
export async function postSheet(tx: Sql, tenantId: string, actor: string, id: string, uncountedAsZero: boolean): Promise<CountSheet> {
  const sheet = await sheetRow(tx, tenantId, id, true);
  if (!sheet) throw notFound('count sheet', id);
  if (sheet.status === 'posted') return (await getSheet(tx, tenantId, id, { revealBook: true }))!;
  if (sheet.status === 'cancelled') throw conflict('SHEET_CANCELLED', `${sheet.sheet_no} was cancelled; it cannot be posted`, { documentStatus: sheet.status });

  const { rows } = await tx.query<{
    line_no: number; material_id: string; material_code: string; base_unit: string; bin_id: string | null; batch_id: string | null; batch_no: string | null;
    serial_id: string | null; serial_no: string | null; variance: string;
  }>(
    `SELECT l.line_no, l.material_id, m.code AS material_code, m.base_unit, l.bin_id, l.batch_id, l.batch_no, l.serial_id, l.serial_no,
            (coalesce(l.counted_quantity, 0) - l.book_quantity)::text AS variance
       FROM count_lines l JOIN materials m ON m.tenant_id = l.tenant_id AND m.id = l.material_id
      WHERE l.tenant_id = $1 AND l.sheet_id = $2 AND (l.counted_quantity IS NOT NULL OR $3) AND coalesce(l.counted_quantity, 0) <> l.book_quantity
      ORDER BY l.line_no`,
    [tenantId, id, uncountedAsZero],
  );
  const moves: Movement[] = [];
  for (const r of rows) {
    const variance = qty(r.variance);
    // Found stock may name a batch or serial the ledger meets for the first time: a gain creates it.
    const batchId = r.batch_id ?? (r.batch_no ? await repo.batchId(tx, tenantId, r.material_id, r.batch_no, { productionDate: null, expiryDate: null, supplierBatch: null }) : null);
    const serialId = r.serial_id ?? (r.serial_no ? await repo.serialId(tx, tenantId, r.material_id, r.serial_no, batchId, true) : null);
    moves.push({
      type: variance.isPositive() ? 'count_gain' : 'count_loss',
      materialId: r.material_id, warehouseId: sheet.warehouse_id, binId: r.bin_id, batchId, serialId,
      quantity: variance, enteredQuantity: formatQty(variance.abs()), enteredUnit: r.base_unit, sourceLine: r.line_no, field: `lines[${r.line_no - 1}]`,
    });
  }
  await tx.query(
    `UPDATE count_sheets SET status = 'posted', posted_by = $3, posted_at = now(), uncounted_as_zero = $4, version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, actor, uncountedAsZero],
  );
  await postMovements(tx, tenantId, { type: SOURCE_TYPE, id }, actor, moves);
  return (await getSheet(tx, tenantId, id, { revealBook: true }))!;
}

/** An open sheet is cancelled, recording nothing on the ledger; cancelling again changes nothing. */
export async function cancelSheet(tx: Sql, tenantId: string, actor: string, id: string, revealBook: boolean): Promise<CountSheet> {
  const sheet = await sheetRow(tx, tenantId, id, true);
  if (!sheet) throw notFound('count sheet', id);
  if (sheet.status === 'posted') throw conflict('ALREADY_POSTED', `${sheet.sheet_no} is posted; correct it with a new count`, { documentStatus: sheet.status });
  if (sheet.status === 'open') {
    await tx.query(
      `UPDATE count_sheets SET status = 'cancelled', cancelled_by = $3, cancelled_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, actor],
    );
  }
  return (await getSheet(tx, tenantId, id, { revealBook }))!;
}
