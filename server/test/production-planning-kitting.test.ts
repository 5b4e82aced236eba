/**
 * Kitting (齐套, S1-5.4.4-k) over real HTTP: per component of released orders what is still to be
 * issued against allocated and free stock (ledger balances less allocations), the kit rate, the
 * shortage list and the earliest kit date from open supply; explicit allocation that never takes
 * more than the balance, also when allocations run in parallel; bad input and tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { fanBoms, fieldsOf, productionTenant } from './production-setup.js';

let t: TestServer;
let T: Awaited<ReturnType<typeof productionTenant>>;
let A: any;
let B: any;
let planned: any;
const today = () => new Date().toISOString().slice(0, 10);

type Tenant = Awaited<ReturnType<typeof productionTenant>>;
async function released(X: Tenant, quantity = '10') {
  const o = await X.make('/v1/production-orders', { materialCode: 'FAN-A', quantity, unit: 'PCS', workshopCode: 'WS-ASSY', plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
  return X.make(`/v1/production-orders/${o.id}/release`, { version: o.version });
}
async function stock(X: Tenant, lines: [string, string][]) {
  const main = (await X.make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id;
  await X.make('/v1/stock-documents', { type: 'other_in', post: true, lines: lines.map(([materialId, quantity]) => ({ materialId, quantity, unit: 'PCS', warehouseId: main })) });
}

beforeAll(async () => {
  t = await startTestServer();
  T = await productionTenant(t, 'kit');
  await fanBoms(T);
  await stock(T, [[T.m.motor, '15'], [T.m.washer, '100'], [T.m.blade, '40']]);
  A = await released(T);
  B = await released(T);
  planned = await T.make('/v1/production-orders', { materialCode: 'FAN-A', quantity: '1', workshopCode: 'WS-ASSY', plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
  // Open supply: 5 motors finishing on 5 April 2099, 30 blades needed by 10 April 2099.
  await T.make('/v1/production-orders', { materialCode: 'MOTOR-1', quantity: '5', workshopCode: 'WS-ASSY', plannedStart: '2099-04-01', plannedFinish: '2099-04-05' });
  const supplier = (await T.make('/v1/suppliers', { code: 'SUP-1', name: 'Blades' })).id;
  await T.make('/v1/purchase-orders', { supplierId: supplier, lines: [{ materialId: T.m.blade, quantity: '30', unit: 'PCS', neededBy: '2099-04-10' }] });
});
afterAll(async () => {
  await t?.stop();
});

const comps = (o: any) => o.components.map((c: any) => `${c.materialCode} ${c.required} alloc ${c.allocated} avail ${c.available} short ${c.shortage} ${c.earliestDate}`);

describe('kitting (S1-5.4.4-k)', () => {
  it('S1-5.4.4-k: a set of orders takes free stock in sequence: required vs available per component, kit rate, shortages and the earliest kit date', async () => {
    const res = await T.as('POST', '/v1/production-kitting', { orderIds: [A.id, B.id] });
    expect(res.status).toBe(200);
    const [a, b] = res.body.orders;
    // SCREW is not included in kitting; 10 fans need 31.5 blades (3 + 5 % scrap), issued as 32.
    expect(comps(a)).toEqual([`MOTOR-1 10 alloc 0 avail 15 short 0 ${today()}`, `WASHER 40 alloc 0 avail 100 short 0 ${today()}`, `BLADE 32 alloc 0 avail 40 short 0 ${today()}`]);
    expect(a).toMatchObject({ docNo: A.docNo, kitRate: '100.00', kitted: true, earliestKitDate: today() });
    expect(comps(b)).toEqual(['MOTOR-1 10 alloc 0 avail 5 short 5 2099-04-05', `WASHER 40 alloc 0 avail 60 short 0 ${today()}`, 'BLADE 32 alloc 0 avail 8 short 24 2099-04-10']);
    expect(b).toMatchObject({ kitRate: '33.33', kitted: false, earliestKitDate: '2099-04-10' });
    expect(res.body.shortages.map((s: any) => `${s.materialCode} ${s.shortage} ${s.orders.join(',')}`)).toEqual([`BLADE 24 ${B.docNo}`, `MOTOR-1 5 ${B.docNo}`]);
    expect(res.body.allocated).toBe(false);
  });

  it('S1-5.4.4-k: allocation sets stock aside for an order: the next kitting sees it taken', async () => {
    const res = await T.as('POST', '/v1/production-kitting/allocate', { orderIds: [B.id] });
    expect(res.status).toBe(200);
    expect(res.body.allocated).toBe(true);
    expect(comps(res.body.orders[0])).toEqual([`MOTOR-1 10 alloc 10 avail 15 short 0 ${today()}`, `WASHER 40 alloc 40 avail 100 short 0 ${today()}`, `BLADE 32 alloc 32 avail 40 short 0 ${today()}`]);
    const after = (await T.as('POST', '/v1/production-kitting', { orderIds: [A.id, B.id] })).body;
    expect(comps(after.orders[0])).toEqual(['MOTOR-1 10 alloc 0 avail 5 short 5 2099-04-05', `WASHER 40 alloc 0 avail 60 short 0 ${today()}`, 'BLADE 32 alloc 0 avail 8 short 24 2099-04-10']);
    expect(after.orders[1]).toMatchObject({ kitRate: '100.00', kitted: true });
    expect(after.orders[1].components.map((c: any) => c.allocated)).toEqual(['10', '40', '32']);
    // Allocating again takes nothing more.
    const again = (await T.as('POST', '/v1/production-kitting/allocate', { orderIds: [B.id] })).body;
    expect(again.orders[0].components.map((c: any) => c.allocated)).toEqual(['10', '40', '32']);
  });

  it('S1-5.4.4-k: bad input is refused with its code and nothing is allocated', async () => {
    const res = await T.as('POST', '/v1/production-kitting/allocate', { orderIds: [A.id, planned.id, '00000000-0000-4000-8000-000000000000'] });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('KITTING_INVALID');
    expect(fieldsOf(res.body)).toEqual(['orderIds[1]:ORDER_NOT_RELEASED', 'orderIds[2]:UNKNOWN_PRODUCTION_ORDER']);
    const a = (await T.as('POST', '/v1/production-kitting', { orderIds: [A.id] })).body.orders[0];
    expect(a.components.map((c: any) => c.allocated)).toEqual(['0', '0', '0']);
    expect((await T.as('POST', '/v1/production-kitting', { orderIds: [] })).status).toBe(400);
    const other = await productionTenant(t, 'kit-other');
    const theirs = await other.as('POST', '/v1/production-kitting', { orderIds: [A.id] });
    expect(theirs.body).toMatchObject({ code: 'UNKNOWN_PRODUCTION_ORDER' });
  });

  it('S1-5.4.4-k: parallel allocations never allocate more than the balance', async () => {
    const X = await productionTenant(t, 'kit-parallel');
    await fanBoms(X);
    await stock(X, [[X.m.motor, '25'], [X.m.washer, '1000'], [X.m.blade, '1000']]);
    const orders = [];
    for (let i = 0; i < 6; i++) orders.push(await released(X));
    const results = await Promise.all(orders.map((o) => X.as('POST', '/v1/production-kitting/allocate', { orderIds: [o.id] })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const all = (await X.as('POST', '/v1/production-kitting', { orderIds: orders.map((o) => o.id) })).body;
    const motors = all.orders.map((o: any) => Number(o.components[0].allocated));
    expect(motors.reduce((s: number, q: number) => s + q, 0)).toBe(25);
    expect([...motors].sort((x, y) => y - x)).toEqual([10, 10, 5, 0, 0, 0]);
    expect(all.shortages.map((s: any) => `${s.materialCode} ${s.shortage}`)).toEqual(['MOTOR-1 35']);
    expect(all.orders.map((o: any) => o.components[0].available)).toEqual(['0', '0', '0', '0', '0', '0']);
  });
});
