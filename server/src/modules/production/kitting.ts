/**
 * Kitting (齐套, S1-5.4.4-k): for a released order or a set of them, per component that counts for
 * kitting, what is still to be issued against what is there for it: its own allocation, then free
 * stock (ledger balances through the inventory service, less every allocation), taken by the
 * orders in the sequence given. The kit rate, the shortage list, and the earliest date open supply
 * (purchase lines by their needed-by date, production orders by their planned finish) covers the
 * shortages (never before today: supply already overdue counts from today).
 *
 * Allocation is explicit: allocate sets aside what is free for the orders' components. It takes a
 * lock per material before reading stock and allocations, so parallel allocations queue and the
 * allocations of a material never exceed its balance.
 */
import { Decimal } from 'decimal.js';
import type { Sql } from '../../platform/db.js';
import { fieldError, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { planningStock } from '../inventory/stock.js';
import * as purchasing from '../purchasing/service.js';
import { materialsById, refuseIfAny, today, type Who } from './common.js';
import * as repo from './kitting-repo.js';
import type { Kitting } from './mrp-schema.js';

const ZERO = qty(0);

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

async function evaluate(tx: Sql, tenantId: string, orderIds: string[], allocate: Who | null): Promise<Kitting> {
  const orders = await orderSet(tx, tenantId, orderIds);
  let components = await repo.kittingComponents(tx, tenantId, orderIds);
  const materialIds = [...new Set(components.map((c) => c.material_id))];
  if (allocate) {
    await repo.lockMaterials(tx, tenantId, materialIds);
    components = await repo.kittingComponents(tx, tenantId, orderIds);
  }
  const { onHand } = await planningStock(tx, tenantId, materialIds);
  const held = await repo.allocatedByMaterial(tx, tenantId, materialIds);
  const free = new Map(materialIds.map((m) => [m, Decimal.max(ZERO, (onHand.get(m) ?? ZERO).minus(qty(held.get(m) ?? '0')))]));
  const materials = await materialsById(tx, tenantId, materialIds);
  const earliest = await supplyOf(tx, tenantId, materialIds);
  const asOf = today();
  const byOrder = new Map<string, repo.KitComponentRow[]>();
  for (const c of components) byOrder.set(c.order_id, [...(byOrder.get(c.order_id) ?? []), c]);
  const shortages = new Map<string, { shortage: Qty; orders: string[] }>();
  const allocations: { componentId: string; orderId: string; materialId: string; quantity: string }[] = [];
  const result: Kitting['orders'] = orders.map((o) => {
    const comps = (byOrder.get(o.id) ?? []).map((c) => {
      const m = materials.get(c.material_id)!;
      const required = qty(c.outstanding);
      const mine = Decimal.min(qty(c.allocated), required);
      const available = free.get(c.material_id)!;
      const fromFree = Decimal.min(available, required.minus(mine));
      free.set(c.material_id, available.minus(fromFree));
      const shortage = required.minus(mine).minus(fromFree);
      if (allocate && fromFree.gt(0)) allocations.push({ componentId: c.id, orderId: o.id, materialId: c.material_id, quantity: formatQty(mine.plus(fromFree)) });
      let earliestDate: string | null = asOf;
      if (shortage.gt(0)) {
        const date = earliest(c.material_id, shortage);
        earliestDate = date && date < asOf ? asOf : date;
        const s = shortages.get(c.material_id) ?? { shortage: ZERO, orders: [] };
        s.shortage = s.shortage.plus(shortage);
        s.orders.push(o.doc_no);
        shortages.set(c.material_id, s);
      }
      return {
        componentId: c.id, lineNo: c.line_no, materialId: m.id, materialCode: m.code, baseUnit: m.baseUnit, required: formatQty(required),
        allocated: formatQty(allocate ? mine.plus(fromFree) : qty(c.allocated)), available: formatQty(available), shortage: formatQty(shortage), earliestDate,
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
  return {
    asOf, allocated: !!allocate, orders: result,
    shortages: [...shortages.entries()].map(([id, s]) => ({ materialId: id, materialCode: materials.get(id)!.code, baseUnit: materials.get(id)!.baseUnit, shortage: formatQty(s.shortage), orders: s.orders }))
      .sort((a, b) => (a.materialCode < b.materialCode ? -1 : 1)),
  };
}

/** What the orders need and what is there for them (nothing is changed). */
export function kitting(tx: Sql, tenantId: string, orderIds: string[]): Promise<Kitting> {
  return evaluate(tx, tenantId, orderIds, null);
}

/** Allocates free stock to the orders' components, in the order given; reports the kitting after it. */
export function allocate(tx: Sql, who: Who, orderIds: string[]): Promise<Kitting> {
  return evaluate(tx, who.tenantId, orderIds, who);
}
