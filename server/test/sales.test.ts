/**
 * Sales (S1-5.4.1-b to -g) over real HTTP on a real database: orders with approval and versions,
 * delivery plans many-to-many with order lines within the customer's tolerance, outbounds by FIFO,
 * by hand and by PDA scan, returns with and without source, the progress report, the outbox
 * events of every state change, and tenant isolation. Stock balances are checked after every step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { listAll } from './util.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

type Api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any; headers: Headers }>;

async function setup(slug: string) {
  const tenant = await createTenant(t, slug);
  const as: Api = (method, path, body, headers) => call(t.url, tenant.key, method, path, body, headers);
  const make = async (path: string, body: unknown, api: Api = as) => {
    const res = await api('POST', path, body);
    if (res.status !== 201 && res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  await make('/v1/units', { code: 'BOX', name: 'Box', decimals: 0 });
  await make('/v1/unit-conversions', { fromUnit: 'BOX', toUnit: 'PCS', factor: '12' });
  const m = {
    fan: (await make('/v1/materials', { code: 'FAN', name: 'Fan', baseUnit: 'PCS', salesUnit: 'BOX' })).id as string,
    motor: (await make('/v1/materials', { code: 'MOTOR', name: 'Motor', baseUnit: 'PCS', tracking: 'batch' })).id as string,
    blade: (await make('/v1/materials', { code: 'BLADE', name: 'Blade', baseUnit: 'PCS' })).id as string,
  };
  const w = {
    main: (await make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id as string,
    qc: (await make('/v1/warehouses', { code: 'QC', name: 'Quarantine', kind: 'quarantine' })).id as string,
  };
  const c1 = await make('/v1/customers', { code: 'C1', name: 'Customer one', address: 'Road 1', overDeliveryTolerance: '10' });
  const c2 = await make('/v1/customers', { code: 'C2', name: 'Customer two', overDeliveryTolerance: '0' });
  const stockIn = (lines: unknown[]) => make('/v1/stock-documents', { type: 'other_in', post: true, lines });
  await stockIn([{ materialId: m.fan, quantity: '120', unit: 'PCS', warehouseId: w.main }, { materialId: m.blade, quantity: '50', unit: 'PCS', warehouseId: w.main }]);
  // Two receipts, so that B1 is older than B2 for FIFO.
  await stockIn([{ materialId: m.motor, quantity: '30', unit: 'PCS', warehouseId: w.main, batchNo: 'B1' }]);
  await stockIn([{ materialId: m.motor, quantity: '50', unit: 'PCS', warehouseId: w.main, batchNo: 'B2' }]);
  /** Every non-zero balance as "MATERIAL@WAREHOUSE/BATCH=qty", sorted. */
  const balances = async () =>
    (await listAll(t, tenant.key, '/v1/stock/balances')).map((b) => `${b.materialCode}@${b.warehouseCode}/${b.batchNo ?? ''}=${b.quantity}`).sort();
  const order = async (customerId: string, lines: unknown[], api: Api = as) => make('/v1/sales-orders', { customerId, lines }, api);
  /** Approves the order's current version, as a reviewer who just read it. */
  const approve = async (id: string, api: Api = as) => make(`/v1/sales-orders/${id}/approve`, { version: (await api('GET', `/v1/sales-orders/${id}`)).body.version }, api);
  const approved = async (customerId: string, lines: unknown[]) => {
    const o = await order(customerId, lines);
    return make(`/v1/sales-orders/${o.id}/approve`, { version: o.version });
  };
  const plan = (customerId: string, lines: unknown[], extra: Record<string, unknown> = {}) => as('POST', '/v1/delivery-plans', { customerId, plannedDate: '2026-07-01', lines, ...extra });
  const events = async (aggregateId: string) => (await as('GET', `/v1/events?aggregateId=${aggregateId}`)).body.items.map((e: any) => e.type);
  return { ...tenant, as, make, m, w, c1: c1.id as string, c2: c2.id as string, balances, order, approve, approved, plan, events, stockIn };
}

const fieldsOf = (body: any) => (body.errors ?? []).map((e: any) => `${e.field}:${e.code}`).sort();
const D = '2026-07-15';

describe('the full flow: order, plan, outbound, return (S1-5.4.1-b..e, S1-5.4.1-g)', () => {
  it('S1-5.4.1-b/c/d/e/g: every step changes exactly the stock it should, moves the documents on and records its events', async () => {
    const T = await setup('sales-flow');
    const opening = ['BLADE@MAIN/=50', 'FAN@MAIN/=120', 'MOTOR@MAIN/B1=30', 'MOTOR@MAIN/B2=50'];
    expect(await T.balances()).toEqual(opening);

    // Order: 5 BOX of fans (the sales unit) and 40 motors; amounts to the cent, exactly.
    const created = await T.as('POST', '/v1/sales-orders', {
      customerCode: 'C1', lines: [
        { materialCode: 'FAN', quantity: '5', price: '100.00', taxRate: '13', deliveryDate: D },
        { materialId: T.m.motor, quantity: '40', price: '25.51', taxRate: '13', deliveryDate: D },
      ],
    });
    expect(created.status).toBe(201);
    const o = created.body;
    expect(o.docNo).toMatch(/^SO\d{8}-\d{4}$/);
    expect(o).toMatchObject({ status: 'draft', version: 1, customerCode: 'C1', netTotal: '1520.40', taxTotal: '197.65', grossTotal: '1718.05' });
    expect(o.lines.map((l: any) => [l.lineNo, l.quantity, l.unit, l.baseQuantity, l.netAmount, l.taxAmount, l.grossAmount, l.open])).toEqual([
      [1, '5', 'BOX', '60', '500.00', '65.00', '565.00', '60'],
      [2, '40', 'PCS', '40', '1020.40', '132.65', '1153.05', '40'],
    ]);
    expect(await T.balances()).toEqual(opening);

    const ok = await T.as('POST', `/v1/sales-orders/${o.id}/approve`, { version: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', version: 2 });
    expect((await T.as('GET', `/v1/sales-orders/${o.id}/versions`)).body.items.map((v: any) => [v.version, v.reason, v.snapshot.status])).toEqual([[2, 'approved', 'approved']]);

    // Plan 3 of the 5 boxes and all motors.
    const p = await T.plan(T.c1, [{ orderLineId: o.lines[0].id, quantity: '3' }, { orderDocNo: o.docNo, lineNo: 2, quantity: '40' }], { consignee: { name: '李雷', phone: '13800000000' } });
    expect(p.status).toBe(201);
    expect(p.body.docNo).toMatch(/^DP\d{8}-\d{4}$/);
    expect(p.body).toMatchObject({ status: 'open', address: 'Road 1', consignee: { name: '李雷', phone: '13800000000' } });
    expect(p.body.lines.map((l: any) => [l.orderLineNo, l.quantity, l.unit, l.baseQuantity, l.open])).toEqual([[1, '3', 'BOX', '36', '36'], [2, '40', 'PCS', '40', '40']]);
    expect(await T.balances()).toEqual(opening);

    // The outbound suggests FIFO picks: batch B1 (older) before B2.
    const ob = await T.as('POST', '/v1/sales-outbounds', { planId: p.body.id, warehouseCode: 'MAIN' });
    expect(ob.status).toBe(201);
    expect(ob.body.docNo).toMatch(/^SOB\d{8}-\d{4}$/);
    expect(ob.body.lines.map((l: any) => [l.planLineNo, l.materialCode, l.batchNo, l.baseQuantity, l.origin])).toEqual([
      [1, 'FAN', null, '36', 'fifo'], [2, 'MOTOR', 'B1', '30', 'fifo'], [2, 'MOTOR', 'B2', '10', 'fifo'],
    ]);
    expect(await T.balances()).toEqual(opening);

    const posted = await T.as('POST', `/v1/sales-outbounds/${ob.body.id}/post`);
    expect(posted.status).toBe(200);
    expect(posted.body.status).toBe('posted');
    const afterShip = ['BLADE@MAIN/=50', 'FAN@MAIN/=84', 'MOTOR@MAIN/B2=40'];
    expect(await T.balances()).toEqual(afterShip);
    const movements = (await T.as('GET', `/v1/stock/movements?sourceId=${ob.body.id}`)).body.items;
    expect(movements.map((mv: any) => [mv.type, mv.materialCode, mv.batchNo, mv.quantity])).toEqual([
      ['sales_out', 'FAN', null, '-36'], ['sales_out', 'MOTOR', 'B1', '-30'], ['sales_out', 'MOTOR', 'B2', '-10'],
    ]);
    // Posting again is a no-op.
    expect((await T.as('POST', `/v1/sales-outbounds/${ob.body.id}/post`)).body).toEqual(posted.body);
    expect(await T.balances()).toEqual(afterShip);

    const order1 = (await T.as('GET', `/v1/sales-orders/${o.id}`)).body;
    expect(order1.status).toBe('in_delivery');
    expect(order1.lines.map((l: any) => [l.planned, l.shipped, l.returned, l.open])).toEqual([['36', '36', '0', '24'], ['40', '40', '0', '0']]);
    expect((await T.as('GET', `/v1/delivery-plans/${p.body.id}`)).body.status).toBe('shipped');

    // Return 5 motors of batch B1 into quarantine, with the outbound as source.
    const ret = await T.as('POST', '/v1/sales-returns', {
      sourceOutboundId: ob.body.id, warehouseCode: 'QC', reasonCode: 'failed_inspection', reason: 'noise', lines: [{ outboundLineNo: 2, quantity: '5' }],
    });
    expect(ret.status).toBe(201);
    expect(ret.body.docNo).toMatch(/^SR\d{8}-\d{4}$/);
    expect(ret.body).toMatchObject({ customerCode: 'C1', sourceOutboundDocNo: ob.body.docNo, reasonCode: 'failed_inspection' });
    expect(ret.body.lines.map((l: any) => [l.outboundLineNo, l.orderLineNo, l.materialCode, l.batchNo, l.baseQuantity])).toEqual([[2, 2, 'MOTOR', 'B1', '5']]);
    const afterReturn = ['BLADE@MAIN/=50', 'FAN@MAIN/=84', 'MOTOR@MAIN/B2=40', 'MOTOR@QC/B1=5'];
    expect(await T.balances()).toEqual(afterReturn);

    // Never more than was shipped on that line (B2: 10 shipped), counting earlier returns; nothing posted.
    const tooMuch = await T.as('POST', '/v1/sales-returns', { sourceOutboundId: ob.body.id, warehouseCode: 'QC', reasonCode: 'demand_change', lines: [{ outboundLineNo: 3, quantity: '11' }] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('RETURN_EXCEEDS_SHIPPED');
    expect(fieldsOf(tooMuch.body)).toEqual(['lines[0].quantity:RETURN_EXCEEDS_SHIPPED']);
    const twice = await T.as('POST', '/v1/sales-returns', { sourceOutboundId: ob.body.id, warehouseCode: 'QC', reasonCode: 'demand_change', lines: [{ outboundLineNo: 2, quantity: '20' }, { outboundLineNo: 2, quantity: '6' }] });
    expect(twice.body.code).toBe('RETURN_EXCEEDS_SHIPPED');
    expect(fieldsOf(twice.body)).toEqual(['lines[1].quantity:RETURN_EXCEEDS_SHIPPED']);
    expect(await T.balances()).toEqual(afterReturn);

    const order2 = (await T.as('GET', `/v1/sales-orders/${o.id}`)).body;
    expect(order2.lines.map((l: any) => [l.shipped, l.returned, l.open])).toEqual([['36', '0', '24'], ['40', '5', '5']]);

    // Progress by material and by customer, exact.
    const byMaterial = (await T.as('GET', '/v1/reports/sales-progress?groupBy=material')).body;
    expect(byMaterial.items.map((r: any) => [r.customerCode, r.materialCode, r.ordered, r.planned, r.shipped, r.returned, r.open, r.orderedAmount])).toEqual([
      [null, 'FAN', '60', '36', '36', '0', '24', '565.00'],
      [null, 'MOTOR', '40', '40', '40', '5', '5', '1153.05'],
    ]);
    const byCustomer = (await T.as('GET', `/v1/reports/sales-progress?groupBy=customer&customerId=${T.c1}&limit=1`)).body;
    expect(byCustomer.items.map((r: any) => [r.customerCode, r.materialCode, r.open])).toEqual([['C1', 'FAN', '24']]);
    const page2 = (await T.as('GET', `/v1/reports/sales-progress?groupBy=customer&customerId=${T.c1}&limit=1&cursor=${byCustomer.nextCursor}`)).body;
    expect(page2.items.map((r: any) => [r.customerCode, r.materialCode, r.open])).toEqual([['C1', 'MOTOR', '5']]);
    expect(page2.nextCursor).toBeNull();

    // One event per state change, in the same transactions.
    expect(await T.events(o.id)).toEqual(['sales_order.created', 'sales_order.approved', 'sales_order.in_delivery']);
    expect(await T.events(p.body.id)).toEqual(['delivery_plan.created', 'delivery_plan.shipped']);
    expect(await T.events(ob.body.id)).toEqual(['sales_outbound.created', 'sales_outbound.posted']);
    expect(await T.events(ret.body.id)).toEqual(['sales_return.posted']);

    // Lists and filters.
    expect((await T.as('GET', '/v1/sales-orders?status=open')).body.items.map((x: any) => x.docNo)).toEqual([o.docNo]);
    expect((await T.as('GET', '/v1/sales-orders?status=draft')).body.items).toEqual([]);
    expect((await T.as('GET', `/v1/sales-orders?materialId=${T.m.blade}`)).body.items).toEqual([]);
    expect((await T.as('GET', `/v1/delivery-plans?orderId=${o.id}`)).body.items.map((x: any) => x.docNo)).toEqual([p.body.docNo]);
    expect((await T.as('GET', `/v1/sales-outbounds?planId=${p.body.id}`)).body.items.map((x: any) => [x.docNo, x.lineCount])).toEqual([[ob.body.docNo, 3]]);
    expect((await T.as('GET', `/v1/sales-returns?sourceOutboundId=${ob.body.id}`)).body.items.map((x: any) => x.docNo)).toEqual([ret.body.docNo]);

    // Closing by hand cancels the rest: nothing open, and nothing more ships against it.
    const rest = await T.plan(T.c1, [{ orderLineId: o.lines[0].id, quantity: '1' }]);
    expect(rest.status).toBe(201);
    const closed = await T.as('POST', `/v1/sales-orders/${o.id}/close`, { version: (await T.as('GET', `/v1/sales-orders/${o.id}`)).body.version, reason: 'customer needs no more' });
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'customer needs no more' });
    expect(closed.body.lines.map((l: any) => l.open)).toEqual(['0', '0']);
    const late = await T.as('POST', '/v1/sales-outbounds', { planId: rest.body.id, warehouseCode: 'MAIN' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ORDER_CLOSED');
    expect(await T.balances()).toEqual(afterReturn);
  });

  it('S1-5.4.1-e: a return without source names material and an existing batch; it counts in progress as returned without source', async () => {
    const T = await setup('sales-unsourced');
    const bad = await T.as('POST', '/v1/sales-returns', {
      customerCode: 'C2', warehouseCode: 'QC', reasonCode: 'demand_change',
      lines: [{ materialCode: 'MOTOR', quantity: '2' }, { materialCode: 'MOTOR', quantity: '2', batchNo: 'NOPE' }, { outboundLineNo: 1, quantity: '1' }],
    });
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad.body)).toEqual(['lines[0].batchNo:BATCH_REQUIRED', 'lines[2].outboundLineNo:NO_SOURCE']);
    const unknown = await T.as('POST', '/v1/sales-returns', { customerCode: 'C2', warehouseCode: 'QC', reasonCode: 'demand_change', lines: [{ materialCode: 'MOTOR', quantity: '2', batchNo: 'NOPE' }] });
    expect(fieldsOf(unknown.body)).toEqual(['lines[0].batchNo:UNKNOWN_BATCH']);
    const noCustomer = await T.as('POST', '/v1/sales-returns', { warehouseCode: 'QC', reasonCode: 'other', lines: [{ materialCode: 'BLADE', quantity: '1' }] });
    expect(fieldsOf(noCustomer.body)).toEqual(['customerId:REQUIRED']);
    const ok = await T.as('POST', '/v1/sales-returns', { customerCode: 'C2', warehouseCode: 'QC', reasonCode: 'demand_change', lines: [{ materialCode: 'MOTOR', quantity: '2', batchNo: 'B2' }, { materialCode: 'FAN', quantity: '1' }] });
    expect(ok.status).toBe(201);
    expect(ok.body.lines.map((l: any) => [l.materialCode, l.quantity, l.unit, l.baseQuantity, l.batchNo])).toEqual([['MOTOR', '2', 'PCS', '2', 'B2'], ['FAN', '1', 'BOX', '12', null]]);
    expect(await T.balances()).toEqual(['BLADE@MAIN/=50', 'FAN@MAIN/=120', 'FAN@QC/=12', 'MOTOR@MAIN/B1=30', 'MOTOR@MAIN/B2=50', 'MOTOR@QC/B2=2']);
    const rows = (await T.as('GET', '/v1/reports/sales-progress?groupBy=customer')).body.items;
    expect(rows.map((r: any) => [r.customerCode, r.materialCode, r.ordered, r.returned, r.returnedWithoutSource])).toEqual([['C2', 'FAN', '0', '0', '12'], ['C2', 'MOTOR', '0', '0', '2']]);
  });
});

describe('delivery plans: split, merged, tolerance (S1-5.4.1-c)', () => {
  it('S1-5.4.1-c: one plan covers lines of several orders, one line is split over plans, and the tolerance caps what all plans hold', async () => {
    const T = await setup('sales-plans');
    const o1 = await T.approved(T.c1, [{ materialCode: 'FAN', quantity: '10', price: '1', deliveryDate: D }]); // 120 PCS, +10% = 132
    const o2 = await T.approved(T.c1, [{ materialCode: 'FAN', quantity: '2', price: '1', deliveryDate: D }, { materialCode: 'BLADE', quantity: '7', price: '1', deliveryDate: D }]);
    const merged = await T.plan(T.c1, [{ orderLineId: o1.lines[0].id, quantity: '4' }, { orderLineId: o2.lines[0].id, quantity: '2' }, { orderLineId: o2.lines[1].id, quantity: '7' }]);
    expect(merged.status).toBe(201);
    expect(merged.body.lines.map((l: any) => [l.orderDocNo, l.orderLineNo, l.baseQuantity])).toEqual([[o1.docNo, 1, '48'], [o2.docNo, 1, '24'], [o2.docNo, 2, '7']]);
    const split = await T.plan(T.c1, [{ orderLineId: o1.lines[0].id, quantity: '6' }]);
    expect(split.status).toBe(201);
    // 11 BOX = 132 PCS: exactly the tolerance.
    const edge = await T.plan(T.c1, [{ orderLineId: o1.lines[0].id, quantity: '1' }]);
    expect(edge.status).toBe(201);
    const over = await T.plan(T.c1, [{ orderLineId: o2.lines[1].id, quantity: '1' }, { orderLineId: o1.lines[0].id, quantity: '1' }]);
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('OVER_TOLERANCE');
    expect(fieldsOf(over.body)).toEqual(['lines[0].quantity:OVER_TOLERANCE', 'lines[1].quantity:OVER_TOLERANCE']);
    expect(over.body.errors[0].message).toContain(`order ${o2.docNo} line 2`);
    expect(over.body.errors[1].message).toContain(`order ${o1.docNo} line 1`);
    expect((await T.as('GET', `/v1/sales-orders/${o1.id}`)).body.lines[0].planned).toBe('132');
    expect((await T.as('GET', `/v1/delivery-plans?orderId=${o1.id}`)).body.items.length).toBe(3);

    // Cancelling a plan frees its quantity; a cancelled plan does not change.
    const cancelled = await T.as('POST', `/v1/delivery-plans/${edge.body.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await T.as('GET', `/v1/sales-orders/${o1.id}`)).body.lines[0].planned).toBe('120');
    expect((await T.as('POST', `/v1/delivery-plans/${edge.body.id}/cancel`)).body.code).toBe('PLAN_NOT_CANCELLABLE');
    expect((await T.events(edge.body.id))).toEqual(['delivery_plan.created', 'delivery_plan.cancelled']);

    // The plan holds the latest quantity, date, address and consignee, with optimistic concurrency.
    const changed = await T.as('PATCH', `/v1/delivery-plans/${split.body.id}`, { version: 1, plannedDate: '2026-08-01', address: 'Dock 9', consignee: { name: '韩梅梅', phone: '139' }, lines: [{ orderLineId: o1.lines[0].id, quantity: '5' }] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, plannedDate: '2026-08-01', address: 'Dock 9', consignee: { name: '韩梅梅', phone: '139' } });
    expect(changed.body.lines.map((l: any) => [l.quantity, l.baseQuantity])).toEqual([['5', '60']]);
    const stale = await T.as('PATCH', `/v1/delivery-plans/${split.body.id}`, { version: 1, address: 'late' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    const tooBig = await T.as('PATCH', `/v1/delivery-plans/${split.body.id}`, { version: 2, lines: [{ orderLineId: o1.lines[0].id, quantity: '8' }] });
    expect(tooBig.body.code).toBe('OVER_TOLERANCE');
    expect((await T.events(split.body.id))).toEqual(['delivery_plan.created', 'delivery_plan.changed']);

    // Another customer's order, a draft order, and a customer without tolerance.
    const other = await T.approved(T.c2, [{ materialCode: 'BLADE', quantity: '10', price: '1', deliveryDate: D }]);
    const wrong = await T.plan(T.c1, [{ orderLineId: other.lines[0].id, quantity: '1' }]);
    expect(fieldsOf(wrong.body)).toEqual(['lines[0].orderLineId:OTHER_CUSTOMER']);
    const exact = await T.plan(T.c2, [{ orderLineId: other.lines[0].id, quantity: '11' }]);
    expect(exact.body.code).toBe('OVER_TOLERANCE');
    const draft = await T.order(T.c1, [{ materialCode: 'BLADE', quantity: '1', price: '1', deliveryDate: D }]);
    const unapproved = await T.plan(T.c1, [{ orderLineId: draft.lines[0].id, quantity: '1' }]);
    expect(unapproved.status).toBe(409);
    expect(unapproved.body.code).toBe('ORDER_NOT_APPROVED');
    // A cancelled order had nothing planned; one with a plan cannot be cancelled.
    expect((await T.as('POST', `/v1/sales-orders/${o2.id}/cancel`, { version: o2.version })).body.code).toBe('ORDER_NOT_CANCELLABLE');
    expect((await T.as('POST', `/v1/sales-orders/${draft.id}/cancel`, { version: draft.version, reason: 'typo' })).body.status).toBe('cancelled');
    expect(await T.events(draft.id)).toEqual(['sales_order.created', 'sales_order.cancelled']);
  });

  it('S1-5.4.1-d: shipping beyond the plan within the tolerance is allowed, beyond it is 422 OVER_TOLERANCE and posts nothing', async () => {
    const T = await setup('sales-tolerance');
    const o = await T.approved(T.c1, [{ materialCode: 'FAN', quantity: '1', price: '10', deliveryDate: D }]); // 12 PCS, limit 13.2
    const p = (await T.plan(T.c1, [{ orderLineId: o.lines[0].id, quantity: '1' }])).body;
    const over = (await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN', lines: [{ materialCode: 'FAN', quantity: '14', unit: 'PCS' }] })).body;
    const refused = await T.as('POST', `/v1/sales-outbounds/${over.id}/post`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('OVER_TOLERANCE');
    expect(fieldsOf(refused.body)).toEqual(['lines[0].quantity:OVER_TOLERANCE', 'lines[0].quantity:OVER_TOLERANCE']);
    expect((await T.as('GET', `/v1/sales-outbounds/${over.id}`)).body.status).toBe('draft');
    expect(await T.balances()).toEqual(['BLADE@MAIN/=50', 'FAN@MAIN/=120', 'MOTOR@MAIN/B1=30', 'MOTOR@MAIN/B2=50']);

    const within = (await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN', lines: [{ materialCode: 'FAN', quantity: '13', unit: 'PCS' }] })).body;
    expect(within.lines.map((l: any) => [l.quantity, l.unit, l.baseQuantity, l.origin])).toEqual([['13', 'PCS', '13', 'manual']]);
    expect((await T.as('POST', `/v1/sales-outbounds/${within.id}/post`)).status).toBe(200);
    expect(await T.balances()).toEqual(['BLADE@MAIN/=50', 'FAN@MAIN/=107', 'MOTOR@MAIN/B1=30', 'MOTOR@MAIN/B2=50']);
    const order = (await T.as('GET', `/v1/sales-orders/${o.id}`)).body;
    expect(order).toMatchObject({ status: 'closed', closeReason: 'fully shipped' });
    expect(order.lines[0]).toMatchObject({ shipped: '13', open: '0' });
    expect(await T.events(o.id)).toEqual(['sales_order.created', 'sales_order.approved', 'sales_order.in_delivery', 'sales_order.closed']);
    // Not enough stock: the ledger's 409 comes through and nothing is posted.
    const o2 = await T.approved(T.c2, [{ materialCode: 'BLADE', quantity: '60', price: '1', deliveryDate: D }]);
    const p2 = (await T.plan(T.c2, [{ orderLineId: o2.lines[0].id, quantity: '60' }])).body;
    const short = (await T.as('POST', '/v1/sales-outbounds', { planId: p2.id, warehouseCode: 'MAIN', lines: [{ materialCode: 'BLADE', quantity: '60' }] })).body;
    const noStock = await T.as('POST', `/v1/sales-outbounds/${short.id}/post`);
    expect(noStock.status).toBe(409);
    expect(noStock.body.code).toBe('STOCK_INSUFFICIENT');
    expect((await T.as('GET', `/v1/sales-orders/${o2.id}`)).body).toMatchObject({ status: 'approved', lines: [{ shipped: '0' }] });
    expect((await T.as('GET', `/v1/delivery-plans/${p2.id}`)).body.status).toBe('open');
    expect(await T.balances()).toEqual(['BLADE@MAIN/=50', 'FAN@MAIN/=107', 'MOTOR@MAIN/B1=30', 'MOTOR@MAIN/B2=50']);
    // A partial shipment keeps the rest open.
    const part = (await T.as('POST', '/v1/sales-outbounds', { planId: p2.id, warehouseCode: 'MAIN', lines: [{ materialCode: 'BLADE', quantity: '20' }] })).body;
    expect((await T.as('POST', `/v1/sales-outbounds/${part.id}/post`)).status).toBe(200);
    expect((await T.as('GET', `/v1/delivery-plans/${p2.id}`)).body).toMatchObject({ status: 'partially_shipped', lines: [{ shipped: '20', open: '40' }] });
    expect((await T.as('GET', `/v1/sales-orders/${o2.id}`)).body).toMatchObject({ status: 'in_delivery', lines: [{ shipped: '20', open: '40' }] });
    expect(await T.events(p2.id)).toEqual(['delivery_plan.created', 'delivery_plan.partially_shipped']);
    expect(await T.balances()).toEqual(['BLADE@MAIN/=30', 'FAN@MAIN/=107', 'MOTOR@MAIN/B1=30', 'MOTOR@MAIN/B2=50']);
  });

  it('S1-5.4.1-d: two outbounds shipping the same plan line at once cannot over-ship it', async () => {
    const T = await setup('sales-race');
    // The order stays open (20 ordered): the plan line (10, no tolerance) is what the two race for.
    const o = await T.approved(T.c2, [{ materialCode: 'BLADE', quantity: '20', price: '1', deliveryDate: D }]);
    const p = (await T.plan(T.c2, [{ orderLineId: o.lines[0].id, quantity: '10' }])).body;
    const a = (await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN' })).body;
    const b = (await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN' })).body;
    const results = await Promise.all([a, b].map((x) => T.as('POST', `/v1/sales-outbounds/${x.id}/post`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    expect(results.find((r) => r.status === 422)!.body.code).toBe('OVER_TOLERANCE');
    expect((await T.as('GET', `/v1/sales-orders/${o.id}`)).body.lines[0].shipped).toBe('10');
    expect(await T.balances()).toEqual(['BLADE@MAIN/=40', 'FAN@MAIN/=120', 'MOTOR@MAIN/B1=30', 'MOTOR@MAIN/B2=50']);
  });
});

describe('expired batches (S1-5.4.3-i, S1-5.4.1-d)', () => {
  it('S1-5.4.3-i: FIFO/FEFO never suggests nor auto-picks an expired batch; a hand pick of one needs allowExpired with a reason, which the document and the audit keep', async () => {
    const T = await setup('sales-expiry');
    const milk = (await T.make('/v1/materials', { code: 'MILK', name: 'Milk', baseUnit: 'PCS', tracking: 'batch', trackExpiry: true })).id as string;
    await T.stockIn([
      { materialId: milk, quantity: '10', unit: 'PCS', warehouseId: T.w.main, batchNo: 'OLD', expiryDate: '2020-01-31' },
      { materialId: milk, quantity: '10', unit: 'PCS', warehouseId: T.w.main, batchNo: 'NEW', expiryDate: '2099-12-31' },
    ]);
    const fifo = await T.as('GET', `/v1/stock/fifo?materialId=${milk}&quantity=15`);
    expect(fifo.body).toMatchObject({ suggested: '10', shortfall: '5', expired: '10' });
    expect(fifo.body.picks.map((p: any) => [p.batchNo, p.quantity])).toEqual([['NEW', '10']]);

    const o = await T.approved(T.c1, [{ materialId: milk, quantity: '12', unit: 'PCS', price: '1', deliveryDate: D }]);
    const p = (await T.plan(T.c1, [{ orderLineId: o.lines[0].id, quantity: '12' }])).body;
    const auto = await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN' });
    expect(auto.body.lines.map((l: any) => [l.batchNo, l.baseQuantity, l.origin])).toEqual([['NEW', '10', 'fifo']]);

    const line = { materialId: milk, quantity: '2', unit: 'PCS', batchNo: 'OLD' };
    const refused = await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN', lines: [line] });
    expect(refused.body).toMatchObject({ status: 422, code: 'EXPIRED_BATCH' });
    expect(fieldsOf(refused.body)).toEqual(['lines[0].batchNo:EXPIRED_BATCH']);
    const noReason = await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN', lines: [{ ...line, allowExpired: true }] });
    expect(fieldsOf(noReason.body)).toEqual(['lines[0].expiredReason:REASON_REQUIRED']);
    const chosen = await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN', lines: [{ ...line, allowExpired: true, expiredReason: 'customer takes it for rework' }] });
    expect(chosen.status).toBe(201);
    expect(chosen.body.lines.map((l: any) => [l.batchNo, l.expiredReason])).toEqual([['OLD', 'customer takes it for rework']]);
    expect((await T.as('POST', `/v1/sales-outbounds/${chosen.body.id}/post`)).status).toBe(200);
    const audit = (await T.as('GET', '/v1/audit?action=createSalesOutbound&outcome=success')).body.items.at(-1);
    expect(audit.details.expiredPicks).toEqual([{ lineNo: 1, batchNo: 'OLD', reason: 'customer takes it for rework' }]);

    // A batch that expires after the draft was picked is not shipped by the FIFO draft either.
    await t.server.built.ctx.db.asOwner((sql) => sql.query(`UPDATE batches SET expiry_date = current_date - 1 WHERE tenant_id = '${T.id}' AND batch_no = 'NEW'`));
    const late = await T.as('POST', `/v1/sales-outbounds/${auto.body.id}/post`);
    expect(late.body).toMatchObject({ status: 409, code: 'EXPIRED_BATCH' });
    expect(fieldsOf(late.body)).toEqual(['lines[0].batchNo:EXPIRED_BATCH']);
    expect((await T.balances()).filter((b) => b.startsWith('MILK'))).toEqual(['MILK@MAIN/NEW=10', 'MILK@MAIN/OLD=8']);
  });
});

describe('approval and versions (S1-5.4.1-b, S1-5.1.5)', () => {
  it('S1-5.1.5: approving needs sales:approve, and where the tenant forbids it nobody approves their own order', async () => {
    const T = await setup('sales-approve');
    const clerk = (await T.make('/v1/api-keys', { name: 'clerk', permissions: ['sales:read', 'sales:write'] })).key as string;
    const asClerk: Api = (method, path, body) => call(t.url, clerk, method, path, body);
    const o = await T.order(T.c1, [{ materialCode: 'BLADE', quantity: '3', price: '2', deliveryDate: D }], asClerk);
    const denied = await asClerk('POST', `/v1/sales-orders/${o.id}/approve`, { version: o.version });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'sales:approve' });
    const shipDenied = await asClerk('POST', '/v1/sales-returns', { customerCode: 'C1', warehouseCode: 'QC', reasonCode: 'other', lines: [{ materialCode: 'BLADE', quantity: '1' }] });
    expect(shipDenied.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'sales:ship' });

    expect((await T.as('PATCH', '/v1/settings', { forbidSelfApproval: true })).status).toBe(200);
    // The clerk's key belongs to the tenant admin user: the same user cannot approve.
    const self = await T.as('POST', `/v1/sales-orders/${o.id}/approve`, { version: o.version });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('SELF_APPROVAL_FORBIDDEN');
    const boss = await T.make('/v1/users', { username: 'boss', displayName: 'Boss', roles: ['admin'] });
    const bossKey = (await T.make('/v1/api-keys', { name: 'boss', userId: boss.id, permissions: ['sales:*'] })).key as string;
    const ok = await call(t.url, bossKey, 'POST', `/v1/sales-orders/${o.id}/approve`, { version: o.version });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', approvedBy: expect.stringContaining('boss') });
    const again = await call(t.url, bossKey, 'POST', `/v1/sales-orders/${o.id}/approve`, { version: ok.body.version });
    // RFC 9457: `status` is the HTTP status; the document's state travels as documentStatus.
    expect(again.body).toMatchObject({ status: 409, code: 'ORDER_NOT_DRAFT', documentStatus: 'approved' });
  });

  it('S1-5.4.1-b: approve, cancel and close take the version the caller read and bump it: an order changed after the review is not approved as changed', async () => {
    const T = await setup('sales-action-versions');
    const o = await T.order(T.c1, [{ materialCode: 'BLADE', quantity: '10', price: '2', deliveryDate: D }]);
    // The reviewer read version 1; meanwhile a clerk raised the quantity.
    expect((await T.as('PATCH', `/v1/sales-orders/${o.id}`, { version: 1, lines: [{ lineNo: 1, materialCode: 'BLADE', quantity: '40', price: '2', deliveryDate: D }] })).status).toBe(200);
    const stale = await T.as('POST', `/v1/sales-orders/${o.id}/approve`, { version: 1 });
    expect(stale.body).toMatchObject({ status: 409, code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await T.as('GET', `/v1/sales-orders/${o.id}`)).body).toMatchObject({ status: 'draft', version: 2 });
    const missing = await T.as('POST', `/v1/sales-orders/${o.id}/approve`, {});
    expect(missing.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'version', code: 'REQUIRED' }] });
    const ok = await T.as('POST', `/v1/sales-orders/${o.id}/approve`, { version: 2 });
    expect(ok.body).toMatchObject({ status: 'approved', version: 3 });
    expect((await T.as('GET', `/v1/sales-orders/${o.id}/versions`)).body.items.map((v: any) => [v.version, v.snapshot.lines[0].quantity])).toEqual([[3, '40']]);

    expect((await T.as('POST', `/v1/sales-orders/${o.id}/close`, { version: 2, reason: 'late' })).body).toMatchObject({ status: 409, code: 'VERSION_CONFLICT', currentVersion: 3 });
    expect((await T.as('POST', `/v1/sales-orders/${o.id}/close`, { version: 3, reason: 'customer needs no more' })).body).toMatchObject({ status: 'closed', version: 4 });

    const draft = await T.order(T.c1, [{ materialCode: 'BLADE', quantity: '1', price: '2', deliveryDate: D }]);
    expect((await T.as('POST', `/v1/sales-orders/${draft.id}/cancel`, { version: 0 })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await T.as('POST', `/v1/sales-orders/${draft.id}/cancel`, { version: 2 })).body).toMatchObject({ status: 409, code: 'VERSION_CONFLICT', currentVersion: 1 });
    expect((await T.as('POST', `/v1/sales-orders/${draft.id}/cancel`, { version: 1, reason: 'typo' })).body).toMatchObject({ status: 'cancelled', version: 2 });
  });

  it('S1-5.4.1-b: every change of a draft bumps its version (a second clerk with a stale copy is refused); after approval each change is a new version, an increase needs approval again, and shipping waits for it', async () => {
    const T = await setup('sales-versions');
    const o = await T.order(T.c1, [{ materialCode: 'BLADE', quantity: '10', price: '2', deliveryDate: D }]);
    const draftEdit = await T.as('PATCH', `/v1/sales-orders/${o.id}`, { version: 1, remark: 'rush', lines: [{ lineNo: 1, materialCode: 'BLADE', quantity: '12', price: '2', deliveryDate: D }] });
    expect(draftEdit.body).toMatchObject({ version: 2, status: 'draft', remark: 'rush', grossTotal: '24.00' });
    const staleDraft = await T.as('PATCH', `/v1/sales-orders/${o.id}`, { version: 1, remark: 'from the other clerk' });
    expect(staleDraft.status).toBe(409);
    expect(staleDraft.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    await T.approve(o.id);
    const p = (await T.plan(T.c1, [{ orderLineId: o.lines[0].id, quantity: '6' }])).body;
    const ob = (await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN', lines: [{ materialCode: 'BLADE', quantity: '4' }] })).body;
    expect((await T.as('POST', `/v1/sales-outbounds/${ob.id}/post`)).status).toBe(200);

    // Approval made version 3. Lowering the quantity and moving the date keeps it in delivery: version 4.
    const lower = await T.as('PATCH', `/v1/sales-orders/${o.id}`, { version: 3, reason: 'customer cut back', lines: [{ lineNo: 1, materialCode: 'BLADE', quantity: '8', price: '2', deliveryDate: '2026-08-01' }] });
    expect(lower.status).toBe(200);
    expect(lower.body).toMatchObject({ version: 4, status: 'in_delivery', lines: [{ quantity: '8', deliveryDate: '2026-08-01', open: '4' }] });
    // Never below shipped (4), nor below what plans hold (6) beyond the tolerance; a stale version is 409.
    const below = await T.as('PATCH', `/v1/sales-orders/${o.id}`, { version: 4, lines: [{ lineNo: 1, materialCode: 'BLADE', quantity: '3', price: '2', deliveryDate: D }] });
    expect(fieldsOf(below.body)).toEqual(['lines[0].quantity:BELOW_SHIPPED']);
    const belowPlan = await T.as('PATCH', `/v1/sales-orders/${o.id}`, { version: 4, lines: [{ lineNo: 1, materialCode: 'BLADE', quantity: '5', price: '2', deliveryDate: D }] });
    expect(fieldsOf(belowPlan.body)).toEqual(['lines[0].quantity:BELOW_PLANNED']);
    const stale = await T.as('PATCH', `/v1/sales-orders/${o.id}`, { version: 3, remark: 'x' });
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 4 });

    // Adding a line sends it back for approval; meanwhile nothing ships.
    const more = await T.as('PATCH', `/v1/sales-orders/${o.id}`, { version: 4, reason: 'add fans', lines: [{ lineNo: 1, materialCode: 'BLADE', quantity: '8', price: '2', deliveryDate: D }, { materialCode: 'FAN', quantity: '1', price: '50', deliveryDate: D }] });
    expect(more.body).toMatchObject({ version: 5, status: 'draft' });
    expect(more.body.lines.map((l: any) => [l.lineNo, l.materialCode])).toEqual([[1, 'BLADE'], [2, 'FAN']]);
    const waiting = (await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN', lines: [] }));
    expect(waiting.status).toBe(409);
    expect(waiting.body.code).toBe('ORDER_NOT_APPROVED');
    expect(await T.balances()).toEqual(['BLADE@MAIN/=46', 'FAN@MAIN/=120', 'MOTOR@MAIN/B1=30', 'MOTOR@MAIN/B2=50']);
    const again = await T.approve(o.id);
    expect(again).toMatchObject({ status: 'in_delivery', version: 6 });

    const versions = (await T.as('GET', `/v1/sales-orders/${o.id}/versions`)).body.items;
    expect(versions.map((v: any) => [v.version, v.reason, v.snapshot.status, v.snapshot.lines.length, v.snapshot.lines[0].quantity])).toEqual([
      [3, 'approved', 'approved', 1, '12'], [4, 'customer cut back', 'in_delivery', 1, '8'], [5, 'add fans', 'draft', 2, '8'], [6, 'approved', 'in_delivery', 2, '8'],
    ]);
    expect(await T.events(o.id)).toEqual([
      'sales_order.created', 'sales_order.changed', 'sales_order.approved', 'sales_order.in_delivery', 'sales_order.changed', 'sales_order.changed', 'sales_order.approved',
    ]);
  });

  it('S1-5.4.1-b: bad orders are refused naming every offending field, and nothing is saved', async () => {
    const T = await setup('sales-invalid');
    await T.make('/v1/units', { code: 'KG', name: 'Kilogram', decimals: 3 });
    await T.make('/v1/features', { code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }] });
    const tpl = await T.make('/v1/materials', { code: 'TPL', name: 'Template', baseUnit: 'PCS', variantFeatures: ['COLOR'] });
    const res = await T.as('POST', '/v1/sales-orders', {
      customerCode: 'NOPE', lines: [
        { materialCode: 'GHOST', quantity: '1', price: '1', deliveryDate: D },
        { materialId: tpl.id, quantity: '1', price: '1', deliveryDate: D },
        { materialCode: 'FAN', quantity: '1.5', price: '1', deliveryDate: D },
        { materialCode: 'BLADE', quantity: '1', unit: 'KG', price: '1', deliveryDate: D },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('SALES_ORDER_INVALID');
    expect(fieldsOf(res.body)).toEqual([
      'customerCode:UNKNOWN_CUSTOMER', 'lines[0].materialCode:UNKNOWN_MATERIAL', 'lines[1].materialId:TEMPLATE_NOT_SOLD', 'lines[2].quantity:FRACTION_NOT_ALLOWED', 'lines[3].unit:UNIT_NOT_CONVERTIBLE',
    ]);
    const shape = await T.as('POST', '/v1/sales-orders', { customerId: T.c1, lines: [{ materialCode: 'FAN', quantity: '1', price: '1.2.3', deliveryDate: 'soon' }] });
    expect(shape.status).toBe(400);
    expect((await T.as('GET', '/v1/sales-orders')).body.items).toEqual([]);
  });
});

describe('PDA scans (S1-5.4.1-d)', () => {
  it('S1-5.4.1-d: scanned labels fill an empty outbound; a resent scan with the same Idempotency-Key counts once', async () => {
    const T = await setup('sales-scan');
    const o = await T.approved(T.c1, [{ materialCode: 'MOTOR', quantity: '20', price: '1', deliveryDate: D }]);
    const p = (await T.plan(T.c1, [{ orderLineId: o.lines[0].id, quantity: '20' }])).body;
    const ob = (await T.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN', lines: [] })).body;
    expect(ob.lines).toEqual([]);
    const scan = (body: unknown, key: string) => T.as('POST', `/v1/sales-outbounds/${ob.id}/scans`, body, { 'idempotency-key': key });
    const first = await scan({ scans: [{ barcode: '(240)MOTOR(10)B2', quantity: '5' }] }, 'pda-1');
    expect(first.status).toBe(200);
    expect(first.body.lines.map((l: any) => [l.lineNo, l.batchNo, l.quantity, l.origin])).toEqual([[1, 'B2', '5', 'scan']]);
    const resent = await scan({ scans: [{ barcode: '(240)MOTOR(10)B2', quantity: '5' }] }, 'pda-1');
    expect(resent.status).toBe(200);
    expect(resent.headers.get('idempotent-replayed')).toBe('true');
    expect((await T.as('GET', `/v1/sales-outbounds/${ob.id}`)).body.lines.map((l: any) => l.quantity)).toEqual(['5']);
    const second = await scan({ scans: [{ barcode: '(240)MOTOR(10)B2', quantity: '5' }, { barcode: '(240)MOTOR(10)B1(30)3' }] }, 'pda-2');
    expect(second.body.lines.map((l: any) => [l.batchNo, l.quantity])).toEqual([['B2', '10'], ['B1', '3']]);
    // A label of a material not on the plan, or an unreadable one: nothing is added.
    const bad = await scan({ scans: [{ barcode: '(240)MOTOR(10)B1' }, { barcode: 'FAN' }, { barcode: '(240)NOPE' }] }, 'pda-3');
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad.body)).toEqual(['scans[1].barcode:NOT_ON_PLAN', 'scans[2].barcode:BARCODE_TARGET_NOT_FOUND']);
    expect((await T.as('GET', `/v1/sales-outbounds/${ob.id}`)).body.lines.map((l: any) => l.quantity)).toEqual(['10', '3']);

    const posted = await T.as('POST', `/v1/sales-outbounds/${ob.id}/post`, undefined, { 'idempotency-key': 'pda-post' });
    expect(posted.status).toBe(200);
    expect(await T.balances()).toEqual(['BLADE@MAIN/=50', 'FAN@MAIN/=120', 'MOTOR@MAIN/B1=27', 'MOTOR@MAIN/B2=40']);
    expect((await T.as('POST', `/v1/sales-outbounds/${ob.id}/post`, undefined, { 'idempotency-key': 'pda-post' })).headers.get('idempotent-replayed')).toBe('true');
    expect(await T.balances()).toEqual(['BLADE@MAIN/=50', 'FAN@MAIN/=120', 'MOTOR@MAIN/B1=27', 'MOTOR@MAIN/B2=40']);
    const late = await scan({ scans: [{ barcode: '(240)MOTOR(10)B1' }] }, 'pda-4');
    expect(late.body.code).toBe('OUTBOUND_POSTED');
    expect((await T.as('GET', `/v1/delivery-plans/${p.id}`)).body).toMatchObject({ status: 'partially_shipped', lines: [{ shipped: '13', open: '7' }] });
  });
});

describe('tenant isolation (S1-5.3.2-a)', () => {
  it("S1-5.3.2-a: another tenant neither sees, approves, plans nor ships a tenant's sales documents", async () => {
    const A = await setup('sales-iso-a');
    const B = await setup('sales-iso-b');
    const o = await A.order(A.c1, [{ materialCode: 'BLADE', quantity: '5', price: '1', deliveryDate: D }]);
    expect((await B.as('GET', `/v1/sales-orders/${o.id}`)).status).toBe(404);
    expect((await B.as('POST', `/v1/sales-orders/${o.id}/approve`, { version: 1 })).status).toBe(404);
    expect((await B.as('GET', `/v1/sales-orders/${o.id}/versions`)).status).toBe(404);
    await A.approve(o.id);
    const p = (await A.plan(A.c1, [{ orderLineId: o.lines[0].id, quantity: '5' }])).body;
    const ob = (await A.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN' })).body;
    expect(fieldsOf((await B.plan(B.c1, [{ orderLineId: o.lines[0].id, quantity: '1' }])).body)).toEqual(['lines[0].orderLineId:UNKNOWN_ORDER_LINE']);
    expect(fieldsOf((await B.as('POST', '/v1/sales-outbounds', { planId: p.id, warehouseCode: 'MAIN' })).body)).toEqual(['planId:UNKNOWN_PLAN']);
    expect((await B.as('POST', `/v1/sales-outbounds/${ob.id}/post`)).status).toBe(404);
    expect((await B.as('GET', `/v1/delivery-plans/${p.id}`)).status).toBe(404);
    for (const path of ['/v1/sales-orders', '/v1/delivery-plans', '/v1/sales-outbounds', '/v1/sales-returns', '/v1/reports/sales-progress']) {
      expect((await B.as('GET', path)).body.items, path).toEqual([]);
    }
    expect((await A.as('GET', '/v1/sales-orders')).body.items.length).toBe(1);
    expect(await B.balances()).toEqual(['BLADE@MAIN/=50', 'FAN@MAIN/=120', 'MOTOR@MAIN/B1=30', 'MOTOR@MAIN/B2=50']);
  });
});
