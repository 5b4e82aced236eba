import type { MesClient } from '@mes/sdk';

/**
 * Control totals the implementer takes from the legacy system before go-live (S1-7.3-a), to hold
 * the imported data against: counts per kind, stock per material and warehouse, open order
 * quantities per material.
 */
export interface ControlTotals {
  counts?: Partial<Record<CountKind, number>>;
  stock?: { material: string; warehouse: string; quantity: string }[];
  openSalesOrders?: { material: string; quantity: string }[];
  openPurchaseOrders?: { material: string; quantity: string }[];
}

/**
 * What a count counts. Engineering documents count as the legacy system lists them: a routing once
 * per code and a BOM once per product and type, whatever revisions were imported; the plant model
 * per level.
 */
export type CountKind = 'units' | 'materials' | 'warehouses' | 'customers' | 'suppliers' | 'salesOrders' | 'purchaseOrders'
  | 'routings' | 'boms' | 'plants' | 'workshops' | 'productionLines' | 'workCentres' | 'stations' | 'equipment';

export interface Difference {
  check: string;
  key: string;
  expected: string;
  actual: string;
}

const SCALE = 12;
/** Exact decimal strings as scaled integers: control totals are compared exactly, never as floats. */
function scaled(v: string): bigint {
  const [int, frac = ''] = v.trim().replace(/^\+/, '').split('.');
  const neg = int.startsWith('-');
  const digits = BigInt(`${int.replace('-', '') || '0'}${frac.padEnd(SCALE, '0').slice(0, SCALE)}`);
  return neg ? -digits : digits;
}
function plain(n: bigint): string {
  const neg = n < 0n;
  const s = (neg ? -n : n).toString().padStart(SCALE + 1, '0');
  const frac = s.slice(-SCALE).replace(/0+$/, '');
  return `${neg ? '-' : ''}${s.slice(0, -SCALE)}${frac ? `.${frac}` : ''}`;
}

function add(map: Map<string, bigint>, key: string, quantity: string) {
  map.set(key, (map.get(key) ?? 0n) + scaled(quantity));
}

function compare(check: string, expected: { key: string; quantity: string }[], actual: Map<string, bigint>, out: Difference[]) {
  const wanted = new Map<string, bigint>();
  for (const e of expected) add(wanted, e.key, e.quantity);
  for (const key of [...new Set([...wanted.keys(), ...actual.keys()])].sort()) {
    const w = wanted.get(key) ?? 0n;
    const a = actual.get(key) ?? 0n;
    if (w !== a) out.push({ check, key, expected: plain(w), actual: plain(a) });
  }
}

async function all<T>(it: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const count = async <T>(it: AsyncGenerator<T>) => (await all(it)).length;
const distinct = async <T>(it: AsyncGenerator<T>, key: (x: T) => string) => new Set((await all(it)).map(key)).size;

/** How each kind is counted through the API; only the kinds the control totals name are read. */
const COUNTS: Record<CountKind, (client: MesClient, open: { salesOrders: unknown[]; purchaseOrders: unknown[] }) => Promise<number>> = {
  units: async (c) => (await c.units.list()).items.length,
  materials: (c) => count(c.materials.iterate({ limit: 500 })),
  warehouses: async (c) => (await c.warehouses.list()).items.length,
  customers: (c) => count(c.customers.iterate({ limit: 500 })),
  suppliers: (c) => count(c.suppliers.iterate({ limit: 500 })),
  salesOrders: async (_c, open) => open.salesOrders.length,
  purchaseOrders: async (_c, open) => open.purchaseOrders.length,
  routings: (c) => distinct(c.production.routings.iterate({ limit: 500 }), (r) => r.code),
  boms: (c) => distinct(c.production.boms.iterate({ limit: 500 }), (b) => `${b.materialId}|${b.type}`),
  plants: (c) => count(c.plant.plants.iterate({ limit: 500 })),
  workshops: (c) => count(c.plant.workshops.iterate({ limit: 500 })),
  productionLines: (c) => count(c.plant.lines.iterate({ limit: 500 })),
  workCentres: (c) => count(c.plant.workCentres.iterate({ limit: 500 })),
  stations: (c) => count(c.plant.stations.iterate({ limit: 500 })),
  equipment: (c) => count(c.equipment.iterate({ limit: 500 })),
};

/** Every difference between the control totals and what the tenant holds, through the API. */
export async function reconcile(client: MesClient, totals: ControlTotals): Promise<Difference[]> {
  const out: Difference[] = [];
  const salesOrders = (await all(client.sales.orders.iterate({ limit: 500 }))).filter((o) => !['cancelled', 'closed'].includes(o.status));
  const purchaseOrders = (await all(client.purchasing.orders.iterate({ limit: 500 }))).filter((o) => !['cancelled', 'closed'].includes(o.status));
  if (totals.counts) {
    for (const [kind, expected] of Object.entries(totals.counts)) {
      const count = COUNTS[kind as CountKind];
      const actual = count ? await count(client, { salesOrders, purchaseOrders }) : undefined;
      if (actual !== expected) out.push({ check: 'count', key: kind, expected: String(expected), actual: actual === undefined ? 'unknown kind' : String(actual) });
    }
  }
  if (totals.stock) {
    const actual = new Map<string, bigint>();
    for (const b of await all(client.stock.iterateBalances({ limit: 500 }))) add(actual, `${b.materialCode}@${b.warehouseCode}`, b.quantity);
    compare('stock', totals.stock.map((s) => ({ key: `${s.material}@${s.warehouse}`, quantity: s.quantity })), actual, out);
  }
  if (totals.openSalesOrders) {
    const actual = new Map<string, bigint>();
    for (const o of salesOrders) for (const l of (await client.sales.orders.get(o.id)).lines) add(actual, l.materialCode, l.quantity);
    compare('open sales orders', totals.openSalesOrders.map((s) => ({ key: s.material, quantity: s.quantity })), actual, out);
  }
  if (totals.openPurchaseOrders) {
    const actual = new Map<string, bigint>();
    for (const o of purchaseOrders) for (const l of (await client.purchasing.orders.get(o.id)).lines) add(actual, l.materialCode, l.quantity);
    compare('open purchase orders', totals.openPurchaseOrders.map((s) => ({ key: s.material, quantity: s.quantity })), actual, out);
  }
  return out;
}
