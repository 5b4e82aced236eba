/**
 * Purchasing (S1-5.4.2): purchase orders with approval and version history, suggestions from
 * safety stock, receiving with batches and labels, the incoming inspection gate that posts the
 * accepted quantity into stock (purchase inbound) and sends the rejected one back (purchase
 * return), returns with and without source. docs/purchasing.md describes the rules.
 *
 * Locks are taken in one order everywhere: the purchase order row, its lines (by id), receipt lines
 * (by id), inbound lines (by id), then stock balances (postMovements) and last the document number
 * and the outbox head. Two receipts or inspections of the same lines therefore queue, never
 * deadlock, and never pass a limit together.
 */
import { randomUUID } from 'node:crypto';
import { actorId, type Principal } from '../../platform/auth.js';
import type { Sql } from '../../platform/db.js';
import { recordVersion } from '../../platform/document-versions.js';
import { MesProblem, conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { Qty, formatQty, qty } from '../../platform/quantity.js';
import { looksLikeGs1, parseGs1 } from '../barcodes/gs1.js';
import { resolveLines } from '../inventory/documents.js';
import { postMovements, type Movement } from '../inventory/ledger.js';
import * as inventory from '../inventory/repo.js';
import { safetyStock } from '../inventory/reports.js';
import type { StockLineInput } from '../inventory/schema.js';
import { nextCode } from '../masterdata/coding.js';
import * as masterdata from '../masterdata/repo.js';
import type { Material } from '../masterdata/schema.js';
import { UnitConverter } from '../masterdata/units.js';
import { assertMayApprove } from '../settings/service.js';
import * as repo from './repo.js';
import type {
  CreatePurchaseOrderInput, CreateReceiptInput, CreateReturnInput, InspectInput, OrderLineInput, PurchaseInbound, PurchaseOrder, PurchaseReceipt,
  PurchaseReturn, PutSupplierMaterialInput, SuggestionResult, SupplierMaterial, UpdatePurchaseOrderInput,
} from './schema.js';

/** Who acts: the tenant, the user (for the rule of four eyes) and the audit actor. */
export interface Who {
  principal: Principal;
  tenantId: string;
  userId: string;
  actor: string;
}
export const whoOf = (p: Principal): Who => ({ principal: p, tenantId: p.tenantId, userId: p.userId, actor: actorId(p) });

const DOC_TYPE = 'purchase_order';
const NUMBERING = {
  purchase_orders: ['purchase_order', 'PO{yyyy}{mm}{dd}-{seq:4}', 'Purchase order numbers'],
  purchase_receipts: ['purchase_receipt', 'PR{yyyy}{mm}{dd}-{seq:4}', 'Purchase receipt numbers'],
  purchase_inbounds: ['purchase_inbound', 'PI{yyyy}{mm}{dd}-{seq:4}', 'Purchase inbound numbers'],
  purchase_returns: ['purchase_return', 'PRT{yyyy}{mm}{dd}-{seq:4}', 'Purchase return numbers'],
} as const;

/** Numbers a document; call it last in the transaction (the sequence row stays locked to commit). */
async function numberDoc(tx: Sql, tenantId: string, table: keyof typeof NUMBERING, id: string): Promise<string> {
  const [rule, pattern, description] = NUMBERING[table];
  const docNo = await nextCode(tx, tenantId, rule, {}, { pattern, reset: 'daily', description });
  await repo.setDocNo(tx, tenantId, table, id, docNo);
  return docNo;
}

function emit(tx: Sql, tenantId: string, type: string, aggregateType: string, aggregateId: string, payload: Record<string, unknown>): void {
  recordEvent(tx, { tenantId, type, aggregateType, aggregateId, payload });
}

function emitOrder(tx: Sql, tenantId: string, o: { id: string; docNo: string; status: string; version: number }, what: string, extra: Record<string, unknown> = {}) {
  emit(tx, tenantId, `purchase_order.${what}`, 'purchase_order', o.id, { id: o.id, docNo: o.docNo, status: o.status, version: o.version, ...extra });
}

// ---------------------------------------------------------------------------------------------
// Supplier materials

export async function putSupplierMaterial(tx: Sql, tenantId: string, input: PutSupplierMaterialInput): Promise<SupplierMaterial> {
  const errors: FieldError[] = [];
  const supplier = await tx.query<{ status: string }>(`SELECT status FROM partners WHERE tenant_id = $1 AND kind = 'supplier' AND id = $2`, [tenantId, input.supplierId]);
  if (!supplier.rows[0]) errors.push(fieldError('supplierId', 'UNKNOWN_SUPPLIER', `no supplier ${input.supplierId}`));
  const material = await masterdata.findMaterial(tx, tenantId, input.materialId);
  if (!material) errors.push(fieldError('materialId', 'UNKNOWN_MATERIAL', `no material ${input.materialId}`));
  else if (material.variantFeatures.length) errors.push(fieldError('materialId', 'TEMPLATE_NOT_PURCHASABLE', `${material.code} is a variant template; buy its variants`));
  if (errors.length) throw unprocessable('SUPPLIER_MATERIAL_INVALID', 'the supplier material cannot be saved as given', errors);
  if (input.preferred) {
    await tx.query('UPDATE supplier_materials SET preferred = false, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND material_id = $2 AND preferred AND supplier_id <> $3', [
      tenantId, input.materialId, input.supplierId,
    ]);
  }
  const has = (k: keyof PutSupplierMaterialInput) => input[k] !== undefined;
  await tx.query(
    `INSERT INTO supplier_materials (tenant_id, supplier_id, material_id, supplier_material_code, price, lead_time_days, preferred)
     VALUES ($1, $2, $3, $4, $5, coalesce($6, 0), coalesce($7, false))
     ON CONFLICT (tenant_id, supplier_id, material_id) DO UPDATE SET
       supplier_material_code = CASE WHEN $8 THEN EXCLUDED.supplier_material_code ELSE supplier_materials.supplier_material_code END,
       price = CASE WHEN $9 THEN EXCLUDED.price ELSE supplier_materials.price END,
       lead_time_days = coalesce($6, supplier_materials.lead_time_days),
       preferred = coalesce($7, supplier_materials.preferred),
       version = supplier_materials.version + 1, updated_at = now()`,
    [tenantId, input.supplierId, input.materialId, input.supplierMaterialCode ?? null, input.price ?? null, input.leadTimeDays ?? null, input.preferred ?? null,
      has('supplierMaterialCode'), has('price')],
  );
  return (await repo.listSupplierMaterials(tx, tenantId, { supplierId: input.supplierId, materialId: input.materialId }))[0];
}

// ---------------------------------------------------------------------------------------------
// Purchase orders

interface Header {
  supplierId: string;
  buyerId: string | null;
  groupId: string | null;
  demandSource: PurchaseOrder['demandSource'];
  demandRef: string | null;
  remarks: string;
}

async function checkHeader(tx: Sql, tenantId: string, h: Header, errors: FieldError[]): Promise<void> {
  const { rows } = await tx.query<{ status: string }>(`SELECT status FROM partners WHERE tenant_id = $1 AND kind = 'supplier' AND id = $2`, [tenantId, h.supplierId]);
  if (!rows[0]) errors.push(fieldError('supplierId', 'UNKNOWN_SUPPLIER', `no supplier ${h.supplierId}`));
  else if (rows[0].status !== 'active') errors.push(fieldError('supplierId', 'SUPPLIER_BLOCKED', 'this supplier is blocked'));
  let buyerGroup: string | null | undefined;
  if (h.buyerId) {
    const b = await tx.query<{ group_id: string | null }>(`SELECT group_id FROM org_people WHERE tenant_id = $1 AND kind = 'purchasing' AND id = $2`, [tenantId, h.buyerId]);
    if (!b.rows[0]) errors.push(fieldError('buyerId', 'UNKNOWN_BUYER', `no buyer ${h.buyerId}`));
    buyerGroup = b.rows[0]?.group_id;
  }
  if (h.groupId) {
    const g = await tx.query(`SELECT 1 FROM org_groups WHERE tenant_id = $1 AND kind = 'purchasing' AND id = $2`, [tenantId, h.groupId]);
    if (!g.rows[0]) errors.push(fieldError('groupId', 'UNKNOWN_GROUP', `no purchasing group ${h.groupId}`));
    else if (buyerGroup && buyerGroup !== h.groupId) errors.push(fieldError('groupId', 'BUYER_NOT_IN_GROUP', 'the buyer belongs to another purchasing group'));
  }
  if (h.demandSource === 'production' && !h.demandRef) {
    errors.push(fieldError('demandRef', 'DEMAND_REF_REQUIRED', 'production demand names what it is for (a production order number) until production planning generates these orders'));
  }
}

type ResolvedOrderLine = Omit<repo.NewOrderLine, 'id' | 'lineNo'> & { inputId?: string; material: Material; field: string };

/** Materials, units (exactly to base), features: every problem of every line at once. */
async function resolveOrderLines(tx: Sql, tenantId: string, lines: OrderLineInput[], errors: FieldError[]): Promise<ResolvedOrderLine[]> {
  const materials = await masterdata.findMaterials(tx, tenantId, lines.flatMap((l) => (l.materialId ? [l.materialId] : [])), lines.flatMap((l) => (l.materialCode ? [l.materialCode] : [])));
  const units = await UnitConverter.load(tx, tenantId);
  const features = await tenantFeatures(tx, tenantId, lines);
  const out: ResolvedOrderLine[] = [];
  for (const [i, line] of lines.entries()) {
    const field = `lines[${i}]`;
    const err = (attr: string, code: string, message: string) => errors.push(fieldError(`${field}.${attr}`, code, message));
    if (!line.materialId && !line.materialCode) {
      err('materialId', 'REQUIRED', 'name the material by materialId or materialCode');
      continue;
    }
    const m = materials.find((x) => (line.materialId ? x.id === line.materialId : x.code === line.materialCode));
    if (!m) {
      err(line.materialId ? 'materialId' : 'materialCode', 'UNKNOWN_MATERIAL', `no material ${line.materialId ?? line.materialCode}`);
      continue;
    }
    if (line.materialId && line.materialCode && m.code !== line.materialCode) err('materialCode', 'CONFLICTING_REFERENCES', `the line names ${line.materialCode} but also ${m.code}`);
    if (m.status === 'blocked') err('materialId', 'MATERIAL_BLOCKED', `material ${m.code} is blocked`);
    if (m.variantFeatures.length) err('materialId', 'TEMPLATE_NOT_PURCHASABLE', `${m.code} is a variant template; order one of its variants`);
    const unit = line.unit ?? m.purchaseUnit;
    const converted = units.convert(m.id, line.quantity, unit, m.baseUnit, field, errors);
    if (converted && !converted.quantity.gt(0)) err('quantity', 'NOT_POSITIVE', 'must be greater than 0');
    const lineFeatures = checkFeatures(features, m, line.features ?? {}, `${field}.features`, errors);
    out.push({
      inputId: line.id, material: m, field, materialId: m.id, quantity: formatQty(qty(line.quantity)), unit, baseQuantity: converted ? formatQty(converted.quantity) : '0',
      price: line.price ?? null, taxRate: line.taxRate ?? null, neededBy: line.neededBy ?? null, mtoNumber: line.mtoNumber ?? null, features: lineFeatures,
    });
  }
  return out;
}

async function tenantFeatures(tx: Sql, tenantId: string, lines: OrderLineInput[]): Promise<Map<string, string[]>> {
  if (!lines.some((l) => l.features && Object.keys(l.features).length)) return new Map();
  const { rows } = await tx.query<{ code: string; values: { code: string }[] }>('SELECT code, "values" FROM features WHERE tenant_id = $1', [tenantId]);
  return new Map(rows.map((r) => [r.code.toUpperCase(), r.values.map((v) => v.code)]));
}

/**
 * Features of a purchase line (colour, size, grade…): each a tenant feature with one of its values;
 * a variant's own feature values cannot be contradicted. Returns the map keyed by feature code.
 */
function checkFeatures(features: Map<string, string[]>, m: Material, given: Record<string, string>, field: string, errors: FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(given)) {
    const code = key.trim().toUpperCase();
    const value = raw.trim();
    const values = features.get(code);
    if (!values) {
      errors.push(fieldError(`${field}.${key}`, 'UNKNOWN_FEATURE', `there is no feature ${key}`));
      continue;
    }
    const match = values.find((v) => v.toUpperCase() === value.toUpperCase());
    if (!match) {
      errors.push(fieldError(`${field}.${key}`, 'NOT_ALLOWED', `${code} has no value ${value}; one of: ${values.join(', ')}`));
      continue;
    }
    const own = Object.entries(m.featureValues).find(([k]) => k.toUpperCase() === code)?.[1];
    if (own && own.toUpperCase() !== match.toUpperCase()) {
      errors.push(fieldError(`${field}.${key}`, 'CONFLICTS_WITH_VARIANT', `${m.code} is the ${code} ${own} variant`));
      continue;
    }
    out[code] = match;
  }
  return out;
}

export async function createOrder(tx: Sql, who: Who, input: CreatePurchaseOrderInput): Promise<PurchaseOrder> {
  const errors: FieldError[] = [];
  const header: Header = {
    supplierId: input.supplierId, buyerId: input.buyerId ?? null, groupId: input.groupId ?? null, demandSource: input.demandSource ?? 'manual',
    demandRef: input.demandRef ?? null, remarks: input.remarks ?? '',
  };
  await checkHeader(tx, who.tenantId, header, errors);
  input.lines.forEach((l, i) => l.id && errors.push(fieldError(`lines[${i}].id`, 'NOT_ALLOWED', 'a new order has no lines to change')));
  const lines = await resolveOrderLines(tx, who.tenantId, input.lines, errors);
  if (errors.length) throw unprocessable('PURCHASE_ORDER_INVALID', 'the purchase order cannot be saved as given; nothing was saved', errors);
  const id = randomUUID();
  await tx.query(
    `INSERT INTO purchase_orders (tenant_id, id, doc_no, supplier_id, buyer_id, group_id, demand_source, demand_ref, remarks, created_by, created_by_user)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [who.tenantId, id, `~${id}`, header.supplierId, header.buyerId, header.groupId, header.demandSource, header.demandRef, header.remarks, who.actor, who.userId],
  );
  await repo.insertOrderLines(tx, who.tenantId, id, lines.map((l, i) => ({ ...l, id: randomUUID(), lineNo: i + 1 })));
  const docNo = await numberDoc(tx, who.tenantId, 'purchase_orders', id);
  emitOrder(tx, who.tenantId, { id, docNo, status: 'draft', version: 1 }, 'created', { supplierId: header.supplierId, demandSource: header.demandSource });
  return (await repo.findOrder(tx, who.tenantId, id))!;
}

async function lockOrder(tx: Sql, tenantId: string, id: string) {
  const order = await repo.findOrderRow(tx, tenantId, id, true);
  if (!order) throw notFound('purchase order', id);
  return order;
}

function checkVersion(order: { version: number; docNo: string }, version: number): void {
  if (order.version !== version) {
    throw conflict('VERSION_CONFLICT', `${order.docNo} is at version ${order.version}, not ${version}: read it again`, { currentVersion: order.version });
  }
}

const APPROVED = ['approved', 'receiving'];

export async function updateOrder(tx: Sql, who: Who, id: string, input: UpdatePurchaseOrderInput): Promise<PurchaseOrder> {
  const t = who.tenantId;
  const order = await lockOrder(tx, t, id);
  checkVersion(order, input.version);
  if (order.status === 'closed' || order.status === 'cancelled') throw conflict('ORDER_NOT_CHANGEABLE', `${order.docNo} is ${order.status}`, { documentStatus: order.status });
  const approved = APPROVED.includes(order.status);
  const errors: FieldError[] = [];
  if (approved && !input.reason) errors.push(fieldError('reason', 'REASON_REQUIRED', `${order.docNo} is approved: say why it changes (the reason goes into its version history)`));
  if (approved && input.supplierId && input.supplierId !== order.supplierId) errors.push(fieldError('supplierId', 'SUPPLIER_FIXED', 'an approved order keeps its supplier; cancel it and order anew'));
  const header: Header = {
    supplierId: input.supplierId ?? order.supplierId,
    buyerId: input.buyerId !== undefined ? input.buyerId : order.buyerId,
    groupId: input.groupId !== undefined ? input.groupId : order.groupId,
    demandSource: input.demandSource ?? order.demandSource,
    demandRef: input.demandRef !== undefined ? input.demandRef : order.demandRef,
    remarks: input.remarks ?? order.remarks,
  };
  await checkHeader(tx, t, header, errors);
  const current = await repo.orderLines(tx, t, id, { lock: true, includeCancelled: true });
  const live = current.filter((l) => !l.cancelled);
  const changed: repo.NewOrderLine[] = [];
  const added: repo.NewOrderLine[] = [];
  const cancelled: string[] = [];
  if (input.lines) {
    const resolved = await resolveOrderLines(tx, t, input.lines, errors);
    const kept = new Set<string>();
    let nextNo = Math.max(0, ...current.map((l) => l.line_no)) + 1;
    for (const r of resolved) {
      if (!r.inputId) {
        added.push({ ...r, id: randomUUID(), lineNo: nextNo++ });
        continue;
      }
      const old = live.find((l) => l.id === r.inputId);
      if (!old || kept.has(old.id)) {
        errors.push(fieldError(`${r.field}.id`, old ? 'DUPLICATE_LINE' : 'UNKNOWN_LINE', old ? 'this line is given twice' : `${order.docNo} has no open line ${r.inputId}`));
        continue;
      }
      kept.add(old.id);
      const net = repo.netReceived(old);
      if (qty(old.received_base).gt(0) && r.materialId !== old.material_id) errors.push(fieldError(`${r.field}.materialId`, 'MATERIAL_FIXED', 'goods were received against this line; its material cannot change'));
      if (r.baseQuantity !== '0' && qty(r.baseQuantity).lt(net)) {
        errors.push(fieldError(`${r.field}.quantity`, 'BELOW_RECEIVED', `${formatQty(net)} ${old.base_unit} were already received against this line (net of rejections)`));
      }
      changed.push({ ...r, id: old.id, lineNo: old.line_no });
    }
    for (const old of live.filter((l) => !kept.has(l.id))) {
      if (qty(old.received_base).gt(0)) errors.push(fieldError('lines', 'LINE_HAS_RECEIPTS', `line ${old.line_no} (${old.material_code}) has receipts and cannot be left out`));
      else cancelled.push(old.id);
    }
  }
  if (errors.length) throw unprocessable('PURCHASE_ORDER_INVALID', `${order.docNo} cannot be changed as given; nothing was saved`, errors);
  for (const l of changed) await repo.updateOrderLine(tx, t, l);
  await repo.insertOrderLines(tx, t, id, added);
  if (cancelled.length) await tx.query('UPDATE purchase_order_lines SET cancelled = true WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [t, cancelled]);
  const version = order.version + 1;
  await tx.query(
    `UPDATE purchase_orders SET supplier_id = $3, buyer_id = $4, group_id = $5, demand_source = $6, demand_ref = $7, remarks = $8, version = $9, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [t, id, header.supplierId, header.buyerId, header.groupId, header.demandSource, header.demandRef, header.remarks, version],
  );
  if (approved) await maybeClose(tx, who, id, 'fully received after a change');
  const result = (await repo.findOrder(tx, t, id))!;
  if (approved) await recordVersion(tx, t, { type: DOC_TYPE, id, version }, result, who.actor, input.reason ?? '');
  emitOrder(tx, t, result, 'changed', { reason: input.reason ?? null });
  return result;
}

export async function approveOrder(tx: Sql, who: Who, id: string, version: number): Promise<PurchaseOrder> {
  const t = who.tenantId;
  const order = await lockOrder(tx, t, id);
  checkVersion(order, version);
  if (order.status !== 'draft') throw conflict('ORDER_NOT_DRAFT', `${order.docNo} is ${order.status}; only a draft is approved`, { documentStatus: order.status });
  await assertMayApprove(tx, who.principal, order.createdByUser, `purchase order ${order.docNo}`);
  const supplier = await tx.query<{ status: string }>('SELECT status FROM partners WHERE tenant_id = $1 AND id = $2', [t, order.supplierId]);
  if (supplier.rows[0]?.status !== 'active') throw conflict('SUPPLIER_BLOCKED', `the supplier of ${order.docNo} is blocked`);
  await tx.query(
    `UPDATE purchase_orders SET status = 'approved', approved_by = $3, approved_at = now(), version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
    [t, id, who.actor],
  );
  const result = (await repo.findOrder(tx, t, id))!;
  await recordVersion(tx, t, { type: DOC_TYPE, id, version: result.version }, result, who.actor, 'approved');
  emitOrder(tx, t, result, 'approved', { approvedBy: who.actor });
  return result;
}

export async function cancelOrder(tx: Sql, who: Who, id: string, version: number, reason?: string): Promise<PurchaseOrder> {
  const t = who.tenantId;
  const order = await lockOrder(tx, t, id);
  checkVersion(order, version);
  const lines = await repo.orderLines(tx, t, id, { lock: true });
  if (!['draft', 'approved'].includes(order.status) || lines.some((l) => qty(l.received_base).gt(0))) {
    throw conflict('ORDER_NOT_CANCELLABLE', `${order.docNo} is ${order.status}${order.status === 'receiving' ? ' (goods were received): close it instead' : ''}`, { documentStatus: order.status });
  }
  await tx.query(`UPDATE purchase_orders SET status = 'cancelled', closed_reason = $3, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [t, id, reason ?? null]);
  const result = (await repo.findOrder(tx, t, id))!;
  if (order.status === 'approved') await recordVersion(tx, t, { type: DOC_TYPE, id, version: result.version }, result, who.actor, reason ?? 'cancelled');
  emitOrder(tx, t, result, 'cancelled', { reason: reason ?? null });
  return result;
}

/** Closes an approved or receiving order by hand: nothing more will come. Received goods must be inspected first. */
export async function closeOrder(tx: Sql, who: Who, id: string, version: number, reason?: string): Promise<PurchaseOrder> {
  const t = who.tenantId;
  const order = await lockOrder(tx, t, id);
  checkVersion(order, version);
  if (!APPROVED.includes(order.status)) throw conflict('ORDER_NOT_OPEN', `${order.docNo} is ${order.status}; only an approved order is closed`, { documentStatus: order.status });
  const lines = await repo.orderLines(tx, t, id, { lock: true });
  const pending = lines.reduce((s, l) => s.plus(qty(l.received_base)).minus(qty(l.accepted_base)).minus(qty(l.rejected_base)), qty(0));
  if (pending.gt(0)) throw conflict('PENDING_INSPECTION', `${formatQty(pending)} received on ${order.docNo} still wait for inspection`, { pending: formatQty(pending) });
  await tx.query(`UPDATE purchase_orders SET status = 'closed', closed_reason = $3, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [t, id, reason ?? 'closed by hand']);
  const result = (await repo.findOrder(tx, t, id))!;
  emitOrder(tx, t, result, 'closed', { reason: reason ?? 'closed by hand' });
  return result;
}

/** An order whose every line is received (net of rejections) and inspected closes by itself. */
async function maybeClose(tx: Sql, who: Who, id: string, reason: string): Promise<void> {
  const lines = await repo.orderLines(tx, who.tenantId, id);
  const done = lines.every((l) => repo.openOf(l).isZero() && qty(l.received_base).eq(qty(l.accepted_base).plus(qty(l.rejected_base))));
  if (!done) return;
  const { rows } = await tx.query<{ doc_no: string; version: number }>(
    `UPDATE purchase_orders SET status = 'closed', closed_reason = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status IN ('approved', 'receiving') RETURNING doc_no, version`,
    [who.tenantId, id, reason],
  );
  if (rows[0]) emitOrder(tx, who.tenantId, { id, docNo: rows[0].doc_no, status: 'closed', version: rows[0].version }, 'closed', { reason });
}

// ---------------------------------------------------------------------------------------------
// Purchase suggestions

export async function suggest(tx: Sql, who: Who, dryRun: boolean): Promise<SuggestionResult> {
  const t = who.tenantId;
  // One run at a time per tenant, so two runs cannot both order what is missing.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('purchase_suggestions:' || $1::text))`, [t]);
  const levels = await safetyStock(tx, t, { onlyShort: true }, 1_000_000);
  const short = new Map<string, { code: string; unit: string; tenantWide: Qty; perWarehouse: Qty }>();
  for (const r of levels) {
    const s = short.get(r.materialId) ?? { code: r.materialCode, unit: r.baseUnit, tenantWide: qty(0), perWarehouse: qty(0) };
    if (r.warehouseId === null) s.tenantWide = qty(r.shortfall);
    else s.perWarehouse = s.perWarehouse.plus(qty(r.shortfall));
    short.set(r.materialId, s);
  }
  const incoming = await repo.incomingByMaterial(tx, t, [...short.keys()]);
  const wanted = [...short.entries()].map(([materialId, s]) => {
    const shortfall = Qty.max(s.tenantWide, s.perWarehouse);
    const onOrder = incoming.get(materialId) ?? qty(0);
    return { materialId, materialCode: s.code, baseUnit: s.unit, shortfall: formatQty(shortfall), onOrder: formatQty(onOrder), q: shortfall.minus(onOrder) };
  }).filter((w) => w.q.gt(0)).sort((a, b) => (a.materialCode < b.materialCode ? -1 : 1));
  const { rows: preferred } = await tx.query<{ material_id: string; supplier_id: string; supplier_code: string; price: string | null }>(
    `SELECT sm.material_id, sm.supplier_id, p.code AS supplier_code, sm.price::text FROM supplier_materials sm
       JOIN partners p ON p.tenant_id = sm.tenant_id AND p.id = sm.supplier_id
      WHERE sm.tenant_id = $1 AND sm.preferred AND p.status = 'active' AND sm.material_id = ANY($2::uuid[])`,
    [t, wanted.map((w) => w.materialId)],
  );
  const bySupplier = new Map<string, { supplierCode: string; lines: (typeof wanted[number] & { price: string | null })[] }>();
  const unassigned: SuggestionResult['unassigned'] = [];
  for (const w of wanted) {
    const p = preferred.find((x) => x.material_id === w.materialId);
    const line = { materialId: w.materialId, materialCode: w.materialCode, baseUnit: w.baseUnit, shortfall: w.shortfall, onOrder: w.onOrder, quantity: formatQty(w.q) };
    if (!p) {
      unassigned.push(line);
      continue;
    }
    const g = bySupplier.get(p.supplier_id) ?? { supplierCode: p.supplier_code, lines: [] };
    g.lines.push({ ...w, price: p.price });
    bySupplier.set(p.supplier_id, g);
  }
  const suggestions: SuggestionResult['suggestions'] = [];
  for (const [supplierId, g] of [...bySupplier.entries()].sort(([, a], [, b]) => (a.supplierCode < b.supplierCode ? -1 : 1))) {
    let orderId: string | null = null;
    let docNo: string | null = null;
    if (!dryRun) {
      const order = await createOrder(tx, who, {
        supplierId, demandSource: 'safety_stock', remarks: 'Purchase suggestion: below safety stock',
        lines: g.lines.map((l) => ({ materialId: l.materialId, quantity: formatQty(l.q), unit: l.baseUnit, ...(l.price ? { price: l.price } : {}) })),
      });
      orderId = order.id;
      docNo = order.docNo;
    }
    suggestions.push({
      supplierId, supplierCode: g.supplierCode, orderId, docNo,
      lines: g.lines.map((l) => ({ materialId: l.materialId, materialCode: l.materialCode, baseUnit: l.baseUnit, shortfall: l.shortfall, onOrder: l.onOrder, quantity: formatQty(l.q) })),
    });
  }
  if (!dryRun && suggestions.length) {
    emit(tx, t, 'purchase_suggestion.created', 'purchase_suggestion', randomUUID(), {
      orders: suggestions.map((s) => ({ id: s.orderId, docNo: s.docNo, supplierId: s.supplierId })), unassigned: unassigned.map((u) => u.materialCode),
    });
  }
  return { dryRun, suggestions, unassigned };
}

/**
 * Open purchase supply for planning and kitting: per material what is still to be accepted on
 * draft, approved and receiving orders (base unit), with the date it is needed by (null: none
 * given), and each material's preferred supplier with its lead time.
 */
export async function openSupply(tx: Sql, tenantId: string, materialIds: string[] | null) {
  const { rows } = await tx.query<{ material_id: string; needed_by: string | null; quantity: string }>(
    `SELECT l.material_id, l.needed_by::text, sum(l.base_quantity - l.accepted_base)::text AS quantity
       FROM purchase_order_lines l JOIN purchase_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
      WHERE l.tenant_id = $1 AND NOT l.cancelled AND o.status IN ('draft', 'approved', 'receiving') AND l.base_quantity > l.accepted_base
        AND ($2::uuid[] IS NULL OR l.material_id = ANY($2::uuid[]))
      GROUP BY l.material_id, l.needed_by ORDER BY l.material_id, l.needed_by NULLS LAST`,
    [tenantId, materialIds],
  );
  return rows.map((r) => ({ materialId: r.material_id, neededBy: r.needed_by, quantity: qty(r.quantity) }));
}

/** Open purchase order lines with a need date, one by one: MRP's dated supply for reschedule messages. */
export async function openSupplyLines(tx: Sql, tenantId: string) {
  const { rows } = await tx.query<{ material_id: string; needed_by: string; quantity: string; doc_no: string; line_no: number }>(
    `SELECT l.material_id, l.needed_by::text, (l.base_quantity - l.accepted_base)::text AS quantity, o.doc_no, l.line_no
       FROM purchase_order_lines l JOIN purchase_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
      WHERE l.tenant_id = $1 AND NOT l.cancelled AND o.status IN ('draft', 'approved', 'receiving') AND l.base_quantity > l.accepted_base AND l.needed_by IS NOT NULL
      ORDER BY o.doc_no, l.line_no`,
    [tenantId],
  );
  return rows.map((r) => ({ materialId: r.material_id, neededBy: r.needed_by, quantity: qty(r.quantity), ref: `${r.doc_no}/${r.line_no}` }));
}

export async function preferredSuppliers(tx: Sql, tenantId: string): Promise<Map<string, { supplierId: string; supplierCode: string; leadTimeDays: number; price: string | null }>> {
  const { rows } = await tx.query<{ material_id: string; supplier_id: string; supplier_code: string; lead_time_days: number; price: string | null }>(
    `SELECT sm.material_id, sm.supplier_id, p.code AS supplier_code, sm.lead_time_days, sm.price::text FROM supplier_materials sm
       JOIN partners p ON p.tenant_id = sm.tenant_id AND p.id = sm.supplier_id
      WHERE sm.tenant_id = $1 AND sm.preferred AND p.status = 'active' ORDER BY sm.material_id, p.code`,
    [tenantId],
  );
  return new Map(rows.map((r) => [r.material_id, { supplierId: r.supplier_id, supplierCode: r.supplier_code, leadTimeDays: r.lead_time_days, price: r.price }]));
}

// ---------------------------------------------------------------------------------------------
// Receiving

interface PlannedReceiptLine {
  orderLine: repo.OrderLineRow;
  material: Material;
  quantity: string;
  unit: string;
  base: Qty;
  supplierBatch: string | null;
  productionDate: string | null;
  expiryDate: string | null;
  serialNos?: string[];
  field: string;
}

export async function createReceipt(tx: Sql, who: Who, input: CreateReceiptInput): Promise<PurchaseReceipt> {
  const t = who.tenantId;
  const order = await repo.findOrderRow(tx, t, input.orderId, true);
  if (!order) throw notFound('purchase order', input.orderId);
  if (!APPROVED.includes(order.status)) {
    throw conflict('ORDER_NOT_APPROVED', `${order.docNo} is ${order.status}: goods are received against approved orders only`, { documentStatus: order.status });
  }
  const lines = await repo.orderLines(tx, t, order.id, { lock: true });
  const materials = await masterdata.findMaterials(tx, t, [...new Set(lines.map((l) => l.material_id))], []);
  const materialOf = (id: string) => materials.find((m) => m.id === id)!;
  const errors: FieldError[] = [];
  const planned: PlannedReceiptLine[] = [];

  if (!input.lines) {
    for (const l of lines) {
      const open = repo.openOf(l);
      if (open.gt(0)) planned.push({ orderLine: l, material: materialOf(l.material_id), quantity: formatQty(open), unit: l.base_unit, base: open, supplierBatch: null, productionDate: null, expiryDate: null, field: `lines[${l.line_no - 1}]` });
    }
    if (!planned.length) throw conflict('NOTHING_OPEN', `${order.docNo} has nothing open to receive`);
  } else {
    const units = await UnitConverter.load(tx, t);
    for (const [i, line] of input.lines.entries()) {
      const field = `lines[${i}]`;
      const err = (attr: string, code: string, message: string) => errors.push(fieldError(`${field}.${attr}`, code, message));
      let ol: repo.OrderLineRow | undefined;
      const scanned: { supplierBatch?: string; expiryDate?: string; productionDate?: string } = {};
      if (line.orderLineId) {
        ol = lines.find((l) => l.id === line.orderLineId);
        if (!ol) err('orderLineId', 'UNKNOWN_ORDER_LINE', `${order.docNo} has no open line ${line.orderLineId}`);
      } else if (line.barcode) {
        const code = await scannedMaterial(tx, t, line.barcode, `${field}.barcode`, errors, scanned);
        if (code) {
          const candidates = lines.filter((l) => l.material_code === code);
          ol = candidates.find((l) => repo.openOf(l).gt(0)) ?? candidates[0];
          if (!ol) err('barcode', 'MATERIAL_NOT_ON_ORDER', `${code} is not on ${order.docNo}`);
        }
      } else err('orderLineId', 'REQUIRED', 'name the order line by orderLineId, or scan the goods (barcode)');
      if (!ol) continue;
      const material = materialOf(ol.material_id);
      const unit = line.unit ?? ol.unit;
      const converted = units.convert(material.id, line.quantity, unit, material.baseUnit, field, errors);
      if (!converted) continue;
      if (!converted.quantity.gt(0)) {
        err('quantity', 'NOT_POSITIVE', 'must be greater than 0');
        continue;
      }
      planned.push({
        orderLine: ol, material, quantity: formatQty(qty(line.quantity)), unit, base: converted.quantity, supplierBatch: line.supplierBatch ?? scanned.supplierBatch ?? null,
        productionDate: line.productionDate ?? scanned.productionDate ?? null, expiryDate: line.expiryDate ?? scanned.expiryDate ?? null, serialNos: line.serialNos, field,
      });
    }
  }
  // Tracking: a new batch per line (expiry needed when tracked), one serial per piece.
  const serialsGiven: string[] = [];
  for (const p of planned) {
    const err = (attr: string, code: string, message: string) => errors.push(fieldError(`${p.field}.${attr}`, code, message));
    if (p.material.tracking === 'batch' && p.material.trackExpiry && !p.expiryDate) err('expiryDate', 'EXPIRY_REQUIRED', `${p.material.code} tracks expiry: give the batch's expiryDate`);
    if (p.material.tracking === 'serial') {
      if (!p.base.isInteger()) err('quantity', 'SERIAL_QUANTITY', `${p.material.code} is serial-tracked: receive whole pieces`);
      else if (p.serialNos && p.serialNos.length !== p.base.toNumber()) err('serialNos', 'SERIAL_COUNT', `${formatQty(p.base)} pieces need ${formatQty(p.base)} serial numbers, not ${p.serialNos.length}`);
      for (const s of p.serialNos ?? []) {
        if (serialsGiven.includes(`${p.material.id}|${s}`)) err('serialNos', 'DUPLICATE_SERIAL', `serial ${s} is given twice`);
        serialsGiven.push(`${p.material.id}|${s}`);
      }
    } else if (p.serialNos) err('serialNos', 'NOT_TRACKED', `${p.material.code} is not serial-tracked`);
  }
  if (serialsGiven.length) {
    const { rows } = await tx.query<{ k: string }>(
      `SELECT s.material_id::text || '|' || s.serial_no AS k FROM serials s JOIN stock_balances b ON b.tenant_id = s.tenant_id AND b.serial_id = s.id
        WHERE s.tenant_id = $1 AND s.material_id::text || '|' || s.serial_no = ANY($2::text[]) AND b.quantity > 0`,
      [t, serialsGiven],
    );
    for (const r of rows) errors.push(fieldError('lines', 'SERIAL_IN_STOCK', `serial ${r.k.split('|')[1]} is already in stock`));
  }
  if (errors.length) throw unprocessable('PURCHASE_RECEIPT_INVALID', 'the receipt cannot be recorded as given; nothing was saved', errors);

  // Over-delivery tolerance of the supplier, per order line, over everything received net of rejections.
  const { rows: sup } = await tx.query<{ over_delivery_tolerance: string }>('SELECT over_delivery_tolerance::text FROM partners WHERE tenant_id = $1 AND id = $2', [t, order.supplierId]);
  const tolerance = qty(sup[0]?.over_delivery_tolerance ?? '0');
  const adding = new Map<string, Qty>();
  for (const p of planned) {
    const total = (adding.get(p.orderLine.id) ?? qty(0)).plus(p.base);
    adding.set(p.orderLine.id, total);
    const max = qty(p.orderLine.base_quantity).mul(tolerance.div(100).plus(1));
    const after = repo.netReceived(p.orderLine).plus(total);
    if (after.gt(max)) {
      errors.push(fieldError(`${p.field}.quantity`, 'OVER_TOLERANCE',
        `line ${p.orderLine.line_no} (${p.orderLine.material_code}) ordered ${formatQty(qty(p.orderLine.base_quantity))} ${p.orderLine.base_unit}, tolerance ${formatQty(tolerance)}%: at most ${formatQty(Qty.max(max.minus(repo.netReceived(p.orderLine)).minus(total.minus(p.base)), 0))} more can be received`));
    }
  }
  if (errors.length) throw unprocessable('OVER_TOLERANCE', `the receipt exceeds what ${order.docNo} allows with the supplier's over-delivery tolerance; nothing was saved`, errors);

  // Lines: serial-tracked goods one piece per line.
  const receiptId = randomUUID();
  const rows: { id: string; lineNo: number; orderLineId: string; materialId: string; quantity: string; unit: string; base: string; batchNo: string | null; serialNo: string | null; p: PlannedReceiptLine }[] = [];
  for (const p of planned) {
    if (p.material.tracking === 'serial') {
      for (let k = 0; k < p.base.toNumber(); k++) {
        const serialNo = p.serialNos?.[k] ?? (await nextCode(tx, t, 'serial', { material: p.material.code }, { pattern: '{material}-{seq:6}', reset: 'never', description: 'Serial numbers' }));
        rows.push({ id: randomUUID(), lineNo: rows.length + 1, orderLineId: p.orderLine.id, materialId: p.material.id, quantity: '1', unit: p.material.baseUnit, base: '1', batchNo: null, serialNo, p });
      }
    } else {
      const batchNo = p.material.tracking === 'batch'
        ? await nextCode(tx, t, 'batch', { material: p.material.code }, { pattern: 'B{yyyy}{mm}{dd}-{seq:3}', reset: 'daily', description: 'Batch numbers' })
        : null;
      rows.push({ id: randomUUID(), lineNo: rows.length + 1, orderLineId: p.orderLine.id, materialId: p.material.id, quantity: p.quantity, unit: p.unit, base: formatQty(p.base), batchNo, serialNo: null, p });
    }
  }
  for (const r of rows) {
    const batchId = r.batchNo ? await inventory.batchId(tx, t, r.materialId, r.batchNo, { productionDate: r.p.productionDate, expiryDate: r.p.expiryDate, supplierBatch: r.p.supplierBatch }) : null;
    if (r.serialNo) await inventory.serialId(tx, t, r.materialId, r.serialNo, batchId, true);
  }
  await tx.query(
    `INSERT INTO purchase_receipts (tenant_id, id, doc_no, order_id, supplier_id, remarks, created_by, created_by_user) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [t, receiptId, `~${receiptId}`, order.id, order.supplierId, input.remarks ?? '', who.actor, who.userId],
  );
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await tx.query(
    `INSERT INTO purchase_receipt_lines (tenant_id, receipt_id, id, line_no, order_line_id, material_id, quantity, unit, base_quantity, batch_no, serial_no, supplier_batch, production_date, expiry_date)
     SELECT $1, $2, * FROM unnest($3::uuid[], $4::int[], $5::uuid[], $6::uuid[], $7::numeric[], $8::text[], $9::numeric[], $10::text[], $11::text[], $12::text[], $13::date[], $14::date[])`,
    [t, receiptId, col((r) => r.id), col((r) => r.lineNo), col((r) => r.orderLineId), col((r) => r.materialId), col((r) => r.quantity), col((r) => r.unit), col((r) => r.base),
      col((r) => r.batchNo), col((r) => r.serialNo), col((r) => r.p.supplierBatch), col((r) => r.p.productionDate), col((r) => r.p.expiryDate)],
  );
  const ids = [...adding.keys()];
  await tx.query(
    `UPDATE purchase_order_lines l SET received_base = l.received_base + x.q FROM unnest($2::uuid[], $3::numeric[]) AS x(id, q) WHERE l.tenant_id = $1 AND l.id = x.id`,
    [t, ids, ids.map((id) => formatQty(adding.get(id)!))],
  );
  if (order.status === 'approved') {
    await tx.query(`UPDATE purchase_orders SET status = 'receiving', updated_at = now() WHERE tenant_id = $1 AND id = $2`, [t, order.id]);
    emitOrder(tx, t, { id: order.id, docNo: order.docNo, status: 'receiving', version: order.version }, 'receiving');
  }
  const docNo = await numberDoc(tx, t, 'purchase_receipts', receiptId);
  emit(tx, t, 'purchase_receipt.created', 'purchase_receipt', receiptId, { id: receiptId, docNo, orderId: order.id, orderDocNo: order.docNo, status: 'pending_inspection', lines: rows.length });
  return (await repo.findReceipt(tx, t, receiptId))!;
}

/** The material code a scanned label names: a GS1 label (ours or the supplier's, with its lot and dates) or a plain material code. */
async function scannedMaterial(
  tx: Sql, tenantId: string, code: string, field: string, errors: FieldError[], scanned: { supplierBatch?: string; expiryDate?: string; productionDate?: string },
): Promise<string | undefined> {
  const text = code.trim();
  if (looksLikeGs1(text)) {
    try {
      const f = parseGs1(text, new Date(), field);
      if (!f.material) {
        errors.push(fieldError(field, 'WRONG_LABEL', 'this label names no material (240)'));
        return undefined;
      }
      if (f.batch) scanned.supplierBatch = f.batch;
      if (f.expiry) scanned.expiryDate = f.expiry;
      if (f.productionDate) scanned.productionDate = f.productionDate;
      return f.material;
    } catch (err) {
      if (!(err instanceof MesProblem)) throw err;
      errors.push(fieldError(field, err.code, err.message));
      return undefined;
    }
  }
  const { rows } = await tx.query<{ code: string }>('SELECT code FROM materials WHERE tenant_id = $1 AND code = $2', [tenantId, text]);
  if (!rows[0]) errors.push(fieldError(field, 'UNKNOWN_MATERIAL', `no material ${text}`));
  return rows[0]?.code;
}

// ---------------------------------------------------------------------------------------------
// Incoming inspection

/**
 * For quality (the one inspection model): a receipt line's receipt and supplier, a receipt's lines
 * (locked to inspect them), and what of a line still awaits inspection. Quality reads receipts only
 * through these, never purchasing's tables.
 */
export const receiptOfLine = repo.receiptOfLine;
export const receiptLines = repo.receiptLines;
export const pendingOf = repo.pendingOf;

export async function inspect(tx: Sql, who: Who, receiptId: string, input: InspectInput) {
  const t = who.tenantId;
  const head = await tx.query<{ order_id: string; supplier_id: string; doc_no: string }>('SELECT order_id, supplier_id, doc_no FROM purchase_receipts WHERE tenant_id = $1 AND id = $2', [t, receiptId]);
  if (!head.rows[0]) throw notFound('purchase receipt', receiptId);
  const { order_id: orderId, supplier_id: supplierId, doc_no: receiptNo } = head.rows[0];
  await repo.findOrderRow(tx, t, orderId, true);
  // Locked (by id) before the receipt lines, the order every writer of these lines keeps.
  await repo.orderLines(tx, t, orderId, { lock: true });
  const lines = await repo.receiptLines(tx, t, receiptId, true);
  const warehouses = await masterdata.listWarehouses(tx, t);
  const bins = await inventory.binsOf(tx, t);
  const errors: FieldError[] = [];
  const over: FieldError[] = [];
  const taken = new Map<string, Qty>();
  const planned: { line: repo.ReceiptLineRow; accepted: Qty; rejected: Qty; warehouseId: string | null; binId: string | null; inspector: string; remarks: string }[] = [];
  for (const [i, l] of input.lines.entries()) {
    const field = `lines[${i}]`;
    const err = (attr: string, code: string, message: string) => errors.push(fieldError(`${field}.${attr}`, code, message));
    const line = lines.find((x) => x.id === l.receiptLineId);
    if (!line) {
      err('receiptLineId', 'UNKNOWN_RECEIPT_LINE', `${receiptNo} has no line ${l.receiptLineId}`);
      continue;
    }
    const accepted = qty(l.accepted);
    const rejected = qty(l.rejected);
    if (accepted.isNegative()) err('accepted', 'NEGATIVE', 'must not be negative');
    if (rejected.isNegative()) err('rejected', 'NEGATIVE', 'must not be negative');
    if (accepted.plus(rejected).isZero()) err('accepted', 'NOTHING_INSPECTED', 'accepted and rejected are both 0');
    if (line.serial_no && !(accepted.isInteger() && rejected.isInteger())) err('accepted', 'SERIAL_QUANTITY', 'a serial is one whole piece');
    let warehouseId: string | null = null;
    let binId: string | null = null;
    if (accepted.gt(0) || l.warehouseId || l.warehouseCode) {
      const w = warehouses.find((x) => (l.warehouseId ? x.id === l.warehouseId : x.code === l.warehouseCode));
      if (!l.warehouseId && !l.warehouseCode) err('warehouseId', 'REQUIRED', 'the accepted quantity goes into a warehouse: name it by warehouseId or warehouseCode');
      else if (!w) err(l.warehouseId ? 'warehouseId' : 'warehouseCode', 'UNKNOWN_WAREHOUSE', `no warehouse ${l.warehouseId ?? l.warehouseCode}`);
      else if (w.status !== 'active') err('warehouseId', 'WAREHOUSE_BLOCKED', `warehouse ${w.code} is blocked`);
      else if (w.kind === 'wip') err('warehouseId', 'WAREHOUSE_IS_WIP', `${w.code} is a WIP warehouse; purchased goods go into a stock warehouse`);
      else {
        warehouseId = w.id;
        if (l.binId || l.binCode) {
          const b = bins.find((x) => x.warehouseId === w.id && (l.binId ? x.id === l.binId : x.code === l.binCode));
          if (!b) err(l.binId ? 'binId' : 'binCode', 'UNKNOWN_BIN', `no bin ${l.binId ?? l.binCode} in ${w.code}`);
          binId = b?.id ?? null;
        }
      }
    }
    const sum = (taken.get(line.id) ?? qty(0)).plus(accepted).plus(rejected);
    taken.set(line.id, sum);
    const pending = repo.pendingOf(line);
    if (sum.gt(pending)) {
      over.push(fieldError(`${field}.accepted`, 'INSPECTION_EXCEEDS_PENDING', `line ${line.line_no} (${line.material_code}) has ${formatQty(pending)} ${line.base_unit} waiting for inspection; this inspects ${formatQty(sum)}`));
    }
    planned.push({ line, accepted, rejected, warehouseId, binId, inspector: l.inspector ?? input.inspector ?? who.actor, remarks: l.remarks ?? '' });
  }
  if (errors.length) throw unprocessable('INSPECTION_INVALID', 'the inspection cannot be recorded as given; nothing was saved', errors);
  if (over.length) throw unprocessable('INSPECTION_EXCEEDS_PENDING', 'more is inspected than waits for inspection; nothing was saved', over);

  const accepted = planned.filter((p) => p.accepted.gt(0));
  const rejected = planned.filter((p) => p.rejected.gt(0));
  const inboundId = accepted.length ? randomUUID() : null;
  const returnId = rejected.length ? randomUUID() : null;
  if (inboundId) {
    await tx.query('INSERT INTO purchase_inbounds (tenant_id, id, doc_no, receipt_id, order_id, supplier_id, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      t, inboundId, `~${inboundId}`, receiptId, orderId, supplierId, who.actor,
    ]);
    const moves: Movement[] = [];
    for (const [k, p] of accepted.entries()) {
      await tx.query(
        `INSERT INTO purchase_inbound_lines (tenant_id, inbound_id, line_no, receipt_line_id, order_line_id, material_id, base_quantity, warehouse_id, bin_id, batch_no, serial_no)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [t, inboundId, k + 1, p.line.id, p.line.order_line_id, p.line.material_id, formatQty(p.accepted), p.warehouseId, p.binId, p.line.batch_no, p.line.serial_no],
      );
      const batchId = p.line.batch_no ? await inventory.batchId(tx, t, p.line.material_id, p.line.batch_no) : null;
      const serialId = p.line.serial_no ? await inventory.serialId(tx, t, p.line.material_id, p.line.serial_no, batchId, false) : null;
      moves.push({
        type: 'purchase_in', materialId: p.line.material_id, warehouseId: p.warehouseId!, binId: p.binId, batchId, serialId, quantity: p.accepted,
        enteredQuantity: formatQty(p.accepted), enteredUnit: p.line.base_unit, sourceLine: k + 1, field: `lines[${planned.indexOf(p)}]`,
      });
    }
    await postMovements(tx, t, { type: 'purchase_inbound', id: inboundId }, who.actor, moves);
  }
  if (returnId) {
    await repo.insertReturn(tx, t, { id: returnId, sourceKind: 'receipt', sourceId: receiptId, orderId, supplierId, reason: 'rejected at incoming inspection', createdBy: who.actor },
      rejected.map((p, k) => ({
        lineNo: k + 1, sourceLineId: p.line.id, orderLineId: p.line.order_line_id, materialId: p.line.material_id, quantity: formatQty(p.rejected), unit: p.line.base_unit,
        baseQuantity: formatQty(p.rejected), warehouseId: null, binId: null, batchNo: p.line.batch_no, serialNo: p.line.serial_no,
      })));
  }
  for (const p of planned) {
    await tx.query(
      `INSERT INTO incoming_inspections (tenant_id, receipt_id, receipt_line_id, accepted_base, rejected_base, inspector, remarks, inbound_id, return_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [t, receiptId, p.line.id, formatQty(p.accepted), formatQty(p.rejected), p.inspector, p.remarks, p.accepted.gt(0) ? inboundId : null, p.rejected.gt(0) ? returnId : null, who.actor],
    );
    await tx.query('UPDATE purchase_receipt_lines SET accepted_base = accepted_base + $3, rejected_base = rejected_base + $4 WHERE tenant_id = $1 AND id = $2', [
      t, p.line.id, formatQty(p.accepted), formatQty(p.rejected),
    ]);
    await tx.query('UPDATE purchase_order_lines SET accepted_base = accepted_base + $3, rejected_base = rejected_base + $4 WHERE tenant_id = $1 AND id = $2', [
      t, p.line.order_line_id, formatQty(p.accepted), formatQty(p.rejected),
    ]);
  }
  const stillPending = (await repo.receiptLines(tx, t, receiptId)).some((l) => repo.pendingOf(l).gt(0));
  if (!stillPending) await tx.query(`UPDATE purchase_receipts SET status = 'inspected' WHERE tenant_id = $1 AND id = $2`, [t, receiptId]);
  await maybeClose(tx, who, orderId, 'fully received and inspected');
  const total = (f: (p: (typeof planned)[number]) => Qty) => formatQty(planned.reduce((s, p) => s.plus(f(p)), qty(0)));
  emit(tx, t, 'inspection.recorded', 'purchase_receipt', receiptId, {
    receiptId, docNo: receiptNo, status: stillPending ? 'pending_inspection' : 'inspected', accepted: total((p) => p.accepted), rejected: total((p) => p.rejected), lines: planned.length,
  });
  let inbound: PurchaseInbound | null = null;
  let ret: PurchaseReturn | null = null;
  if (inboundId) {
    const docNo = await numberDoc(tx, t, 'purchase_inbounds', inboundId);
    emit(tx, t, 'purchase_inbound.posted', 'purchase_inbound', inboundId, { id: inboundId, docNo, receiptId, orderId, quantity: total((p) => p.accepted) });
    inbound = (await repo.findInbound(tx, t, inboundId))!;
  }
  if (returnId) {
    const docNo = await numberDoc(tx, t, 'purchase_returns', returnId);
    emit(tx, t, 'purchase_return.posted', 'purchase_return', returnId, { id: returnId, docNo, sourceKind: 'receipt', sourceId: receiptId, orderId, quantity: total((p) => p.rejected) });
    ret = (await repo.findReturn(tx, t, returnId))!;
  }
  return { receipt: (await repo.findReceipt(tx, t, receiptId))!, inbound, return: ret };
}

// ---------------------------------------------------------------------------------------------
// Purchase returns

export async function createReturn(tx: Sql, who: Who, input: CreateReturnInput): Promise<PurchaseReturn> {
  const t = who.tenantId;
  const errors: FieldError[] = [];
  const id = randomUUID();
  const reason = input.reason ?? '';
  let newLines: repo.NewReturnLine[] = [];
  const moves: Movement[] = [];
  let supplierId: string;
  let orderId: string | null = null;
  let sourceKind: PurchaseReturn['sourceKind'] = 'none';
  const returnedByLine = new Map<string, Qty>();

  if (input.inboundId) {
    const head = await tx.query<{ order_id: string; supplier_id: string; doc_no: string }>('SELECT order_id, supplier_id, doc_no FROM purchase_inbounds WHERE tenant_id = $1 AND id = $2', [t, input.inboundId]);
    if (!head.rows[0]) throw notFound('purchase inbound', input.inboundId);
    ({ order_id: orderId, supplier_id: supplierId } = head.rows[0]);
    sourceKind = 'inbound';
    if (input.supplierId && input.supplierId !== supplierId) errors.push(fieldError('supplierId', 'NOT_THE_SUPPLIER', `${head.rows[0].doc_no} came from another supplier`));
    await repo.findOrderRow(tx, t, orderId!, true);
    const lines = await repo.inboundLines(tx, t, input.inboundId, true);
    const units = await UnitConverter.load(tx, t);
    const warehouses = await masterdata.listWarehouses(tx, t);
    const bins = await inventory.binsOf(tx, t);
    const over: FieldError[] = [];
    for (const [i, l] of input.lines.entries()) {
      const field = `lines[${i}]`;
      const err = (attr: string, code: string, message: string) => errors.push(fieldError(`${field}.${attr}`, code, message));
      for (const k of ['materialId', 'materialCode', 'barcode', 'batchNo', 'serialNo'] as const) if (l[k]) err(k, 'NOT_ALLOWED', 'a return with source takes material, batch and serial from the inbound line');
      const src = lines.find((x) => x.id === l.inboundLineId);
      if (!src) {
        err('inboundLineId', l.inboundLineId ? 'UNKNOWN_INBOUND_LINE' : 'REQUIRED', l.inboundLineId ? `${head.rows[0].doc_no} has no line ${l.inboundLineId}` : 'name the inbound line returned');
        continue;
      }
      const unit = l.unit ?? src.base_unit;
      const converted = units.convert(src.material_id, l.quantity, unit, src.base_unit, field, errors);
      if (!converted) continue;
      if (!converted.quantity.gt(0)) {
        err('quantity', 'NOT_POSITIVE', 'must be greater than 0');
        continue;
      }
      let warehouseId = src.warehouse_id;
      let binId = src.bin_id;
      if (l.warehouseId || l.warehouseCode) {
        const w = warehouses.find((x) => (l.warehouseId ? x.id === l.warehouseId : x.code === l.warehouseCode));
        if (!w) err(l.warehouseId ? 'warehouseId' : 'warehouseCode', 'UNKNOWN_WAREHOUSE', `no warehouse ${l.warehouseId ?? l.warehouseCode}`);
        else warehouseId = w.id;
        binId = null;
      }
      if (l.binId || l.binCode) {
        const b = bins.find((x) => x.warehouseId === warehouseId && (l.binId ? x.id === l.binId : x.code === l.binCode));
        if (!b) err(l.binId ? 'binId' : 'binCode', 'UNKNOWN_BIN', `no bin ${l.binId ?? l.binCode} in that warehouse`);
        binId = b?.id ?? null;
      }
      const sum = (returnedByLine.get(src.id) ?? qty(0)).plus(converted.quantity);
      returnedByLine.set(src.id, sum);
      const left = qty(src.base_quantity).minus(qty(src.returned_base));
      if (sum.gt(left)) {
        over.push(fieldError(`${field}.quantity`, 'RETURN_EXCEEDS_RECEIVED', `line ${src.line_no} (${src.material_code}) took in ${formatQty(qty(src.base_quantity))} ${src.base_unit}, ${formatQty(qty(src.returned_base))} already returned: at most ${formatQty(left)} can go back`));
      }
      const lineNo = newLines.length + 1;
      newLines.push({
        lineNo, sourceLineId: src.id, orderLineId: src.order_line_id, materialId: src.material_id, quantity: formatQty(qty(l.quantity)), unit, baseQuantity: formatQty(converted.quantity),
        warehouseId, binId, batchNo: src.batch_no, serialNo: src.serial_no,
      });
      const batchId = src.batch_no ? await inventory.batchId(tx, t, src.material_id, src.batch_no) : null;
      const serialId = src.serial_no ? await inventory.serialId(tx, t, src.material_id, src.serial_no, batchId, false) : null;
      moves.push({ type: 'purchase_return', materialId: src.material_id, warehouseId, binId, batchId, serialId, quantity: converted.quantity.neg(), enteredQuantity: formatQty(qty(l.quantity)), enteredUnit: unit, sourceLine: lineNo, field });
    }
    if (errors.length) throw unprocessable('PURCHASE_RETURN_INVALID', 'the return cannot be posted as given; nothing was posted', errors);
    if (over.length) throw unprocessable('RETURN_EXCEEDS_RECEIVED', 'more would go back than came in and is still here; nothing was posted', over);
  } else {
    if (!input.supplierId) errors.push(fieldError('supplierId', 'REQUIRED', 'a return without source names the supplier'));
    else if (!(await tx.query(`SELECT 1 FROM partners WHERE tenant_id = $1 AND kind = 'supplier' AND id = $2`, [t, input.supplierId])).rows[0]) {
      errors.push(fieldError('supplierId', 'UNKNOWN_SUPPLIER', `no supplier ${input.supplierId}`));
    }
    input.lines.forEach((l, i) => l.inboundLineId && errors.push(fieldError(`lines[${i}].inboundLineId`, 'NOT_ALLOWED', 'name the inbound (inboundId) to return against its lines')));
    let resolved: Awaited<ReturnType<typeof resolveLines>> = [];
    try {
      resolved = await resolveLines(tx, t, 'other_out', input.lines.map(({ inboundLineId: _, ...l }) => l as StockLineInput));
    } catch (err) {
      if (!(err instanceof MesProblem) || err.status !== 422) throw err;
      errors.push(...(err.extras.errors ?? []));
    }
    if (errors.length) throw unprocessable('PURCHASE_RETURN_INVALID', 'the return cannot be posted as given; nothing was posted', errors);
    supplierId = input.supplierId!;
    for (const r of resolved) {
      const batchId = r.batchNo ? await inventory.batchId(tx, t, r.material.id, r.batchNo) : null;
      const serialId = r.serialNo ? await inventory.serialId(tx, t, r.material.id, r.serialNo, batchId, false) : null;
      if (r.batchNo && !batchId) errors.push(fieldError(`${r.field}.batchNo`, 'UNKNOWN_BATCH', `no batch ${r.batchNo} of ${r.material.code}`));
      if (r.serialNo && !serialId) errors.push(fieldError(`${r.field}.serialNo`, 'UNKNOWN_SERIAL', `no serial ${r.serialNo} of ${r.material.code}`));
      newLines.push({
        lineNo: r.lineNo, sourceLineId: null, orderLineId: null, materialId: r.material.id, quantity: r.quantity, unit: r.unit, baseQuantity: r.baseQuantity,
        warehouseId: r.warehouseId, binId: r.binId, batchNo: r.batchNo, serialNo: r.serialNo,
      });
      moves.push({ type: 'purchase_return', materialId: r.material.id, warehouseId: r.warehouseId, binId: r.binId, batchId, serialId, quantity: qty(r.baseQuantity).neg(), enteredQuantity: r.quantity, enteredUnit: r.unit, sourceLine: r.lineNo, field: r.field });
    }
    if (errors.length) throw unprocessable('PURCHASE_RETURN_INVALID', 'the return cannot be posted as given; nothing was posted', errors);
  }
  await repo.insertReturn(tx, t, { id, sourceKind, sourceId: input.inboundId ?? null, orderId, supplierId: supplierId!, reason, createdBy: who.actor }, newLines);
  await postMovements(tx, t, { type: 'purchase_return', id }, who.actor, moves);
  if (returnedByLine.size) {
    const ids = [...returnedByLine.keys()];
    await tx.query(
      `UPDATE purchase_inbound_lines l SET returned_base = l.returned_base + x.q FROM unnest($2::uuid[], $3::numeric[]) AS x(id, q) WHERE l.tenant_id = $1 AND l.id = x.id`,
      [t, ids, ids.map((k) => formatQty(returnedByLine.get(k)!))],
    );
  }
  const docNo = await numberDoc(tx, t, 'purchase_returns', id);
  emit(tx, t, 'purchase_return.posted', 'purchase_return', id, { id, docNo, sourceKind, sourceId: input.inboundId ?? null, orderId, supplierId: supplierId! });
  return (await repo.findReturn(tx, t, id))!;
}
