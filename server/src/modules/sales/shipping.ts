import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { MesProblem, conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { resolveBarcode } from '../barcodes/service.js';
import { postMovements, type Movement } from '../inventory/ledger.js';
import * as inventory from '../inventory/repo.js';
import { suggestFifo } from '../inventory/stock.js';
import * as masterdata from '../masterdata/repo.js';
import type { Material, Warehouse } from '../masterdata/schema.js';
import { UnitConverter } from '../masterdata/units.js';
import { getReturn } from './quality.js';
import * as repo from './repo.js';
import type { CreateSalesOutboundInput, CreateSalesReturnInput, OutboundLineInput, SalesOutbound, SalesReturn, ScanInput } from './schema.js';
import {
  assertShippable, event, lockOrderLines, numberLast, pickSoldMaterial, resolveCustomer, toBase, withTolerance, type Who,
} from './service.js';

type Err = (field: string, code: string, message: string) => void;

async function resolveWarehouse(tx: Sql, tenantId: string, ref: { warehouseId?: string; warehouseCode?: string }, errors: FieldError[]): Promise<Warehouse | undefined> {
  if (!ref.warehouseId && !ref.warehouseCode) return errors.push(fieldError('warehouseId', 'REQUIRED', 'name the warehouse by warehouseId or warehouseCode')), undefined;
  const w = (await masterdata.listWarehouses(tx, tenantId)).find((x) => (ref.warehouseId ? x.id === ref.warehouseId : x.code === ref.warehouseCode));
  const field = ref.warehouseId ? 'warehouseId' : 'warehouseCode';
  if (!w) return errors.push(fieldError(field, 'UNKNOWN_WAREHOUSE', `no warehouse ${ref.warehouseId ?? ref.warehouseCode}`)), undefined;
  if (w.status === 'blocked') return errors.push(fieldError(field, 'WAREHOUSE_BLOCKED', `warehouse ${w.code} is blocked`)), undefined;
  return w;
}

async function pickBin(tx: Sql, tenantId: string, warehouseId: string, id: string | undefined, code: string | undefined, field: string, err: Err): Promise<string | null> {
  if (!id && !code) return null;
  const bin = (await inventory.binsOf(tx, tenantId)).find((b) => b.warehouseId === warehouseId && (id ? b.id === id : b.code === code));
  if (!bin) err(`${field}.${id ? 'binId' : 'binCode'}`, 'UNKNOWN_BIN', `no bin ${id ?? code} in that warehouse`);
  return bin?.id ?? null;
}

function checkTracking(m: Material, batchNo: string | null, serialNo: string | null, base: Qty, field: string, err: Err): void {
  if (m.tracking === 'none') {
    if (batchNo) err(`${field}.batchNo`, 'NOT_TRACKED', `${m.code} is not batch-tracked`);
    if (serialNo) err(`${field}.serialNo`, 'NOT_TRACKED', `${m.code} is not serial-tracked`);
  }
  if (m.tracking === 'batch' && !batchNo) err(`${field}.batchNo`, 'BATCH_REQUIRED', `${m.code} is batch-tracked: say which batch`);
  if (m.tracking === 'serial') {
    if (!serialNo) err(`${field}.serialNo`, 'SERIAL_REQUIRED', `${m.code} is serial-tracked: say which serial`);
    if (!base.eq(1)) err(`${field}.quantity`, 'SERIAL_QUANTITY', 'a serial-tracked line moves exactly one piece');
  }
}

/** Batch and serial rows of existing stock: a shipment or return never creates them. */
async function trackingIds(tx: Sql, tenantId: string, materialId: string, materialCode: string, batchNo: string | null, serialNo: string | null, field: string, errors: FieldError[]) {
  const batchId = batchNo ? await inventory.batchId(tx, tenantId, materialId, batchNo) : null;
  const serialId = serialNo ? await inventory.serialId(tx, tenantId, materialId, serialNo, batchId, false) : null;
  if (batchNo && !batchId) errors.push(fieldError(`${field}.batchNo`, 'UNKNOWN_BATCH', `no batch ${batchNo} of ${materialCode}`));
  if (serialNo && !serialId) errors.push(fieldError(`${field}.serialNo`, 'UNKNOWN_SERIAL', `no serial ${serialNo} of ${materialCode}`));
  return { batchId, serialId };
}

// ---------------------------------------------------------------- sales outbounds (S1-5.4.1-d)

interface NewOutboundLine {
  planLineId: string;
  /** The index of the input line it came from. */
  input?: number;
  material: Material;
  quantity: string;
  unit: string;
  base: Qty;
  binId: string | null;
  batchNo: string | null;
  serialNo: string | null;
  origin: 'fifo' | 'scan' | 'manual';
  /** Why an expired batch ships; null for every other line. */
  expiredReason?: string | null;
}

async function insertOutboundLines(tx: Sql, tenantId: string, outboundId: string, warehouseId: string, lines: NewOutboundLine[], firstNo: number): Promise<void> {
  for (const [i, l] of lines.entries()) {
    await tx.query(
      `INSERT INTO sales_outbound_lines (tenant_id, outbound_id, line_no, plan_line_id, material_id, quantity, unit, base_quantity, warehouse_id, bin_id, batch_no, serial_no, origin, expired_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [tenantId, outboundId, firstNo + i, l.planLineId, l.material.id, l.quantity, l.unit, formatQty(l.base), warehouseId, l.binId, l.batchNo, l.serialNo, l.origin, l.expiredReason ?? null],
    );
  }
}

/** The plan line a material goes to: the one named, else the first of that material with quantity left, else the last of it. */
function planLineFor(planLines: repo.PlanLineRow[], pending: Map<string, Qty>, material: Material, planLineNo: number | undefined, field: string, err: Err): repo.PlanLineRow | undefined {
  if (planLineNo !== undefined) {
    const pl = planLines.find((l) => l.line_no === planLineNo);
    if (!pl) return err(`${field}.planLineNo`, 'UNKNOWN_PLAN_LINE', `the plan has no line ${planLineNo}`), undefined;
    if (pl.material_id !== material.id) return err(`${field}.planLineNo`, 'MATERIAL_MISMATCH', `plan line ${planLineNo} is for ${pl.material_code}, not ${material.code}`), undefined;
    return pl;
  }
  const candidates = planLines.filter((l) => l.material_id === material.id);
  if (!candidates.length) return err(`${field}.materialId`, 'NOT_ON_PLAN', `${material.code} is not on this delivery plan`), undefined;
  return candidates.find((l) => qty(l.base_quantity).minus(qty(l.shipped_base)).minus(pending.get(l.id) ?? qty(0)).gt(0)) ?? candidates[candidates.length - 1];
}

async function getOutbound(tx: Sql, tenantId: string, id: string): Promise<SalesOutbound> {
  const o = await repo.findOutbound(tx, tenantId, id);
  if (!o) throw notFound('sales outbound', id);
  return o;
}

async function resolveManualLines(tx: Sql, tenantId: string, planLines: repo.PlanLineRow[], warehouseId: string, lines: OutboundLineInput[], errors: FieldError[]): Promise<NewOutboundLine[]> {
  const err: Err = (f, c, m) => errors.push(fieldError(f, c, m));
  const scans = await Promise.all(lines.map(async (l, i) => {
    if (!l.barcode) return undefined;
    try {
      return await resolveBarcode(tx, tenantId, l.barcode);
    } catch (e) {
      if (!(e instanceof MesProblem)) throw e;
      err(`lines[${i}].barcode`, e.code, e.message);
      return undefined;
    }
  }));
  const materials = await masterdata.findMaterials(tx, tenantId, lines.flatMap((l, i) => [l.materialId, scans[i]?.material?.id].filter((x): x is string => !!x)), lines.flatMap((l) => (l.materialCode ? [l.materialCode] : [])));
  const units = await UnitConverter.load(tx, tenantId);
  const pending = new Map<string, Qty>();
  const out: NewOutboundLine[] = [];
  for (const [i, l] of lines.entries()) {
    const field = `lines[${i}]`;
    const scan = scans[i];
    if (l.barcode && !scan) continue;
    if (l.barcode && !scan?.material) { err(`${field}.barcode`, 'WRONG_LABEL', 'this label names no material'); continue; }
    const material = pickSoldMaterial(materials, { materialId: l.materialId ?? scan?.material?.id, materialCode: l.materialId || scan ? undefined : l.materialCode }, field, errors);
    if (!material) continue;
    const pl = planLineFor(planLines, pending, material, l.planLineNo, field, err);
    if (!pl) continue;
    const unit = l.unit ?? (scan ? material.baseUnit : pl.unit);
    const base = toBase(units, material, l.quantity, unit, field, errors);
    if (!base) continue;
    const batchNo = l.batchNo ?? scan?.batch?.batchNo ?? null;
    const serialNo = l.serialNo ?? scan?.serial?.serialNo ?? null;
    checkTracking(material, batchNo, serialNo, base, field, err);
    const binId = await pickBin(tx, tenantId, warehouseId, l.binId, l.binCode, field, err);
    pending.set(pl.id, (pending.get(pl.id) ?? qty(0)).plus(base));
    out.push({ planLineId: pl.id, material, quantity: formatQty(qty(l.quantity)), unit, base, binId, batchNo, serialNo, origin: scan ? 'scan' : 'manual', input: i });
  }
  // An expired batch ships only when the line says so, with a reason.
  const expired = await inventory.expiredBatches(tx, tenantId, out.flatMap((l) => (l.batchNo ? [{ materialId: l.material.id, batchNo: l.batchNo }] : [])));
  for (const l of out) {
    const expiry = l.batchNo ? expired.get(`${l.material.id}|${l.batchNo}`) : undefined;
    const input = lines[l.input!];
    if (!expiry) continue;
    if (!input.allowExpired) err(`lines[${l.input}].batchNo`, 'EXPIRED_BATCH', `batch ${l.batchNo} of ${l.material.code} expired on ${expiry}; pick another, or send allowExpired: true with expiredReason`);
    else if (!input.expiredReason) err(`lines[${l.input}].expiredReason`, 'REASON_REQUIRED', `say why batch ${l.batchNo}, expired on ${expiry}, ships`);
    else l.expiredReason = input.expiredReason;
  }
  return out;
}

/** The FIFO suggestion (S1-5.4.3-i) for every plan line's open quantity, from the chosen warehouse. */
async function fifoLines(tx: Sql, tenantId: string, planLines: repo.PlanLineRow[], warehouseId: string): Promise<NewOutboundLine[]> {
  const materials = await masterdata.findMaterials(tx, tenantId, [...new Set(planLines.map((l) => l.material_id))], []);
  const out: NewOutboundLine[] = [];
  for (const pl of planLines) {
    const open = qty(pl.base_quantity).minus(qty(pl.shipped_base));
    if (!open.gt(0)) continue;
    const material = materials.find((m) => m.id === pl.material_id)!;
    const suggestion = await suggestFifo(tx, tenantId, pl.material_id, formatQty(open), warehouseId);
    for (const p of suggestion.picks) {
      out.push({ planLineId: pl.id, material, quantity: p.quantity, unit: material.baseUnit, base: qty(p.quantity), binId: p.binId, batchNo: p.batchNo, serialNo: p.serialNo, origin: 'fifo' });
    }
  }
  return out;
}

export async function createOutbound(tx: Sql, who: Who, input: CreateSalesOutboundInput): Promise<SalesOutbound> {
  const plan = await repo.findPlan(tx, who.tenantId, input.planId);
  const errors: FieldError[] = [];
  if (!plan) throw unprocessable('SALES_OUTBOUND_INVALID', `no delivery plan ${input.planId}`, [fieldError('planId', 'UNKNOWN_PLAN', `no delivery plan ${input.planId}`)]);
  if (plan.status === 'cancelled' || plan.status === 'shipped') throw conflict(plan.status === 'cancelled' ? 'PLAN_CANCELLED' : 'PLAN_SHIPPED', `delivery plan ${plan.docNo} is ${plan.status}`, { documentStatus: plan.status });
  const planLines = await repo.planLines(tx, who.tenantId, plan.id);
  assertShippable(planLines.map((l) => ({ status: l.order_status, doc_no: l.order_doc_no })));
  const warehouse = await resolveWarehouse(tx, who.tenantId, input, errors);
  if (!warehouse) throw unprocessable('SALES_OUTBOUND_INVALID', 'the outbound cannot be created as given; nothing was saved', errors);
  const lines = input.lines === undefined ? await fifoLines(tx, who.tenantId, planLines, warehouse.id) : await resolveManualLines(tx, who.tenantId, planLines, warehouse.id, input.lines, errors);
  if (errors.length) {
    const expired = errors.every((e) => e.code === 'EXPIRED_BATCH');
    throw unprocessable(expired ? 'EXPIRED_BATCH' : 'SALES_OUTBOUND_INVALID', expired ? 'a line picks a batch past its expiry date; nothing was saved' : `${new Set(errors.map((e) => e.field.split('.')[0])).size} line(s) cannot be used; nothing was saved`, errors);
  }
  const id = randomUUID();
  await tx.query(
    `INSERT INTO sales_outbounds (tenant_id, id, doc_no, plan_id, customer_id, warehouse_id, created_by, created_by_user) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [who.tenantId, id, `~${id}`, plan.id, plan.customerId, warehouse.id, who.actor, who.userId],
  );
  await insertOutboundLines(tx, who.tenantId, id, warehouse.id, lines, 1);
  const docNo = await numberLast(tx, who.tenantId, 'sales_outbounds', id, 'sales_outbound', 'SOB{yyyy}{mm}{dd}-{seq:4}', 'Sales outbound numbers');
  recordEvent(tx, event(who.tenantId, 'sales_outbound.created', 'sales_outbound', { id, docNo, status: 'draft' }, { planId: plan.id }));
  return getOutbound(tx, who.tenantId, id);
}

/**
 * PDA scans add to a draft: each label (material, batch or serial, GS1) adds its quantity (the
 * scan's, else the label's (30) count, else 1, in the base unit) to the line with the same plan
 * line, bin, batch and serial, or opens a new line. A serial is scanned once. All scans of a request
 * are checked first; one bad scan changes nothing. Resent with the same Idempotency-Key, a scan counts once.
 */
export async function scanIntoOutbound(tx: Sql, who: Who, id: string, input: ScanInput): Promise<SalesOutbound> {
  await tx.query('SELECT 1 FROM sales_outbounds WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [who.tenantId, id]);
  const doc = await getOutbound(tx, who.tenantId, id);
  if (doc.status !== 'draft') throw conflict('OUTBOUND_POSTED', `sales outbound ${doc.docNo} is posted; scan into a new one`);
  const planLines = await repo.planLines(tx, who.tenantId, doc.planId);
  const errors: FieldError[] = [];
  const err: Err = (f, c, m) => errors.push(fieldError(f, c, m));
  const lines = doc.lines.map((l) => ({ ...l, planLineId: planLines.find((p) => p.line_no === l.planLineNo)!.id, add: qty(0), isNew: false }));
  const pending = new Map<string, Qty>();
  for (const l of lines) pending.set(l.planLineId, (pending.get(l.planLineId) ?? qty(0)).plus(qty(l.baseQuantity)));
  const materials = new Map<string, Material>();
  const scannedBatches: { materialId: string; batchNo: string; field: string }[] = [];
  for (const [i, s] of input.scans.entries()) {
    const field = `scans[${i}]`;
    let r;
    try {
      r = await resolveBarcode(tx, who.tenantId, s.barcode);
    } catch (e) {
      if (!(e instanceof MesProblem)) throw e;
      err(`${field}.barcode`, e.code, e.message);
      continue;
    }
    if (!r.material) { err(`${field}.barcode`, 'WRONG_LABEL', 'this label names no material'); continue; }
    const material = materials.get(r.material.id) ?? (await masterdata.findMaterial(tx, who.tenantId, r.material.id))!;
    materials.set(material.id, material);
    const base = qty(s.quantity ?? r.quantity ?? '1');
    if (!base.gt(0)) { err(`${field}.quantity`, 'NOT_POSITIVE', 'must be greater than 0'); continue; }
    const pl = planLineFor(planLines, pending, material, undefined, field, (f, c, m) => err(f.replace(/\.materialId$/, '.barcode'), c, m));
    if (!pl) continue;
    const batchNo = r.batch?.batchNo ?? null;
    const serialNo = r.serial?.serialNo ?? null;
    if (batchNo) scannedBatches.push({ materialId: material.id, batchNo, field });
    checkTracking(material, batchNo, serialNo, base, field, (f, c, m) => err(c === 'SERIAL_QUANTITY' ? f : `${field}.barcode`, c, m));
    const binId = await pickBin(tx, who.tenantId, doc.warehouseId, s.binId, s.binCode, field, err);
    if (serialNo && lines.some((l) => l.materialId === material.id && l.serialNo === serialNo)) { err(`${field}.barcode`, 'SERIAL_ALREADY_SCANNED', `serial ${serialNo} is already on this outbound`); continue; }
    pending.set(pl.id, (pending.get(pl.id) ?? qty(0)).plus(base));
    const same = lines.find((l) => l.planLineId === pl.id && l.binId === binId && l.batchNo === batchNo && l.serialNo === serialNo && l.unit === material.baseUnit);
    if (same) same.add = same.add.plus(base);
    else {
      lines.push({
        lineNo: Math.max(0, ...lines.map((l) => l.lineNo)) + 1, planLineNo: pl.line_no, orderId: pl.order_id, orderDocNo: pl.order_doc_no, orderLineNo: pl.order_line_no,
        materialId: material.id, materialCode: material.code, quantity: '0', unit: material.baseUnit, baseQuantity: '0', baseUnit: material.baseUnit,
        warehouseId: doc.warehouseId, binId, batchNo, serialNo, origin: 'scan', returned: '0', expiredReason: null, planLineId: pl.id, add: base, isNew: true,
      });
    }
  }
  // A scanned label of an expired batch is refused; shipping one on purpose is a hand-picked line with allowExpired.
  const expired = await inventory.expiredBatches(tx, who.tenantId, scannedBatches);
  for (const b of scannedBatches) {
    const expiry = expired.get(`${b.materialId}|${b.batchNo}`);
    if (expiry) err(`${b.field}.barcode`, 'EXPIRED_BATCH', `batch ${b.batchNo} expired on ${expiry}; scan another`);
  }
  if (errors.length) throw unprocessable(errors.every((e) => e.code === 'EXPIRED_BATCH') ? 'EXPIRED_BATCH' : 'SCAN_INVALID', `${new Set(errors.map((e) => e.field.split('.')[0])).size} scan(s) cannot be used; nothing was added`, errors);
  for (const l of lines.filter((x) => x.add.gt(0))) {
    if (l.isNew) {
      await insertOutboundLines(tx, who.tenantId, id, doc.warehouseId, [{ planLineId: l.planLineId, material: materials.get(l.materialId)!, quantity: formatQty(l.add), unit: l.unit, base: l.add, binId: l.binId, batchNo: l.batchNo, serialNo: l.serialNo, origin: 'scan' }], l.lineNo);
    } else {
      await tx.query(
        'UPDATE sales_outbound_lines SET quantity = quantity + $4, base_quantity = base_quantity + $4 WHERE tenant_id = $1 AND outbound_id = $2 AND line_no = $3',
        [who.tenantId, id, l.lineNo, formatQty(l.add)],
      );
    }
  }
  return getOutbound(tx, who.tenantId, id);
}

/**
 * Posts a draft: checks the orders are approved and every plan line and order line stays within the
 * customer's tolerance, posts sales_out movements (STOCK_INSUFFICIENT leaves everything as it was),
 * adds the shipped quantities and moves plan and orders on. Posting a posted outbound changes nothing.
 */
export async function postOutbound(tx: Sql, who: Who, id: string): Promise<SalesOutbound> {
  const { rows: claimed } = await tx.query<{ plan_id: string }>(
    `UPDATE sales_outbounds SET status = 'posted', posted_by = $3, posted_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'draft' RETURNING plan_id`,
    [who.tenantId, id, who.actor],
  );
  if (!claimed[0]) return getOutbound(tx, who.tenantId, id);
  const doc = await getOutbound(tx, who.tenantId, id);
  if (!doc.lines.length) throw unprocessable('OUTBOUND_EMPTY', `sales outbound ${doc.docNo} has no lines; scan or add some first`, [fieldError('lines', 'EMPTY', 'no lines to post')]);
  const plan = (await repo.findPlan(tx, who.tenantId, doc.planId, true))!;
  if (plan.status === 'cancelled') throw conflict('PLAN_CANCELLED', `delivery plan ${plan.docNo} was cancelled`, { documentStatus: plan.status });
  const rawLines = await repo.outboundLines(tx, who.tenantId, id);
  const planLines = await repo.planLines(tx, who.tenantId, plan.id);
  const locked = await lockOrderLines(tx, who.tenantId, rawLines.map((l) => l.order_line_id));
  assertShippable(locked.values());
  const tolerance = (await resolveCustomer(tx, who.tenantId, { customerId: doc.customerId }, []))?.tolerance
    ?? qty((await tx.query<{ t: string }>('SELECT over_delivery_tolerance::text AS t FROM partners WHERE tenant_id = $1 AND id = $2', [who.tenantId, doc.customerId])).rows[0].t);

  const errors: FieldError[] = [];
  const byPlanLine = new Map<string, Qty>();
  const byOrderLine = new Map<string, Qty>();
  for (const l of rawLines) {
    byPlanLine.set(l.plan_line_id, (byPlanLine.get(l.plan_line_id) ?? qty(0)).plus(qty(l.base_quantity)));
    byOrderLine.set(l.order_line_id, (byOrderLine.get(l.order_line_id) ?? qty(0)).plus(qty(l.base_quantity)));
  }
  const firstField = (pred: (l: repo.OutboundLineRow) => boolean) => `lines[${rawLines.findIndex(pred)}].quantity`;
  for (const [plId, add] of byPlanLine) {
    const pl = planLines.find((p) => p.id === plId)!;
    const limit = withTolerance(qty(pl.base_quantity), tolerance);
    const total = qty(pl.shipped_base).plus(add);
    if (total.gt(limit)) errors.push(fieldError(firstField((l) => l.plan_line_id === plId), 'OVER_TOLERANCE', `plan line ${pl.line_no} (${pl.material_code}): ${formatQty(total)} ${pl.base_unit} shipped would exceed ${pl.base_quantity} planned plus ${formatQty(tolerance)}% (${formatQty(limit)})`));
  }
  for (const [olId, add] of byOrderLine) {
    const ol = locked.get(olId)!;
    const limit = withTolerance(qty(ol.base_quantity), tolerance);
    const total = qty(ol.shipped_base).minus(qty(ol.returned_base)).plus(add);
    if (total.gt(limit)) errors.push(fieldError(firstField((l) => l.order_line_id === olId), 'OVER_TOLERANCE', `order ${ol.doc_no} line ${ol.line_no}: ${formatQty(total)} net shipped would exceed ${ol.base_quantity} ordered plus ${formatQty(tolerance)}% (${formatQty(limit)})`));
  }
  if (errors.length) throw unprocessable('OVER_TOLERANCE', 'this outbound ships more than the customer\'s over-delivery tolerance allows; nothing was posted', errors);

  const moves: Movement[] = [];
  for (const [i, l] of rawLines.entries()) {
    const field = `lines[${i}]`;
    const { batchId, serialId } = await trackingIds(tx, who.tenantId, l.material_id, l.material_code, l.batch_no, l.serial_no, field, errors);
    moves.push({ type: 'sales_out', materialId: l.material_id, warehouseId: l.warehouse_id, binId: l.bin_id, batchId, serialId, quantity: qty(l.base_quantity).neg(), enteredQuantity: l.quantity, enteredUnit: l.unit, sourceLine: l.line_no, field });
  }
  if (errors.length) throw unprocessable('SALES_OUTBOUND_INVALID', 'a batch or serial of this outbound does not exist; nothing was posted', errors);
  // A batch that expired since the draft was made does not ship unless the line chose it with a reason.
  const expired = await inventory.expiredBatches(tx, who.tenantId, rawLines.flatMap((l) => (l.batch_no && !l.expired_reason ? [{ materialId: l.material_id, batchNo: l.batch_no }] : [])));
  const expiredLines = rawLines.flatMap((l, i) => {
    const expiry = l.batch_no && !l.expired_reason ? expired.get(`${l.material_id}|${l.batch_no}`) : undefined;
    return expiry ? [fieldError(`lines[${i}].batchNo`, 'EXPIRED_BATCH', `batch ${l.batch_no} of ${l.material_code} expired on ${expiry}`)] : [];
  });
  if (expiredLines.length) {
    throw conflict('EXPIRED_BATCH', `${expiredLines.length} line(s) ship a batch that has expired since the outbound was drafted; replace them or pick the batch by hand with allowExpired; nothing was posted`, { errors: expiredLines });
  }
  await postMovements(tx, who.tenantId, { type: 'sales_outbound', id }, who.actor, moves);

  for (const [plId, add] of byPlanLine) await tx.query('UPDATE delivery_plan_lines SET shipped_base = shipped_base + $3 WHERE tenant_id = $1 AND id = $2', [who.tenantId, plId, formatQty(add)]);
  for (const [olId, add] of byOrderLine) await tx.query('UPDATE sales_order_lines SET shipped_base = shipped_base + $3 WHERE tenant_id = $1 AND id = $2', [who.tenantId, olId, formatQty(add)]);

  const { rows: [planState] } = await tx.query<{ done: boolean }>(
    'SELECT bool_and(shipped_base >= base_quantity) AS done FROM delivery_plan_lines WHERE tenant_id = $1 AND plan_id = $2',
    [who.tenantId, plan.id],
  );
  const planStatus = planState.done ? 'shipped' : 'partially_shipped';
  if (planStatus !== plan.status) {
    await tx.query('UPDATE delivery_plans SET status = $3, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2', [who.tenantId, plan.id, planStatus]);
    recordEvent(tx, event(who.tenantId, `delivery_plan.${planStatus}`, 'delivery_plan', { id: plan.id, docNo: plan.docNo, status: planStatus, version: plan.version + 1 }));
  }
  const orders = new Map([...locked.values()].map((l) => [l.order_id, l]));
  for (const [orderId, l] of [...orders].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { rows: [o] } = await tx.query<{ version: number; done: boolean }>(
      `SELECT o.version, bool_and(ol.shipped_base - ol.returned_base >= ol.base_quantity) AS done
         FROM sales_orders o JOIN sales_order_lines ol ON ol.tenant_id = o.tenant_id AND ol.order_id = o.id
        WHERE o.tenant_id = $1 AND o.id = $2 GROUP BY o.version`,
      [who.tenantId, orderId],
    );
    if (l.status === 'approved') {
      await tx.query(`UPDATE sales_orders SET status = 'in_delivery', updated_at = now() WHERE tenant_id = $1 AND id = $2`, [who.tenantId, orderId]);
      recordEvent(tx, event(who.tenantId, 'sales_order.in_delivery', 'sales_order', { id: orderId, docNo: l.doc_no, status: 'in_delivery', version: o.version }));
    }
    if (o.done) {
      await tx.query(`UPDATE sales_orders SET status = 'closed', closed_at = now(), close_reason = 'fully shipped', updated_at = now() WHERE tenant_id = $1 AND id = $2`, [who.tenantId, orderId]);
      recordEvent(tx, event(who.tenantId, 'sales_order.closed', 'sales_order', { id: orderId, docNo: l.doc_no, status: 'closed', version: o.version }, { remainingCancelled: false }));
    }
  }
  const posted = await getOutbound(tx, who.tenantId, id);
  recordEvent(tx, event(who.tenantId, 'sales_outbound.posted', 'sales_outbound', posted, { planId: plan.id }));
  return posted;
}

// ---------------------------------------------------------------- sales returns (S1-5.4.1-e)

interface NewReturnLine {
  outboundLineNo: number | null;
  orderLineId: string | null;
  material: Material;
  quantity: string;
  unit: string;
  base: Qty;
  binId: string | null;
  batchNo: string | null;
  serialNo: string | null;
}

/**
 * A return is posted when it is created: sales_return movements into the chosen warehouse (a
 * quarantine one for goods to inspect). With a source outbound each line names the outbound line it
 * returns, keeps its batch and serial, and never brings back more than that line shipped
 * (RETURN_EXCEEDS_SHIPPED); the order line's net shipped goes down by it. Without a source the
 * lines name material, batch and serial, which must exist (goods we shipped have them).
 */
export async function createReturn(tx: Sql, who: Who, input: CreateSalesReturnInput): Promise<SalesReturn> {
  const errors: FieldError[] = [];
  const err: Err = (f, c, m) => errors.push(fieldError(f, c, m));
  let source: SalesOutbound | undefined;
  if (input.sourceOutboundId) {
    source = await repo.findOutbound(tx, who.tenantId, input.sourceOutboundId);
    if (!source) err('sourceOutboundId', 'UNKNOWN_OUTBOUND', `no sales outbound ${input.sourceOutboundId}`);
    else if (source.status !== 'posted') throw conflict('OUTBOUND_NOT_POSTED', `sales outbound ${source.docNo} is a draft: nothing was shipped to return`);
  }
  const customer = source && !input.customerId && !input.customerCode
    ? await resolveCustomer(tx, who.tenantId, { customerId: source.customerId }, [])
      ?? { id: source.customerId, code: source.customerCode, address: '', tolerance: qty(0) }
    : await resolveCustomer(tx, who.tenantId, input, errors);
  if (customer && source && customer.id !== source.customerId) err(input.customerId ? 'customerId' : 'customerCode', 'CUSTOMER_MISMATCH', `outbound ${source.docNo} went to ${source.customerCode}`);
  const warehouse = await resolveWarehouse(tx, who.tenantId, input, errors);
  const units = await UnitConverter.load(tx, who.tenantId);
  const lines: NewReturnLine[] = [];
  let outLines: repo.OutboundLineRow[] = [];
  if (source) {
    const sourceLines = await repo.outboundLines(tx, who.tenantId, source.id);
    await lockOrderLines(tx, who.tenantId, sourceLines.map((l) => l.order_line_id));
    outLines = await repo.outboundLines(tx, who.tenantId, source.id, true);
  }
  const materials = await masterdata.findMaterials(
    tx, who.tenantId,
    [...input.lines.flatMap((l) => (l.materialId ? [l.materialId] : [])), ...outLines.map((l) => l.material_id)],
    input.lines.flatMap((l) => (l.materialCode ? [l.materialCode] : [])),
  );
  const returning = new Map<number, Qty>();
  for (const [i, l] of input.lines.entries()) {
    const field = `lines[${i}]`;
    const binId = warehouse ? await pickBin(tx, who.tenantId, warehouse.id, l.binId, undefined, field, err) : null;
    if (source) {
      if (l.outboundLineNo === undefined) { err(`${field}.outboundLineNo`, 'REQUIRED', 'a return with a source names the outbound line it returns'); continue; }
      const ol = outLines.find((x) => x.line_no === l.outboundLineNo);
      if (!ol) { err(`${field}.outboundLineNo`, 'UNKNOWN_OUTBOUND_LINE', `outbound ${source.docNo} has no line ${l.outboundLineNo}`); continue; }
      const material = materials.find((m) => m.id === ol.material_id)!;
      if ((l.materialId && l.materialId !== material.id) || (l.materialCode && l.materialCode !== material.code)) { err(`${field}.materialId`, 'MATERIAL_MISMATCH', `outbound line ${ol.line_no} shipped ${material.code}`); continue; }
      if ((l.batchNo && l.batchNo !== ol.batch_no) || (l.serialNo && l.serialNo !== ol.serial_no)) { err(`${field}.batchNo`, 'TRACKING_MISMATCH', `outbound line ${ol.line_no} shipped batch ${ol.batch_no ?? '-'} serial ${ol.serial_no ?? '-'}`); continue; }
      const unit = l.unit ?? ol.unit;
      const base = toBase(units, material, l.quantity, unit, field, errors);
      if (!base) continue;
      const total = qty(ol.returned_base).plus(returning.get(ol.line_no) ?? qty(0)).plus(base);
      if (total.gt(qty(ol.base_quantity))) {
        err(`${field}.quantity`, 'RETURN_EXCEEDS_SHIPPED', `outbound line ${ol.line_no} shipped ${ol.base_quantity} ${ol.base_unit}, ${ol.returned_base} already returned: at most ${formatQty(qty(ol.base_quantity).minus(qty(ol.returned_base)).minus(returning.get(ol.line_no) ?? qty(0)))} more`);
        continue;
      }
      returning.set(ol.line_no, (returning.get(ol.line_no) ?? qty(0)).plus(base));
      lines.push({ outboundLineNo: ol.line_no, orderLineId: ol.order_line_id, material, quantity: formatQty(qty(l.quantity)), unit, base, binId, batchNo: ol.batch_no, serialNo: ol.serial_no });
    } else {
      if (l.outboundLineNo !== undefined) { err(`${field}.outboundLineNo`, 'NO_SOURCE', 'a return without a source outbound has no outbound lines'); continue; }
      const material = pickSoldMaterial(materials, l, field, errors);
      if (!material) continue;
      const unit = l.unit ?? material.salesUnit;
      const base = toBase(units, material, l.quantity, unit, field, errors);
      if (!base) continue;
      checkTracking(material, l.batchNo ?? null, l.serialNo ?? null, base, field, err);
      lines.push({ outboundLineNo: null, orderLineId: null, material, quantity: formatQty(qty(l.quantity)), unit, base, binId, batchNo: l.batchNo ?? null, serialNo: l.serialNo ?? null });
    }
  }
  const exceeded = errors.length > 0 && errors.every((e) => e.code === 'RETURN_EXCEEDS_SHIPPED');
  if (errors.length || !customer || !warehouse) {
    throw unprocessable(exceeded ? 'RETURN_EXCEEDS_SHIPPED' : 'SALES_RETURN_INVALID', exceeded ? 'the return brings back more than was shipped; nothing was posted' : 'the return cannot be posted as given; nothing was posted', errors);
  }
  const moves: Movement[] = [];
  for (const [i, l] of lines.entries()) {
    const field = `lines[${i}]`;
    const { batchId, serialId } = await trackingIds(tx, who.tenantId, l.material.id, l.material.code, l.batchNo, l.serialNo, field, errors);
    moves.push({ type: 'sales_return', materialId: l.material.id, warehouseId: warehouse.id, binId: l.binId, batchId, serialId, quantity: l.base, enteredQuantity: l.quantity, enteredUnit: l.unit, sourceLine: i + 1, field });
  }
  if (errors.length) throw unprocessable('SALES_RETURN_INVALID', 'a batch or serial of this return does not exist; nothing was posted', errors);

  const id = randomUUID();
  await tx.query(
    `INSERT INTO sales_returns (tenant_id, id, doc_no, customer_id, source_outbound_id, warehouse_id, reason_code, reason, created_by, created_by_user)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [who.tenantId, id, `~${id}`, customer.id, source?.id ?? null, warehouse.id, input.reasonCode, input.reason ?? '', who.actor, who.userId],
  );
  for (const [i, l] of lines.entries()) {
    await tx.query(
      `INSERT INTO sales_return_lines (tenant_id, return_id, line_no, outbound_line_no, order_line_id, material_id, quantity, unit, base_quantity, bin_id, batch_no, serial_no)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [who.tenantId, id, i + 1, l.outboundLineNo, l.orderLineId, l.material.id, l.quantity, l.unit, formatQty(l.base), l.binId, l.batchNo, l.serialNo],
    );
  }
  await postMovements(tx, who.tenantId, { type: 'sales_return', id }, who.actor, moves);
  for (const [lineNo, add] of returning) {
    await tx.query('UPDATE sales_outbound_lines SET returned_base = returned_base + $4 WHERE tenant_id = $1 AND outbound_id = $2 AND line_no = $3', [who.tenantId, source!.id, lineNo, formatQty(add)]);
  }
  const byOrderLine = new Map<string, Qty>();
  for (const l of lines) if (l.orderLineId) byOrderLine.set(l.orderLineId, (byOrderLine.get(l.orderLineId) ?? qty(0)).plus(l.base));
  for (const [olId, add] of byOrderLine) await tx.query('UPDATE sales_order_lines SET returned_base = returned_base + $3 WHERE tenant_id = $1 AND id = $2', [who.tenantId, olId, formatQty(add)]);
  const docNo = await numberLast(tx, who.tenantId, 'sales_returns', id, 'sales_return', 'SR{yyyy}{mm}{dd}-{seq:4}', 'Sales return numbers');
  recordEvent(tx, event(who.tenantId, 'sales_return.posted', 'sales_return', { id, docNo, status: 'posted' }, { sourceOutboundId: source?.id ?? null }));
  return getReturn(tx, who.tenantId, id);
}
