/**
 * Production orders (S1-5.4.4-e): product, quantity, BOM version and routing, workshop and line,
 * planned start and finish, due date, where the demand came from (a task by hand, a sales order
 * line made to order, a safety-stock shortfall, MRP).
 *
 * Life cycle: planned → released → in_progress → completed → closed, or cancelled; every action
 * takes the version the caller read. Where the tenant asks for it, a planned order is approved
 * (production:approve, four eyes when forbidSelfApproval) before it may be released. Release gives
 * the order its own copy of the routing's operations and of the exploded BOM's component
 * requirements: later engineering changes leave a released order as it was, and execution records
 * issued, backflushed and returned quantities on the components, good, scrap and pending-inspection
 * quantities on the operations.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import type { Material } from '../masterdata/schema.js';
import { UnitConverter } from '../masterdata/units.js';
import * as plant from '../plant/service.js';
import { numberLast, orderLineRefs } from '../sales/service.js';
import { assertMayApprove, getSettings } from '../settings/service.js';
import * as bomRepo from './bom-repo.js';
import { MaterialRefs, assertVersion, materialsById, refuseIfAny, type Who } from './common.js';
import * as engineering from './engineering-repo.js';
import { requirementsOf } from './explosion.js';
import * as repo from './order-repo.js';
import type {
  CreateProductionOrderInput, OrderStatus, ProductionOrder, ProductionOrderListQuery, ProductionOrderSummary, UpdateProductionOrderInput,
} from './order-schema.js';
import { effectiveRouting, getRouting } from './routings.js';

const label = (o: { doc_no: string }) => `production order ${o.doc_no}`;

// ---------------------------------------------------------------- presenting

async function present(tx: Sql, tenantId: string, rows: repo.OrderRow[]): Promise<ProductionOrderSummary[]> {
  const materials = await materialsById(tx, tenantId, rows.map((r) => r.material_id));
  const boms = await engineering.describeVersions(tx, tenantId, 'bom', rows.flatMap((r) => (r.bom_version_id ? [r.bom_version_id] : [])));
  const routings = await engineering.describeVersions(tx, tenantId, 'routing', rows.flatMap((r) => (r.routing_version_id ? [r.routing_version_id] : [])));
  const workshops = new Map((await plant.findWorkshops(tx, tenantId, rows.flatMap((r) => (r.workshop_id ? [r.workshop_id] : [])))).map((w) => [w.id, w.code]));
  const lines = new Map((await plant.findLines(tx, tenantId, rows.flatMap((r) => (r.line_id ? [r.line_id] : [])))).map((l) => [l.id, l.code]));
  const approvalRequired = (await getSettings(tx, tenantId)).productionOrderApproval;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return rows.map((r) => {
    const m = materials.get(r.material_id)!;
    const routing = r.routing_version_id ? routings.get(r.routing_version_id) : undefined;
    return {
      id: r.id, docNo: r.doc_no, status: r.status, materialId: m.id, materialCode: m.code, materialName: m.name, quantity: r.quantity, unit: r.unit,
      baseQuantity: r.base_quantity, baseUnit: m.baseUnit, bomVersionId: r.bom_version_id, bomRevision: r.bom_version_id ? boms.get(r.bom_version_id)?.revision ?? null : null,
      routingVersionId: r.routing_version_id, routingCode: routing?.label ?? null, routingRevision: routing?.revision ?? null, workshopId: r.workshop_id,
      workshopCode: r.workshop_id ? workshops.get(r.workshop_id) ?? null : null, lineId: r.line_id, lineCode: r.line_id ? lines.get(r.line_id) ?? null : null,
      plannedStart: r.planned_start, plannedFinish: r.planned_finish, dueDate: r.due_date, source: r.source, sourceRef: r.source_ref, reworkOfOrderId: r.rework_of_order_id,
      salesOrderLineId: r.sales_order_line_id, salesOrderId: r.sales_order_id, salesOrderLineNo: r.sales_order_line_no, mtoNo: r.mto_no, priority: r.priority,
      includeOptional: r.include_optional, received: r.received_base, scrapped: r.scrapped_base, remark: r.remark, version: r.version, approvalRequired,
      createdBy: r.created_by, approvedBy: r.approved_by, approvedAt: iso(r.approved_at), releasedBy: r.released_by, releasedAt: iso(r.released_at),
      startedAt: iso(r.started_at), completedAt: iso(r.completed_at), closedAt: iso(r.closed_at), cancelledAt: iso(r.cancelled_at), cancelReason: r.cancel_reason,
      createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    };
  });
}

export async function findOrder(tx: Sql, tenantId: string, id: string): Promise<ProductionOrder | undefined> {
  const row = await repo.findOrder(tx, tenantId, id);
  if (!row) return undefined;
  const [head] = await present(tx, tenantId, [row]);
  const ops = await repo.operationsOf(tx, tenantId, id);
  const comps = await repo.componentsOf(tx, tenantId, id);
  const centres = new Map((await plant.findWorkCentres(tx, tenantId, ops.map((o) => o.work_centre_id), [])).map((w) => [w.id, w.code]));
  const materials = await materialsById(tx, tenantId, comps.map((c) => c.material_id));
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    ...head,
    operations: ops.map((o) => ({
      id: o.id, seq: o.seq, name: o.name, description: o.description, workCentreId: o.work_centre_id, workCentreCode: centres.get(o.work_centre_id)!, stationId: o.station_id,
      setupMinutes: o.setup_minutes, runMinutes: o.run_minutes, queueMinutes: o.queue_minutes, moveMinutes: o.move_minutes, plannedMinutes: o.planned_minutes,
      inspectionPoint: o.inspection_point, inspectionText: o.inspection_text, inspectionRef: o.inspection_ref, alternates: o.alternates, status: o.status,
      goodQuantity: o.good_quantity, scrapQuantity: o.scrap_quantity, pendingInspectionQuantity: o.pending_inspection_quantity, plannedStart: iso(o.planned_start),
      plannedFinish: iso(o.planned_finish), actualStart: iso(o.actual_start), actualFinish: iso(o.actual_finish),
    })),
    components: comps.map((c) => {
      const m = materials.get(c.material_id)!;
      return {
        id: c.id, lineNo: c.line_no, materialId: m.id, materialCode: m.code, materialName: m.name, baseUnit: m.baseUnit, operationSeq: c.operation_seq,
        bomVersionId: c.bom_version_id, bomLineNo: c.bom_line_no, viaPhantoms: c.via_phantoms, perUnit: c.per_unit, scrapRate: c.scrap_rate,
        standardQuantity: c.standard_quantity, requiredQuantity: c.required_quantity, issueType: c.issue_type, includeInKitting: c.include_in_kitting,
        optional: c.optional, alternates: c.alternates, issuedQuantity: c.issued_quantity, backflushedQuantity: c.backflushed_quantity, returnedQuantity: c.returned_quantity,
      };
    }),
  };
}

export async function getOrder(tx: Sql, tenantId: string, id: string): Promise<ProductionOrder> {
  const order = await findOrder(tx, tenantId, id);
  if (!order) throw notFound('production order', id);
  return order;
}

export async function listOrders(tx: Sql, tenantId: string, q: ProductionOrderListQuery & { limit: number; after?: [string, string] }): Promise<ProductionOrderSummary[]> {
  return present(tx, tenantId, await repo.listOrders(tx, tenantId, q));
}

// ---------------------------------------------------------------- what an order is made of

interface Plan {
  material: Material;
  quantity: string;
  unit: string;
  base: Qty;
  bomVersionId: string | null;
  routingVersionId: string | null;
  workshopId: string | null;
  lineId: string | null;
  plannedStart: string;
  plannedFinish: string;
}

type PlanInput = Partial<Pick<CreateProductionOrderInput, 'materialId' | 'materialCode' | 'unit' | 'bomVersionId' | 'routingVersionId' | 'workshopId' | 'workshopCode' | 'lineCode'>> & {
  quantity: string; lineId?: string | null; plannedStart: string; plannedFinish: string;
  /** A rework order takes no BOM or routing unless named (it reworks the product, S1-5.4.5-e). */
  rework?: boolean;
};

/**
 * Resolves and checks what an order is made of. The BOM version must be of the product's
 * manufacturing BOM and the routing version a routing's, neither a draft; when not named they are
 * the ones in effect at the planned start (the routing: the product's default). The workshop
 * defaults to the one of the routing's first work centre; a line must be in the workshop.
 */
async function resolvePlan(tx: Sql, tenantId: string, input: PlanInput, errors: FieldError[]): Promise<Plan | undefined> {
  const material = (await MaterialRefs.load(tx, tenantId, [input])).pick(input, '', errors, { activeOnly: true });
  if (material?.variantFeatures.length) errors.push(fieldError('materialId', 'TEMPLATE_NOT_PRODUCED', `${material.code} is a variant template; produce one of its variants`));
  if (input.plannedFinish < input.plannedStart) errors.push(fieldError('plannedFinish', 'FINISH_BEFORE_START', `must not be before plannedStart ${input.plannedStart}`));
  if (!material) return undefined;
  const unit = input.unit ?? material.productionUnit;
  const base = (await UnitConverter.load(tx, tenantId)).toBase(material, input.quantity, unit, '', errors);
  if (base && !base.gt(0)) errors.push(fieldError('quantity', 'NOT_POSITIVE', 'must be greater than 0'));

  let bomVersionId = input.bomVersionId ?? null;
  if (bomVersionId) {
    const v = (await engineering.describeVersions(tx, tenantId, 'bom', [bomVersionId])).get(bomVersionId);
    if (!v || v.material_id !== material.id || v.label !== 'manufacturing') errors.push(fieldError('bomVersionId', 'NOT_THIS_BOM', `not a version of the manufacturing BOM of ${material.code}`));
    else if (v.status === 'draft') errors.push(fieldError('bomVersionId', 'BOM_NOT_RELEASED', `revision ${v.revision} is a draft`));
  } else if (!input.rework) {
    bomVersionId = (await bomRepo.effectiveVersion(tx, tenantId, material.id, 'manufacturing', input.plannedStart))?.id ?? null;
  }

  let routingVersionId = input.routingVersionId ?? null;
  if (routingVersionId) {
    const v = (await engineering.describeVersions(tx, tenantId, 'routing', [routingVersionId])).get(routingVersionId);
    if (!v) errors.push(fieldError('routingVersionId', 'UNKNOWN_ROUTING', `no routing version ${routingVersionId}`));
    else if (v.status === 'draft') errors.push(fieldError('routingVersionId', 'ROUTING_NOT_RELEASED', `routing ${v.label} revision ${v.revision} is a draft`));
  } else if (material.production.defaultRouting && !input.rework) {
    routingVersionId = (await effectiveRouting(tx, tenantId, material.production.defaultRouting, input.plannedStart))?.id ?? null;
  }

  let workshopId: string | null = null;
  if (input.workshopId || input.workshopCode) {
    const [w] = await plant.findWorkshops(tx, tenantId, input.workshopId ? [input.workshopId] : [], input.workshopId ? [] : [input.workshopCode!]);
    if (!w) errors.push(fieldError(input.workshopId ? 'workshopId' : 'workshopCode', 'UNKNOWN_WORKSHOP', `no workshop ${input.workshopId ?? input.workshopCode}`));
    else if (w.status === 'blocked') errors.push(fieldError('workshopId', 'WORKSHOP_BLOCKED', `workshop ${w.code} is blocked`));
    workshopId = w?.id ?? null;
  } else if (routingVersionId && !errors.some((e) => e.field === 'routingVersionId')) {
    workshopId = (await getRouting(tx, tenantId, routingVersionId)).operations[0]?.workshopId ?? null;
  }

  let lineId: string | null = null;
  if (input.lineId || input.lineCode) {
    const [l] = await plant.findLines(tx, tenantId, input.lineId ? [input.lineId] : [], input.lineId ? [] : [input.lineCode!]);
    const field = input.lineId ? 'lineId' : 'lineCode';
    if (!l) errors.push(fieldError(field, 'UNKNOWN_LINE', `no line ${input.lineId ?? input.lineCode}`));
    else if (workshopId && l.workshopId !== workshopId) errors.push(fieldError(field, 'LINE_NOT_IN_WORKSHOP', `line ${l.code} is in workshop ${l.workshopCode}`));
    else workshopId ??= l.workshopId;
    lineId = l?.id ?? null;
  }
  if (!base || !base.gt(0)) return undefined;
  return {
    material, quantity: formatQty(qty(input.quantity)), unit, base, bomVersionId, routingVersionId, workshopId, lineId,
    plannedStart: input.plannedStart, plannedFinish: input.plannedFinish,
  };
}

/** The sales order line an order is made for: it must be on an approved or in-delivery order. */
async function resolveSalesLine(tx: Sql, tenantId: string, lineId: string, errors: FieldError[]) {
  const line = (await orderLineRefs(tx, tenantId, [lineId])).get(lineId);
  if (!line) return errors.push(fieldError('salesOrderLineId', 'UNKNOWN_SALES_ORDER_LINE', `no sales order line ${lineId}`)), undefined;
  if (line.status !== 'approved' && line.status !== 'in_delivery') return errors.push(fieldError('salesOrderLineId', 'SALES_ORDER_NOT_OPEN', `sales order ${line.docNo} is ${line.status}`)), undefined;
  return line;
}

function emit(tx: Sql, tenantId: string, o: ProductionOrderSummary, what: string, extra: Record<string, unknown> = {}): void {
  recordEvent(tx, {
    tenantId, type: `production_order.${what}`, aggregateType: 'production_order', aggregateId: o.id,
    payload: {
      id: o.id, docNo: o.docNo, status: o.status, version: o.version, materialId: o.materialId, materialCode: o.materialCode, quantity: o.baseQuantity,
      workshopId: o.workshopId, workshopCode: o.workshopCode, lineId: o.lineId, plannedStart: o.plannedStart, plannedFinish: o.plannedFinish, ...extra,
    },
  });
}

// ---------------------------------------------------------------- create and change

export async function createOrder(tx: Sql, who: Who, input: CreateProductionOrderInput): Promise<ProductionOrder> {
  const errors: FieldError[] = [];
  const plan = await resolvePlan(tx, who.tenantId, input, errors);
  const salesLine = input.salesOrderLineId ? await resolveSalesLine(tx, who.tenantId, input.salesOrderLineId, errors) : undefined;
  const source = input.source ?? (input.salesOrderLineId ? 'sales_demand' : 'manual');
  if (source === 'sales_demand' && !input.salesOrderLineId) errors.push(fieldError('salesOrderLineId', 'REQUIRED', 'an order for sales demand names the sales order line it is made for'));
  if (salesLine && input.mtoNo) errors.push(fieldError('mtoNo', 'NOT_ALLOWED', `the MTO number is the sales order's, ${salesLine.docNo}`));
  refuseIfAny(errors, 'PRODUCTION_ORDER_INVALID', 'the production order cannot be saved as given');
  const id = randomUUID();
  await repo.insertOrder(tx, who.tenantId, {
    id, doc_no: `~${id}`, material_id: plan!.material.id, quantity: plan!.quantity, unit: plan!.unit, base_quantity: formatQty(plan!.base),
    bom_version_id: plan!.bomVersionId, routing_version_id: plan!.routingVersionId, workshop_id: plan!.workshopId, line_id: plan!.lineId,
    planned_start: plan!.plannedStart, planned_finish: plan!.plannedFinish, due_date: input.dueDate ?? salesLine?.deliveryDate ?? null, source,
    source_ref: input.sourceRef ?? null, sales_order_line_id: salesLine?.id ?? null, sales_order_id: salesLine?.orderId ?? null,
    sales_order_line_no: salesLine?.lineNo ?? null, mto_no: salesLine?.docNo ?? input.mtoNo ?? null, priority: input.priority ?? 5,
    include_optional: input.includeOptional ?? false, remark: input.remark ?? '', created_by: who.actor, created_by_user: who.userId,
  });
  const docNo = await numberLast(tx, who.tenantId, 'production_orders', id, 'production_order', 'MO{yyyy}{mm}{dd}-{seq:4}', 'Production order numbers');
  const order = await getOrder(tx, who.tenantId, id);
  emit(tx, who.tenantId, { ...order, docNo }, 'created', { source });
  return order;
}

async function locked(tx: Sql, tenantId: string, id: string, version: number): Promise<repo.OrderRow> {
  const row = await repo.findOrder(tx, tenantId, id, true);
  if (!row) throw notFound('production order', id);
  assertVersion(row, version, label(row));
  return row;
}

const PLANNED_ONLY = ['quantity', 'unit', 'bomVersionId', 'routingVersionId', 'workshopId', 'includeOptional'] as const;

/**
 * While planned everything but the product changes; a change to an approved order withdraws the
 * approval (remark and priority aside). Once released, dates, line, due date, priority and remark
 * change (scheduling and dispatching do); completed, closed and cancelled orders do not.
 */
export async function updateOrder(tx: Sql, who: Who, id: string, input: UpdateProductionOrderInput): Promise<ProductionOrder> {
  const row = await locked(tx, who.tenantId, id, input.version);
  if (!['planned', 'released', 'in_progress'].includes(row.status)) throw conflict('ORDER_NOT_CHANGEABLE', `${label(row)} is ${row.status}`, { documentStatus: row.status });
  const errors: FieldError[] = [];
  if (row.status !== 'planned') {
    for (const f of PLANNED_ONLY) if (input[f] !== undefined) errors.push(fieldError(f, 'FIXED_AFTER_RELEASE', `${label(row)} is ${row.status}: its ${f} no longer changes`));
  }
  const plan = await resolvePlan(tx, who.tenantId, {
    materialId: row.material_id, quantity: input.quantity ?? row.quantity, unit: input.unit ?? row.unit,
    bomVersionId: input.bomVersionId ?? row.bom_version_id ?? undefined, routingVersionId: input.routingVersionId ?? row.routing_version_id ?? undefined,
    workshopId: input.workshopId ?? row.workshop_id ?? undefined, lineId: input.lineId === undefined ? row.line_id : input.lineId,
    plannedStart: input.plannedStart ?? row.planned_start, plannedFinish: input.plannedFinish ?? row.planned_finish, rework: row.source === 'rework',
  }, errors);
  refuseIfAny(errors, 'PRODUCTION_ORDER_INVALID', 'the change cannot be made as given');
  const substantive = Object.keys(input).some((k) => !['version', 'remark', 'priority'].includes(k));
  const withdraw = row.status === 'planned' && row.approved_at !== null && substantive;
  await repo.updateOrder(tx, who.tenantId, id, {
    quantity: plan!.quantity, unit: plan!.unit, base_quantity: formatQty(plan!.base), bom_version_id: plan!.bomVersionId, routing_version_id: plan!.routingVersionId,
    workshop_id: plan!.workshopId, line_id: plan!.lineId, planned_start: plan!.plannedStart, planned_finish: plan!.plannedFinish,
    due_date: input.dueDate === undefined ? row.due_date : input.dueDate, priority: input.priority ?? row.priority,
    include_optional: input.includeOptional ?? row.include_optional, remark: input.remark ?? row.remark,
    ...(withdraw ? { approved_by: null, approved_at: null } : {}),
  });
  const order = await getOrder(tx, who.tenantId, id);
  emit(tx, who.tenantId, order, 'changed', { approvalWithdrawn: withdraw });
  return order;
}

// ---------------------------------------------------------------- the life cycle

function assertStatus(row: repo.OrderRow, allowed: OrderStatus[], code: string, what: string): void {
  if (!allowed.includes(row.status)) throw conflict(code, `${label(row)} is ${row.status}; ${what}`, { documentStatus: row.status });
}

/** The business review (S1-5.1.5): production:approve, and not one's own order where the tenant forbids it. */
export async function approveOrder(tx: Sql, who: Who, id: string, version: number): Promise<ProductionOrder> {
  const row = await locked(tx, who.tenantId, id, version);
  assertStatus(row, ['planned'], 'ORDER_NOT_PLANNED', 'only a planned order is approved');
  if (row.approved_at) throw conflict('ORDER_ALREADY_APPROVED', `${label(row)} was approved by ${row.approved_by}`, { documentStatus: row.status });
  await assertMayApprove(tx, who.principal, row.created_by_user, label(row));
  await repo.updateOrder(tx, who.tenantId, id, { approved_by: who.actor, approved_at: new Date() });
  const order = await getOrder(tx, who.tenantId, id);
  emit(tx, who.tenantId, order, 'approved', { approvedBy: who.actor });
  return order;
}

/** What release checks and resolves: versions in effect at the planned start, and where each component is consumed. */
async function releasePlan(tx: Sql, tenantId: string, row: repo.OrderRow, material: Material) {
  const errors: FieldError[] = [];
  if (!row.workshop_id) errors.push(fieldError('workshopId', 'REQUIRED', 'a released order is made in a workshop: set it first'));
  if (material.status === 'blocked') errors.push(fieldError('materialId', 'MATERIAL_BLOCKED', `material ${material.code} is blocked`));
  const inEffect = (v: engineering.VersionInfo | undefined) => !!v && v.effective_from <= row.planned_start && (!v.effective_to || v.effective_to > row.planned_start);

  let bomVersionId = row.bom_version_id;
  // A rework order reworks the product: no BOM unless one was named on it, and the operations it was
  // made with (the original order's from the failing one on, rework.ts): its routing is not looked up or checked again.
  const rework = row.source === 'rework';
  if (!bomVersionId && !rework && (await bomRepo.hasBom(tx, tenantId, material.id, 'manufacturing'))) {
    bomVersionId = (await bomRepo.effectiveVersion(tx, tenantId, material.id, 'manufacturing', row.planned_start))?.id ?? null;
    if (!bomVersionId) errors.push(fieldError('bomVersionId', 'NO_EFFECTIVE_BOM', `no manufacturing BOM of ${material.code} is released and in effect on ${row.planned_start}`));
  } else if (bomVersionId) {
    const v = (await engineering.describeVersions(tx, tenantId, 'bom', [bomVersionId])).get(bomVersionId);
    if (v?.status === 'draft') errors.push(fieldError('bomVersionId', 'BOM_NOT_RELEASED', `BOM revision ${v.revision} is a draft`));
    else if (!inEffect(v)) errors.push(fieldError('bomVersionId', 'BOM_NOT_EFFECTIVE', `BOM revision ${v?.revision} is not in effect on ${row.planned_start}`));
  }

  let routingVersionId = row.routing_version_id;
  if (!routingVersionId && !rework && material.production.defaultRouting) {
    routingVersionId = (await effectiveRouting(tx, tenantId, material.production.defaultRouting, row.planned_start))?.id ?? null;
    if (!routingVersionId) errors.push(fieldError('routingVersionId', 'NO_EFFECTIVE_ROUTING', `routing ${material.production.defaultRouting} has no released revision in effect on ${row.planned_start}`));
  } else if (routingVersionId && !rework) {
    const v = (await engineering.describeVersions(tx, tenantId, 'routing', [routingVersionId])).get(routingVersionId);
    if (v?.status === 'draft') errors.push(fieldError('routingVersionId', 'ROUTING_NOT_RELEASED', `routing revision ${v.revision} is a draft`));
    else if (!inEffect(v)) errors.push(fieldError('routingVersionId', 'ROUTING_NOT_EFFECTIVE', `routing ${v?.label} revision ${v?.revision} is not in effect on ${row.planned_start}`));
  }

  const routing = routingVersionId && !rework && !errors.some((e) => e.field === 'routingVersionId') ? await getRouting(tx, tenantId, routingVersionId) : undefined;
  const requirements = bomVersionId && !errors.some((e) => e.field === 'bomVersionId')
    ? await requirementsOf(tx, tenantId, { bomVersionId, materialId: material.id, date: row.planned_start, quantity: qty(row.base_quantity), includeOptional: row.include_optional })
    : [];
  const seqs = new Set(routing?.operations.map((o) => o.seq));
  const components = requirements.map((r, i) => {
    const at = r.operationSeq ?? routing?.operations[0]?.seq ?? null;
    const where = `${r.materialCode} (BOM line ${r.bomLineNo}${r.viaPhantoms.length ? ` via ${r.viaPhantoms.join(' → ')}` : ''})`;
    if (routing && at !== null && !seqs.has(at)) errors.push(fieldError('components', 'OPERATION_NOT_IN_ROUTING', `${where} is consumed at operation ${at}, which routing ${routing.code} revision ${routing.revision} does not have`));
    if (!routing && r.issueType === 'backflush_operation') errors.push(fieldError('components', 'BACKFLUSH_NEEDS_OPERATION', `${where} is backflushed by operation, but the order has no routing`));
    return { ...r, lineNo: i + 1, operationSeq: routing ? at : null };
  });
  return { errors, bomVersionId, routingVersionId, routing, components };
}

/**
 * Releases a planned order (approved first where the tenant asks for it): the order gets its own
 * operations (from the routing version; a rework order has had its own since it was made) and component requirements (from the BOM version,
 * exploded through phantoms as of the planned start).
 */
export async function releaseOrder(tx: Sql, who: Who, id: string, version: number): Promise<ProductionOrder> {
  const row = await locked(tx, who.tenantId, id, version);
  assertStatus(row, ['planned'], 'ORDER_NOT_RELEASABLE', 'only a planned order is released');
  if ((await getSettings(tx, who.tenantId)).productionOrderApproval && !row.approved_at) {
    throw conflict('ORDER_NOT_APPROVED', `${label(row)} needs approval (production:approve) before it is released`, { documentStatus: row.status });
  }
  const material = (await materialsById(tx, who.tenantId, [row.material_id])).get(row.material_id)!;
  const plan = await releasePlan(tx, who.tenantId, row, material);
  if (plan.errors.length) throw unprocessable('ORDER_NOT_RELEASABLE', `${label(row)} cannot be released as it stands; nothing was changed`, plan.errors);
  const quantity = qty(row.base_quantity);
  await repo.insertOperations(tx, who.tenantId, id, (plan.routing?.operations ?? []).map((o) => ({
    seq: o.seq, name: o.name, description: o.description, workCentreId: o.workCentreId, setupMinutes: o.setupMinutes, runMinutes: o.runMinutes,
    queueMinutes: o.queueMinutes, moveMinutes: o.moveMinutes, plannedMinutes: formatQty(qty(o.setupMinutes).plus(qty(o.runMinutes).mul(quantity))),
    inspectionPoint: o.inspectionPoint, inspectionText: o.inspectionText, inspectionRef: o.inspectionRef, alternates: o.alternates,
  })));
  await repo.insertComponents(tx, who.tenantId, id, plan.components.map((c) => ({
    lineNo: c.lineNo, materialId: c.materialId, operationSeq: c.operationSeq, bomVersionId: c.bomVersionId, bomLineNo: c.bomLineNo, viaPhantoms: c.viaPhantoms,
    perUnit: formatQty(c.perUnit), scrapRate: c.scrapRate, standardQuantity: formatQty(c.standard), requiredQuantity: formatQty(c.required), issueType: c.issueType,
    includeInKitting: c.includeInKitting, optional: c.optional, alternates: c.alternates,
  })));
  await repo.updateOrder(tx, who.tenantId, id, {
    status: 'released', bom_version_id: plan.bomVersionId, routing_version_id: plan.routingVersionId, released_by: who.actor, released_at: new Date(),
  });
  const order = await getOrder(tx, who.tenantId, id);
  emit(tx, who.tenantId, order, 'released', { operations: order.operations.length, components: order.components.length });
  return order;
}

/** A planned order, or a released one nothing has happened on yet (no material out, no work reported, nothing received). */
export async function cancelOrder(tx: Sql, who: Who, id: string, version: number, reason?: string): Promise<ProductionOrder> {
  const row = await locked(tx, who.tenantId, id, version);
  const busy = row.status === 'released' && (await repo.hasActivity(tx, who.tenantId, id));
  if (!['planned', 'released'].includes(row.status) || busy) {
    throw conflict('ORDER_NOT_CANCELLABLE', `${label(row)} is ${row.status}${busy ? ' and has material issued, work reported or goods received' : ''}: only a planned order or a released one nothing happened on is cancelled`, { documentStatus: row.status });
  }
  await repo.updateOrder(tx, who.tenantId, id, { status: 'cancelled', cancelled_at: new Date(), cancel_reason: reason ?? '' });
  const order = await getOrder(tx, who.tenantId, id);
  emit(tx, who.tenantId, order, 'cancelled', { reason: reason ?? '' });
  return order;
}

/** Completes a released or running order by hand (execution completes it when everything is received). */
export async function completeOrder(tx: Sql, who: Who, id: string, version: number): Promise<ProductionOrder> {
  const row = await locked(tx, who.tenantId, id, version);
  assertStatus(row, ['released', 'in_progress'], 'ORDER_NOT_COMPLETABLE', 'only a released or running order is completed');
  await repo.updateOrder(tx, who.tenantId, id, { status: 'completed', completed_at: new Date() });
  const order = await getOrder(tx, who.tenantId, id);
  emit(tx, who.tenantId, order, 'completed', { received: order.received });
  return order;
}

/** Closes a completed order: nothing is booked against it any more. */
export async function closeOrder(tx: Sql, who: Who, id: string, version: number): Promise<ProductionOrder> {
  const row = await locked(tx, who.tenantId, id, version);
  assertStatus(row, ['completed'], 'ORDER_NOT_CLOSABLE', 'only a completed order is closed');
  await repo.updateOrder(tx, who.tenantId, id, { status: 'closed', closed_at: new Date() });
  const order = await getOrder(tx, who.tenantId, id);
  emit(tx, who.tenantId, order, 'closed');
  return order;
}

// ---------------------------------------------------------------- for execution

/**
 * The order row under its lock, for execution's postings (issues, reports, receipts): every
 * writer of an order's quantities takes this lock first, then the component or operation rows.
 */
export async function lockOrder(tx: Sql, tenantId: string, id: string): Promise<repo.OrderRow> {
  const row = await repo.findOrder(tx, tenantId, id, true);
  if (!row) throw notFound('production order', id);
  return row;
}

/** The first shop-floor activity starts a released order (the caller holds its lock); a running one stays as it is. */
export async function markInProgress(tx: Sql, who: Who, row: repo.OrderRow): Promise<void> {
  if (row.status === 'in_progress') return;
  assertStatus(row, ['released'], 'ORDER_NOT_RELEASED', 'work is booked against released orders only');
  await repo.updateOrder(tx, who.tenantId, row.id, { status: 'in_progress', started_at: new Date() });
  const [order] = await present(tx, who.tenantId, [(await repo.findOrder(tx, who.tenantId, row.id))!]);
  emit(tx, who.tenantId, order, 'started');
}

/** Everything the order asked for is received: a running order completes (the caller holds its lock). */
export async function markCompleted(tx: Sql, who: Who, id: string): Promise<void> {
  const row = (await repo.findOrder(tx, who.tenantId, id))!;
  if (row.status !== 'in_progress') return;
  await repo.updateOrder(tx, who.tenantId, id, { status: 'completed', completed_at: new Date() });
  const [order] = await present(tx, who.tenantId, [(await repo.findOrder(tx, who.tenantId, id))!]);
  emit(tx, who.tenantId, order, 'completed', { received: order.received, by: 'receipt' });
}

export type { OperationRef } from './order-repo.js';

/** Where production places a shop-floor reference: operation key and name, line code and name (nulls when none). */
export interface OperationPlace extends repo.OperationRef { operationKey: string | null; operationName: string | null; lineCode: string | null; lineName: string | null }

/**
 * Where on the shop floor each reference is (for quality's defect Pareto): the operation's key
 * (routing code/seq) and name, and the order's line, else the operation's work centre's line.
 * Nulls where there is none; references to unknown orders are left out.
 */
export async function operationsAt(tx: Sql, tenantId: string, refs: repo.OperationRef[]): Promise<OperationPlace[]> {
  const rows = refs.length ? await repo.operationsAt(tx, tenantId, refs) : [];
  const centres = new Map((await plant.findWorkCentres(tx, tenantId, rows.flatMap((r) => r.work_centre_id ?? []), [])).map((w) => [w.id, w.lineId]));
  const lineOf = (r: repo.OperationAt) => r.order_line_id ?? (r.work_centre_id ? centres.get(r.work_centre_id) : null) ?? null;
  const lines = new Map((await plant.findLines(tx, tenantId, rows.flatMap((r) => lineOf(r) ?? []))).map((l) => [l.id, l]));
  return rows.map((r) => {
    const line = lines.get(lineOf(r) ?? '');
    return {
      orderId: r.orderId, seq: r.seq, inspectionRef: r.inspectionRef,
      operationKey: r.routing_code !== null && r.op_seq !== null ? `${r.routing_code}/${r.op_seq}` : null, operationName: r.op_name,
      lineCode: line?.code ?? null, lineName: line?.name ?? null,
    };
  });
}
