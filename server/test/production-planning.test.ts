/**
 * MRP over real HTTP (S1-5.4.4-k, S1-5.4.1-f, S1-5.4.2-f): demand from open sales order lines made
 * to order, a task entered by hand and a safety-stock shortfall, netted level by level through the
 * fan's five-level structure (scrap, a phantom, grams of wire in a kilogram material, boxes of
 * fans), lead-time offsetting, the three lot-sizing rules, pegging to the sales order line,
 * determinism, firming into production and purchase orders, bad input and tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { fanBoms, fieldsOf, productionTenant } from './production-setup.js';

let t: TestServer;
let T: Awaited<ReturnType<typeof productionTenant>>;
let so1: any;
let so2: any;
let supplier: string;
const run = { asOf: '2026-03-01', tasks: [{ materialCode: 'MOTOR-1', quantity: '5', dueDate: '2026-03-18', reference: 'SPARE-MOTORS' }] };

beforeAll(async () => {
  t = await startTestServer();
  T = await productionTenant(t, 'mrp');
  await fanBoms(T);
  const planning = async (id: string, body: Record<string, unknown>) => {
    const res = await T.as('PUT', `/v1/materials/${id}/planning`, { version: 0, ...body });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  };
  await planning(T.m.fan, { leadTimeDays: 5 });
  await planning(T.m.motor, { leadTimeDays: 3 });
  await planning(T.m.stator, { leadTimeDays: 2, lotSizing: 'min_multiple', minLot: '50', lotMultiple: '10' });
  await planning(T.m.lamination, { leadTimeDays: 1, lotSizing: 'fixed', fixedLot: '500' });
  await planning(T.m.steel, { leadTimeDays: 4, lotSizing: 'min_multiple', minLot: '25', lotMultiple: '25' });
  await planning(T.m.blade, { leadTimeDays: 10 });
  supplier = (await T.make('/v1/suppliers', { code: 'SUP-1', name: 'Metals' })).id;
  await T.make('/v1/supplier-materials', { supplierId: supplier, materialId: T.m.wire, leadTimeDays: 7, preferred: true });
  await T.make('/v1/supplier-materials', { supplierId: supplier, materialId: T.m.steel, leadTimeDays: 14, preferred: true });
  const main = (await T.make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id;
  await T.make('/v1/stock-documents', {
    type: 'other_in', post: true, lines: [
      { materialId: T.m.fan, quantity: '4', unit: 'PCS', warehouseId: main },
      { materialId: T.m.stator, quantity: '10', unit: 'PCS', warehouseId: main },
      { materialId: T.m.steel, quantity: '2', unit: 'KG', warehouseId: main },
    ],
  });
  await T.as('PUT', `/v1/materials/${T.m.blade}/safety-stock`, { quantity: '20' });
  const customer = (await T.make('/v1/customers', { code: 'C1', name: 'Customer' })).id;
  const sell = async (quantity: string, unit: string, deliveryDate: string) => {
    const o = await T.make('/v1/sales-orders', { customerId: customer, lines: [{ materialCode: 'FAN-A', quantity, unit, price: '100', taxRate: '13', deliveryDate }] });
    return T.make(`/v1/sales-orders/${o.id}/approve`, { version: o.version });
  };
  so1 = await sell('2', 'BOX', '2026-03-20');
  so2 = await sell('10', 'PCS', '2026-03-25');
});
afterAll(async () => {
  await t?.stop();
});

const row = (p: any) => `${p.lineNo} ${p.kind} ${p.materialCode} ${p.quantity} ${p.startDate}→${p.dueDate}${p.late ? ' late' : ''} ${p.mtoNo ?? '-'}`;

describe('MRP runs (S1-5.4.4-k, S1-5.4.1-f)', () => {
  let first: any;

  it('S1-5.4.4-k S1-5.4.1-f: nets level by level with scrap, phantoms and unit conversions; lead-time offsets; lot-for-lot, fixed and minimum/multiple lots, exactly', async () => {
    const res = await T.as('POST', '/v1/mrp-runs', run);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    first = res.body;
    expect(first.docNo).toMatch(/^MRP\d{8}-\d{4}$/);
    const A = so1.docNo;
    const B = so2.docNo;
    expect(first.plannedOrders.map(row)).toEqual([
      `1 make FAN-A 20 2026-03-15→2026-03-20 ${A}`,
      `2 make FAN-A 10 2026-03-20→2026-03-25 ${B}`,
      '3 buy BLADE 20 2026-02-19→2026-03-01 late -',
      `4 buy BLADE 63 2026-03-05→2026-03-15 ${A}`,
      `5 buy BLADE 32 2026-03-10→2026-03-20 ${B}`,
      `6 make MOTOR-1 20 2026-03-12→2026-03-15 ${A}`,
      '7 make MOTOR-1 5 2026-03-15→2026-03-18 -',
      `8 make MOTOR-1 10 2026-03-17→2026-03-20 ${B}`,
      `9 buy SCREW 80 2026-03-15→2026-03-15 ${A}`,
      `10 buy SCREW 40 2026-03-20→2026-03-20 ${B}`,
      `11 buy WASHER 80 2026-03-15→2026-03-15 ${A}`,
      `12 buy WASHER 40 2026-03-20→2026-03-20 ${B}`,
      `13 make STATOR 50 2026-03-10→2026-03-12 ${A}`,
      `14 make LAMINATION 500 2026-03-09→2026-03-10 ${A}`,
      `15 make LAMINATION 500 2026-03-09→2026-03-10 ${A}`,
      `16 make LAMINATION 500 2026-03-09→2026-03-10 ${A}`,
      `17 buy WIRE 12.75 2026-03-03→2026-03-10 ${A}`,
      `18 buy STEEL 75 2026-03-05→2026-03-09 ${A}`,
    ]);
    const net = Object.fromEntries(first.netting.map((n: any) => [n.materialCode, [n.level, n.procurement, n.gross, n.onHand, n.openSupply, n.safetyStock, n.net, n.planned].join(' ')]));
    expect(net).toEqual({
      'FAN-A': '0 make 34 4 0 0 30 30',
      BLADE: '1 buy 94.5 0 0 20 114.5 115',
      'MOTOR-1': '1 make 35 0 0 0 35 35',
      SCREW: '1 buy 120 0 0 0 120 120',
      WASHER: '1 buy 120 0 0 0 120 120',
      STATOR: '2 make 35 10 0 0 25 50',
      LAMINATION: '3 make 1200 0 0 0 1200 1500',
      WIRE: '3 buy 12.75 0 0 0 12.75 12.75',
      STEEL: '4 buy 52.5 2 0 0 50.5 75',
    });
    expect(first.plannedOrders.find((p: any) => p.lineNo === 17).supplierId).toBe(supplier);
    expect(first.plannedOrders.find((p: any) => p.lineNo === 9).supplierId).toBeNull();
    expect(first.plannedOrders[0].salesOrderLineId).toBe(so1.lines[0].id);
  });

  it('S1-5.4.4-k: pegging leads from every planned order back to its demand: steel → lamination → stator → motor → fan → sales order line', async () => {
    const p = (n: number) => first.plannedOrders.find((x: any) => x.lineNo === n);
    const pegs = (n: number) => p(n).pegs.map((g: any) => `${g.source} ${g.sourceRef} ${g.quantity}${g.parentLineNo ? ` ↑${g.parentLineNo}` : ''}`);
    expect(pegs(18)).toEqual(['planned_order LAMINATION #14 15.5 ↑14', 'planned_order LAMINATION #15 17.5 ↑15', 'planned_order LAMINATION #16 17.5 ↑16']);
    expect(pegs(14)).toEqual(['planned_order STATOR #13 500 ↑13']);
    expect(pegs(16)).toEqual(['planned_order STATOR #13 200 ↑13']);
    // The stator lot of 50 covers the motor orders of all three dates (10 of the first from stock).
    expect(pegs(13)).toEqual(['planned_order MOTOR-1 #6 10 ↑6', 'planned_order MOTOR-1 #7 5 ↑7', 'planned_order MOTOR-1 #8 10 ↑8']);
    expect(pegs(7)).toEqual(['task SPARE-MOTORS 5']);
    expect(pegs(6)).toEqual(['planned_order FAN-A #1 20 ↑1']);
    expect(pegs(1)).toEqual([`sales_order_line ${so1.docNo}/1 20`]);
    expect(p(1).pegs[0].sourceId).toBe(so1.lines[0].id);
    // The half blade left over from the last lot is no demand of anyone; the safety stock is its own.
    expect(pegs(5)).toEqual(['planned_order FAN-A #2 31.5 ↑2']);
    expect(pegs(3)).toEqual(['safety_stock safety stock 20']);
  });

  it('S1-5.4.4-k: a run is recorded with its inputs; two runs on the same data give the same result', async () => {
    const again = (await T.as('POST', '/v1/mrp-runs', run)).body;
    expect(again.id).not.toBe(first.id);
    expect(again.resultDigest).toBe(first.resultDigest);
    expect(again.inputDigest).toBe(first.inputDigest);
    const strip = (r: any) => r.plannedOrders.map((p: any) => ({ ...p, pegs: p.pegs }));
    expect(strip(again)).toEqual(strip(first));
    const shown = (await T.as('GET', `/v1/mrp-runs/${first.id}?kind=buy&limit=2`)).body;
    expect(shown.inputs).toEqual(run);
    expect(shown).toMatchObject({ asOf: '2026-03-01', plannedCount: 18, truncated: true });
    expect(shown.plannedOrders.map((p: any) => p.lineNo)).toEqual([3, 4]);
    const list = (await T.as('GET', '/v1/mrp-runs?limit=1')).body;
    expect(list.items.map((r: any) => r.id)).toEqual([again.id]);
    expect((await T.as('GET', `/v1/mrp-runs?limit=1&cursor=${list.nextCursor}`)).body.items.map((r: any) => r.id)).toEqual([first.id]);
    // Another demand changes the result.
    const more = (await T.as('POST', '/v1/mrp-runs', { ...run, tasks: [...run.tasks, { materialCode: 'STATOR', quantity: '1', dueDate: '2026-03-30' }] })).body;
    expect(more.resultDigest).not.toBe(first.resultDigest);
  });

  it('S1-5.4.2-f S1-5.4.4-e: firming makes planned orders production orders (made to order) and purchase suggestions purchase orders per supplier, once', async () => {
    const res = await T.as('POST', `/v1/mrp-runs/${first.id}/firm`, { lineNos: [1, 17, 18] });
    expect(res.status).toBe(200);
    expect(res.body.productionOrders.map((o: any) => o.lineNos)).toEqual([[1]]);
    expect(res.body.purchaseOrders.map((o: any) => [o.lineNos, o.supplierId])).toEqual([[[17, 18], supplier]]);
    const mo = (await T.as('GET', `/v1/production-orders/${res.body.productionOrders[0].id}`)).body;
    expect(mo).toMatchObject({
      status: 'planned', materialCode: 'FAN-A', baseQuantity: '20', plannedStart: '2026-03-15', plannedFinish: '2026-03-20', dueDate: '2026-03-20', source: 'sales_demand',
      sourceRef: `${first.docNo}#1`, salesOrderLineId: so1.lines[0].id, mtoNo: so1.docNo,
    });
    const po = (await T.as('GET', `/v1/purchase-orders/${res.body.purchaseOrders[0].id}`)).body;
    expect(po).toMatchObject({ status: 'draft', demandSource: 'production', demandRef: first.docNo });
    expect(po.lines.map((l: any) => [l.materialCode, l.quantity, l.unit, l.neededBy, l.mtoNumber])).toEqual([
      ['WIRE', '12.75', 'KG', '2026-03-10', so1.docNo], ['STEEL', '75', 'KG', '2026-03-09', so1.docNo],
    ]);
    const shown = (await T.as('GET', `/v1/mrp-runs/${first.id}`)).body.plannedOrders.filter((p: any) => p.firmedDocNo).map((p: any) => [p.lineNo, p.firmedDocNo]);
    expect(shown).toEqual([[1, mo.docNo], [17, po.docNo], [18, po.docNo]]);
    const twice = await T.as('POST', `/v1/mrp-runs/${first.id}/firm`, { lineNos: [2, 18] });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'PLANNED_ORDER_FIRMED', documentStatus: 'firmed' });
    // The next run sees the firmed orders as open supply: nothing more of the fan for the first order.
    const next = (await T.as('POST', '/v1/mrp-runs', run)).body;
    expect(next.netting.find((n: any) => n.materialCode === 'FAN-A')).toMatchObject({ openSupply: '20', net: '10', planned: '10' });
    expect(next.netting.find((n: any) => n.materialCode === 'STEEL')).toMatchObject({ openSupply: '75', net: '0', planned: '0' });
  });

  it('S1-5.4.2-f: bad firming is refused with its code and nothing is written', async () => {
    const before = (await T.as('GET', '/v1/purchase-orders?limit=100')).body.items.length;
    const orders = (await T.as('GET', '/v1/production-orders?limit=100')).body.items.length;
    const res = await T.as('POST', `/v1/mrp-runs/${first.id}/firm`, { lineNos: [2, 9, 99] });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('FIRM_INVALID');
    expect(fieldsOf(res.body)).toEqual(['lineNos[1]:NO_PREFERRED_SUPPLIER', 'lineNos[2]:UNKNOWN_PLANNED_ORDER']);
    expect((await T.as('GET', '/v1/purchase-orders?limit=100')).body.items.length).toBe(before);
    expect((await T.as('GET', '/v1/production-orders?limit=100')).body.items.length).toBe(orders);
    expect((await T.as('GET', `/v1/mrp-runs/${first.id}`)).body.plannedOrders[1].firmedId).toBeNull();
    expect((await T.as('POST', '/v1/mrp-runs/00000000-0000-4000-8000-000000000000/firm', { lineNos: [1] })).status).toBe(404);
  });

  it('S1-5.4.4-k: bad run input and bad planning parameters are refused with their codes; nothing is written', async () => {
    const before = (await T.as('GET', '/v1/mrp-runs?limit=100')).body.items.length;
    const bad = await T.as('POST', '/v1/mrp-runs', { asOf: '2026-03-01', tasks: [{ materialCode: 'NOPE', quantity: '1', dueDate: '2026-03-02' }, { materialCode: 'MOTOR-1', quantity: '1', unit: 'KG', dueDate: '2026-03-02' }, { materialCode: 'FAN-A', quantity: '0', dueDate: '2026-03-02' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('MRP_INPUT_INVALID');
    expect(fieldsOf(bad.body)).toEqual(['tasks[0].materialCode:UNKNOWN_MATERIAL', 'tasks[1].unit:UNIT_NOT_CONVERTIBLE', 'tasks[2].quantity:NOT_POSITIVE']);
    expect((await T.as('POST', '/v1/mrp-runs', { tasks: [{ materialCode: 'FAN-A', quantity: '1', dueDate: 'soon' }] })).status).toBe(400);
    expect((await T.as('GET', '/v1/mrp-runs?limit=100')).body.items.length).toBe(before);

    const fixed = await T.as('PUT', `/v1/materials/${T.m.washer}/planning`, { version: 0, lotSizing: 'fixed' });
    expect(fixed.status).toBe(422);
    expect(fixed.body.code).toBe('REQUIRED');
    expect(fieldsOf(fixed.body)).toEqual(['fixedLot:REQUIRED']);
    const stale = await T.as('PUT', `/v1/materials/${T.m.fan}/planning`, { version: 0, leadTimeDays: 1 });
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 1 });
    expect((await T.as('GET', `/v1/materials/${T.m.washer}/planning`)).body).toMatchObject({ version: 0, lotSizing: 'lot_for_lot', effectiveProcurement: 'buy' });
    expect((await T.as('GET', `/v1/materials/${T.m.fan}/planning`)).body).toMatchObject({ version: 1, leadTimeDays: 5, effectiveProcurement: 'make' });
  });

  it('S1-5.4.4-k: runs are tenant-scoped: another tenant neither sees a run nor plans from this tenant\'s demand', async () => {
    const other = await productionTenant(t, 'mrp-other');
    expect((await other.as('GET', `/v1/mrp-runs/${first.id}`)).status).toBe(404);
    expect((await other.as('POST', `/v1/mrp-runs/${first.id}/firm`, { lineNos: [2] })).status).toBe(404);
    expect((await other.as('GET', `/v1/materials/${T.m.fan}/planning`)).status).toBe(404);
    const theirs = await other.as('POST', '/v1/mrp-runs', { asOf: '2026-03-01' });
    expect(theirs.status).toBe(201);
    expect(theirs.body).toMatchObject({ plannedCount: 0, plannedOrders: [], netting: [] });
    expect((await other.as('GET', '/v1/mrp-runs')).body.items.map((r: any) => r.id)).toEqual([theirs.body.id]);
  });
});
