/**
 * The sales namespace against a real server over real HTTP: order, approve, plan, outbound by PDA
 * scan, post, return, progress, with the stock checked through the SDK after each step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MesClient, MesError } from '../src/index.js';
import { createTenant, startTestServer, type TestServer } from './support/server.js';

let t: TestServer;
let mes: MesClient;

beforeAll(async () => {
  t = await startTestServer();
  mes = new MesClient({ baseUrl: t.url, apiKey: (await createTenant(t, 'sdk-sales')).key });
});
afterAll(async () => {
  await t?.stop();
});

describe('sales', () => {
  it('S1-5.4.1-b/c/d/e/g: order to return through the SDK', async () => {
    await mes.units.create({ code: 'PCS', name: 'Pieces', decimals: 0 });
    const fan = await mes.materials.create({ code: 'FAN-S', name: 'Fan', baseUnit: 'PCS', tracking: 'batch' });
    const main = await mes.warehouses.create({ code: 'MAIN', name: 'Main' });
    const qc = await mes.warehouses.create({ code: 'QC', name: 'Quarantine', kind: 'quarantine' });
    await mes.stockDocuments.create({ type: 'other_in', post: true, lines: [{ materialId: fan.id, quantity: '10', warehouseId: main.id, batchNo: 'L1' }] });
    const customer = await mes.customers.create({ code: 'C-S', name: 'Customer', overDeliveryTolerance: '5' });
    const stock = async () => (await mes.stock.balances({ materialId: fan.id })).items.map((b) => `${b.warehouseCode}/${b.batchNo}=${b.quantity}`);

    const order = await mes.sales.orders.create({ customerId: customer.id, lines: [{ materialId: fan.id, quantity: '8', price: '99.99', taxRate: '13', deliveryDate: '2026-09-01' }] });
    expect(order).toMatchObject({ status: 'draft', netTotal: '799.92', taxTotal: '103.99', grossTotal: '903.91' });
    expect((await mes.sales.orders.approve(order.id, order.version)).status).toBe('approved');
    expect((await mes.sales.orders.versions(order.id)).items.map((v) => v.version)).toEqual([2]);

    const plan = await mes.sales.deliveryPlans.create({ customerId: customer.id, plannedDate: '2026-08-20', lines: [{ orderLineId: order.lines[0].id, quantity: '8' }] });
    const over = await mes.sales.deliveryPlans.create({ customerId: customer.id, plannedDate: '2026-08-20', lines: [{ orderLineId: order.lines[0].id, quantity: '1' }] }).catch((e: MesError) => e);
    expect({ status: (over as MesError).status, code: (over as MesError).code }).toEqual({ status: 422, code: 'OVER_TOLERANCE' });

    const outbound = await mes.sales.outbounds.create({ planId: plan.id, warehouseId: main.id, lines: [] });
    const scanned = await mes.sales.outbounds.scan(outbound.id, { scans: [{ barcode: '(240)FAN-S(10)L1', quantity: '6' }] });
    expect(scanned.lines.map((l) => [l.batchNo, l.quantity, l.origin])).toEqual([['L1', '6', 'scan']]);
    expect(await stock()).toEqual(['MAIN/L1=10']);
    expect((await mes.sales.outbounds.post(outbound.id)).status).toBe('posted');
    expect(await stock()).toEqual(['MAIN/L1=4']);
    expect((await mes.sales.deliveryPlans.get(plan.id)).status).toBe('partially_shipped');

    const ret = await mes.sales.returns.create({ sourceOutboundId: outbound.id, warehouseId: qc.id, reasonCode: 'demand_change', lines: [{ outboundLineNo: 1, quantity: '2' }] });
    expect(ret.lines[0]).toMatchObject({ batchNo: 'L1', baseQuantity: '2' });
    expect(await stock()).toEqual(['MAIN/L1=4', 'QC/L1=2']);

    const progress = await mes.sales.progress({ groupBy: 'material' });
    expect(progress.items.map((r) => [r.materialCode, r.ordered, r.planned, r.shipped, r.returned, r.open])).toEqual([['FAN-S', '8', '8', '6', '2', '4']]);
    const open = [];
    for await (const o of mes.sales.orders.iterate({ status: 'open' })) open.push(o.docNo);
    expect(open).toEqual([order.docNo]);
    expect((await mes.sales.outbounds.list({ planId: plan.id })).items.length).toBe(1);
    expect((await mes.sales.returns.list()).items.map((r) => r.docNo)).toEqual([ret.docNo]);
    expect((await mes.events.list({ type: 'sales_order.*', aggregateId: order.id })).items.map((e) => e.type)).toEqual(['sales_order.created', 'sales_order.approved', 'sales_order.in_delivery']);
  });
});
