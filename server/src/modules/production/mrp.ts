/**
 * The MRP engine (S1-5.4.4-k, S1-5.4.1-f): a pure function of what a run read. Materials are
 * planned level by level (low-level codes: a material is planned after every parent that may
 * need it), each netted once: gross demand − on hand − open supply + safety stock. What is left is
 * covered by planned orders sized by the material's lot-sizing rule and offset by its lead time;
 * a made material's planned orders explode one level (phantoms blown through) into dependent
 * demand of their components, dated at the order's start. Demand of one day is covered together
 * (lot for lot: one planned order per material and day); a planned order carries the MTO number
 * when everything it covers is one sales order's. Every planned order is pegged to the
 * demand elements it covers, and every dependent demand names the planned order it comes from,
 * so a purchase suggestion for steel traces back to the sales order line of the fan.
 *
 * Everything is ordered by stable keys (level, material code, date, source, reference), so the
 * same inputs give the same planned orders, line numbers and pegs.
 */
import { Decimal } from 'decimal.js';
import { qty, roundTo, type Qty } from '../../platform/quantity.js';

export type Procurement = 'make' | 'buy';
export type LotSizing = 'lot_for_lot' | 'fixed' | 'min_multiple';
export type DemandSource = 'sales_order_line' | 'task' | 'safety_stock' | 'production_order' | 'planned_order';

export interface PlanningMaterial {
  id: string;
  code: string;
  decimals: number;
  procurement: Procurement;
  leadTimeDays: number;
  lotSizing: LotSizing;
  fixedLot: Qty | null;
  minLot: Qty | null;
  lotMultiple: Qty | null;
  supplierId: string | null;
}

/** One line of a BOM in effect, per base unit of the parent, scrap included. */
export interface StructureLine { componentId: string; perUnit: Qty; phantom: boolean }

export interface DemandInput {
  materialId: string;
  dueDate: string;
  quantity: Qty;
  source: Exclude<DemandSource, 'safety_stock' | 'planned_order'>;
  sourceId: string | null;
  sourceRef: string;
  mtoNo: string | null;
}

/** Production orders not yet released: supply of their product, and their components are demand. */
export interface OpenOrderInput { materialId: string; quantity: Qty; startDate: string; docNo: string; id: string; mtoNo: string | null }

export interface PlanInput {
  asOf: string;
  materials: Map<string, PlanningMaterial>;
  structure: Map<string, StructureLine[]>;
  onHand: Map<string, Qty>;
  openSupply: Map<string, Qty>;
  safetyStock: Map<string, Qty>;
  demands: DemandInput[];
  plannedProductionOrders: OpenOrderInput[];
}

export interface Demand extends Omit<DemandInput, 'source'> { seq: number; source: DemandSource; parentLine: number | null }
export interface PlannedOrder {
  lineNo: number;
  materialId: string;
  kind: Procurement;
  level: number;
  quantity: Qty;
  startDate: string;
  dueDate: string;
  late: boolean;
  mtoNo: string | null;
  salesOrderLineId: string | null;
  supplierId: string | null;
}
export interface Peg { lineNo: number; demandSeq: number; quantity: Qty }
export interface Netting { materialId: string; level: number; procurement: Procurement; gross: Qty; onHand: Qty; openSupply: Qty; safetyStock: Qty; net: Qty; planned: Qty }
export interface PlanResult { demands: Demand[]; planned: PlannedOrder[]; pegs: Peg[]; netting: Netting[] }

const ZERO = qty(0);
const SOURCE_RANK: Record<DemandSource, number> = { safety_stock: 0, sales_order_line: 1, task: 2, production_order: 3, planned_order: 4 };

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A parent's lines with phantoms blown through: a phantom's own lines take its place, multiplied
 * by its usage. A phantom without a BOM in effect stays a component (it is then bought or made).
 */
export function blowThrough(structure: Map<string, StructureLine[]>, parentId: string, seen: string[] = []): { componentId: string; perUnit: Qty }[] {
  const out: { componentId: string; perUnit: Qty }[] = [];
  for (const l of structure.get(parentId) ?? []) {
    const below = l.phantom && !seen.includes(l.componentId) ? structure.get(l.componentId) : undefined;
    if (below?.length) {
      for (const c of blowThrough(structure, l.componentId, [...seen, parentId])) out.push({ componentId: c.componentId, perUnit: c.perUnit.mul(l.perUnit) });
    } else out.push({ componentId: l.componentId, perUnit: l.perUnit });
  }
  return out;
}

/** Low-level codes: the longest path from any top-level product, over the blown-through structure. */
function lowLevelCodes(ids: string[], edges: Map<string, { componentId: string }[]>): Map<string, number> {
  const level = new Map(ids.map((id) => [id, 0]));
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const lines of edges.values()) for (const l of lines) indegree.set(l.componentId, (indegree.get(l.componentId) ?? 0) + 1);
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (let i = 0; i < queue.length; i++) {
    const p = queue[i];
    for (const l of edges.get(p) ?? []) {
      level.set(l.componentId, Math.max(level.get(l.componentId) ?? 0, level.get(p)! + 1));
      const n = indegree.get(l.componentId)! - 1;
      indegree.set(l.componentId, n);
      if (n === 0) queue.push(l.componentId);
    }
  }
  return level;
}

function lotsFor(m: PlanningMaterial, need: Qty): Qty[] {
  const up = (q: Qty) => roundTo(q, m.decimals, 'up');
  if (m.lotSizing === 'fixed' && m.fixedLot) {
    const n = need.div(m.fixedLot).toDecimalPlaces(0, Decimal.ROUND_UP).toNumber();
    return Array.from({ length: n }, () => m.fixedLot!);
  }
  let q = up(need);
  if (m.lotSizing === 'min_multiple') {
    if (m.minLot && q.lt(m.minLot)) q = m.minLot;
    if (m.lotMultiple) q = q.div(m.lotMultiple).toDecimalPlaces(0, Decimal.ROUND_UP).mul(m.lotMultiple);
  }
  return [q];
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function plan(input: PlanInput): PlanResult {
  const ids = [...input.materials.keys()];
  const exploded = new Map<string, { componentId: string; perUnit: Qty }[]>();
  for (const id of ids) {
    const lines = blowThrough(input.structure, id).filter((l) => input.materials.has(l.componentId));
    if (lines.length) exploded.set(id, lines);
  }
  const levels = lowLevelCodes(ids, exploded);
  const demands: Demand[] = [];
  const byMaterial = new Map<string, Demand[]>();
  const addDemand = (d: Omit<Demand, 'seq'>) => {
    const row = { ...d, seq: demands.length + 1 };
    demands.push(row);
    const list = byMaterial.get(d.materialId) ?? [];
    list.push(row);
    byMaterial.set(d.materialId, list);
  };
  for (const d of input.demands) if (input.materials.has(d.materialId)) addDemand({ ...d, parentLine: null });
  for (const o of input.plannedProductionOrders) {
    for (const c of exploded.get(o.materialId) ?? []) {
      addDemand({ materialId: c.componentId, dueDate: o.startDate, quantity: o.quantity.mul(c.perUnit), source: 'production_order', sourceId: o.id, sourceRef: o.docNo, mtoNo: o.mtoNo, parentLine: null });
    }
  }
  for (const [id, s] of input.safetyStock) {
    if (s.gt(0) && input.materials.has(id)) addDemand({ materialId: id, dueDate: input.asOf, quantity: s, source: 'safety_stock', sourceId: null, sourceRef: 'safety stock', mtoNo: null, parentLine: null });
  }

  const order = [...ids].sort((a, b) => levels.get(a)! - levels.get(b)! || compareText(input.materials.get(a)!.code, input.materials.get(b)!.code));
  const planned: PlannedOrder[] = [];
  const pegs: Peg[] = [];
  const netting: Netting[] = [];
  for (const id of order) {
    const m = input.materials.get(id)!;
    const own = byMaterial.get(id) ?? [];
    const onHand = input.onHand.get(id) ?? ZERO;
    const openSupply = input.openSupply.get(id) ?? ZERO;
    if (!own.length && onHand.isZero() && openSupply.isZero()) continue;
    own.sort((a, b) => compareText(a.dueDate, b.dueDate) || compareText(a.mtoNo ?? '', b.mtoNo ?? '') || SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || compareText(a.sourceRef, b.sourceRef) || a.seq - b.seq);
    let available = Decimal.max(onHand.plus(openSupply), ZERO);
    let gross = ZERO;
    let net = ZERO;
    let made = ZERO;
    const level = levels.get(id)!;
    const surplus: { lineNo: number; quantity: Qty }[] = [];
    for (let i = 0; i < own.length;) {
      // A bucket: the demand of one day.
      let j = i;
      while (j < own.length && own[j].dueDate === own[i].dueDate) j++;
      const bucket = own.slice(i, j);
      i = j;
      const open: { d: Demand; rest: Qty }[] = [];
      for (const d of bucket) {
        if (d.source !== 'safety_stock') gross = gross.plus(d.quantity);
        const fromStock = Decimal.min(available, d.quantity);
        available = available.minus(fromStock);
        let rest = d.quantity.minus(fromStock);
        if (rest.gt(0)) net = net.plus(rest);
        while (rest.gt(0) && surplus.length) {
          const s = surplus[0];
          const take = Decimal.min(s.quantity, rest);
          pegs.push({ lineNo: s.lineNo, demandSeq: d.seq, quantity: take });
          s.quantity = s.quantity.minus(take);
          rest = rest.minus(take);
          if (s.quantity.isZero()) surplus.shift();
        }
        if (rest.gt(0)) open.push({ d, rest });
      }
      if (!open.length) continue;
      const need = open.reduce((s, o) => s.plus(o.rest), ZERO);
      const dueDate = bucket[0].dueDate;
      const startDate = addDays(dueDate, -m.leadTimeDays);
      // Made to order when all it covers is one order's (one sales order line's) demand.
      const mtoNos = new Set(open.map((o) => o.d.mtoNo));
      const mtoNo = mtoNos.size === 1 ? [...mtoNos][0] : null;
      const salesLines = new Set(open.map((o) => (o.d.source === 'sales_order_line' ? o.d.sourceId : null)));
      const salesOrderLineId = salesLines.size === 1 ? [...salesLines][0] : null;
      for (const q of lotsFor(m, need)) {
        const p: PlannedOrder = {
          lineNo: planned.length + 1, materialId: id, kind: m.procurement, level, quantity: q, startDate, dueDate, late: startDate < input.asOf,
          mtoNo, salesOrderLineId, supplierId: m.procurement === 'buy' ? m.supplierId : null,
        };
        planned.push(p);
        made = made.plus(q);
        let left = q;
        while (left.gt(0) && open.length) {
          const o = open[0];
          const take = Decimal.min(o.rest, left);
          pegs.push({ lineNo: p.lineNo, demandSeq: o.d.seq, quantity: take });
          o.rest = o.rest.minus(take);
          left = left.minus(take);
          if (o.rest.isZero()) open.shift();
        }
        if (left.gt(0)) surplus.push({ lineNo: p.lineNo, quantity: left });
        if (m.procurement === 'make') {
          for (const c of exploded.get(id) ?? []) {
            addDemand({ materialId: c.componentId, dueDate: startDate, quantity: q.mul(c.perUnit), source: 'planned_order', sourceId: null, sourceRef: `${m.code} #${p.lineNo}`, mtoNo: p.mtoNo, parentLine: p.lineNo });
          }
        }
      }
    }
    netting.push({ materialId: id, level, procurement: m.procurement, gross, onHand, openSupply, safetyStock: input.safetyStock.get(id) ?? ZERO, net, planned: made });
  }
  return { demands, planned, pegs, netting };
}

/** Open supply with its date: a purchase order line's need date, an open production order's planned finish. */
export interface DatedSupply { materialId: string; date: string; quantity: Qty; kind: 'purchase_order' | 'production_order'; ref: string }

/**
 * A reschedule message: supply that arrives after the first need it covers comes in to that day;
 * supply all of whose needs come later than it goes out to the first of them.
 */
export interface RescheduleMessage {
  materialId: string;
  action: 'reschedule_in' | 'reschedule_out';
  supplyKind: DatedSupply['kind'];
  supplyRef: string;
  supplyDate: string;
  neededBy: string;
  /** The demand the new date is pegged to (its reference: sales order/line, task, planned order). */
  demandRef: string;
  quantity: Qty;
}

/** What one supply element covers in the walk: its first need, and how much of it is needed before it comes. */
interface Cover { first: Demand; early: Qty }

/**
 * Reschedule messages: per material, the run's demands (safety stock aside) in date order are
 * covered from on hand and undated supply first, then from dated supply in date order. A supply
 * element that covers a need due before its own date gets one `reschedule_in` with the earliest
 * such need and how much of it is needed early; one whose every covered need is due after its
 * date gets one `reschedule_out` to its first need, for its whole quantity (the element moves).
 * Supply that covers no need is left alone (it may be holding safety stock). Netting is unchanged:
 * open supply counts whatever its date, as it always did; the messages say which of it is mistimed.
 */
export function rescheduleMessages(available: Map<string, Qty>, supplies: DatedSupply[], demands: Demand[]): RescheduleMessage[] {
  const byMaterial = new Map<string, DatedSupply[]>();
  for (const s of supplies) {
    const list = byMaterial.get(s.materialId);
    if (list) list.push(s);
    else byMaterial.set(s.materialId, [s]);
  }
  // Grouped once: a run has tens of thousands of demands and a material only looks at its own.
  const demandsOf = new Map<string, Demand[]>();
  for (const d of demands) {
    if (!byMaterial.has(d.materialId) || d.source === 'safety_stock') continue;
    const list = demandsOf.get(d.materialId);
    if (list) list.push(d);
    else demandsOf.set(d.materialId, [d]);
  }
  const out: RescheduleMessage[] = [];
  for (const [materialId, list] of [...byMaterial].sort(([a], [b]) => compareText(a, b))) {
    const covers = coverWalk(available.get(materialId) ?? ZERO, list, demandsOf.get(materialId) ?? []);
    for (const s of [...list].sort((a, b) => compareText(a.date, b.date) || compareText(a.ref, b.ref))) {
      const c = covers.get(s);
      if (!c) continue;
      const head = { materialId, supplyKind: s.kind, supplyRef: s.ref, supplyDate: s.date };
      if (c.early.gt(0)) out.push({ ...head, action: 'reschedule_in', neededBy: c.first.dueDate, demandRef: c.first.sourceRef, quantity: c.early });
      else if (c.first.dueDate > s.date) out.push({ ...head, action: 'reschedule_out', neededBy: c.first.dueDate, demandRef: c.first.sourceRef, quantity: s.quantity });
    }
  }
  return out;
}

/** One material's needs in date order against stock, then its dated supply in date order. */
function coverWalk(onHand: Qty, list: DatedSupply[], own: Demand[]): Map<DatedSupply, Cover> {
  const queue = list.map((s) => ({ s, rest: s.quantity })).sort((a, b) => compareText(a.s.date, b.s.date) || compareText(a.s.kind, b.s.kind) || compareText(a.s.ref, b.s.ref));
  const needs = own.sort((a, b) => compareText(a.dueDate, b.dueDate) || a.seq - b.seq);
  let stock = Decimal.max(onHand, ZERO);
  const covers = new Map<DatedSupply, Cover>();
  for (const d of needs) {
    const fromStock = Decimal.min(stock, d.quantity);
    stock = stock.minus(fromStock);
    let rest = d.quantity.minus(fromStock);
    while (rest.gt(0) && queue.length) {
      const q = queue[0];
      const take = Decimal.min(q.rest, rest);
      // Needs come in date order, so the first need an element covers is its earliest.
      const c = covers.get(q.s) ?? { first: d, early: ZERO };
      if (q.s.date > d.dueDate) c.early = c.early.plus(take);
      covers.set(q.s, c);
      q.rest = q.rest.minus(take);
      rest = rest.minus(take);
      if (q.rest.isZero()) queue.shift();
    }
  }
  return covers;
}
