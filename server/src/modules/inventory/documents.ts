import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { MesProblem, conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { formatQty, qty } from '../../platform/quantity.js';
import { resolveBarcode } from '../barcodes/service.js';
import { codeTaker, nextCode } from '../masterdata/coding.js';
import * as masterdata from '../masterdata/repo.js';
import type { Material, Warehouse } from '../masterdata/schema.js';
import { UnitConverter } from '../masterdata/units.js';
import { postMovements, type Movement, type MovementType } from './ledger.js';
import * as repo from './repo.js';
import type { CreateStockDocumentInput, StockDocument, StockLineInput } from './schema.js';

type DocType = CreateStockDocumentInput['type'];

export interface ResolvedLine {
  lineNo: number;
  field: string;
  material: Material;
  quantity: string;
  unit: string;
  baseQuantity: string;
  warehouseId: string;
  binId: string | null;
  toWarehouseId: string | null;
  toBinId: string | null;
  batchNo: string | null;
  serialNo: string | null;
  productionDate: string | null;
  expiryDate: string | null;
  supplierBatch: string | null;
}

const INBOUND: DocType[] = ['other_in'];
const MOVES_TO_TARGET: DocType[] = ['transfer', 'backflush_transfer'];

/** What a line's scanned labels say, merged over what it names explicitly. */
async function readScans(tx: Sql, tenantId: string, line: StockLineInput, field: string, errors: FieldError[]) {
  const scanned: { materialId?: string; batchNo?: string; serialNo?: string; warehouseId?: string; binId?: string } = {};
  for (const [attr, code] of [['barcode', line.barcode], ['locationBarcode', line.locationBarcode]] as const) {
    if (!code) continue;
    try {
      const r = await resolveBarcode(tx, tenantId, code);
      if (attr === 'barcode') {
        scanned.materialId = r.material?.id;
        scanned.batchNo = r.batch?.batchNo;
        scanned.serialNo = r.serial?.serialNo;
      } else {
        scanned.warehouseId = r.location?.warehouse.id;
        scanned.binId = r.location?.bin?.id;
      }
      if ((attr === 'barcode' && !r.material) || (attr === 'locationBarcode' && !r.location)) {
        errors.push(fieldError(`${field}.${attr}`, 'WRONG_LABEL', attr === 'barcode' ? 'this label names no material' : 'this label names no location'));
      }
    } catch (err) {
      if (!(err instanceof MesProblem)) throw err;
      errors.push(fieldError(`${field}.${attr}`, err.code, err.message));
    }
  }
  return scanned;
}

/**
 * Resolves every line's references, units and tracking, collecting all problems: a 10,000-line
 * document answers with every bad line at once and changes nothing.
 */
export async function resolveLines(tx: Sql, tenantId: string, type: DocType, lines: StockLineInput[]): Promise<ResolvedLine[]> {
  const errors: FieldError[] = [];
  const scans = await Promise.all(lines.map((l, i) => (l.barcode || l.locationBarcode ? readScans(tx, tenantId, l, `lines[${i}]`, errors) : Promise.resolve({} as Awaited<ReturnType<typeof readScans>>))));
  // Independent lookups: one write.
  const [materials, warehouses, bins, units] = await Promise.all([
    masterdata.findMaterials(
      tx, tenantId,
      lines.map((l, i) => l.materialId ?? scans[i].materialId).filter((x): x is string => !!x),
      lines.map((l) => l.materialCode).filter((x): x is string => !!x),
    ),
    masterdata.listWarehouses(tx, tenantId),
    repo.binsOf(tx, tenantId),
    UnitConverter.load(tx, tenantId),
  ]);
  const inbound = INBOUND.includes(type);
  // Receipts into batches that exist: an expiry-tracked line may leave out the expiry (the batch has
  // it), and may not bring other dates (BATCH_ATTRIBUTES_DIFFER below).
  const recorded = inbound
    ? await repo.recordedBatches(tx, tenantId, lines.flatMap((l, i) => {
      const batchNo = l.batchNo ?? scans[i].batchNo;
      const materialId = l.materialId ?? scans[i].materialId ?? materials.find((m) => m.code === l.materialCode)?.id;
      return batchNo && materialId ? [{ materialId, batchNo }] : [];
    }))
    : new Map<string, repo.RecordedBatch>();
  const resolved: ResolvedLine[] = [];

  for (const [i, line] of lines.entries()) {
    const field = `lines[${i}]`;
    const err = (attr: string, code: string, message: string) => errors.push(fieldError(`${field}.${attr}`, code, message));
    const scan = scans[i];
    const material = pickMaterial(materials, line, scan.materialId, err);
    const warehouse = pickWarehouse(warehouses, line.warehouseId ?? scan.warehouseId, line.warehouseCode, 'warehouse', err);
    const binId = warehouse ? pickBin(bins, warehouse.id, line.binId ?? scan.binId, line.binCode, 'bin', err) : null;
    let toWarehouse: Warehouse | undefined;
    let toBinId: string | null = null;
    if (MOVES_TO_TARGET.includes(type)) {
      toWarehouse = pickWarehouse(warehouses, line.toWarehouseId, line.toWarehouseCode, 'toWarehouse', err);
      if (toWarehouse) toBinId = pickBin(bins, toWarehouse.id, line.toBinId, line.toBinCode, 'toBin', err);
      if (type === 'backflush_transfer' && toWarehouse && toWarehouse.kind !== 'wip') err('toWarehouseId', 'NOT_WIP', `backflush transfers go to a WIP warehouse; ${toWarehouse.code} is ${toWarehouse.kind}`);
      if (toWarehouse && warehouse && toWarehouse.id === warehouse.id && toBinId === binId) err('toBinId', 'SAME_LOCATION', 'a transfer must change warehouse or bin');
    } else if (line.toWarehouseId || line.toWarehouseCode || line.toBinId || line.toBinCode) {
      err('toWarehouseId', 'NOT_A_TRANSFER', `a ${type} document has no target location`);
    }
    if (!material || !warehouse) continue;
    if (warehouse.status === 'blocked') err('warehouseId', 'WAREHOUSE_BLOCKED', `warehouse ${warehouse.code} is blocked`);
    const unit = line.unit ?? material.stockUnit;
    const converted = units.convert(material.id, line.quantity, unit, material.baseUnit, field, errors);
    if (converted && !converted.quantity.gt(0)) err('quantity', 'NOT_POSITIVE', 'must be greater than 0');
    const batchNo = line.batchNo ?? scan.batchNo ?? null;
    const serialNo = line.serialNo ?? scan.serialNo ?? null;
    const batch = batchNo ? recorded.get(`${material.id}|${batchNo}`) : undefined;
    checkTracking(material, inbound, batchNo, serialNo, converted?.quantity, line, batch !== undefined, err);
    const dates = batch && line.keepRecordedBatch ? batch : { productionDate: line.productionDate ?? null, expiryDate: line.expiryDate ?? null };
    if (batch) for (const e of batchDateConflicts(batch, dates, batchNo!, material.code, field)) errors.push(e);
    resolved.push({
      lineNo: i + 1,
      field,
      material,
      quantity: line.quantity,
      unit,
      baseQuantity: converted ? formatQty(converted.quantity) : '0',
      warehouseId: warehouse.id,
      binId,
      toWarehouseId: toWarehouse?.id ?? null,
      toBinId,
      batchNo,
      serialNo,
      productionDate: dates.productionDate,
      expiryDate: dates.expiryDate,
      supplierBatch: line.supplierBatch ?? null,
    });
  }
  if (errors.length && errors.every((e) => e.code === 'BATCH_ATTRIBUTES_DIFFER')) throw batchesDiffer(errors);
  if (errors.length) throw unprocessable('STOCK_DOCUMENT_INVALID', `${new Set(errors.map((e) => e.field.split('.')[0])).size} line(s) cannot be used; nothing was saved`, errors);
  return resolved;
}

/**
 * A batch is one lot with one production and one expiry date: a receipt naming an existing batch
 * with another date would lose the new one silently, so each differing date is a field error.
 * A date the line leaves out, or the batch was received without, is no conflict.
 */
function batchDateConflicts(recorded: repo.RecordedBatch, line: repo.RecordedBatch, batchNo: string, materialCode: string, field: string): FieldError[] {
  return (['productionDate', 'expiryDate'] as const)
    .filter((d) => line[d] !== null && recorded[d] !== null && line[d] !== recorded[d])
    .map((d) => fieldError(`${field}.${d}`, 'BATCH_ATTRIBUTES_DIFFER',
      `batch ${batchNo} of ${materialCode} was received with ${d} ${recorded[d]}, not ${line[d]}; use another batch number, or keepRecordedBatch: true to receive it with ${recorded[d]}`));
}

const batchesDiffer = (errors: FieldError[]) =>
  conflict('BATCH_ATTRIBUTES_DIFFER', `${errors.length} date(s) differ from the batches already received under the same numbers; nothing was saved`, { errors });

type Err = (attr: string, code: string, message: string) => void;

function pickMaterial(materials: Material[], line: StockLineInput, scanned: string | undefined, err: Err): Material | undefined {
  const named = [line.materialId, line.materialCode, line.barcode].filter(Boolean).length;
  if (named === 0) return err('materialId', 'REQUIRED', 'name the material by materialId, materialCode or barcode'), undefined;
  const m = line.materialId || scanned ? materials.find((x) => x.id === (line.materialId ?? scanned)) : materials.find((x) => x.code === line.materialCode);
  if (!m) return (line.barcode ? undefined : err(line.materialId ? 'materialId' : 'materialCode', 'UNKNOWN_MATERIAL', `no material ${line.materialId ?? line.materialCode}`)), undefined;
  if (line.materialCode && m.code !== line.materialCode) return err('materialCode', 'CONFLICTING_REFERENCES', `the line names ${line.materialCode} but also ${m.code}`), undefined;
  if (m.status === 'blocked') return err('materialId', 'MATERIAL_BLOCKED', `material ${m.code} is blocked`), undefined;
  if (m.variantFeatures.length > 0) return err('materialId', 'TEMPLATE_NOT_STOCKED', `${m.code} is a variant template; stock its variants`), undefined;
  return m;
}

function pickWarehouse(warehouses: Warehouse[], id: string | undefined, code: string | undefined, attr: string, err: Err): Warehouse | undefined {
  if (!id && !code) return err(`${attr}Id`, 'REQUIRED', `name the ${attr} by ${attr}Id or ${attr}Code`), undefined;
  const w = warehouses.find((x) => (id ? x.id === id : x.code === code));
  if (!w) err(id ? `${attr}Id` : `${attr}Code`, 'UNKNOWN_WAREHOUSE', `no warehouse ${id ?? code}`);
  return w;
}

function pickBin(bins: repo.BinRef[], warehouseId: string, id: string | undefined, code: string | undefined, attr: string, err: Err): string | null {
  if (!id && !code) return null;
  const b = bins.find((x) => x.warehouseId === warehouseId && (id ? x.id === id : x.code === code));
  if (!b) err(id ? `${attr}Id` : `${attr}Code`, 'UNKNOWN_BIN', `no bin ${id ?? code} in that warehouse`);
  return b?.id ?? null;
}

function checkTracking(m: Material, inbound: boolean, batchNo: string | null, serialNo: string | null, base: ReturnType<typeof qty> | undefined, line: StockLineInput, knownBatch: boolean, err: Err): void {
  if (m.tracking === 'none') {
    if (batchNo) err('batchNo', 'NOT_TRACKED', `${m.code} is not batch-tracked`);
    if (serialNo) err('serialNo', 'NOT_TRACKED', `${m.code} is not serial-tracked`);
    return;
  }
  // Inbound lines may leave the number to the coding rule; everything else must say which.
  if (m.tracking === 'batch' && !batchNo && !inbound) err('batchNo', 'BATCH_REQUIRED', `${m.code} is batch-tracked: say which batch`);
  if (m.tracking === 'serial') {
    if (!serialNo && !inbound) err('serialNo', 'SERIAL_REQUIRED', `${m.code} is serial-tracked: say which serial`);
    if (base && !base.eq(1)) err('quantity', 'SERIAL_QUANTITY', 'a serial-tracked line moves exactly one piece');
  }
  if (inbound && m.trackExpiry && !line.expiryDate && !knownBatch) err('expiryDate', 'EXPIRY_REQUIRED', `${m.code} tracks expiry: give the batch's expiryDate`);
}

export async function createDocument(tx: Sql, tenantId: string, actor: string, input: CreateStockDocumentInput): Promise<StockDocument> {
  // The numbering rule is read alongside the lines' references: before any lock, in the same write.
  const [lines, takeNumber] = await Promise.all([resolveLines(tx, tenantId, input.type, input.lines), documentNumbering(tx, tenantId)]);
  await numberOpenLines(tx, tenantId, input.type, lines);
  const id = randomUUID();
  await repo.insertDocument(tx, tenantId, { id, docNo: provisionalNumber(id), type: input.type, reason: input.reason ?? '', createdBy: actor, reversesId: null });
  await repo.insertLines(tx, tenantId, id, lines);
  const doc = input.post ? await postDocument(tx, tenantId, actor, id, takeNumber) : { ...(await repo.findDocument(tx, tenantId, id))!, docNo: await takeNumber() };
  await repo.setDocNo(tx, tenantId, id, doc.docNo);
  return doc;
}

/**
 * A document created posted, for bulk loads (opening stock: one per import chunk): the same line
 * checks and the same ledger posting as createDocument with post, without reading back what it
 * has just written in this transaction (resolveLines already compared the batches' dates).
 */
export async function createPostedDocument(tx: Sql, tenantId: string, actor: string, input: { type: DocType; reason: string; lines: StockLineInput[] }): Promise<{ id: string; docNo: string }> {
  const [lines, takeNumber] = await Promise.all([resolveLines(tx, tenantId, input.type, input.lines), documentNumbering(tx, tenantId)]);
  await numberOpenLines(tx, tenantId, input.type, lines);
  const id = randomUUID();
  await repo.insertDocument(tx, tenantId, { id, docNo: provisionalNumber(id), type: input.type, reason: input.reason, createdBy: actor, reversesId: null, postedBy: actor });
  await repo.insertLines(tx, tenantId, id, lines);
  const posted = lines.map((l) => ({ ...l, materialId: l.material.id, materialCode: l.material.code }));
  const docNo = (await postLines(tx, tenantId, actor, { id, type: input.type }, posted, takeNumber))!;
  await repo.setDocNo(tx, tenantId, id, docNo);
  return { id, docNo };
}

/** Numbers that inbound lines leave open come from the coding rules now, so the draft shows them. */
async function numberOpenLines(tx: Sql, tenantId: string, type: DocType, lines: ResolvedLine[]): Promise<void> {
  if (!INBOUND.includes(type)) return;
  for (const l of lines) {
    if (l.material.tracking === 'batch' && !l.batchNo) {
      l.batchNo = await nextCode(tx, tenantId, 'batch', { material: l.material.code }, { pattern: 'B{yyyy}{mm}{dd}-{seq:3}', reset: 'daily', description: 'Batch numbers' });
    }
    if (l.material.tracking === 'serial' && !l.serialNo) {
      l.serialNo = await nextCode(tx, tenantId, 'serial', { material: l.material.code }, { pattern: '{material}-{seq:6}', reset: 'never', description: 'Serial numbers' });
    }
  }
}

/** Unique and never visible: the document gets its real number in the same transaction. */
const provisionalNumber = (id: string) => `~${id}`;

/**
 * Document numbers come from one sequence row per tenant and day, whose lock is held until
 * commit: the rule is read first, and the number taken last (for a posting, in the same write as
 * the balance upsert), so a tenant's concurrent documents queue behind each other only briefly.
 */
const documentNumbering = (tx: Sql, tenantId: string) =>
  codeTaker(tx, tenantId, 'stock_document', {}, { pattern: 'SD{yyyy}{mm}{dd}-{seq:4}', reset: 'daily', description: 'Stock document numbers' });

async function numberDocument(tx: Sql, tenantId: string, id: string): Promise<string> {
  const docNo = await (await documentNumbering(tx, tenantId))();
  await repo.setDocNo(tx, tenantId, id, docNo);
  return docNo;
}

/**
 * Posts a draft: its movements and balances in this transaction. Posting a posted document is
 * a no-op that returns it, so a retried post never moves stock twice. takeNumber, when given,
 * numbers the document in the same write as the balance upsert.
 */
export async function postDocument(tx: Sql, tenantId: string, actor: string, id: string, takeNumber?: () => Promise<string>): Promise<StockDocument> {
  const [claimed, doc] = await Promise.all([repo.markPosted(tx, tenantId, id, actor), repo.findDocument(tx, tenantId, id)]);
  if (!doc) throw notFound('stock document', id);
  if (!claimed) return doc;
  if (doc.type === 'other_in') {
    // A batch received by another document since this draft was made may carry other dates.
    const recorded = await repo.recordedBatches(tx, tenantId, doc.lines.flatMap((l) => (l.batchNo ? [{ materialId: l.materialId, batchNo: l.batchNo }] : [])));
    const errors = doc.lines.flatMap((l) => {
      const batch = l.batchNo ? recorded.get(`${l.materialId}|${l.batchNo}`) : undefined;
      return batch ? batchDateConflicts(batch, l, l.batchNo!, l.materialCode, `lines[${l.lineNo - 1}]`) : [];
    });
    if (errors.length) throw batchesDiffer(errors);
  }
  const docNo = await postLines(tx, tenantId, actor, { id, type: doc.type }, doc.lines, takeNumber);
  return docNo === undefined ? doc : { ...doc, docNo };
}

type PostedLine = Pick<StockDocument['lines'][number], 'lineNo' | 'materialId' | 'materialCode' | 'quantity' | 'unit' | 'baseQuantity' | 'warehouseId' | 'binId'
  | 'toWarehouseId' | 'toBinId' | 'batchNo' | 'serialNo' | 'productionDate' | 'expiryDate' | 'supplierBatch'>;

/**
 * A posted document's lines into the ledger (postMovements): their batches and serials in a few
 * statements for the whole document, not a few per line, then the movements and balances.
 * takeNumber, when given, numbers the document in the same write as the balance upsert.
 */
async function postLines(tx: Sql, tenantId: string, actor: string, doc: { id: string; type: DocType }, lines: PostedLine[], takeNumber?: () => Promise<string>): Promise<string | undefined> {
  const inbound = doc.type === 'other_in';
  const batches = await repo.batchIds(tx, tenantId, lines.flatMap((l) => (l.batchNo ? [{ ...(inbound ? l : {}), materialId: l.materialId, batchNo: l.batchNo }] : [])), inbound);
  const batchOf = (l: { materialId: string; batchNo: string | null }) => (l.batchNo ? batches.get(`${l.materialId}|${l.batchNo}`) ?? null : null);
  const serials = await repo.serialIds(tx, tenantId, lines.flatMap((l) => (l.serialNo ? [{ materialId: l.materialId, serialNo: l.serialNo, batchId: batchOf(l) }] : [])), inbound);
  const moves: Movement[] = [];
  for (const line of lines) {
    const field = `lines[${line.lineNo - 1}]`;
    const material = { id: line.materialId, code: line.materialCode };
    const batchId = batchOf(line);
    const serialId = line.serialNo ? serials.get(`${material.id}|${line.serialNo}`) ?? null : null;
    if (line.batchNo && !batchId) throw unprocessable('UNKNOWN_BATCH', `no batch ${line.batchNo} of ${material.code}`, [fieldError(`${field}.batchNo`, 'UNKNOWN_BATCH', `no batch ${line.batchNo}`)]);
    if (line.serialNo && !serialId) throw unprocessable('UNKNOWN_SERIAL', `no serial ${line.serialNo} of ${material.code}`, [fieldError(`${field}.serialNo`, 'UNKNOWN_SERIAL', `no serial ${line.serialNo}`)]);
    const base = qty(line.baseQuantity);
    const common = { materialId: material.id, batchId, serialId, enteredQuantity: line.quantity, enteredUnit: line.unit, sourceLine: line.lineNo, field };
    const at = (type: MovementType, warehouseId: string, binId: string | null, quantity: ReturnType<typeof qty>) => moves.push({ ...common, type, warehouseId, binId, quantity });
    if (doc.type === 'other_in') at('other_in', line.warehouseId, line.binId, base);
    else if (doc.type === 'other_out') at('other_out', line.warehouseId, line.binId, base.neg());
    else {
      at('transfer_out', line.warehouseId, line.binId, base.neg());
      at('transfer_in', line.toWarehouseId!, line.toBinId, base);
    }
  }
  // Balances are locked from here on.
  const [, docNo] = await Promise.all([postMovements(tx, tenantId, { type: 'stock_document', id: doc.id }, actor, moves), takeNumber?.()]);
  return docNo;
}

/** Corrects a posted document the only way the ledger allows: a compensating document. */
export async function reverseDocument(tx: Sql, tenantId: string, actor: string, id: string, reason?: string): Promise<StockDocument> {
  // Concurrent reversals of one document queue on its row; each later one then sees the first's
  // reversal and is refused as ALREADY_REVERSED (not a unique-key ALREADY_EXISTS).
  await repo.lockDocument(tx, tenantId, id);
  const doc = await repo.findDocument(tx, tenantId, id);
  if (!doc) throw notFound('stock document', id);
  if (doc.status !== 'posted') throw conflict('NOT_POSTED', `${doc.docNo} is a draft: a draft is changed or discarded, not reversed`);
  if (doc.reversesId) throw conflict('IS_A_REVERSAL', `${doc.docNo} is itself a reversal`);
  if (doc.reversedById) throw conflict('ALREADY_REVERSED', `${doc.docNo} was already reversed`, { reversedById: doc.reversedById });
  const reversalId = randomUUID();
  await repo.insertDocument(tx, tenantId, { id: reversalId, docNo: provisionalNumber(reversalId), type: doc.type, reason: reason ?? `Reversal of ${doc.docNo}`, createdBy: actor, reversesId: doc.id });
  await repo.copyLines(tx, tenantId, doc.id, reversalId);
  await repo.markPosted(tx, tenantId, reversalId, actor);
  const original = await repo.movementsOf(tx, tenantId, 'stock_document', doc.id);
  const reversal = (await repo.findDocument(tx, tenantId, reversalId))!;
  await postMovements(tx, tenantId, { type: 'stock_document', id: reversalId }, actor, original.map((m) => ({ ...m, quantity: m.quantity.neg(), field: `lines[${m.sourceLine - 1}]` })));
  return { ...reversal, docNo: await numberDocument(tx, tenantId, reversalId) };
}
