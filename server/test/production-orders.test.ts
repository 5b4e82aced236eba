/**
 * Production orders over real HTTP (S1-5.4.4-e): orders entered by hand and made to order for a
 * sales order line, the life cycle with optimistic versions, approval where the tenant asks for it,
 * release giving the order its own operations and component requirements (untouched by later
 * engineering changes), cancellation rules, the list filters, events and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockOrder, markInProgress } from '../src/modules/production/orders.js';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { fanBoms, fieldsOf, productionTenant, type Api } from './production-setup.js';

let t: TestServer;
let T: Awaited<ReturnType<typeof productionTenant>>;
let boms: Awaited<ReturnType<typeof fanBoms>>;

beforeAll(async () => {
  t = await startTestServer();
  T = await productionTenant(t, 'orders');
  boms = await fanBoms(T);
  const r = await T.make('/v1/routings', {
    code: 'RT-FAN', name: 'Fan', effectiveFrom: '2026-01-01',
    operations: [
      { seq: 10, name: 'Press', workCentreCode: 'WC-PRESS', setupMinutes: '15', runMinutes: '0.5' },
      { seq: 20, name: 'Motor', workCentreCode: 'WC-ASSY', runMinutes: '2.25', alternates: [{ workCentreCode: 'WC-ASSY2' }] },
      { seq: 30, name: 'Final', workCentreCode: 'WC-ASSY', runMinutes: '4', inspectionPoint: true, inspectionText: 'noise' },
    ],
  });
  await T.make(`/v1/routings/${r.id}/release`, { version: r.version });
  const fan = (await T.as('GET', `/v1/materials/${T.m.fan}`)).body;
  await T.as('PATCH', `/v1/materials/${T.m.fan}`, { version: fan.version, defaultRouting: 'RT-FAN' });
});
afterAll(async () => {
  await t?.stop();
});

const byHand = { materialCode: 'FAN-A', quantity: '2', unit: 'BOX', workshopCode: 'WS-ASSY', lineCode: 'L1', plannedStart: '2026-03-02', plannedFinish: '2026-03-06', dueDate: '2026-03-10', priority: 3 };

describe('orders entered by hand (S1-5.4.4-e)', () => {
  let order: any;

  it('S1-5.4.4-e: an order records product, quantity, workshop, line, planned start and finish, with the BOM and routing in effect', async () => {
    const res = await T.as('POST', '/v1/production-orders', byHand);
    expect(res.status).toBe(201);
    order = res.body;
    expect(order.docNo).toMatch(/^MO\d{8}-\d{4}$/);
    expect(order).toMatchObject({
      status: 'planned', version: 1, materialCode: 'FAN-A', quantity: '2', unit: 'BOX', baseQuantity: '24', baseUnit: 'PCS', workshopCode: 'WS-ASSY', lineCode: 'L1',
      plannedStart: '2026-03-02', plannedFinish: '2026-03-06', dueDate: '2026-03-10', source: 'manual', priority: 3, bomVersionId: boms.fan.id, bomRevision: 1,
      routingCode: 'RT-FAN', routingRevision: 1, approvalRequired: false, operations: [], components: [],
    });
    const listed = (await T.as('GET', `/v1/production-orders?status=planned&workshopId=${T.workshop.id}&materialId=${T.m.fan}&dueFrom=2026-03-10&dueTo=2026-03-10`)).body.items;
    expect(listed.map((o: any) => o.docNo)).toEqual([order.docNo]);
    expect((await T.as('GET', '/v1/production-orders?dueFrom=2026-03-11')).body.items).toEqual([]);
    expect((await T.as('GET', `/v1/production-orders?docNo=${order.docNo}`)).body.items[0]).toMatchObject({ lineCode: 'L1', workshopCode: 'WS-ASSY' });
  });

  it('S1-5.4.4-e: release copies the routing\'s operations and the exploded BOM\'s requirements; later engineering changes leave the order as it was', async () => {
    const stale = await T.as('POST', `/v1/production-orders/${order.id}/release`, { version: order.version + 1 });
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: order.version });
    const res = await T.as('POST', `/v1/production-orders/${order.id}/release`, { version: order.version });
    expect(res.status).toBe(200);
    const released = res.body;
    expect(released).toMatchObject({ status: 'released', version: order.version + 1, releasedBy: expect.any(String) });
    expect(released.operations.map((o: any) => [o.seq, o.workCentreCode, o.plannedMinutes, o.status, o.goodQuantity, o.scrapQuantity, o.pendingInspectionQuantity, o.inspectionPoint])).toEqual([
      [10, 'WC-PRESS', '27', 'pending', '0', '0', '0', false],
      [20, 'WC-ASSY', '54', 'pending', '0', '0', '0', false],
      [30, 'WC-ASSY', '96', 'pending', '0', '0', '0', true],
    ]);
    expect(released.operations[1].alternates).toEqual([{ priority: 1, workCentreId: T.wc.assy2.id, workCentreCode: 'WC-ASSY2', setupMinutes: null, runMinutes: null }]);
    expect(released.components.map((c: any) => [c.lineNo, c.materialCode, c.operationSeq, c.perUnit, c.standardQuantity, c.requiredQuantity, c.issueType, c.includeInKitting, c.viaPhantoms.join(',')])).toEqual([
      [1, 'MOTOR-1', 20, '1', '24', '24', 'manual', true, ''],
      [2, 'SCREW', 30, '4', '96', '96', 'backflush_receipt', false, 'KIT-HW'],
      [3, 'WASHER', 30, '4', '96', '96', 'backflush_receipt', true, 'KIT-HW'],
      [4, 'BLADE', 30, '3.15', '75.6', '76', 'manual', true, ''],
    ]);
    expect(released.components[3]).toMatchObject({ issuedQuantity: '0', backflushedQuantity: '0', returnedQuantity: '0', alternates: [{ priority: 1, materialCode: 'BLADE-B', perUnit: '3.15' }] });

    // Engineering moves on: a new BOM and a new routing revision from April.
    const bom2 = await T.make('/v1/boms', { materialCode: 'FAN-A', type: 'manufacturing', effectiveFrom: '2026-04-01', lines: [{ materialCode: 'MOTOR-1', quantity: '1' }, { materialCode: 'BLADE', quantity: '5' }] });
    await T.make(`/v1/boms/${bom2.id}/release`, { version: bom2.version });
    const r2 = await T.make('/v1/routings', { code: 'RT-FAN', effectiveFrom: '2026-04-01', operations: [{ seq: 10, name: 'All in one', workCentreCode: 'WC-ASSY', runMinutes: '9' }] });
    await T.make(`/v1/routings/${r2.id}/release`, { version: r2.version });
    const again = (await T.as('GET', `/v1/production-orders/${order.id}`)).body;
    expect(again.operations).toEqual(released.operations);
    expect(again.components).toEqual(released.components);
    expect((await T.as('GET', `/v1/boms/${boms.fan.id}`)).body.status).toBe('obsolete');

    const events = (await T.as('GET', `/v1/events?aggregateId=${order.id}`)).body.items;
    expect(events.map((e: any) => e.type)).toEqual(['production_order.created', 'production_order.released']);
    expect(events[1].payload).toMatchObject({ docNo: order.docNo, status: 'released', workshopCode: 'WS-ASSY', quantity: '24', operations: 3, components: 4 });
  });

  it('S1-5.4.4-e: once released only dates, line, due date, priority and remark change; the life cycle runs to closed', async () => {
    const o = (await T.as('GET', `/v1/production-orders/${order.id}`)).body;
    const fixed = await T.as('PATCH', `/v1/production-orders/${o.id}`, { version: o.version, quantity: '3' });
    expect(fixed.status).toBe(422);
    expect(fieldsOf(fixed.body)).toEqual(['quantity:FIXED_AFTER_RELEASE']);
    const moved = (await T.as('PATCH', `/v1/production-orders/${o.id}`, { version: o.version, plannedFinish: '2026-03-09', priority: 1, lineId: null })).body;
    expect(moved).toMatchObject({ plannedFinish: '2026-03-09', priority: 1, lineId: null, version: o.version + 1 });
    const done = (await T.as('POST', `/v1/production-orders/${o.id}/complete`, { version: moved.version })).body;
    expect(done).toMatchObject({ status: 'completed', completedAt: expect.any(String) });
    expect((await T.as('POST', `/v1/production-orders/${o.id}/cancel`, { version: done.version })).body).toMatchObject({ code: 'ORDER_NOT_CANCELLABLE', documentStatus: 'completed' });
    expect((await T.as('PATCH', `/v1/production-orders/${o.id}`, { version: done.version, remark: 'x' })).body.code).toBe('ORDER_NOT_CHANGEABLE');
    const closed = (await T.as('POST', `/v1/production-orders/${o.id}/close`, { version: done.version })).body;
    expect(closed).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
  });

  it('S1-5.4.4-e: cancellation: a planned order, or a released one nothing happened on; execution starts an order', async () => {
    const planned = await T.make('/v1/production-orders', byHand);
    expect((await T.as('POST', `/v1/production-orders/${planned.id}/cancel`, { version: planned.version, reason: 'demand gone' })).body).toMatchObject({ status: 'cancelled', cancelReason: 'demand gone' });
    const a = await T.make('/v1/production-orders', byHand);
    const ra = await T.make(`/v1/production-orders/${a.id}/release`, { version: a.version });
    expect((await T.as('POST', `/v1/production-orders/${a.id}/cancel`, { version: ra.version })).body.status).toBe('cancelled');

    const b = await T.make('/v1/production-orders', byHand);
    const rb = await T.make(`/v1/production-orders/${b.id}/release`, { version: b.version });
    // What execution will do: issue material under the order's lock, then start it.
    await t.server.built.ctx.db.transaction({ tenantId: T.id }, async (tx) => {
      const row = await lockOrder(tx, T.id, b.id);
      await tx.query(`UPDATE production_order_components SET issued_quantity = 24 WHERE tenant_id = $1 AND order_id = $2 AND line_no = 1`, [T.id, b.id]);
      await markInProgress(tx, { tenantId: T.id, userId: T.adminUserId, actor: 'execution', principal: undefined as never }, row);
    });
    const busy = await T.as('POST', `/v1/production-orders/${b.id}/cancel`, { version: rb.version + 1 });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ code: 'ORDER_NOT_CANCELLABLE', documentStatus: 'in_progress' });
    expect((await T.as('GET', `/v1/production-orders/${b.id}`)).body).toMatchObject({ status: 'in_progress', startedAt: expect.any(String) });
    expect((await T.as('GET', '/v1/production-orders?status=open')).body.items.map((o: any) => o.id)).toEqual([b.id]);
  });
});

describe('made to order and approval', () => {
  it('S1-5.4.4-e: an order for a sales order line carries the sales order number and its delivery date', async () => {
    const customer = await T.make('/v1/customers', { code: 'C1', name: 'Customer' });
    const draft = await T.make('/v1/sales-orders', { customerId: customer.id, lines: [{ materialCode: 'FAN-A', quantity: '10', price: '100', deliveryDate: '2026-05-20' }] });
    const notOpen = await T.as('POST', '/v1/production-orders', { materialCode: 'FAN-A', quantity: '10', salesOrderLineId: draft.lines[0].id, plannedStart: '2026-05-04', plannedFinish: '2026-05-08' });
    expect(fieldsOf(notOpen.body)).toEqual(['salesOrderLineId:SALES_ORDER_NOT_OPEN']);
    const so = await T.make(`/v1/sales-orders/${draft.id}/approve`, { version: draft.version });
    const mto = await T.make('/v1/production-orders', { materialCode: 'FAN-A', quantity: '10', salesOrderLineId: so.lines[0].id, plannedStart: '2026-05-04', plannedFinish: '2026-05-08' });
    expect(mto).toMatchObject({ source: 'sales_demand', mtoNo: so.docNo, salesOrderId: so.id, salesOrderLineNo: 1, dueDate: '2026-05-20', workshopCode: 'WS-ASSY', bomRevision: 2 });
    expect((await T.as('GET', `/v1/production-orders?salesOrderId=${so.id}`)).body.items.map((o: any) => o.id)).toEqual([mto.id]);
    const noLine = await T.as('POST', '/v1/production-orders', { materialCode: 'FAN-A', quantity: '1', source: 'sales_demand', plannedStart: '2026-05-04', plannedFinish: '2026-05-08' });
    expect(fieldsOf(noLine.body)).toEqual(['salesOrderLineId:REQUIRED']);
  });

  it('S1-5.1.5 S1-5.4.4-e: where the tenant asks, an order is approved by someone else before release; a change withdraws the approval', async () => {
    await T.as('PATCH', '/v1/settings', { productionOrderApproval: true, forbidSelfApproval: true });
    const o = await T.make('/v1/production-orders', byHand);
    expect(o.approvalRequired).toBe(true);
    const early = await T.as('POST', `/v1/production-orders/${o.id}/release`, { version: o.version });
    expect(early.body).toMatchObject({ code: 'ORDER_NOT_APPROVED', documentStatus: 'planned' });
    const self = await T.as('POST', `/v1/production-orders/${o.id}/approve`, { version: o.version });
    expect(self.body.code).toBe('SELF_APPROVAL_FORBIDDEN');
    await T.make('/v1/users', { username: 'supervisor', displayName: 'Supervisor', password: 'correct horse battery', roles: ['admin'] });
    const token = (await call(t.url, undefined, 'POST', '/v1/auth/login', { tenant: 'orders', username: 'supervisor', password: 'correct horse battery' })).body.token;
    const asSupervisor: Api = (method, path, body) => call(t.url, token, method, path, body);
    const approved = (await asSupervisor('POST', `/v1/production-orders/${o.id}/approve`, { version: o.version })).body;
    expect(approved).toMatchObject({ approvedBy: 'supervisor', version: o.version + 1 });
    const changed = (await T.as('PATCH', `/v1/production-orders/${o.id}`, { version: approved.version, quantity: '3' })).body;
    expect(changed).toMatchObject({ approvedBy: null, baseQuantity: '36' });
    const reapproved = (await asSupervisor('POST', `/v1/production-orders/${o.id}/approve`, { version: changed.version })).body;
    expect((await T.as('POST', `/v1/production-orders/${o.id}/release`, { version: reapproved.version })).body.status).toBe('released');
    await T.as('PATCH', '/v1/settings', { productionOrderApproval: false, forbidSelfApproval: false });
  });
});

describe('bad input (S1-5.4.4-e)', () => {
  it('S1-5.4.4-e: an order that cannot be saved says why, field by field, and nothing is written', async () => {
    const before = (await T.as('GET', '/v1/production-orders?limit=500')).body.items.length;
    const bad = await T.as('POST', '/v1/production-orders', { materialCode: 'FAN-A', quantity: '1.5', workshopCode: 'WS-NONE', plannedStart: '2026-03-06', plannedFinish: '2026-03-02', bomVersionId: T.m.fan });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('PRODUCTION_ORDER_INVALID');
    expect(fieldsOf(bad.body)).toEqual(['bomVersionId:NOT_THIS_BOM', 'plannedFinish:FINISH_BEFORE_START', 'quantity:FRACTION_NOT_ALLOWED', 'workshopCode:UNKNOWN_WORKSHOP']);
    const draftBom = await T.make('/v1/boms', { materialCode: 'MOTOR-1', type: 'manufacturing', effectiveFrom: '2026-12-01', lines: [{ materialCode: 'STATOR', quantity: '2' }] });
    const draft = await T.as('POST', '/v1/production-orders', { materialCode: 'MOTOR-1', quantity: '1', bomVersionId: draftBom.id, plannedStart: '2026-03-02', plannedFinish: '2026-03-02' });
    expect(fieldsOf(draft.body)).toEqual(['bomVersionId:BOM_NOT_RELEASED']);
    expect((await T.as('GET', '/v1/production-orders?limit=500')).body.items.length).toBe(before);
  });

  it('S1-5.4.4-e: release refuses an order it cannot give operations and requirements (ORDER_NOT_RELEASABLE), naming each reason', async () => {
    // Before the engineering data takes effect: no BOM, no routing in effect.
    const old = await T.make('/v1/production-orders', { ...byHand, plannedStart: '2025-06-02', plannedFinish: '2025-06-06' });
    expect(old).toMatchObject({ bomVersionId: null, routingVersionId: null });
    const r1 = await T.as('POST', `/v1/production-orders/${old.id}/release`, { version: old.version });
    expect(r1.status).toBe(422);
    expect(r1.body.code).toBe('ORDER_NOT_RELEASABLE');
    expect(fieldsOf(r1.body)).toEqual(['bomVersionId:NO_EFFECTIVE_BOM', 'routingVersionId:NO_EFFECTIVE_ROUTING']);
    // No workshop, and wire that is backflushed by operation on an order without operations.
    const stator = await T.make('/v1/production-orders', { materialCode: 'STATOR', quantity: '5', plannedStart: '2026-03-02', plannedFinish: '2026-03-03' });
    const r2 = await T.as('POST', `/v1/production-orders/${stator.id}/release`, { version: stator.version });
    expect(fieldsOf(r2.body)).toEqual(['components:BACKFLUSH_NEEDS_OPERATION', 'workshopId:REQUIRED']);
    // A routing without the operations the BOM consumes components at.
    const short = await T.make('/v1/routings', { code: 'RT-SHORT', name: 'Short', effectiveFrom: '2026-01-01', operations: [{ seq: 10, name: 'Only', workCentreCode: 'WC-ASSY', runMinutes: '1' }] });
    const shortReleased = await T.make(`/v1/routings/${short.id}/release`, { version: short.version });
    const o = await T.make('/v1/production-orders', { ...byHand, routingVersionId: shortReleased.id });
    const r3 = await T.as('POST', `/v1/production-orders/${o.id}/release`, { version: o.version });
    expect(r3.body.errors.map((e: any) => e.message)).toEqual([
      'MOTOR-1 (BOM line 10) is consumed at operation 20, which routing RT-SHORT revision 1 does not have',
      'SCREW (BOM line 10 via KIT-HW) is consumed at operation 30, which routing RT-SHORT revision 1 does not have',
      'WASHER (BOM line 20 via KIT-HW) is consumed at operation 30, which routing RT-SHORT revision 1 does not have',
      'BLADE (BOM line 30) is consumed at operation 30, which routing RT-SHORT revision 1 does not have',
    ]);
    const unchanged = (await T.as('GET', `/v1/production-orders/${o.id}`)).body;
    expect(unchanged).toMatchObject({ status: 'planned', version: o.version, operations: [], components: [] });
  });

  it('S1-5.3.2-a: another tenant sees none of the orders', async () => {
    const other = await createTenant(t, 'orders-other');
    const any = (await T.as('GET', '/v1/production-orders?limit=1')).body.items[0];
    expect((await call(t.url, other.key, 'GET', `/v1/production-orders/${any.id}`)).status).toBe(404);
    expect((await call(t.url, other.key, 'POST', `/v1/production-orders/${any.id}/release`, { version: any.version })).status).toBe(404);
    expect((await call(t.url, other.key, 'GET', '/v1/production-orders')).body.items).toEqual([]);
  });
});
