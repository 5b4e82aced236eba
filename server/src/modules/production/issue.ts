/**
 * Material for production orders (S1-5.4.4-g): issue by order, by operation, by explicit lines or
 * by PDA scans; returns to a warehouse and bin; backflush of the components whose issue type says
 * so, at the operation's report or at the receipt. Stock moves only through postMovements.
 *
 * A component's alternate (the BOM line's substitute material) is issued and returned in its place:
 * the material line names the substitute, and the component counts it at its usage ratio (per-unit
 * of the component over per-unit of the alternate), so 8 of a substitute used 4 a piece where the
 * component is used 2 count as 4 of the component. A quantity whose equivalent is not exact to six
 * decimals is refused (INEXACT_SUBSTITUTE) rather than rounded.
 *
 * Every writer takes the order's row lock first (orders.lockOrder), then the component rows, then
 * stock balances (inside postMovements): parallel issues, returns, reports and receipts of one
 * order queue on it, so the component quantities always equal the sums of the documents.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { MesProblem, fieldError, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { resolveBarcode } from '../barcodes/service.js';
import { postMovements, type Movement } from '../inventory/ledger.js';
import * as inventory from '../inventory/repo.js';
import { suggestFifo } from '../inventory/stock.js';
import * as masterdata from '../masterdata/repo.js';
import type { Material } from '../masterdata/schema.js';
import { UnitConverter } from '../masterdata/units.js';
import { numberLast } from '../sales/service.js';
import type { Who } from './common.js';
import { assertInProduction, getMaterialDoc, pickBin, resolveWarehouse, roundUp, tolerances, type Err } from './execution-common.js';
import * as repo from './execution-repo.js';
import type { IssueInput, MaterialDoc, ReturnInput } from './execution-schema.js';
import type { ComponentRow, OrderRow } from './order-repo.js';
import { lockOrder, markInProgress } from './orders.js';

/** More than any balance holds: asks a FIFO suggestion for every pick there is. */
const ALL = '1000000000000000';

const NUMBERING = { issue: ['PI', 'Production issue numbers'], return: ['PR', 'Production return numbers'], backflush: ['PB', 'Production backflush numbers'] } as const;

interface Line extends repo.NewMaterialLine {
  component: ComponentRow;
  material: Material;
  field: string;
  /** What one base unit of the line's material counts for of the component: 1, or a substitute's usage ratio. */
  factor?: Qty;
}

/** Decimals a substitute's component equivalent may have: beyond them it is refused, never rounded. */
const EQUIVALENT_DECIMALS = 6;

/** A component's alternate of this material: its usage ratio, or undefined when the material is none of its alternates. */
function substituteFactor(c: ComponentRow, material: Material): Qty | undefined {
  const alt = (c.alternates as { materialId: string; perUnit: string }[]).find((a) => a.materialId === material.id);
  return alt ? qty(c.per_unit).div(qty(alt.perUnit)) : undefined;
}

/** What lines add to each component, in the component's base unit: base quantities summed per factor first, so FIFO splits stay exact. */
function addedByComponent(lines: Line[]): Map<string, Qty> {
  const byFactor = new Map<string, { componentId: string; factor: Qty; base: Qty }>();
  for (const l of lines) {
    const factor = l.factor ?? qty(1);
    const key = `${l.componentId}|${factor.toString()}`;
    const e = byFactor.get(key) ?? { componentId: l.componentId, factor, base: qty(0) };
    e.base = e.base.plus(qty(l.baseQuantity));
    byFactor.set(key, e);
  }
  const out = new Map<string, Qty>();
  for (const e of byFactor.values()) out.set(e.componentId, (out.get(e.componentId) ?? qty(0)).plus(e.base.mul(e.factor).toDecimalPlaces(EQUIVALENT_DECIMALS)));
  return out;
}

/** A substitute's quantity whose equivalent is not exact is refused; true when it is fine. */
function exactEquivalent(base: Qty, factor: Qty | undefined, material: Material, component: ComponentRow, field: string, err: Err): boolean {
  if (!factor || base.mul(factor).decimalPlaces() <= EQUIVALENT_DECIMALS) return true;
  err(`${field}.quantity`, 'INEXACT_SUBSTITUTE', `${formatQty(base)} ${material.code} is no exact quantity of component line ${component.line_no} (× ${factor.toSignificantDigits(8).toString()}); issue a multiple that is`);
  return false;
}

/** Net of returns, what a component has had: issued + backflushed − returned. */
const consumedOf = (c: ComponentRow) => qty(c.issued_quantity).plus(qty(c.backflushed_quantity)).minus(qty(c.returned_quantity));

/** Refuses with every problem: one shared code (ISSUE_OVER_TOLERANCE, UNIT_NOT_CONVERTIBLE…) or the fallback. */
function refuse(errors: FieldError[], fallback: string, message: string): void {
  if (!errors.length) return;
  const codes = new Set(errors.map((e) => e.code));
  throw unprocessable(codes.size === 1 ? [...codes][0] : fallback, `${message}; nothing was posted`, errors);
}

function checkTracking(m: Material, batchNo: string | null, serialNo: string | null, base: Qty, field: string, err: Err): void {
  if (m.tracking === 'none' && (batchNo || serialNo)) err(`${field}.${batchNo ? 'batchNo' : 'serialNo'}`, 'NOT_TRACKED', `${m.code} is not batch- or serial-tracked`);
  if (m.tracking === 'batch' && serialNo) err(`${field}.serialNo`, 'NOT_TRACKED', `${m.code} is not serial-tracked`);
  if (m.tracking === 'serial' && serialNo && !base.eq(1)) err(`${field}.quantity`, 'SERIAL_QUANTITY', 'a serial-tracked line moves exactly one piece');
}

/** The component a line goes to: the one named, else the first of that material with quantity open, else the last of it. */
function componentFor(comps: ComponentRow[], pending: Map<string, Qty>, material: Material, lineNo: number | undefined, field: string, err: Err): { component: ComponentRow; factor?: Qty } | undefined {
  if (lineNo !== undefined) {
    const c = comps.find((x) => x.line_no === lineNo);
    if (!c) return err(`${field}.componentLineNo`, 'UNKNOWN_COMPONENT', `the order has no component line ${lineNo}`), undefined;
    if (c.material_id === material.id) return { component: c };
    const factor = substituteFactor(c, material);
    if (!factor) return err(`${field}.componentLineNo`, 'MATERIAL_MISMATCH', `component line ${lineNo} is not ${material.code}, nor is ${material.code} one of its alternates`), undefined;
    return { component: c, factor };
  }
  const open = (c: ComponentRow) => qty(c.required_quantity).minus(consumedOf(c)).minus(pending.get(c.id) ?? qty(0)).gt(0);
  const candidates = comps.filter((c) => c.material_id === material.id);
  if (candidates.length) return { component: candidates.find(open) ?? candidates[candidates.length - 1] };
  const substituted = comps.filter((c) => substituteFactor(c, material));
  if (!substituted.length) return err(`${field}.materialId`, 'NOT_A_COMPONENT', `${material.code} is neither a component of this order nor an alternate of one`), undefined;
  const c = substituted.find(open) ?? substituted[substituted.length - 1];
  return { component: c, factor: substituteFactor(c, material) };
}

/** Splits a quantity of a tracked material without batch or serial over the FIFO/FEFO picks of a warehouse (and bin). */
async function pickFifo(tx: Sql, tenantId: string, base: Line, warehouseId: string | undefined, err: Err): Promise<Line[]> {
  // With a bin named, every pick of the warehouse is asked for and those of other bins dropped.
  const s = await suggestFifo(tx, tenantId, base.material.id, base.binId ? ALL : base.baseQuantity, warehouseId);
  const picks = s.picks.filter((p) => !base.binId || p.binId === base.binId);
  const out: Line[] = [];
  let open = qty(base.baseQuantity);
  for (const p of picks) {
    if (!open.gt(0)) break;
    const take = qty(p.quantity).lessThan(open) ? qty(p.quantity) : open;
    out.push({ ...base, warehouseId: p.warehouseId, binId: p.binId, batchNo: p.batchNo, serialNo: p.serialNo, quantity: formatQty(take), unit: base.material.baseUnit, baseQuantity: formatQty(take), origin: base.origin === 'manual' ? 'fifo' : base.origin });
    open = open.minus(take);
  }
  if (open.gt(0)) err(`${base.field}.quantity`, 'STOCK_INSUFFICIENT', `${base.material.code}: ${formatQty(open)} ${base.material.baseUnit} more than is available to pick${warehouseId ? ' in that warehouse' : ''}${s.expired !== '0' ? ` (${s.expired} expired not counted)` : ''}`);
  return out;
}

/** Posts a material document: its lines, the movements (signed by kind), the component quantities, its number and event. */
async function post(tx: Sql, who: Who, row: OrderRow, kind: 'issue' | 'return' | 'backflush', lines: Line[], extra: { operationSeq?: number | null; sourceReportId?: string; sourceReceiptId?: string; reason?: string }): Promise<MaterialDoc> {
  const id = randomUUID();
  await repo.insertMaterialDoc(tx, who.tenantId, {
    id, orderId: row.id, kind, operationSeq: extra.operationSeq ?? null, sourceReportId: extra.sourceReportId ?? null, sourceReceiptId: extra.sourceReceiptId ?? null,
    reason: extra.reason ?? '', createdBy: who.actor,
  }, lines);
  const errors: FieldError[] = [];
  const moves: Movement[] = [];
  for (const [i, l] of lines.entries()) {
    const batchId = l.batchNo ? await inventory.batchId(tx, who.tenantId, l.materialId, l.batchNo) : null;
    const serialId = l.serialNo ? await inventory.serialId(tx, who.tenantId, l.materialId, l.serialNo, batchId, false) : null;
    if (l.batchNo && !batchId) errors.push(fieldError(`${l.field}.batchNo`, 'UNKNOWN_BATCH', `no batch ${l.batchNo} of ${l.material.code}`));
    if (l.serialNo && !serialId) errors.push(fieldError(`${l.field}.serialNo`, 'UNKNOWN_SERIAL', `no serial ${l.serialNo} of ${l.material.code}`));
    const signed = kind === 'return' ? qty(l.baseQuantity) : qty(l.baseQuantity).neg();
    moves.push({ type: kind === 'return' ? 'return' : 'issue', materialId: l.materialId, warehouseId: l.warehouseId, binId: l.binId, batchId, serialId, quantity: signed, enteredQuantity: l.quantity, enteredUnit: l.unit, sourceLine: i + 1, field: l.field });
  }
  refuse(errors, 'PRODUCTION_MATERIAL_INVALID', 'a batch or serial does not exist');
  await postMovements(tx, who.tenantId, { type: `production_${kind}`, id }, who.actor, moves);
  const byComponent = addedByComponent(lines);
  for (const [componentId, add] of [...byComponent].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await repo.addToComponent(tx, who.tenantId, componentId, { [kind === 'issue' ? 'issued' : kind === 'return' ? 'returned' : 'backflushed']: formatQty(add) });
  }
  const [prefix, description] = NUMBERING[kind];
  const docNo = await numberLast(tx, who.tenantId, 'production_material_docs', id, `production_${kind}`, `${prefix}{yyyy}{mm}{dd}-{seq:4}`, description);
  recordEvent(tx, {
    tenantId: who.tenantId, type: `production_material.${kind === 'issue' ? 'issued' : kind === 'return' ? 'returned' : 'backflushed'}`, aggregateType: 'production_order', aggregateId: row.id,
    payload: { id, docNo, orderId: row.id, orderDocNo: row.doc_no, operationSeq: extra.operationSeq ?? null, lines: lines.length, materialIds: [...new Set(lines.map((l) => l.materialId))] },
  });
  return getMaterialDoc(tx, who.tenantId, id);
}

// ---------------------------------------------------------------- issue

async function linesFromInput(tx: Sql, tenantId: string, comps: ComponentRow[], warehouseId: string, input: IssueInput, errors: FieldError[]): Promise<Line[]> {
  const err: Err = (f, c, m) => errors.push(fieldError(f, c, m));
  const entries = input.scans
    ? input.scans.map((s, i) => ({ field: `scans[${i}]`, barcode: s.barcode as string | undefined, quantity: s.quantity, unit: undefined as string | undefined, binId: s.binId, binCode: s.binCode, batchNo: undefined as string | undefined, serialNo: undefined as string | undefined, materialId: undefined as string | undefined, materialCode: undefined as string | undefined, componentLineNo: undefined as number | undefined }))
    : input.lines!.map((l, i) => ({ field: `lines[${i}]`, ...l }));
  const scans = await Promise.all(entries.map(async (e) => {
    if (!e.barcode) return undefined;
    try {
      return await resolveBarcode(tx, tenantId, e.barcode);
    } catch (x) {
      if (!(x instanceof MesProblem)) throw x;
      err(`${e.field}.barcode`, x.code, x.message);
      return undefined;
    }
  }));
  const materials = await masterdata.findMaterials(tx, tenantId, entries.flatMap((e, i) => [e.materialId, scans[i]?.material?.id].filter((x): x is string => !!x)), entries.flatMap((e) => (e.materialCode ? [e.materialCode] : [])));
  const units = await UnitConverter.load(tx, tenantId);
  const pending = new Map<string, Qty>();
  const out: Line[] = [];
  for (const [i, e] of entries.entries()) {
    const scan = scans[i];
    if (e.barcode && !scan) continue;
    if (e.barcode && !scan?.material) { err(`${e.field}.barcode`, 'WRONG_LABEL', 'this label names no material'); continue; }
    const materialId = e.materialId ?? scan?.material?.id;
    const material = materials.find((m) => (materialId ? m.id === materialId : m.code === e.materialCode));
    if (!materialId && !e.materialCode) { err(`${e.field}.materialId`, 'REQUIRED', 'name the material by materialId, materialCode or barcode'); continue; }
    if (!material) { err(`${e.field}.${materialId ? 'materialId' : 'materialCode'}`, 'UNKNOWN_MATERIAL', `no material ${materialId ?? e.materialCode}`); continue; }
    const found = componentFor(comps, pending, material, e.componentLineNo, e.field, err);
    if (!found) continue;
    const { component, factor } = found;
    if (component.issue_type !== 'manual') { err(`${e.field}.${e.barcode ? 'barcode' : 'materialId'}`, 'COMPONENT_BACKFLUSHED', `${material.code} is backflushed (${component.issue_type}), not issued by hand`); continue; }
    const unit = e.unit ?? material.baseUnit;
    const quantity = e.quantity ?? scan?.quantity ?? '1';
    const base = units.toBase(material, quantity, unit, e.field, errors);
    if (!base) continue;
    if (!base.gt(0)) { err(`${e.field}.quantity`, 'NOT_POSITIVE', 'must be greater than 0'); continue; }
    if (!exactEquivalent(base, factor, material, component, e.field, err)) continue;
    const batchNo = e.batchNo ?? scan?.batch?.batchNo ?? null;
    const serialNo = e.serialNo ?? scan?.serial?.serialNo ?? null;
    checkTracking(material, batchNo, serialNo, base, e.field, err);
    const binId = await pickBin(tx, tenantId, warehouseId, e.binId, e.binCode, e.field, err);
    pending.set(component.id, (pending.get(component.id) ?? qty(0)).plus(factor ? base.mul(factor) : base));
    const line: Line = {
      component, material, field: e.field, componentId: component.id, materialId: material.id, quantity: formatQty(qty(quantity)), unit, baseQuantity: formatQty(base),
      warehouseId, binId, batchNo, serialNo, origin: scan ? 'scan' : 'manual', ...(factor ? { factor } : {}),
    };
    // A tracked material named without its batch or serial is picked FIFO/FEFO from the warehouse (and bin).
    if (material.tracking !== 'none' && !batchNo && !serialNo) out.push(...(await pickFifo(tx, tenantId, line, warehouseId, err)));
    else out.push(line);
  }
  const expired = await inventory.expiredBatches(tx, tenantId, out.flatMap((l) => (l.batchNo && l.origin !== 'fifo' ? [{ materialId: l.materialId, batchNo: l.batchNo }] : [])));
  for (const l of out) {
    const expiry = l.batchNo && l.origin !== 'fifo' ? expired.get(`${l.materialId}|${l.batchNo}`) : undefined;
    if (expiry) err(`${l.field}.${l.origin === 'scan' ? 'barcode' : 'batchNo'}`, 'EXPIRED_BATCH', `batch ${l.batchNo} of ${l.material.code} expired on ${expiry}`);
  }
  return out;
}

/** By order (every manual component's open quantity) or by operation: FIFO/FEFO picks from the warehouse, or from every warehouse. */
async function linesByOrder(tx: Sql, tenantId: string, comps: ComponentRow[], warehouseId: string | undefined, operationSeq: number | undefined, errors: FieldError[]): Promise<Line[]> {
  const err: Err = (f, c, m) => errors.push(fieldError(f, c, m));
  const wanted = comps.filter((c) => c.issue_type === 'manual' && (operationSeq === undefined || c.operation_seq === operationSeq));
  if (operationSeq !== undefined && !comps.some((c) => c.operation_seq === operationSeq)) err('operationSeq', 'NO_COMPONENTS_AT_OPERATION', `no component of this order is consumed at operation ${operationSeq}`);
  const materials = new Map((await masterdata.findMaterials(tx, tenantId, wanted.map((c) => c.material_id), [])).map((m) => [m.id, m]));
  const out: Line[] = [];
  for (const c of wanted) {
    const open = qty(c.required_quantity).minus(consumedOf(c));
    if (!open.gt(0)) continue;
    const material = materials.get(c.material_id)!;
    const line: Line = {
      component: c, material, field: `components[${c.line_no}]`, componentId: c.id, materialId: c.material_id, quantity: formatQty(open), unit: material.baseUnit,
      baseQuantity: formatQty(open), warehouseId: warehouseId ?? '', binId: null, batchNo: null, serialNo: null, origin: 'fifo',
    };
    out.push(...(await pickFifo(tx, tenantId, line, warehouseId, err)));
  }
  if (!out.length && !errors.length) err(operationSeq === undefined ? 'lines' : 'operationSeq', 'NOTHING_TO_ISSUE', 'every manual component of this order is issued in full');
  return out;
}

/** Over-issue only within the tenant's tolerance: what a component has had (net of returns) stays ≤ required × (1 + tolerance). */
function checkTolerance(lines: Line[], factor: Qty, percent: string, errors: FieldError[]): void {
  const adding = new Map<string, { c: ComponentRow; field: string; code: string; unit: string }>();
  for (const l of lines) if (!adding.has(l.componentId)) adding.set(l.componentId, { c: l.component, field: `${l.field}.quantity`, code: l.material.code, unit: l.material.baseUnit });
  const added = addedByComponent(lines);
  for (const { c, field, code, unit } of adding.values()) {
    const add = added.get(c.id)!;
    const limit = qty(c.required_quantity).mul(factor);
    const total = consumedOf(c).plus(add);
    if (total.gt(limit)) {
      errors.push(fieldError(field, 'ISSUE_OVER_TOLERANCE', `component line ${c.line_no} (${code}): ${formatQty(total)} ${unit} would exceed the ${c.required_quantity} required plus ${percent}% (${formatQty(limit)}); ${formatQty(consumedOf(c))} already issued`));
    }
  }
}

export async function issueMaterial(tx: Sql, who: Who, orderId: string, input: IssueInput): Promise<MaterialDoc> {
  const row = await lockOrder(tx, who.tenantId, orderId);
  assertInProduction(row, 'material is issued');
  const comps = await repo.lockComponents(tx, who.tenantId, orderId);
  const errors: FieldError[] = [];
  if (input.lines && input.scans) errors.push(fieldError('scans', 'ONE_OF', 'send lines or scans, not both'));
  if ((input.lines || input.scans) && input.operationSeq !== undefined) errors.push(fieldError('operationSeq', 'ONE_OF', 'issue by operation picks the lines itself; leave out lines and scans'));
  const explicit = !!(input.lines || input.scans);
  const warehouse = await resolveWarehouse(tx, who.tenantId, input, 'warehouse', errors, explicit);
  refuse(errors, 'PRODUCTION_ISSUE_INVALID', 'the issue cannot be posted as given');
  const lines = explicit ? await linesFromInput(tx, who.tenantId, comps, warehouse!.id, input, errors) : await linesByOrder(tx, who.tenantId, comps, warehouse?.id, input.operationSeq, errors);
  const tol = await tolerances(tx, who.tenantId);
  if (!errors.length) checkTolerance(lines, tol.issue, tol.issuePercent, errors);
  refuse(errors, 'PRODUCTION_ISSUE_INVALID', 'the issue cannot be posted as given');
  await markInProgress(tx, who, row);
  return post(tx, who, row, 'issue', lines, { operationSeq: input.operationSeq ?? null, reason: input.reason });
}

// ---------------------------------------------------------------- return

/**
 * Material goes back to a warehouse and bin: never more of a component, nor of one of its batches
 * or serials, than the order was issued of it less what came back (RETURN_EXCEEDS_ISSUED).
 */
export async function returnMaterial(tx: Sql, who: Who, orderId: string, input: ReturnInput): Promise<MaterialDoc> {
  const row = await lockOrder(tx, who.tenantId, orderId);
  assertInProduction(row, 'material is returned', true);
  const comps = await repo.lockComponents(tx, who.tenantId, orderId);
  const errors: FieldError[] = [];
  const err: Err = (f, c, m) => errors.push(fieldError(f, c, m));
  const warehouse = await resolveWarehouse(tx, who.tenantId, input, 'warehouse', errors, true);
  refuse(errors, 'PRODUCTION_RETURN_INVALID', 'the return cannot be posted as given');
  const held = await repo.heldByOrder(tx, who.tenantId, orderId);
  const materials = await masterdata.findMaterials(tx, who.tenantId, input.lines.flatMap((l) => (l.materialId ? [l.materialId] : [])).concat(comps.map((c) => c.material_id)), input.lines.flatMap((l) => (l.materialCode ? [l.materialCode] : [])));
  const units = await UnitConverter.load(tx, who.tenantId);
  const returning = new Map<string, Qty>();
  const lines: Line[] = [];
  for (const [i, l] of input.lines.entries()) {
    const field = `lines[${i}]`;
    const byLine = l.componentLineNo !== undefined ? comps.find((c) => c.line_no === l.componentLineNo) : undefined;
    if (l.componentLineNo !== undefined && !byLine) { err(`${field}.componentLineNo`, 'UNKNOWN_COMPONENT', `the order has no component line ${l.componentLineNo}`); continue; }
    const named = l.materialId || l.materialCode ? materials.find((m) => (l.materialId ? m.id === l.materialId : m.code === l.materialCode)) : undefined;
    const material = named ?? (byLine ? materials.find((m) => m.id === byLine.material_id) : undefined);
    if (!material) { err(`${field}.${l.materialId ? 'materialId' : l.materialCode ? 'materialCode' : 'componentLineNo'}`, l.materialId || l.materialCode ? 'UNKNOWN_MATERIAL' : 'REQUIRED', 'name the component by componentLineNo, materialId or materialCode'); continue; }
    // Its own component, else one it is an alternate of (a substitute comes back to the component it was issued to).
    const ofMaterial = (c: ComponentRow) => c.material_id === material.id || held.some((h) => h.component_id === c.id && h.material_id === material.id);
    const component = byLine ?? comps.find((c) => ofMaterial(c) && qty(c.issued_quantity).minus(qty(c.returned_quantity)).minus(returning.get(c.id) ?? qty(0)).gt(0)) ?? comps.find(ofMaterial);
    const factor = component && component.material_id !== material.id ? substituteFactor(component, material) : undefined;
    if (!component || (component.material_id !== material.id && !factor)) { err(`${field}.materialId`, 'NOT_A_COMPONENT', `${material.code} is not ${byLine ? `component line ${l.componentLineNo} nor one of its alternates` : 'a component of this order'}`); continue; }
    const unit = l.unit ?? material.baseUnit;
    const base = units.toBase(material, l.quantity, unit, field, errors);
    if (!base) continue;
    if (!base.gt(0)) { err(`${field}.quantity`, 'NOT_POSITIVE', 'must be greater than 0'); continue; }
    if (!exactEquivalent(base, factor, material, component, field, err)) continue;
    const batchNo = l.batchNo ?? null;
    const serialNo = l.serialNo ?? null;
    checkTracking(material, batchNo, serialNo, base, field, err);
    if (material.tracking === 'batch' && !batchNo) { err(`${field}.batchNo`, 'BATCH_REQUIRED', `${material.code} is batch-tracked: say which batch comes back`); continue; }
    if (material.tracking === 'serial' && !serialNo) { err(`${field}.serialNo`, 'SERIAL_REQUIRED', `${material.code} is serial-tracked: say which serial comes back`); continue; }
    const binId = await pickBin(tx, who.tenantId, warehouse!.id, l.binId, l.binCode, field, err);
    const key = `${component.id}|${batchNo ?? ''}|${serialNo ?? ''}`;
    const heldHere = held.filter((h) => h.component_id === component.id && h.material_id === material.id && (material.tracking === 'none' || (h.batch_no === batchNo && h.serial_no === serialNo)))
      .reduce((s, h) => s.plus(qty(h.issued_net)), qty(0));
    const total = (returning.get(key) ?? qty(0)).plus(base);
    if (total.gt(heldHere)) {
      err(`${field}.quantity`, 'RETURN_EXCEEDS_ISSUED', `component line ${component.line_no} (${material.code}${batchNo ? ` batch ${batchNo}` : ''}${serialNo ? ` serial ${serialNo}` : ''}): ${formatQty(heldHere.minus(total).plus(base))} ${material.baseUnit} issued and not yet returned`);
      continue;
    }
    returning.set(key, total);
    returning.set(component.id, (returning.get(component.id) ?? qty(0)).plus(factor ? base.mul(factor) : base));
    lines.push({ component, material, field, componentId: component.id, materialId: material.id, quantity: formatQty(qty(l.quantity)), unit, baseQuantity: formatQty(base), warehouseId: warehouse!.id, binId, batchNo, serialNo, origin: 'manual', ...(factor ? { factor } : {}) });
  }
  refuse(errors, 'PRODUCTION_RETURN_INVALID', 'the return cannot be posted as given');
  return post(tx, who, row, 'return', lines, { reason: input.reason });
}

// ---------------------------------------------------------------- backflush

/**
 * Backflushes components to what the order's progress calls for (S1-5.4.4-g): for each component
 * the target is its per-unit usage × the cumulative quantity (made at its operation, or received),
 * rounded up to the base unit once, on the cumulative figure; what is posted is the target less
 * what was backflushed before. Rounding each report on its own drifts (Odoo's known bug: 3 reports
 * of 1 at 0.35 kg each rounded to 0.4 = 1.2 kg for 1.05 kg used); rounding the running total
 * never does, and the sum always equals the order's required quantity when the order is done.
 * Picks come FIFO/FEFO from the warehouse given, else from every warehouse; a shortage refuses the
 * whole report or receipt (409 BACKFLUSH_STOCK_INSUFFICIENT).
 */
export async function backflush(
  tx: Sql, who: Who, row: OrderRow, targets: { component: ComponentRow; made: Qty }[], warehouseId: string | undefined,
  source: { operationSeq?: number; sourceReportId?: string; sourceReceiptId?: string },
): Promise<MaterialDoc | null> {
  if (!targets.length) return null;
  const units = await UnitConverter.load(tx, who.tenantId);
  const materials = new Map((await masterdata.findMaterials(tx, who.tenantId, targets.map((t) => t.component.material_id), [])).map((m) => [m.id, m]));
  const errors: FieldError[] = [];
  const err: Err = (f, c, m) => errors.push(fieldError(f, c, m));
  const lines: Line[] = [];
  for (const { component: c, made } of targets) {
    const material = materials.get(c.material_id)!;
    const target = roundUp(qty(c.per_unit).mul(made), units.unit(material.baseUnit)?.decimals ?? 0);
    const delta = target.minus(qty(c.backflushed_quantity));
    if (!delta.gt(0)) continue;
    const line: Line = {
      component: c, material, field: `backflush[${c.line_no}]`, componentId: c.id, materialId: material.id, quantity: formatQty(delta), unit: material.baseUnit,
      baseQuantity: formatQty(delta), warehouseId: warehouseId ?? '', binId: null, batchNo: null, serialNo: null, origin: 'backflush',
    };
    lines.push(...(await pickFifo(tx, who.tenantId, line, warehouseId, err)).map((l) => ({ ...l, origin: 'backflush' as const })));
  }
  if (errors.length) {
    throw new MesProblem(409, 'BACKFLUSH_STOCK_INSUFFICIENT', `${errors.length} backflushed component(s) are short of stock; nothing was posted`, { errors });
  }
  if (!lines.length) return null;
  return post(tx, who, row, 'backflush', lines, source);
}
