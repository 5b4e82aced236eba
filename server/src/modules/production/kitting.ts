/**
 * Kitting (齐套, S1-5.4.4-k): for a released order or a set of them, per component that counts for
 * kitting, what is still to be issued against what is there for it: its own allocation, then free
 * stock (ledger balances through the inventory service, less every allocation), taken by the
 * orders in the sequence given. The kit rate, the shortage list, and the earliest date open supply
 * (purchase lines by their needed-by date, production orders by their planned finish) covers the
 * shortages (never before today: supply already overdue counts from today).
 *
 * A component its own stock cannot cover takes its BOM line's alternates (substitutes) by
 * priority, at their usage ratio; the shortage list says what each substitute covers.
 *
 * Allocation is explicit: allocate sets aside what is free for the orders' components. It takes a
 * lock per material before reading stock and allocations, so parallel allocations queue and the
 * allocations of a material never exceed its balance.
 */
import { Decimal } from 'decimal.js';
import type { Sql } from '../../platform/db.js';
import { fieldError, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, roundTo, type Qty } from '../../platform/quantity.js';
import { UnitConverter } from '../masterdata/units.js';
import { planningStock } from '../inventory/stock.js';
import * as purchasing from '../purchasing/service.js';
import { materialsById, refuseIfAny, today, type Who } from './common.js';
import * as repo from './kitting-repo.js';
import type { Kitting } from './mrp-schema.js';

const ZERO = qty(0);
/** Decimals a substitute's equivalent is counted to (as issue counts it). */
const EQUIVALENT_DECIMALS = 6;

async function orderSet(tx: Sql, tenantId: string, orderIds: string[]) {
  const found = new Map((await repo.ordersByIds(tx, tenantId, orderIds)).map((o) => [o.id, o]));
  const errors: FieldError[] = [];
  orderIds.forEach((id, i) => {
    const o = found.get(id);
    if (!o) errors.push(fieldError(`orderIds[${i}]`, 'UNKNOWN_PRODUCTION_ORDER', `no production order ${id}`));
    else if (o.status !== 'released' && o.status !== 'in_progress') errors.push(fieldError(`orderIds[${i}]`, 'ORDER_NOT_RELEASED', `production order ${o.doc_no} is ${o.status}: only released and running orders are kitted`));
  });
  refuseIfAny(errors, 'KITTING_INVALID', 'the orders cannot be kitted as asked');
  return orderIds.map((id) => found.get(id)!);
}

/** Dated supply per material, earliest first; each call takes from it (supply is shared across the set). */
async function supplyOf(tx: Sql, tenantId: string, materialIds: string[]) {
  const lists = new Map<string, { date: string; left: Qty }[]>();
  const add = (m: string, date: string, q: Qty) => lists.set(m, [...(lists.get(m) ?? []), { date, left: q }]);
  for (const s of await purchasing.openSupply(tx, tenantId, materialIds)) if (s.neededBy) add(s.materialId, s.neededBy, s.quantity);
  for (const s of await repo.productionSupply(tx, tenantId, materialIds)) add(s.material_id, s.date, qty(s.quantity));
  for (const l of lists.values()) l.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return (materialId: string, shortage: Qty): string | null => {
    let need = shortage;
    for (const s of lists.get(materialId) ?? []) {
      const take = Decimal.min(s.left, need);
      s.left = s.left.minus(take);
      need = need.minus(take);
      if (need.isZero()) return s.date;
    }
    return null;
  };
}

type Substitute = Kitting['orders'][number]['components'][number]['substitutes'][number];
interface Gap { materialId: string; shortfall: Qty; shortage: Qty; orders: string[]; substitutes: Map<string, { quantity: Qty; covers: Qty; orders: string[] }> }
interface Pools { free: Map<string, Qty>; subAllocated: Map<string, Qty>; decimals: (materialId: string) => number }

/**
 * One component's cover, in the component's base unit: what is allocated to it (its own material,
 * then its substitutes by priority), then free stock of its own material, then free stock of its
 * substitutes by priority. A substitute counts at its usage ratio (per-unit of the component over
 * per-unit of the substitute, as issue counts it) and is taken in whole base units of its own,
 * rounded up. Free stock taken is removed from the pools, so later orders of the set see it gone.
 */
function cover(c: repo.KitComponentRow, p: Pools) {
  const required = qty(c.outstanding);
  const own = Decimal.min(qty(c.allocated), required);
  let rest = required.minus(own);
  const alts = [...c.alternates].sort((x, y) => x.priority - y.priority).map((a) => ({
    materialId: a.materialId, priority: a.priority, perUnit: qty(a.perUnit),
    held: qty(0), fromFree: qty(0), available: p.free.get(a.materialId) ?? ZERO,
  }));
  /** Substitute quantity that covers `need` of the component, in whole base units of the substitute. */
  // Multiplied before divided, so 24 THIRD at 3 a piece for PLATE at 2 is 16 PLATE exactly.
  const subNeed = (a: (typeof alts)[number], need: Qty) => roundTo(need.mul(a.perUnit).div(c.per_unit), p.decimals(a.materialId), 'up');
  const take = (a: (typeof alts)[number], q: Qty) => {
    const covers = Decimal.min(q.mul(c.per_unit).div(a.perUnit).toDecimalPlaces(EQUIVALENT_DECIMALS, Decimal.ROUND_DOWN), rest);
    rest = rest.minus(covers);
    return covers;
  };
  const covers = new Map<string, Qty>();
  for (const a of alts) {
    if (rest.isZero()) break;
    a.held = Decimal.min(p.subAllocated.get(`${c.id}|${a.materialId}`) ?? ZERO, subNeed(a, rest));
    covers.set(a.materialId, take(a, a.held));
  }
  const available = p.free.get(c.material_id)!;
  const fromFree = Decimal.min(available, rest);
  p.free.set(c.material_id, available.minus(fromFree));
  rest = rest.minus(fromFree);
  // What its own material (allocated and free) leaves uncovered: the gap substitutes fill.
  const shortfall = required.minus(own).minus(fromFree);
  for (const a of alts) {
    if (rest.isZero()) break;
    a.fromFree = Decimal.min(p.free.get(a.materialId) ?? ZERO, subNeed(a, rest));
    p.free.set(a.materialId, (p.free.get(a.materialId) ?? ZERO).minus(a.fromFree));
    covers.set(a.materialId, (covers.get(a.materialId) ?? ZERO).plus(take(a, a.fromFree)));
  }
  return { required, own, fromFree, available, shortfall, shortage: rest, substitutes: alts.filter((a) => a.held.plus(a.fromFree).gt(0)).map((a) => ({ ...a, covers: covers.get(a.materialId)! })) };
}

async function evaluate(tx: Sql, tenantId: string, orderIds: string[], allocate: Who | null): Promise<Kitting> {
  const orders = await orderSet(tx, tenantId, orderIds);
  let components = await repo.kittingComponents(tx, tenantId, orderIds);
  // Substitutes are locked, read and allocated like the components' own materials.
  const idsOf = (cs: repo.KitComponentRow[]) => [...new Set(cs.flatMap((c) => [c.material_id, ...c.alternates.map((a) => a.materialId)]))];
  let materialIds = idsOf(components);
  if (allocate) {
    await repo.lockMaterials(tx, tenantId, materialIds);
    components = await repo.kittingComponents(tx, tenantId, orderIds);
    materialIds = idsOf(components);
  }
  const { onHand } = await planningStock(tx, tenantId, materialIds);
  const held = await repo.allocatedByMaterial(tx, tenantId, materialIds);
  const free = new Map(materialIds.map((m) => [m, Decimal.max(ZERO, (onHand.get(m) ?? ZERO).minus(qty(held.get(m) ?? '0')))]));
  const subAllocated = new Map((await repo.substituteAllocations(tx, tenantId, components.map((c) => c.id))).map((r) => [`${r.component_id}|${r.material_id}`, qty(r.quantity)]));
  const materials = await materialsById(tx, tenantId, materialIds);
  const units = await UnitConverter.load(tx, tenantId);
  const pools: Pools = { free, subAllocated, decimals: (id) => units.unit(materials.get(id)!.baseUnit)?.decimals ?? 0 };
  const earliest = await supplyOf(tx, tenantId, materialIds);
  const asOf = today();
  const byOrder = new Map<string, repo.KitComponentRow[]>();
  for (const c of components) byOrder.set(c.order_id, [...(byOrder.get(c.order_id) ?? []), c]);
  const gaps = new Map<string, Gap>();
  const allocations: { componentId: string; orderId: string; materialId: string; quantity: string }[] = [];
  const result: Kitting['orders'] = orders.map((o) => {
    const comps = (byOrder.get(o.id) ?? []).map((c) => {
      const m = materials.get(c.material_id)!;
      const k = cover(c, pools);
      if (allocate && k.fromFree.gt(0)) allocations.push({ componentId: c.id, orderId: o.id, materialId: c.material_id, quantity: formatQty(k.own.plus(k.fromFree)) });
      if (allocate) for (const a of k.substitutes) if (a.fromFree.gt(0)) allocations.push({ componentId: c.id, orderId: o.id, materialId: a.materialId, quantity: formatQty(a.held.plus(a.fromFree)) });
      let earliestDate: string | null = asOf;
      if (k.shortage.gt(0)) {
        const date = earliest(c.material_id, k.shortage);
        earliestDate = date && date < asOf ? asOf : date;
      }
      if (k.shortfall.gt(0)) noteGap(gaps, c.material_id, o.doc_no, k);
      const substitutes: Substitute[] = k.substitutes.map((a) => {
        const s = materials.get(a.materialId)!;
        return {
          materialId: s.id, materialCode: s.code, baseUnit: s.baseUnit, priority: a.priority, available: formatQty(a.available),
          allocated: formatQty(allocate ? a.held.plus(a.fromFree) : a.held), quantity: formatQty(a.held.plus(a.fromFree)), covers: formatQty(a.covers),
        };
      });
      return {
        componentId: c.id, lineNo: c.line_no, materialId: m.id, materialCode: m.code, baseUnit: m.baseUnit, required: formatQty(k.required),
        allocated: formatQty(allocate ? k.own.plus(k.fromFree) : qty(c.allocated)), available: formatQty(k.available), shortage: formatQty(k.shortage), earliestDate, substitutes,
      };
    });
    const covered = comps.filter((c) => qty(c.shortage).isZero()).length;
    const rate = comps.length ? qty(covered).mul(100).div(comps.length).toDecimalPlaces(2, Decimal.ROUND_DOWN) : qty(100);
    const dates = comps.map((c) => c.earliestDate);
    const earliestKitDate = dates.includes(null) ? null : dates.reduce<string>((a, d) => (d! > a ? d! : a), asOf);
    return { orderId: o.id, docNo: o.doc_no, status: o.status, kitRate: rate.toFixed(2), kitted: covered === comps.length, earliestKitDate, components: comps };
  });
  if (allocate && allocations.length) {
    await repo.setAllocations(tx, tenantId, allocations, allocate.actor);
    recordEvent(tx, {
      tenantId, type: 'production_allocation.changed', aggregateType: 'production_allocation', aggregateId: orders[0].id,
      payload: { orders: orders.map((o) => o.doc_no), components: allocations.length },
    });
  }
  const code = (id: string) => materials.get(id)!.code;
  return {
    asOf, allocated: !!allocate, orders: result,
    shortages: [...gaps.values()].map((g) => ({
      materialId: g.materialId, materialCode: code(g.materialId), baseUnit: materials.get(g.materialId)!.baseUnit, shortfall: formatQty(g.shortfall), shortage: formatQty(g.shortage), orders: g.orders,
      substitutes: [...g.substitutes].map(([id, s]) => ({ materialId: id, materialCode: code(id), baseUnit: materials.get(id)!.baseUnit, quantity: formatQty(s.quantity), covers: formatQty(s.covers), orders: s.orders })),
    })).sort((a, b) => (a.materialCode < b.materialCode ? -1 : 1)),
  };
}

/** The shortage list: a material its own stock falls short of, what substitutes cover of it (and for which orders), what is left short. */
function noteGap(gaps: Map<string, Gap>, materialId: string, docNo: string, k: ReturnType<typeof cover>) {
  const g: Gap = gaps.get(materialId) ?? { materialId, shortfall: ZERO, shortage: ZERO, orders: [], substitutes: new Map() };
  g.shortfall = g.shortfall.plus(k.shortfall);
  g.shortage = g.shortage.plus(k.shortage);
  if (k.shortage.gt(0)) g.orders.push(docNo);
  for (const a of k.substitutes) {
    const s = g.substitutes.get(a.materialId) ?? { quantity: ZERO, covers: ZERO, orders: [] };
    s.quantity = s.quantity.plus(a.held).plus(a.fromFree);
    s.covers = s.covers.plus(a.covers);
    s.orders.push(docNo);
    g.substitutes.set(a.materialId, s);
  }
  gaps.set(materialId, g);
}

/** What the orders need and what is there for them (nothing is changed). */
export function kitting(tx: Sql, tenantId: string, orderIds: string[]): Promise<Kitting> {
  return evaluate(tx, tenantId, orderIds, null);
}

/** Allocates free stock to the orders' components, in the order given; reports the kitting after it. */
export function allocate(tx: Sql, who: Who, orderIds: string[]): Promise<Kitting> {
  return evaluate(tx, who.tenantId, orderIds, who);
}
