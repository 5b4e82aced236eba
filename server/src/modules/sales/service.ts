import { randomUUID } from 'node:crypto';
import type { Principal } from '../../platform/auth.js';
import { actorId } from '../../platform/auth.js';
import type { Sql } from '../../platform/db.js';
import { recordVersion } from '../../platform/document-versions.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, roundTo, type Qty } from '../../platform/quantity.js';
import { nextCode } from '../masterdata/coding.js';
import * as masterdata from '../masterdata/repo.js';
import type { Material } from '../masterdata/schema.js';
import { UnitConverter } from '../masterdata/units.js';
import { assertMayApprove } from '../settings/service.js';
import * as repo from './repo.js';
import type {
  CreateDeliveryPlanInput, CreateSalesOrderInput, DeliveryPlan, OrderActionInput, OrderLineInput, PlanLineInput, SalesOrder, UpdateDeliveryPlanInput, UpdateSalesOrderInput,
} from './schema.js';

/** Who acts: the user (for the four-eyes rule) and how the audit names them. */
export interface Who {
  tenantId: string;
  userId: string;
  actor: string;
  principal: Principal;
}
export const whoOf = (p: Principal): Who => ({ tenantId: p.tenantId, userId: p.userId, actor: actorId(p), principal: p });

export const ORDER_DOC = 'sales_order';
const provisional = (id: string) => `~${id}`;

/** Document numbers come last in the transaction: the sequence row's lock is held to commit. */
export async function numberLast(tx: Sql, tenantId: string, table: string, id: string, rule: string, pattern: string, description: string): Promise<string> {
  const docNo = await nextCode(tx, tenantId, rule, {}, { pattern, reset: 'daily', description });
  await tx.query(`UPDATE ${table} SET doc_no = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, docNo]);
  return docNo;
}

export function event(tenantId: string, type: string, aggregateType: string, doc: { id: string; docNo: string; status: string; version?: number }, extra: Record<string, unknown> = {}) {
  return { tenantId, type, aggregateType, aggregateId: doc.id, payload: { id: doc.id, docNo: doc.docNo, status: doc.status, version: doc.version ?? 1, ...extra } };
}

// ---------------------------------------------------------------- shared lookups

export interface CustomerRef {
  id: string;
  code: string;
  address: string;
  tolerance: Qty;
}

export async function resolveCustomer(tx: Sql, tenantId: string, ref: { customerId?: string; customerCode?: string }, errors: FieldError[]): Promise<CustomerRef | undefined> {
  if (!ref.customerId && !ref.customerCode) return errors.push(fieldError('customerId', 'REQUIRED', 'name the customer by customerId or customerCode')), undefined;
  const { rows } = await tx.query<{ id: string; code: string; address: string; status: string; tol: string }>(
    `SELECT id, code, address, status, over_delivery_tolerance::text AS tol FROM partners WHERE tenant_id = $1 AND kind = 'customer' AND ${ref.customerId ? 'id = $2::uuid' : 'code = $2'}`,
    [tenantId, ref.customerId ?? ref.customerCode],
  );
  const field = ref.customerId ? 'customerId' : 'customerCode';
  const c = rows[0];
  if (!c) return errors.push(fieldError(field, 'UNKNOWN_CUSTOMER', `no customer ${ref.customerId ?? ref.customerCode}`)), undefined;
  if (c.status !== 'active') return errors.push(fieldError(field, 'CUSTOMER_BLOCKED', `customer ${c.code} is blocked`)), undefined;
  return { id: c.id, code: c.code, address: c.address, tolerance: qty(c.tol) };
}

/** The most a line may reach with the customer's over-delivery tolerance. */
export const withTolerance = (base: Qty, tolerance: Qty) => base.mul(qty(100).plus(tolerance)).div(100);

/** Exact conversion to the base unit: a quantity that the base unit cannot hold exactly is refused. */
export function toBase(units: UnitConverter, material: Material, quantity: string, unit: string, field: string, errors: FieldError[]): Qty | undefined {
  const base = units.toBase(material, quantity, unit, field, errors);
  if (base && !base.gt(0)) return errors.push(fieldError(`${field}.quantity`, 'NOT_POSITIVE', 'must be greater than 0')), undefined;
  return base;
}

export function pickSoldMaterial(materials: Material[], line: { materialId?: string; materialCode?: string }, field: string, errors: FieldError[]): Material | undefined {
  if (!line.materialId && !line.materialCode) return errors.push(fieldError(`${field}.materialId`, 'REQUIRED', 'name the material by materialId or materialCode')), undefined;
  const m = materials.find((x) => (line.materialId ? x.id === line.materialId : x.code === line.materialCode));
  const attr = line.materialId ? 'materialId' : 'materialCode';
  if (!m) return errors.push(fieldError(`${field}.${attr}`, 'UNKNOWN_MATERIAL', `no material ${line.materialId ?? line.materialCode}`)), undefined;
  if (line.materialId && line.materialCode && m.code !== line.materialCode) return errors.push(fieldError(`${field}.materialCode`, 'CONFLICTING_REFERENCES', `the line names ${line.materialCode} but also ${m.code}`)), undefined;
  if (m.status === 'blocked') return errors.push(fieldError(`${field}.${attr}`, 'MATERIAL_BLOCKED', `material ${m.code} is blocked`)), undefined;
  if (m.variantFeatures.length > 0) return errors.push(fieldError(`${field}.${attr}`, 'TEMPLATE_NOT_SOLD', `${m.code} is a variant template; sell one of its variants`)), undefined;
  return m;
}

// ---------------------------------------------------------------- sales orders (S1-5.4.1-b)

interface ResolvedOrderLine {
  lineNo?: number;
  material: Material;
  quantity: string;
  unit: string;
  base: Qty;
  price: string;
  taxRate: string;
  net: Qty;
  tax: Qty;
  gross: Qty;
  deliveryDate: string;
}

const money = (v: Qty) => roundTo(v, 2, 'half_up');

/** Amounts exactly: net = quantity × price, tax = net × rate / 100, each to 2 decimals half up. */
export function amounts(quantity: string, price: string, taxRate: string) {
  const net = money(qty(quantity).mul(qty(price)));
  const tax = money(net.mul(qty(taxRate)).div(100));
  return { net, tax, gross: net.plus(tax) };
}

/** One entry per input line, undefined where the line has problems (they are in errors). */
async function resolveOrderLines(tx: Sql, tenantId: string, lines: OrderLineInput[], errors: FieldError[]): Promise<(ResolvedOrderLine | undefined)[]> {
  const materials = await masterdata.findMaterials(tx, tenantId, lines.flatMap((l) => (l.materialId ? [l.materialId] : [])), lines.flatMap((l) => (l.materialCode ? [l.materialCode] : [])));
  const units = await UnitConverter.load(tx, tenantId);
  const out: (ResolvedOrderLine | undefined)[] = [];
  for (const [i, l] of lines.entries()) {
    const field = `lines[${i}]`;
    out.push(undefined);
    const material = pickSoldMaterial(materials, l, field, errors);
    if (!material) continue;
    const unit = l.unit ?? material.salesUnit;
    const base = toBase(units, material, l.quantity, unit, field, errors);
    if (!base) continue;
    out.pop();
    const taxRate = formatQty(qty(l.taxRate ?? '0'));
    out.push({ lineNo: l.lineNo, material, quantity: formatQty(qty(l.quantity)), unit, base, price: formatQty(qty(l.price)), taxRate, deliveryDate: l.deliveryDate, ...amounts(l.quantity, l.price, taxRate) });
  }
  return out;
}

async function insertOrderLine(tx: Sql, tenantId: string, orderId: string, lineNo: number, l: ResolvedOrderLine): Promise<void> {
  await tx.query(
    `INSERT INTO sales_order_lines (tenant_id, order_id, line_no, material_id, quantity, unit, base_quantity, price, tax_rate, net_amount, tax_amount, gross_amount, delivery_date)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [tenantId, orderId, lineNo, l.material.id, l.quantity, l.unit, formatQty(l.base), l.price, l.taxRate, l.net.toFixed(2), l.tax.toFixed(2), l.gross.toFixed(2), l.deliveryDate],
  );
}

async function getOrder(tx: Sql, tenantId: string, id: string, lock = false) {
  const o = await repo.findOrder(tx, tenantId, id, lock);
  if (!o) throw notFound('sales order', id);
  return o;
}

export async function createOrder(tx: Sql, who: Who, input: CreateSalesOrderInput): Promise<SalesOrder> {
  const errors: FieldError[] = [];
  const customer = await resolveCustomer(tx, who.tenantId, input, errors);
  const lines = await resolveOrderLines(tx, who.tenantId, input.lines, errors);
  input.lines.forEach((l, i) => l.lineNo !== undefined && errors.push(fieldError(`lines[${i}].lineNo`, 'NOT_ALLOWED', 'a new order numbers its lines itself')));
  if (errors.length || !customer) throw unprocessable('SALES_ORDER_INVALID', 'the sales order cannot be saved as given; nothing was saved', errors);
  const id = randomUUID();
  await tx.query(
    `INSERT INTO sales_orders (tenant_id, id, doc_no, customer_id, order_date, remark, created_by, created_by_user) VALUES ($1, $2, $3, $4, coalesce($5::date, current_date), $6, $7, $8)`,
    [who.tenantId, id, provisional(id), customer.id, input.orderDate ?? null, input.remark ?? '', who.actor, who.userId],
  );
  for (const [i, l] of lines.entries()) await insertOrderLine(tx, who.tenantId, id, i + 1, l!);
  const docNo = await numberLast(tx, who.tenantId, 'sales_orders', id, 'sales_order', 'SO{yyyy}{mm}{dd}-{seq:4}', 'Sales order numbers');
  recordEvent(tx, event(who.tenantId, 'sales_order.created', 'sales_order', { id, docNo, status: 'draft' }));
  return repo.publicOrder(await getOrder(tx, who.tenantId, id));
}

/**
 * Every change is a new version, so two clerks editing one draft cannot overwrite each other. A
 * never-approved draft keeps no history; after approval each version's snapshot is kept; it may not go below what is shipped or (with the tolerance) planned,
 * and a change that raises a quantity or an amount, or adds a line, sends the order back to draft
 * for approval again. Lowering quantities, moving dates or editing the remark keeps it approved.
 */
export async function updateOrder(tx: Sql, who: Who, id: string, input: UpdateSalesOrderInput): Promise<SalesOrder> {
  const current = await getOrder(tx, who.tenantId, id, true);
  if (current.version !== input.version) {
    throw conflict('VERSION_CONFLICT', `sales order ${current.docNo} is at version ${current.version}, not ${input.version}; read it again and reapply your change`, { currentVersion: current.version });
  }
  if (current.status === 'closed' || current.status === 'cancelled') throw conflict('ORDER_NOT_CHANGEABLE', `sales order ${current.docNo} is ${current.status}`, { documentStatus: current.status });
  const everApproved = current.approvedAt !== null;
  const errors: FieldError[] = [];
  let needsApproval = false;
  const tolerance = (await resolveCustomer(tx, who.tenantId, { customerId: current.customerId }, []))?.tolerance ?? qty(0);
  let plan: { kind: 'update'; lineNo: number; l: ResolvedOrderLine }[] | undefined;
  let added: ResolvedOrderLine[] = [];
  let removed: number[] = [];
  if (input.lines) {
    const resolved = await resolveOrderLines(tx, who.tenantId, input.lines, errors);
    const byNo = new Map(current.lines.map((l) => [l.lineNo, l]));
    const used = await tx.query<{ line_no: number }>(
      `SELECT DISTINCT l.line_no FROM sales_order_lines l JOIN delivery_plan_lines pl ON pl.tenant_id = l.tenant_id AND pl.order_line_id = l.id WHERE l.tenant_id = $1 AND l.order_id = $2`,
      [who.tenantId, id],
    );
    const referenced = new Set(used.rows.map((r) => r.line_no));
    const seen = new Set<number>();
    plan = [];
    for (const [i, l] of input.lines.entries()) {
      const r = resolved[i];
      if (l.lineNo === undefined) continue;
      const field = `lines[${i}]`;
      const existing = byNo.get(l.lineNo);
      if (!existing) { errors.push(fieldError(`${field}.lineNo`, 'UNKNOWN_LINE', `the order has no line ${l.lineNo}`)); continue; }
      if (seen.has(l.lineNo)) { errors.push(fieldError(`${field}.lineNo`, 'DUPLICATE_LINE', `line ${l.lineNo} is named twice`)); continue; }
      seen.add(l.lineNo);
      if (!r) continue;
      if (everApproved && r.material.id !== existing.materialId) { errors.push(fieldError(`${field}.materialId`, 'MATERIAL_FIXED', 'the material of an approved line cannot change; add a new line')); continue; }
      const netShipped = qty(existing.shipped).minus(existing.returned);
      if (r.base.lt(netShipped)) errors.push(fieldError(`${field}.quantity`, 'BELOW_SHIPPED', `${existing.shipped} ${existing.baseUnit} are shipped (${existing.returned} returned): the line cannot order less than ${formatQty(netShipped)}`));
      else if (withTolerance(r.base, tolerance).lt(qty(existing.planned))) errors.push(fieldError(`${field}.quantity`, 'BELOW_PLANNED', `${existing.planned} ${existing.baseUnit} are on delivery plans: reduce the plans first`));
      if (r.base.gt(qty(existing.baseQuantity)) || r.gross.gt(qty(existing.grossAmount))) needsApproval = true;
      plan.push({ kind: 'update', lineNo: l.lineNo, l: r });
    }
    added = resolved.filter((r, i): r is ResolvedOrderLine => !!r && input.lines![i].lineNo === undefined);
    if (added.length) needsApproval = true;
    removed = current.lines.filter((l) => !seen.has(l.lineNo)).map((l) => l.lineNo);
    for (const no of removed) if (referenced.has(no)) errors.push(fieldError('lines', 'LINE_IN_USE', `line ${no} is on a delivery plan and cannot be removed`));
  }
  if (errors.length) throw unprocessable('SALES_ORDER_INVALID', 'the change cannot be made as given; nothing was changed', errors);

  for (const u of plan ?? []) {
    await tx.query(
      `UPDATE sales_order_lines SET material_id = $4, quantity = $5, unit = $6, base_quantity = $7, price = $8, tax_rate = $9, net_amount = $10, tax_amount = $11,
              gross_amount = $12, delivery_date = $13 WHERE tenant_id = $1 AND order_id = $2 AND line_no = $3`,
      [who.tenantId, id, u.lineNo, u.l.material.id, u.l.quantity, u.l.unit, formatQty(u.l.base), u.l.price, u.l.taxRate, u.l.net.toFixed(2), u.l.tax.toFixed(2), u.l.gross.toFixed(2), u.l.deliveryDate],
    );
  }
  if (removed.length) await tx.query('DELETE FROM sales_order_lines WHERE tenant_id = $1 AND order_id = $2 AND line_no = ANY($3::int[])', [who.tenantId, id, removed]);
  let next = Math.max(0, ...current.lines.map((l) => l.lineNo));
  for (const l of added) await insertOrderLine(tx, who.tenantId, id, ++next, l);
  const version = current.version + 1;
  const status = everApproved && needsApproval ? 'draft' : current.status;
  await tx.query(
    `UPDATE sales_orders SET order_date = coalesce($3::date, order_date), remark = coalesce($4, remark), version = $5, status = $6, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
    [who.tenantId, id, input.orderDate ?? null, input.remark ?? null, version, status],
  );
  const order = repo.publicOrder(await getOrder(tx, who.tenantId, id));
  if (everApproved) await recordVersion(tx, who.tenantId, { type: ORDER_DOC, id, version }, order, who.actor, input.reason ?? '');
  recordEvent(tx, event(who.tenantId, 'sales_order.changed', 'sales_order', order, { reapprovalRequired: status === 'draft' && current.status !== 'draft' }));
  return order;
}

/** A stale version is refused: the caller acted on an order that has changed since they read it. */
function checkVersion(order: { version: number; docNo: string }, version: number): void {
  if (order.version !== version) {
    throw conflict('VERSION_CONFLICT', `sales order ${order.docNo} is at version ${order.version}, not ${version}; read it again`, { currentVersion: order.version });
  }
}

/**
 * The business review (S1-5.1.5) of the version the reviewer read: sales:approve, and not one's
 * own order where the tenant forbids it. The approved version is kept whole.
 */
export async function approveOrder(tx: Sql, who: Who, id: string, input: OrderActionInput): Promise<SalesOrder> {
  const current = await getOrder(tx, who.tenantId, id, true);
  checkVersion(current, input.version);
  if (current.status !== 'draft') throw conflict('ORDER_NOT_DRAFT', `sales order ${current.docNo} is ${current.status}; only a draft is approved`, { documentStatus: current.status });
  await assertMayApprove(tx, who.principal, current.createdByUser, `sales order ${current.docNo}`);
  const shipped = current.lines.some((l) => qty(l.shipped).gt(0));
  const status = shipped ? 'in_delivery' : 'approved';
  await tx.query(`UPDATE sales_orders SET status = $3, approved_by = $4, approved_at = now(), version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [who.tenantId, id, status, who.actor]);
  const order = repo.publicOrder(await getOrder(tx, who.tenantId, id));
  await recordVersion(tx, who.tenantId, { type: ORDER_DOC, id, version: order.version }, order, who.actor, input.reason ?? 'approved');
  recordEvent(tx, event(who.tenantId, 'sales_order.approved', 'sales_order', order));
  return order;
}

export async function cancelOrder(tx: Sql, who: Who, id: string, input: OrderActionInput): Promise<SalesOrder> {
  const current = await getOrder(tx, who.tenantId, id, true);
  checkVersion(current, input.version);
  const busy = current.lines.some((l) => qty(l.planned).gt(0) || qty(l.shipped).gt(0));
  if (!['draft', 'approved'].includes(current.status) || busy) {
    throw conflict('ORDER_NOT_CANCELLABLE', `sales order ${current.docNo} is ${current.status}${busy ? ' and has planned or shipped quantities' : ''}: only a draft or an approved order with nothing planned or shipped is cancelled`, { documentStatus: current.status });
  }
  await tx.query(`UPDATE sales_orders SET status = 'cancelled', closed_at = now(), close_reason = $3, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [who.tenantId, id, input.reason ?? '']);
  const order = repo.publicOrder(await getOrder(tx, who.tenantId, id));
  recordEvent(tx, event(who.tenantId, 'sales_order.cancelled', 'sales_order', order));
  return order;
}

/** Closes an approved or in-delivery order by hand: what is not shipped is not shipped any more. */
export async function closeOrder(tx: Sql, who: Who, id: string, input: OrderActionInput): Promise<SalesOrder> {
  const current = await getOrder(tx, who.tenantId, id, true);
  checkVersion(current, input.version);
  if (current.status !== 'approved' && current.status !== 'in_delivery') {
    throw conflict('ORDER_NOT_CLOSABLE', `sales order ${current.docNo} is ${current.status}; only an approved or in-delivery order is closed`, { documentStatus: current.status });
  }
  await tx.query(`UPDATE sales_orders SET status = 'closed', closed_at = now(), close_reason = $3, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [who.tenantId, id, input.reason ?? 'closed by hand']);
  const order = repo.publicOrder(await getOrder(tx, who.tenantId, id));
  recordEvent(tx, event(who.tenantId, 'sales_order.closed', 'sales_order', order, { remainingCancelled: true }));
  return order;
}

// ---------------------------------------------------------------- for documents made to order

export interface OrderLineRef {
  id: string;
  orderId: string;
  docNo: string;
  lineNo: number;
  status: SalesOrder['status'];
  materialId: string;
  deliveryDate: string;
}

/** Sales order lines by id, for what is made to order (a production order carries the order's number). */
export async function orderLineRefs(tx: Sql, tenantId: string, ids: string[]): Promise<Map<string, OrderLineRef>> {
  const { rows } = await tx.query<{ id: string; order_id: string; doc_no: string; line_no: number; status: SalesOrder['status']; material_id: string; delivery_date: string }>(
    `SELECT l.id, l.order_id, o.doc_no, l.line_no, o.status, l.material_id, l.delivery_date::text
       FROM sales_order_lines l JOIN sales_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
      WHERE l.tenant_id = $1 AND l.id = ANY($2::uuid[])`,
    [tenantId, ids],
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, orderId: r.order_id, docNo: r.doc_no, lineNo: r.line_no, status: r.status, materialId: r.material_id, deliveryDate: r.delivery_date }]));
}

/**
 * Open demand for planning (S1-5.4.1-f): every line of an approved or in-delivery order not yet
 * shipped in full, base unit, oldest delivery first; the order number is the MTO number.
 */
export async function openDemandLines(tx: Sql, tenantId: string): Promise<{ id: string; materialId: string; docNo: string; lineNo: number; deliveryDate: string; open: string }[]> {
  const { rows } = await tx.query<{ id: string; material_id: string; doc_no: string; line_no: number; delivery_date: string; open: string }>(
    `SELECT l.id, l.material_id, o.doc_no, l.line_no, l.delivery_date::text, (l.base_quantity - l.shipped_base)::text AS open
       FROM sales_order_lines l JOIN sales_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
      WHERE l.tenant_id = $1 AND o.status IN ('approved', 'in_delivery') AND l.base_quantity > l.shipped_base
      ORDER BY l.delivery_date, o.doc_no, l.line_no`,
    [tenantId],
  );
  return rows.map((r) => ({ id: r.id, materialId: r.material_id, docNo: r.doc_no, lineNo: r.line_no, deliveryDate: r.delivery_date, open: r.open }));
}

// ---------------------------------------------------------------- locking and order lines

export interface LockedOrderLine {
  id: string;
  order_id: string;
  doc_no: string;
  line_no: number;
  customer_id: string;
  status: SalesOrder['status'];
  material_id: string;
  unit: string;
  base_quantity: string;
  shipped_base: string;
  returned_base: string;
}

/**
 * Locks the orders, then the order lines, each in id order: every writer of shipped, planned and
 * returned quantities takes them in this order, so concurrent writers queue instead of deadlocking.
 */
export async function lockOrderLines(tx: Sql, tenantId: string, lineIds: string[]): Promise<Map<string, LockedOrderLine>> {
  const ids = [...new Set(lineIds)];
  if (!ids.length) return new Map();
  await tx.query(
    `SELECT o.id FROM sales_orders o WHERE o.tenant_id = $1 AND o.id IN (SELECT order_id FROM sales_order_lines WHERE tenant_id = $1 AND id = ANY($2::uuid[])) ORDER BY o.id FOR UPDATE`,
    [tenantId, ids],
  );
  await tx.query('SELECT id FROM sales_order_lines WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE', [tenantId, ids]);
  const { rows } = await tx.query<LockedOrderLine>(
    `SELECT l.id, l.order_id, o.doc_no, l.line_no, o.customer_id, o.status, l.material_id, l.unit, l.base_quantity::text, l.shipped_base::text, l.returned_base::text
       FROM sales_order_lines l JOIN sales_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
      WHERE l.tenant_id = $1 AND l.id = ANY($2::uuid[])`,
    [tenantId, ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** Shipping needs an approved order: a draft (new or changed) or a cancelled one is 409 ORDER_NOT_APPROVED, a closed one 409 ORDER_CLOSED. */
export function assertShippable(lines: Iterable<Pick<LockedOrderLine, 'status' | 'doc_no'>>): void {
  const bad = [...lines].filter((l) => l.status !== 'approved' && l.status !== 'in_delivery');
  if (!bad.length) return;
  const closed = bad.every((l) => l.status === 'closed');
  const docs = [...new Set(bad.map((l) => `${l.doc_no} (${l.status})`))].join(', ');
  throw closed
    ? conflict('ORDER_CLOSED', `sales order ${docs} is closed; nothing more is shipped against it`, { orders: [...new Set(bad.map((l) => l.doc_no))] })
    : conflict('ORDER_NOT_APPROVED', `sales order ${docs} is not approved; only approved orders are planned and shipped`, { orders: [...new Set(bad.map((l) => l.doc_no))] });
}

// ---------------------------------------------------------------- delivery plans (S1-5.4.1-c)

interface ResolvedPlanLine {
  orderLineId: string;
  quantity: string;
  unit: string;
  base: Qty;
  field: string;
}

/**
 * Resolves plan lines to order lines of this customer's approved orders, with their quantities in
 * the order line's unit, and checks the over-delivery tolerance on every order line: what all plans
 * that are not cancelled hold (a plan shipped beyond its quantity counts what it shipped) may not
 * exceed the ordered quantity plus the tolerance, plus what came back.
 */
async function resolvePlanLines(tx: Sql, tenantId: string, customer: CustomerRef, lines: PlanLineInput[], planId: string | null, errors: FieldError[]): Promise<ResolvedPlanLine[]> {
  const refs: { field: string; orderLineId?: string }[] = [];
  for (const [i, l] of lines.entries()) {
    const field = `lines[${i}]`;
    if (l.orderLineId) { refs.push({ field, orderLineId: l.orderLineId }); continue; }
    if ((!l.orderId && !l.orderDocNo) || l.lineNo === undefined) { errors.push(fieldError(`${field}.orderLineId`, 'REQUIRED', 'name the order line by orderLineId, or orderId/orderDocNo with lineNo')); refs.push({ field }); continue; }
    const { rows } = await tx.query<{ id: string }>(
      `SELECT l.id FROM sales_order_lines l JOIN sales_orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
        WHERE l.tenant_id = $1 AND l.line_no = $2 AND ${l.orderId ? 'o.id = $3::uuid' : 'o.doc_no = $3'}`,
      [tenantId, l.lineNo, l.orderId ?? l.orderDocNo],
    );
    if (!rows[0]) errors.push(fieldError(`${field}.lineNo`, 'UNKNOWN_ORDER_LINE', `order ${l.orderId ?? l.orderDocNo} has no line ${l.lineNo}`));
    refs.push({ field, orderLineId: rows[0]?.id });
  }
  const locked = await lockOrderLines(tx, tenantId, refs.flatMap((r) => (r.orderLineId ? [r.orderLineId] : [])));
  const materials = await masterdata.findMaterials(tx, tenantId, [...new Set([...locked.values()].map((l) => l.material_id))], []);
  const units = await UnitConverter.load(tx, tenantId);
  const { rows: plannedRows } = await tx.query<{ order_line_id: string; planned: string }>(
    `SELECT pl.order_line_id, sum(greatest(pl.base_quantity, pl.shipped_base))::text AS planned
       FROM delivery_plan_lines pl JOIN delivery_plans p ON p.tenant_id = pl.tenant_id AND p.id = pl.plan_id
      WHERE pl.tenant_id = $1 AND pl.order_line_id = ANY($2::uuid[]) AND p.status <> 'cancelled' AND p.id IS DISTINCT FROM $3
      GROUP BY pl.order_line_id`,
    [tenantId, [...locked.keys()], planId],
  );
  const plannedElsewhere = new Map(plannedRows.map((r) => [r.order_line_id, qty(r.planned)]));
  const own = planId ? new Map((await repo.planLines(tx, tenantId, planId)).map((l) => [l.order_line_id, qty(l.shipped_base)])) : new Map<string, Qty>();
  const out: ResolvedPlanLine[] = [];
  const seen = new Set<string>();
  const notApproved: LockedOrderLine[] = [];
  for (const [i, l] of lines.entries()) {
    const { field, orderLineId } = refs[i];
    if (!orderLineId) continue;
    const ol = locked.get(orderLineId);
    if (!ol) { errors.push(fieldError(`${field}.orderLineId`, 'UNKNOWN_ORDER_LINE', `no sales order line ${orderLineId}`)); continue; }
    if (seen.has(orderLineId)) { errors.push(fieldError(`${field}.orderLineId`, 'DUPLICATE_LINE', `order ${ol.doc_no} line ${ol.line_no} is on this plan twice`)); continue; }
    seen.add(orderLineId);
    if (ol.customer_id !== customer.id) { errors.push(fieldError(`${field}.orderLineId`, 'OTHER_CUSTOMER', `order ${ol.doc_no} belongs to another customer than ${customer.code}`)); continue; }
    if (ol.status !== 'approved' && ol.status !== 'in_delivery') { notApproved.push(ol); continue; }
    const material = materials.find((m) => m.id === ol.material_id)!;
    const base = toBase(units, material, l.quantity, ol.unit, field, errors);
    if (!base) continue;
    const shippedHere = own.get(orderLineId) ?? qty(0);
    if (base.lt(shippedHere)) { errors.push(fieldError(`${field}.quantity`, 'BELOW_SHIPPED', `${formatQty(shippedHere)} ${material.baseUnit} of this line are already shipped on this plan`)); continue; }
    const limit = withTolerance(qty(ol.base_quantity), customer.tolerance).plus(qty(ol.returned_base));
    const total = (plannedElsewhere.get(orderLineId) ?? qty(0)).plus(base);
    if (total.gt(limit)) {
      errors.push(fieldError(`${field}.quantity`, 'OVER_TOLERANCE',
        `order ${ol.doc_no} line ${ol.line_no}: plans would hold ${formatQty(total)} ${material.baseUnit}, more than the ${ol.base_quantity} ordered plus ${formatQty(customer.tolerance)}% tolerance (${formatQty(limit)})`));
      continue;
    }
    out.push({ orderLineId, quantity: formatQty(qty(l.quantity)), unit: ol.unit, base, field });
  }
  if (notApproved.length && !errors.length) assertShippable(notApproved);
  if (notApproved.length) errors.push(...notApproved.map((ol) => fieldError('lines', 'ORDER_NOT_APPROVED', `order ${ol.doc_no} is ${ol.status}`)));
  return out;
}

function throwPlanErrors(errors: FieldError[]): void {
  if (!errors.length) return;
  const over = errors.every((e) => e.code === 'OVER_TOLERANCE');
  throw unprocessable(over ? 'OVER_TOLERANCE' : 'DELIVERY_PLAN_INVALID', over ? 'the plan would deliver more than the customer\'s tolerance allows; nothing was saved' : 'the delivery plan cannot be saved as given; nothing was saved', errors);
}

async function getPlan(tx: Sql, tenantId: string, id: string, lock = false): Promise<DeliveryPlan> {
  const p = await repo.findPlan(tx, tenantId, id, lock);
  if (!p) throw notFound('delivery plan', id);
  return p;
}

export async function createPlan(tx: Sql, who: Who, input: CreateDeliveryPlanInput): Promise<DeliveryPlan> {
  const errors: FieldError[] = [];
  const customer = await resolveCustomer(tx, who.tenantId, input, errors);
  if (!customer) throw unprocessable('DELIVERY_PLAN_INVALID', 'the delivery plan cannot be saved as given; nothing was saved', errors);
  const lines = await resolvePlanLines(tx, who.tenantId, customer, input.lines, null, errors);
  throwPlanErrors(errors);
  const id = randomUUID();
  await tx.query(
    `INSERT INTO delivery_plans (tenant_id, id, doc_no, customer_id, planned_date, address, consignee_name, consignee_phone, remark, created_by, created_by_user)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [who.tenantId, id, provisional(id), customer.id, input.plannedDate, input.address ?? customer.address, input.consignee?.name ?? '', input.consignee?.phone ?? '', input.remark ?? '', who.actor, who.userId],
  );
  await insertPlanLines(tx, who.tenantId, id, lines, 1);
  const docNo = await numberLast(tx, who.tenantId, 'delivery_plans', id, 'delivery_plan', 'DP{yyyy}{mm}{dd}-{seq:4}', 'Delivery plan numbers');
  recordEvent(tx, event(who.tenantId, 'delivery_plan.created', 'delivery_plan', { id, docNo, status: 'open' }));
  return getPlan(tx, who.tenantId, id);
}

async function insertPlanLines(tx: Sql, tenantId: string, planId: string, lines: ResolvedPlanLine[], firstNo: number): Promise<void> {
  for (const [i, l] of lines.entries()) {
    await tx.query(
      `INSERT INTO delivery_plan_lines (tenant_id, plan_id, line_no, order_line_id, quantity, unit, base_quantity) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [tenantId, planId, firstNo + i, l.orderLineId, l.quantity, l.unit, formatQty(l.base)],
    );
  }
}

/**
 * The plan holds the latest date, address, consignee and quantities. Header fields change while
 * anything is left to ship; lines (the complete new list, matched by order line) while the plan is
 * open and never below what a line shipped. Each change is a new version.
 */
export async function updatePlan(tx: Sql, who: Who, id: string, input: UpdateDeliveryPlanInput): Promise<DeliveryPlan> {
  const current = await getPlan(tx, who.tenantId, id, true);
  if (current.version !== input.version) {
    throw conflict('VERSION_CONFLICT', `delivery plan ${current.docNo} is at version ${current.version}, not ${input.version}; read it again and reapply your change`, { currentVersion: current.version });
  }
  if (current.status === 'cancelled' || current.status === 'shipped') throw conflict('PLAN_NOT_CHANGEABLE', `delivery plan ${current.docNo} is ${current.status}`, { documentStatus: current.status });
  if (input.lines) {
    if (current.status !== 'open') throw conflict('PLAN_NOT_CHANGEABLE', `delivery plan ${current.docNo} is ${current.status}: its lines no longer change, only date, address and consignee`, { documentStatus: current.status });
    const errors: FieldError[] = [];
    const customer = (await resolveCustomer(tx, who.tenantId, { customerId: current.customerId }, errors))!;
    if (!customer) throw unprocessable('DELIVERY_PLAN_INVALID', 'the customer of this plan is blocked', errors);
    const lines = await resolvePlanLines(tx, who.tenantId, customer, input.lines, id, errors);
    const keep = new Set(lines.map((l) => l.orderLineId));
    const drop = current.lines.filter((l) => !keep.has(l.orderLineId));
    if (drop.length) {
      const { rows } = await tx.query<{ line_no: number }>(
        `SELECT DISTINCT pl.line_no FROM delivery_plan_lines pl JOIN sales_outbound_lines sl ON sl.tenant_id = pl.tenant_id AND sl.plan_line_id = pl.id
          WHERE pl.tenant_id = $1 AND pl.plan_id = $2 AND pl.line_no = ANY($3::int[])`,
        [who.tenantId, id, drop.map((l) => l.lineNo)],
      );
      for (const r of rows) errors.push(fieldError('lines', 'LINE_IN_USE', `plan line ${r.line_no} is on an outbound and cannot be removed`));
    }
    throwPlanErrors(errors);
    const existing = new Map(current.lines.map((l) => [l.orderLineId, l]));
    for (const l of lines.filter((x) => existing.has(x.orderLineId))) {
      await tx.query('UPDATE delivery_plan_lines SET quantity = $4, base_quantity = $5 WHERE tenant_id = $1 AND plan_id = $2 AND order_line_id = $3', [who.tenantId, id, l.orderLineId, l.quantity, formatQty(l.base)]);
    }
    if (drop.length) await tx.query('DELETE FROM delivery_plan_lines WHERE tenant_id = $1 AND plan_id = $2 AND line_no = ANY($3::int[])', [who.tenantId, id, drop.map((l) => l.lineNo)]);
    await insertPlanLines(tx, who.tenantId, id, lines.filter((x) => !existing.has(x.orderLineId)), Math.max(0, ...current.lines.map((l) => l.lineNo)) + 1);
  }
  await tx.query(
    `UPDATE delivery_plans SET planned_date = coalesce($3::date, planned_date), address = coalesce($4, address), consignee_name = coalesce($5, consignee_name),
            consignee_phone = coalesce($6, consignee_phone), remark = coalesce($7, remark), version = version + 1, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [who.tenantId, id, input.plannedDate ?? null, input.address ?? null, input.consignee?.name ?? null, input.consignee?.phone ?? null, input.remark ?? null],
  );
  const plan = await getPlan(tx, who.tenantId, id);
  recordEvent(tx, event(who.tenantId, 'delivery_plan.changed', 'delivery_plan', plan));
  return plan;
}

export async function cancelPlan(tx: Sql, who: Who, id: string): Promise<DeliveryPlan> {
  const current = await getPlan(tx, who.tenantId, id, true);
  if (current.status !== 'open') throw conflict('PLAN_NOT_CANCELLABLE', `delivery plan ${current.docNo} is ${current.status}; only a plan with nothing shipped is cancelled`, { documentStatus: current.status });
  await tx.query(`UPDATE delivery_plans SET status = 'cancelled', version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [who.tenantId, id]);
  const plan = await getPlan(tx, who.tenantId, id);
  recordEvent(tx, event(who.tenantId, 'delivery_plan.cancelled', 'delivery_plan', plan));
  return plan;
}
