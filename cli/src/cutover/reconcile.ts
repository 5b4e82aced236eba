import type { MesClient } from '@mes/sdk';

/**
 * Control totals the implementer takes from the legacy system before go-live (S1-7.3-a), to hold
 * the imported data against: counts per kind, stock per material and warehouse, open order
 * quantities per material.
 */
export interface ControlTotals {
  counts?: Partial<Record<'units' | 'materials' | 'warehouses' | 'customers' | 'suppliers' | 'salesOrders' | 'purchaseOrders', number>>;
  stock?: { material: string; warehouse: string; quantity: string }[];
  openSalesOrders?: { material: string; quantity: string }[];
  openPurchaseOrders?: { material: string; quantity: string }[];
}

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

/** Every difference between the control totals and what the tenant holds, through the API. */
export async function reconcile(client: MesClient, totals: ControlTotals): Promise<Difference[]> {
  const out: Difference[] = [];
  const salesOrders = (await all(client.sales.orders.iterate({ limit: 500 }))).filter((o) => !['cancelled', 'closed'].includes(o.status));
  const purchaseOrders = (await all(client.purchasing.orders.iterate({ limit: 500 }))).filter((o) => !['cancelled', 'closed'].includes(o.status));
  if (totals.counts) {
    const actual: Record<string, number> = {
      units: (await client.units.list()).items.length,
      materials: (await all(client.materials.iterate({ limit: 500 }))).length,
      warehouses: (await client.warehouses.list()).items.length,
      customers: (await all(client.customers.iterate({ limit: 500 }))).length,
      suppliers: (await all(client.suppliers.iterate({ limit: 500 }))).length,
      salesOrders: salesOrders.length,
      purchaseOrders: purchaseOrders.length,
    };
    for (const [kind, expected] of Object.entries(totals.counts)) {
      if (actual[kind] !== expected) out.push({ check: 'count', key: kind, expected: String(expected), actual: String(actual[kind] ?? 'unknown kind') });
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
