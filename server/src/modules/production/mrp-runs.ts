/**
 * MRP runs (S1-5.4.4-k, S1-5.4.1-f, S1-5.4.2-f): read demand (open sales order lines made to
 * order, tasks entered by hand, safety-stock shortfalls, what open production orders still need),
 * stock, open supply and the structure in effect in a few set-based queries; plan in memory
 * (mrp.ts); record the run with its inputs and results. Planned orders are firmed into production
 * orders through the orders service, purchase suggestions into purchase orders through the
 * purchasing service.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { planningStock } from '../inventory/stock.js';
import { UnitConverter } from '../masterdata/units.js';
import * as purchasing from '../purchasing/service.js';
import { numberLast, openDemandLines } from '../sales/service.js';
import { MaterialRefs, materialsById, refuseIfAny, today, type Who } from './common.js';
import * as repo from './mrp-repo.js';
import type { FirmResult, MaterialPlanning, MrpRun, MrpRunQuery, MrpRunSummary, PutMaterialPlanningInput, RunMrpInput } from './mrp-schema.js';
import { plan, rescheduleMessages, type DatedSupply, type DemandInput, type OpenOrderInput, type PlanningMaterial, type StructureLine } from './mrp.js';
import { createOrder } from './orders.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const addTo = (m: Map<string, Qty>, k: string, q: Qty) => m.set(k, (m.get(k) ?? qty(0)).plus(q));

// ---------------------------------------------------------------- planning parameters

function presentPlanning(r: repo.MaterialPlanningRow): MaterialPlanning {
  return {
    materialId: r.id, materialCode: r.code, baseUnit: r.base_unit, procurement: r.procurement, effectiveProcurement: r.procurement ?? (r.has_bom ? 'make' : 'buy'),
    leadTimeDays: r.lead_time_days, lotSizing: r.lot_sizing, fixedLot: r.fixed_lot, minLot: r.min_lot, lotMultiple: r.lot_multiple, version: r.version ?? 0,
  };
}

export async function getPlanning(tx: Sql, tenantId: string, materialId: string): Promise<MaterialPlanning> {
  const [row] = await repo.planningMaterials(tx, tenantId, today(), [materialId]);
  if (!row) throw notFound('material', materialId);
  return presentPlanning(row);
}

/** Sets a material's planning parameters (version 0 for the first time); fixed needs fixedLot. */
export async function putPlanning(tx: Sql, who: Who, materialId: string, input: PutMaterialPlanningInput): Promise<MaterialPlanning> {
  const current = await getPlanning(tx, who.tenantId, materialId);
  const locked = await repo.lockPlanning(tx, who.tenantId, materialId);
  if ((locked ?? 0) !== input.version) throw conflict('VERSION_CONFLICT', `the planning parameters of ${current.materialCode} are at version ${locked ?? 0}, not ${input.version}`, { currentVersion: locked ?? 0 });
  const next = {
    procurement: input.procurement === undefined ? current.procurement : input.procurement,
    leadTimeDays: input.leadTimeDays === undefined ? current.leadTimeDays : input.leadTimeDays,
    lotSizing: input.lotSizing ?? current.lotSizing,
    fixedLot: input.fixedLot === undefined ? current.fixedLot : input.fixedLot,
    minLot: input.minLot === undefined ? current.minLot : input.minLot,
    lotMultiple: input.lotMultiple === undefined ? current.lotMultiple : input.lotMultiple,
  };
  const errors: FieldError[] = [];
  for (const f of ['fixedLot', 'minLot', 'lotMultiple'] as const) if (next[f] !== null && !qty(next[f]!).gt(0)) errors.push(fieldError(f, 'NOT_POSITIVE', 'must be greater than 0'));
  if (next.lotSizing === 'fixed' && next.fixedLot === null) errors.push(fieldError('fixedLot', 'REQUIRED', 'fixed lot sizing needs the lot size'));
  refuseIfAny(errors, 'PLANNING_INVALID', `the planning parameters of ${current.materialCode} cannot be set as given`);
  await repo.upsertPlanning(tx, who.tenantId, materialId, { ...next, actor: who.actor });
  return getPlanning(tx, who.tenantId, materialId);
}

// ---------------------------------------------------------------- running

interface Loaded {
  materials: Map<string, PlanningMaterial>;
  structure: Map<string, StructureLine[]>;
  onHand: Map<string, Qty>;
  openSupply: Map<string, Qty>;
  safetyStock: Map<string, Qty>;
  demands: DemandInput[];
  plannedProductionOrders: OpenOrderInput[];
  /** Open supply one element at a time with its date, for reschedule messages. */
  datedSupply: DatedSupply[];
}

async function resolveTasks(tx: Sql, tenantId: string, tasks: NonNullable<RunMrpInput['tasks']>): Promise<DemandInput[]> {
  const errors: FieldError[] = [];
  const refs = await MaterialRefs.load(tx, tenantId, tasks);
  const units = await UnitConverter.load(tx, tenantId);
  const out: DemandInput[] = [];
  tasks.forEach((task, i) => {
    const field = `tasks[${i}]`;
    const m = refs.pick(task, field, errors, { activeOnly: true });
    if (!m) return;
    const base = units.toBase(m, task.quantity, task.unit ?? m.baseUnit, field, errors);
    if (base && !base.gt(0)) errors.push(fieldError(`${field}.quantity`, 'NOT_POSITIVE', 'must be greater than 0'));
    if (base?.gt(0)) out.push({ materialId: m.id, dueDate: task.dueDate, quantity: base, source: 'task', sourceId: null, sourceRef: task.reference ?? `task ${i + 1}`, mtoNo: task.mtoNo ?? null });
  });
  refuseIfAny(errors, 'MRP_INPUT_INVALID', 'the MRP run cannot start as asked');
  return out;
}

async function load(tx: Sql, tenantId: string, asOf: string, input: RunMrpInput, tasks: DemandInput[]): Promise<Loaded> {
  const rows = await repo.planningMaterials(tx, tenantId, asOf, null);
  const suppliers = await purchasing.preferredSuppliers(tx, tenantId);
  const materials = new Map<string, PlanningMaterial>(rows.map((r) => {
    const procurement = r.procurement ?? (r.has_bom ? 'make' : 'buy');
    const supplier = procurement === 'buy' ? suppliers.get(r.id) : undefined;
    return [r.id, {
      id: r.id, code: r.code, decimals: r.decimals, procurement, leadTimeDays: r.lead_time_days ?? supplier?.leadTimeDays ?? 0, lotSizing: r.lot_sizing,
      fixedLot: r.fixed_lot ? qty(r.fixed_lot) : null, minLot: r.min_lot ? qty(r.min_lot) : null, lotMultiple: r.lot_multiple ? qty(r.lot_multiple) : null, supplierId: supplier?.supplierId ?? null,
    }];
  }));
  const structure = new Map<string, StructureLine[]>();
  for (const l of await repo.structureInEffect(tx, tenantId, asOf)) {
    const list = structure.get(l.parent_id) ?? [];
    list.push({ componentId: l.component_id, perUnit: qty(l.per_unit), phantom: l.phantom });
    structure.set(l.parent_id, list);
  }
  const stock = await planningStock(tx, tenantId, null);
  const openSupply = new Map<string, Qty>();
  for (const s of await purchasing.openSupply(tx, tenantId, null)) addTo(openSupply, s.materialId, s.quantity);
  const datedSupply: DatedSupply[] = (await purchasing.openSupplyLines(tx, tenantId)).map((l) => ({ materialId: l.materialId, date: l.neededBy, quantity: l.quantity, kind: 'purchase_order' as const, ref: l.ref }));
  const plannedProductionOrders: OpenOrderInput[] = [];
  for (const o of await repo.openProductionOrders(tx, tenantId)) {
    addTo(openSupply, o.material_id, qty(o.open));
    if (qty(o.open).gt(0)) datedSupply.push({ materialId: o.material_id, date: o.planned_finish, quantity: qty(o.open), kind: 'production_order', ref: o.doc_no });
    if (o.status === 'planned') plannedProductionOrders.push({ id: o.id, docNo: o.doc_no, materialId: o.material_id, quantity: qty(o.open), startDate: o.planned_start, mtoNo: o.mto_no });
  }
  const demands: DemandInput[] = [];
  if (input.salesOrders !== false) {
    for (const l of await openDemandLines(tx, tenantId)) {
      demands.push({ materialId: l.materialId, dueDate: l.deliveryDate, quantity: qty(l.open), source: 'sales_order_line', sourceId: l.id, sourceRef: `${l.docNo}/${l.lineNo}`, mtoNo: l.docNo });
    }
  }
  demands.push(...tasks);
  for (const c of await repo.openComponentNeeds(tx, tenantId)) {
    demands.push({ materialId: c.material_id, dueDate: c.planned_start, quantity: qty(c.open), source: 'production_order', sourceId: c.order_id, sourceRef: c.doc_no, mtoNo: c.mto_no });
  }
  return { materials, structure, onHand: stock.onHand, openSupply, safetyStock: input.safetyStock === false ? new Map() : stock.safetyStock, demands, plannedProductionOrders, datedSupply };
}

/** A digest of what the run read, in a canonical order. */
function inputDigest(asOf: string, l: Loaded): string {
  const h = createHash('sha256').update(asOf);
  const sorted = <V>(m: Map<string, V>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [id, m] of sorted(l.materials)) h.update(`m|${id}|${m.procurement}|${m.leadTimeDays}|${m.lotSizing}|${m.fixedLot}|${m.minLot}|${m.lotMultiple}|${m.supplierId}\n`);
  for (const [id, lines] of sorted(l.structure)) for (const x of lines) h.update(`s|${id}|${x.componentId}|${formatQty(x.perUnit)}|${x.phantom}\n`);
  for (const [k, map] of [['h', l.onHand], ['o', l.openSupply], ['z', l.safetyStock]] as const) for (const [id, q] of sorted(map)) h.update(`${k}|${id}|${formatQty(q)}\n`);
  for (const d of l.demands) h.update(`d|${d.materialId}|${d.dueDate}|${formatQty(d.quantity)}|${d.source}|${d.sourceRef}|${d.mtoNo}\n`);
  for (const o of l.plannedProductionOrders) h.update(`p|${o.docNo}|${formatQty(o.quantity)}|${o.startDate}\n`);
  for (const x of l.datedSupply) h.update(`r|${x.materialId}|${x.kind}|${x.ref}|${x.date}|${formatQty(x.quantity)}\n`);
  return h.digest('hex');
}

export async function runMrp(tx: Sql, who: Who, input: RunMrpInput): Promise<MrpRun> {
  const started = performance.now();
  const t = who.tenantId;
  const asOf = input.asOf ?? today();
  const tasks = await resolveTasks(tx, t, input.tasks ?? []);
  const loaded = await load(tx, t, asOf, input, tasks);
  const result = plan({ asOf, ...loaded });
  // What is there without a date: on hand, and open supply with no need date (counted as available now).
  const undated = new Map(loaded.onHand);
  for (const [id, q] of loaded.openSupply) undated.set(id, (undated.get(id) ?? qty(0)).plus(q));
  for (const x of loaded.datedSupply) undated.set(x.materialId, (undated.get(x.materialId) ?? qty(0)).minus(x.quantity));
  const messages = rescheduleMessages(undated, loaded.datedSupply, result.demands).map((m) => ({ ...m, quantity: formatQty(m.quantity) }));
  const digest = createHash('sha256');
  for (const p of result.planned) digest.update(`${p.lineNo}|${p.materialId}|${p.kind}|${p.level}|${formatQty(p.quantity)}|${p.startDate}|${p.dueDate}|${p.mtoNo}|${p.supplierId}\n`);
  for (const g of result.pegs) digest.update(`${g.lineNo}|${g.demandSeq}|${formatQty(g.quantity)}\n`);
  for (const n of result.netting) digest.update(`${n.materialId}|${formatQty(n.net)}|${formatQty(n.planned)}\n`);
  for (const m of messages) digest.update(`r|${m.materialId}|${m.action}|${m.supplyKind}|${m.supplyRef}|${m.neededBy}|${m.demandRef}|${m.quantity}\n`);
  const id = randomUUID();
  await repo.insertRun(tx, t, {
    id, asOf, inputs: { ...input, asOf }, inputDigest: inputDigest(asOf, loaded), resultDigest: digest.digest('hex'), materials: result.netting.length,
    demands: result.demands.length, planned: result.planned.length, durationMs: Math.round(performance.now() - started), actor: who.actor, rescheduleMessages: messages,
  });
  await repo.insertResults(tx, t, id, result);
  const docNo = await numberLast(tx, t, 'mrp_runs', id, 'mrp_run', 'MRP{yyyy}{mm}{dd}-{seq:4}', 'MRP run numbers');
  recordEvent(tx, {
    tenantId: t, type: 'mrp_run.completed', aggregateType: 'mrp_run', aggregateId: id,
    payload: { id, docNo, asOf, planned: result.planned.length, make: result.planned.filter((p) => p.kind === 'make').length, buy: result.planned.filter((p) => p.kind === 'buy').length },
  });
  return getRun(tx, t, id, {});
}

// ---------------------------------------------------------------- reading

function summary(r: repo.RunRow): MrpRunSummary {
  return {
    id: r.id, docNo: r.doc_no, asOf: r.as_of, inputs: r.inputs, inputDigest: r.input_digest, resultDigest: r.result_digest, materialCount: r.material_count,
    demandCount: r.demand_count, plannedCount: r.planned_count, durationMs: r.duration_ms, createdBy: r.created_by, createdAt: r.created_at.toISOString(),
  };
}

export async function listRuns(tx: Sql, tenantId: string, q: { limit: number; after?: [string, string] }): Promise<MrpRunSummary[]> {
  return (await repo.listRuns(tx, tenantId, q)).map(summary);
}

export async function getRun(tx: Sql, tenantId: string, id: string, q: MrpRunQuery): Promise<MrpRun> {
  const run = await repo.findRun(tx, tenantId, id);
  if (!run) throw notFound('MRP run', id);
  const limit = q.limit ?? 500;
  const planned = await repo.plannedOf(tx, tenantId, id, { kind: q.kind, materialId: q.materialId, limit: limit + 1 });
  const shown = planned.slice(0, limit);
  const pegs = await repo.pegsOf(tx, tenantId, id, shown.map((p) => p.line_no));
  const netting = await repo.nettingOf(tx, tenantId, id, q.materialId ?? null, limit);
  const materials = await materialsById(tx, tenantId, [...shown.map((p) => p.material_id), ...netting.map((n) => n.material_id), ...run.reschedule_messages.map((r) => r.materialId)]);
  const m = (id: string) => materials.get(id)!;
  netting.sort((a, b) => a.level - b.level || (m(a.material_id).code < m(b.material_id).code ? -1 : 1));
  return {
    ...summary(run),
    netting: netting.map((n) => ({
      materialId: n.material_id, materialCode: m(n.material_id).code, baseUnit: m(n.material_id).baseUnit, level: n.level, procurement: n.procurement as 'make' | 'buy', gross: n.gross, onHand: n.on_hand,
      openSupply: n.open_supply, safetyStock: n.safety_stock, net: n.net, planned: n.planned,
    })),
    plannedOrders: shown.map((p) => ({
      lineNo: p.line_no, kind: p.kind, materialId: p.material_id, materialCode: m(p.material_id).code, baseUnit: m(p.material_id).baseUnit, level: p.level, quantity: p.quantity, startDate: p.start_date,
      dueDate: p.due_date, late: p.late, mtoNo: p.mto_no, salesOrderLineId: p.sales_order_line_id, supplierId: p.supplier_id, firmedId: p.firmed_id, firmedDocNo: p.firmed_doc_no,
      firmedBy: p.firmed_by, firmedAt: p.firmed_at?.toISOString() ?? null,
      pegs: pegs.filter((g) => g.line_no === p.line_no).map((g) => ({
        demandSeq: g.demand_seq, quantity: g.quantity, dueDate: g.due_date, source: g.source as 'task', sourceId: g.source_id, sourceRef: g.source_ref, mtoNo: g.mto_no, parentLineNo: g.parent_line,
      })),
    })),
    rescheduleMessages: run.reschedule_messages.map((r) => ({ ...r, materialCode: m(r.materialId).code })),
    truncated: planned.length > limit,
  };
}

// ---------------------------------------------------------------- firming (S1-5.4.2-f)

/**
 * Firms planned orders of a run: a make order becomes a planned production order (made to order
 * for its sales order line when it covers one line only), purchase suggestions become one draft
 * purchase order per preferred supplier (demand source production, the run's number as its
 * reference). A planned order is firmed once; all or nothing.
 */
export async function firm(tx: Sql, who: Who, runId: string, lineNos: number[]): Promise<FirmResult> {
  const t = who.tenantId;
  const run = await repo.findRun(tx, t, runId, true);
  if (!run) throw notFound('MRP run', runId);
  const rows = await repo.plannedOf(tx, t, runId, { lineNos, lock: true });
  const byLine = new Map(rows.map((r) => [r.line_no, r]));
  const materials = await materialsById(tx, t, rows.map((r) => r.material_id));
  const code = (r: repo.PlannedRow) => materials.get(r.material_id)!.code;
  const unit = (r: repo.PlannedRow) => materials.get(r.material_id)!.baseUnit;
  const errors: FieldError[] = [];
  lineNos.forEach((n, i) => {
    const r = byLine.get(n);
    if (!r) errors.push(fieldError(`lineNos[${i}]`, 'UNKNOWN_PLANNED_ORDER', `run ${run.doc_no} has no planned order ${n}`));
    else if (r.kind === 'buy' && !r.supplier_id) errors.push(fieldError(`lineNos[${i}]`, 'NO_PREFERRED_SUPPLIER', `${code(r)} has no preferred supplier to order from`));
  });
  refuseIfAny(errors, 'FIRM_INVALID', `planned orders of run ${run.doc_no} cannot be firmed as asked`);
  const done = rows.filter((r) => r.firmed_id);
  if (done.length) throw conflict('PLANNED_ORDER_FIRMED', `planned order ${done.map((r) => `${r.line_no} (${r.firmed_doc_no})`).join(', ')} of run ${run.doc_no} is already firmed`, { documentStatus: 'firmed' });
  const result: FirmResult = { productionOrders: [], purchaseOrders: [] };
  for (const r of rows.filter((x) => x.kind === 'make')) {
    const order = await createOrder(tx, who, {
      materialId: r.material_id, quantity: r.quantity, unit: unit(r), plannedStart: r.start_date, plannedFinish: r.due_date, dueDate: r.due_date,
      source: r.sales_order_line_id ? 'sales_demand' : 'mrp', sourceRef: `${run.doc_no}#${r.line_no}`,
      ...(r.sales_order_line_id ? { salesOrderLineId: r.sales_order_line_id } : r.mto_no ? { mtoNo: r.mto_no } : {}),
    });
    await repo.markFirmed(tx, t, runId, [r.line_no], { id: order.id, docNo: order.docNo, actor: who.actor });
    result.productionOrders.push({ lineNos: [r.line_no], id: order.id, docNo: order.docNo });
  }
  const bySupplier = new Map<string, repo.PlannedRow[]>();
  for (const r of rows.filter((x) => x.kind === 'buy')) bySupplier.set(r.supplier_id!, [...(bySupplier.get(r.supplier_id!) ?? []), r]);
  for (const [supplierId, lines] of [...bySupplier.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const order = await purchasing.createOrder(tx, who, {
      supplierId, demandSource: 'production', demandRef: run.doc_no, remarks: `MRP run ${run.doc_no}: planned orders ${lines.map((l) => l.line_no).join(', ')}`,
      lines: lines.map((l) => ({ materialId: l.material_id, quantity: l.quantity, unit: unit(l), neededBy: l.due_date, ...(l.mto_no ? { mtoNumber: l.mto_no } : {}) })),
    });
    await repo.markFirmed(tx, t, runId, lines.map((l) => l.line_no), { id: order.id, docNo: order.docNo, actor: who.actor });
    result.purchaseOrders.push({ lineNos: lines.map((l) => l.line_no), id: order.id, docNo: order.docNo, supplierId });
  }
  recordEvent(tx, { tenantId: t, type: 'mrp_run.firmed', aggregateType: 'mrp_run', aggregateId: runId, payload: { id: runId, docNo: run.doc_no, ...result } });
  return result;
}
