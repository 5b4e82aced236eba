/**
 * Purchasing through real HTTP (S1-5.4.2-b … g): orders and approval, suggestions, receiving with
 * batches and labels, the incoming inspection gate, inbounds and returns, progress. The ledger is
 * checked after every step: received goods are not stock until inspected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.stop());

async function setup(slug: string) {
  const tenant = await createTenant(t, slug);
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(t.url, tenant.key, method, path, body, headers);
  const make = async (path: string, body: unknown, status = 201) => {
    const res = await api('POST', path, body);
    if (res.status !== status) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  await make('/v1/units', { code: 'KG', name: 'Kilogram', decimals: 3 });
  await make('/v1/units', { code: 'BOX', name: 'Box', decimals: 0 });
  await make('/v1/unit-conversions', { fromUnit: 'BOX', toUnit: 'PCS', factor: '12' });
  const main = (await make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id as string;
  const wip = (await make('/v1/warehouses', { code: 'WIP', name: 'Line side', kind: 'wip' })).id as string;
  const bin = (await make(`/v1/warehouses/${main}/bins`, { code: 'A-01' })).id as string;
  const supplier = (await make('/v1/suppliers', { code: 'SUP-1', name: 'Steel Co', overDeliveryTolerance: '10' })).id as string;
  let n = 0;
  const material = async (body: Record<string, unknown> = {}) => make('/v1/materials', { code: `M-${++n}`, name: `Material ${n}`, baseUnit: 'PCS', ...body }) as Promise<{ id: string; code: string }>;
  const order = async (lines: unknown[], extra: Record<string, unknown> = {}) => make('/v1/purchase-orders', { supplierId: supplier, lines, ...extra });
  const approve = async (o: { id: string; version: number }) => make(`/v1/purchase-orders/${o.id}/approve`, { version: o.version }, 200);
  const approvedOrder = async (lines: unknown[], extra: Record<string, unknown> = {}) => approve(await order(lines, extra));
  const balances = async (materialId: string) =>
    (await api('GET', `/v1/stock/balances?materialId=${materialId}`)).body.items.map((b: any) => [b.warehouseCode, b.binCode, b.batchNo, b.serialNo, b.quantity]);
  const movements = async (materialId: string) =>
    (await api('GET', `/v1/stock/movements?materialId=${materialId}`)).body.items.map((m: any) => [m.type, m.quantity]);
  const events = async (aggregateId: string) => (await api('GET', `/v1/events?aggregateId=${aggregateId}&limit=1000`)).body.items.map((e: any) => e.type);
  return { ...tenant, api, make, main, wip, bin, supplier, material, order, approve, approvedOrder, balances, movements, events };
}

describe('purchase order to return', () => {
  it('S1-5.4.2-b/c/d/e/f/g: order -> approve -> receive -> inspect -> inbound -> return, with the ledger after every step', async () => {
    const T = await setup('pur-flow');
    const bolt = await T.material({ tracking: 'batch', purchaseUnit: 'BOX' });
    const nut = await T.material();
    await T.make('/v1/features', { code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }, { code: 'BLUE', name: 'Blue' }] });

    // Order: 2 BOX (the purchase unit) = 24 PCS of bolts, 10 PCS of nuts.
    const created = await T.api('POST', '/v1/purchase-orders', {
      supplierId: T.supplier, demandSource: 'shortage', remarks: 'urgent',
      lines: [
        { materialId: bolt.id, quantity: '2', price: '3.5', taxRate: '13', neededBy: '2026-12-01', mtoNumber: 'MTO-77', features: { color: 'red' } },
        { materialCode: nut.code, quantity: '10' },
      ],
    });
    expect(created.status).toBe(201);
    const o = created.body;
    expect(o).toMatchObject({ status: 'draft', version: 1, demandSource: 'shortage', supplierCode: 'SUP-1' });
    expect(o.docNo).toMatch(/^PO\d{8}-\d{4}$/);
    expect(o.lines.map((l: any) => [l.lineNo, l.quantity, l.unit, l.baseQuantity, l.mtoNumber, l.features, l.open])).toEqual([
      [1, '2', 'BOX', '24', 'MTO-77', { COLOR: 'RED' }, '24'],
      [2, '10', 'PCS', '10', null, {}, '10'],
    ]);
    const [boltLine, nutLine] = o.lines;

    // A draft cannot be received against.
    const early = await T.api('POST', '/v1/purchase-receipts', { orderId: o.id });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('ORDER_NOT_APPROVED');

    const approved = await T.approve(o);
    expect(approved).toMatchObject({ status: 'approved', version: 2 });

    // Receive: 1 BOX of bolts with the supplier's lot, all 10 nuts. Not stock yet.
    const r1 = await T.api('POST', '/v1/purchase-receipts', {
      orderId: o.id,
      lines: [
        { orderLineId: boltLine.id, quantity: '1', supplierBatch: 'LOT-9', productionDate: '2026-01-15' },
        { orderLineId: nutLine.id, quantity: '10' },
      ],
    });
    expect(r1.status).toBe(201);
    expect(r1.body.docNo).toMatch(/^PR\d{8}-\d{4}$/);
    expect(r1.body.status).toBe('pending_inspection');
    expect(r1.body.lines.map((l: any) => [l.quantity, l.unit, l.received, l.inspected, l.accepted, l.rejected, l.pending])).toEqual([
      ['1', 'BOX', '12', '0', '0', '0', '12'],
      ['10', 'PCS', '10', '0', '0', '0', '10'],
    ]);
    const batchNo = r1.body.lines[0].batchNo;
    expect(batchNo).toMatch(/^B\d{8}-\d{3}$/);
    expect(r1.body.lines[1].batchNo).toBeNull();
    expect(await T.balances(bolt.id)).toEqual([]);
    expect(await T.balances(nut.id)).toEqual([]);
    // The batch exists with the supplier's lot, and its label draws.
    const batches = (await T.api('GET', `/v1/materials/${bolt.id}/batches`)).body.items;
    expect(batches.map((b: any) => [b.batchNo, b.supplierBatch, b.productionDate])).toEqual([[batchNo, 'LOT-9', '2026-01-15']]);
    const labels = (await T.api('GET', `/v1/purchase-receipts/${r1.body.id}/labels`)).body.items;
    expect(labels[0].gs1).toBe(`(240)${bolt.code}(10)${batchNo}(11)260115(30)12(92)${r1.body.docNo}`);
    const image = await call(t.url, T.key, 'POST', '/v1/labels', { fields: labels[0].fields, format: 'svg' });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/image\/svg/);
    expect((await T.api('GET', `/v1/purchase-orders/${o.id}`)).body).toMatchObject({ status: 'receiving' });
    const worklist = (await T.api('GET', '/v1/purchase-receipts?pendingInspection=true')).body.items;
    expect(worklist.map((r: any) => r.id)).toEqual([r1.body.id]);

    // Inspect: 10 bolts accepted into MAIN/A-01, 2 rejected; the nuts accepted into MAIN.
    const insp = await T.api('POST', `/v1/purchase-receipts/${r1.body.id}/inspections`, {
      inspector: 'QC-Li',
      lines: [
        { receiptLineId: r1.body.lines[0].id, accepted: '10', rejected: '2', warehouseCode: 'MAIN', binCode: 'A-01', remarks: '2 bent' },
        { receiptLineId: r1.body.lines[1].id, accepted: '10', rejected: '0', warehouseId: T.main },
      ],
    });
    expect(insp.status).toBe(201);
    expect(insp.body.receipt.status).toBe('inspected');
    expect(insp.body.receipt.inspections.map((i: any) => [i.accepted, i.rejected, i.inspector])).toEqual([['10', '2', 'QC-Li'], ['10', '0', 'QC-Li']]);
    expect(insp.body.inbound.docNo).toMatch(/^PI\d{8}-\d{4}$/);
    expect(insp.body.inbound.lines.map((l: any) => [l.materialCode, l.quantity, l.batchNo])).toEqual([[bolt.code, '10', batchNo], [nut.code, '10', null]]);
    expect(insp.body.return).toMatchObject({ sourceKind: 'receipt', sourceId: r1.body.id, reason: 'rejected at incoming inspection' });
    expect(insp.body.return.docNo).toMatch(/^PRT\d{8}-\d{4}$/);
    expect(insp.body.return.lines.map((l: any) => [l.baseQuantity, l.batchNo, l.warehouseId])).toEqual([['2', batchNo, null]]);
    expect(await T.balances(bolt.id)).toEqual([['MAIN', 'A-01', batchNo, null, '10']]);
    expect(await T.balances(nut.id)).toEqual([['MAIN', null, null, null, '10']]);
    expect(await T.movements(bolt.id)).toEqual([['purchase_in', '10']]);
    let order = (await T.api('GET', `/v1/purchase-orders/${o.id}`)).body;
    expect(order.status).toBe('receiving');
    expect(order.lines.map((l: any) => [l.received, l.accepted, l.rejected, l.open])).toEqual([['12', '10', '2', '14'], ['10', '10', '0', '0']]);

    // The rest (the rejected 2 reopen the line): 14 PCS, accepted; the order closes by itself.
    const r2 = await T.api('POST', '/v1/purchase-receipts', { orderId: o.id });
    expect(r2.status).toBe(201);
    expect(r2.body.lines.map((l: any) => [l.orderLineId, l.quantity, l.unit])).toEqual([[boltLine.id, '14', 'PCS']]);
    const insp2 = await T.api('POST', `/v1/purchase-receipts/${r2.body.id}/inspections`, { lines: [{ receiptLineId: r2.body.lines[0].id, accepted: '14', rejected: '0', warehouseCode: 'MAIN' }] });
    expect(insp2.status).toBe(201);
    expect(insp2.body.return).toBeNull();
    const batch2 = r2.body.lines[0].batchNo;
    expect(await T.balances(bolt.id)).toEqual([['MAIN', null, batch2, null, '14'], ['MAIN', 'A-01', batchNo, null, '10']]);
    order = (await T.api('GET', `/v1/purchase-orders/${o.id}`)).body;
    expect(order.status).toBe('closed');
    const closedAgain = await T.api('POST', '/v1/purchase-receipts', { orderId: o.id, lines: [{ orderLineId: boltLine.id, quantity: '1' }] });
    expect(closedAgain.status).toBe(409);
    expect(closedAgain.body.code).toBe('ORDER_NOT_APPROVED');

    // Return 4 bolts of the first inbound; then 7 more is more than the 6 left: refused, nothing posted.
    const inboundLine = insp.body.inbound.lines[0];
    const ret = await T.api('POST', '/v1/purchase-returns', { inboundId: insp.body.inbound.id, reason: 'corroded', lines: [{ inboundLineId: inboundLine.id, quantity: '4' }] });
    expect(ret.status).toBe(201);
    expect(ret.body).toMatchObject({ sourceKind: 'inbound', sourceId: insp.body.inbound.id, orderId: o.id });
    expect(ret.body.lines.map((l: any) => [l.baseQuantity, l.batchNo, l.warehouseId])).toEqual([['4', batchNo, T.main]]);
    expect(await T.balances(bolt.id)).toContainEqual(['MAIN', 'A-01', batchNo, null, '6']);
    const tooMuch = await T.api('POST', '/v1/purchase-returns', { inboundId: insp.body.inbound.id, lines: [{ inboundLineId: inboundLine.id, quantity: '4' }, { inboundLineId: inboundLine.id, quantity: '3' }] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('RETURN_EXCEEDS_RECEIVED');
    expect(tooMuch.body.errors.map((e: any) => e.field)).toEqual(['lines[1].quantity']);
    expect(await T.balances(bolt.id)).toContainEqual(['MAIN', 'A-01', batchNo, null, '6']);
    expect((await T.api('GET', `/v1/purchase-inbounds/${insp.body.inbound.id}`)).body.lines[0].returned).toBe('4');
    expect(await T.movements(bolt.id)).toEqual([['purchase_in', '10'], ['purchase_in', '14'], ['purchase_return', '-4']]);

    // Progress by material and by supplier, exact.
    const byMaterial = (await T.api('GET', `/v1/reports/purchasing-progress?groupBy=material&materialId=${bolt.id}`)).body.items;
    expect(byMaterial).toEqual([{
      key: { id: bolt.id, code: bolt.code, name: 'Material 1' }, baseUnit: 'PCS', orders: 1, lines: 1,
      ordered: '24', received: '26', inspected: '26', in: '24', rejected: '2', returned: '6', pending: '0', open: '0',
    }]);
    const bySupplier = (await T.api('GET', '/v1/reports/purchasing-progress?groupBy=supplier')).body.items;
    expect(bySupplier.map((r: any) => [r.key.code, r.orders, r.lines, r.ordered, r.received, r.in, r.returned, r.open])).toEqual([['SUP-1', 1, 2, '34', '36', '34', '6', '0']]);

    // Every state change is an event, in commit order.
    expect(await T.events(o.id)).toEqual(['purchase_order.created', 'purchase_order.approved', 'purchase_order.receiving', 'purchase_order.closed']);
    expect(await T.events(r1.body.id)).toEqual(['purchase_receipt.created', 'inspection.recorded']);
    expect(await T.events(insp.body.inbound.id)).toEqual(['purchase_inbound.posted']);
    expect(await T.events(insp.body.return.id)).toEqual(['purchase_return.posted']);
    expect(await T.events(ret.body.id)).toEqual(['purchase_return.posted']);
  });

  it('S1-5.4.2-b: bad lines are reported all at once (unit, features, template, production demand) and nothing is saved', async () => {
    const T = await setup('pur-invalid');
    const m = await T.material();
    await T.make('/v1/features', { code: 'SIZE', name: 'Size', values: [{ code: 'S', name: 'Small' }] });
    const res = await T.api('POST', '/v1/purchase-orders', {
      supplierId: T.supplier, demandSource: 'production',
      lines: [
        { materialId: m.id, quantity: '1.5' },
        { materialId: m.id, quantity: '1', unit: 'KG' },
        { materialCode: 'NOPE', quantity: '1' },
        { materialId: m.id, quantity: '1', features: { SIZE: 'XL', WEIGHT: '3' } },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('PURCHASE_ORDER_INVALID');
    expect(res.body.errors.map((e: any) => [e.field, e.code])).toEqual([
      ['demandRef', 'DEMAND_REF_REQUIRED'],
      ['lines[0].quantity', 'FRACTION_NOT_ALLOWED'],
      ['lines[1].unit', 'UNIT_NOT_CONVERTIBLE'],
      ['lines[2].materialCode', 'UNKNOWN_MATERIAL'],
      ['lines[3].features.SIZE', 'NOT_ALLOWED'],
      ['lines[3].features.WEIGHT', 'UNKNOWN_FEATURE'],
    ]);
    expect((await T.api('GET', '/v1/purchase-orders')).body.items).toEqual([]);
    const production = await T.api('POST', '/v1/purchase-orders', { supplierId: T.supplier, demandSource: 'production', demandRef: 'MO-1', lines: [{ materialId: m.id, quantity: '1' }] });
    expect(production.status).toBe(201);
    expect(production.body).toMatchObject({ demandSource: 'production', demandRef: 'MO-1' });
  });
});

describe('receiving limits', () => {
  it('S1-5.4.2-c: receiving more than ordered plus the supplier tolerance is 422 OVER_TOLERANCE naming the line; nothing is received', async () => {
    const T = await setup('pur-tol');
    const m = await T.material();
    const o = await T.approvedOrder([{ materialId: m.id, quantity: '100' }]);
    const over = await T.api('POST', '/v1/purchase-receipts', { orderId: o.id, lines: [{ orderLineId: o.lines[0].id, quantity: '60' }, { orderLineId: o.lines[0].id, quantity: '51' }] });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('OVER_TOLERANCE');
    expect(over.body.errors.map((e: any) => [e.field, e.code])).toEqual([['lines[1].quantity', 'OVER_TOLERANCE']]);
    expect(over.body.errors[0].message).toContain('at most 50 more');
    expect((await T.api('GET', `/v1/purchase-orders/${o.id}`)).body.lines[0].received).toBe('0');
    expect((await T.api('GET', '/v1/purchase-receipts')).body.items).toEqual([]);
    const ok = await T.api('POST', '/v1/purchase-receipts', { orderId: o.id, lines: [{ orderLineId: o.lines[0].id, quantity: '110' }] });
    expect(ok.status).toBe(201);
    const more = await T.api('POST', '/v1/purchase-receipts', { orderId: o.id, lines: [{ orderLineId: o.lines[0].id, quantity: '1' }] });
    expect(more.body.code).toBe('OVER_TOLERANCE');
    expect(await T.balances(m.id)).toEqual([]);

    // Cancelled and unknown orders.
    const draft = await T.order([{ materialId: m.id, quantity: '1' }]);
    const cancelled = await T.api('POST', `/v1/purchase-orders/${draft.id}/cancel`, { version: 1, reason: 'not needed' });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await T.api('POST', '/v1/purchase-receipts', { orderId: draft.id })).body.code).toBe('ORDER_NOT_APPROVED');
    expect((await T.api('POST', '/v1/purchase-orders/' + o.id + '/cancel', { version: o.version })).body.code).toBe('ORDER_NOT_CANCELLABLE');
  });

  it('S1-5.4.2-c: parallel receipts against one line never pass the tolerance together', async () => {
    const T = await setup('pur-race');
    const m = await T.material();
    const o = await T.approvedOrder([{ materialId: m.id, quantity: '10' }]);
    const results = await Promise.all(Array.from({ length: 6 }, () => T.api('POST', '/v1/purchase-receipts', { orderId: o.id, lines: [{ orderLineId: o.lines[0].id, quantity: '4' }] })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 422, 422, 422, 422]);
    expect(results.filter((r) => r.status === 422).every((r) => r.body.code === 'OVER_TOLERANCE')).toBe(true);
    expect((await T.api('GET', `/v1/purchase-orders/${o.id}`)).body.lines[0].received).toBe('8');
  });

  it('S1-5.4.2-d: inspecting more than is pending is 422 INSPECTION_EXCEEDS_PENDING; parallel inspections of one line never exceed it', async () => {
    const T = await setup('pur-insp');
    const m = await T.material();
    const o = await T.approvedOrder([{ materialId: m.id, quantity: '10' }]);
    const r = (await T.make('/v1/purchase-receipts', { orderId: o.id })) as any;
    const lineId = r.lines[0].id;
    const tooMuch = await T.api('POST', `/v1/purchase-receipts/${r.id}/inspections`, { lines: [{ receiptLineId: lineId, accepted: '8', rejected: '3', warehouseId: T.main }] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('INSPECTION_EXCEEDS_PENDING');
    const wip = await T.api('POST', `/v1/purchase-receipts/${r.id}/inspections`, { lines: [{ receiptLineId: lineId, accepted: '1', rejected: '0', warehouseId: T.wip }, { receiptLineId: lineId, accepted: '1', rejected: '0' }] });
    expect(wip.body.errors.map((e: any) => [e.field, e.code])).toEqual([['lines[0].warehouseId', 'WAREHOUSE_IS_WIP'], ['lines[1].warehouseId', 'REQUIRED']]);
    const both = await Promise.all([6, 6].map((q) => T.api('POST', `/v1/purchase-receipts/${r.id}/inspections`, { lines: [{ receiptLineId: lineId, accepted: String(q), rejected: '0', warehouseId: T.main }] })));
    expect(both.map((x) => x.status).sort()).toEqual([201, 422]);
    expect(await T.balances(m.id)).toEqual([['MAIN', null, null, null, '6']]);
    const receipt = (await T.api('GET', `/v1/purchase-receipts/${r.id}`)).body;
    expect(receipt.lines[0]).toMatchObject({ received: '10', inspected: '6', accepted: '6', pending: '4' });
    expect(receipt.status).toBe('pending_inspection');
    // A manual close waits for the inspection.
    const order = (await T.api('GET', `/v1/purchase-orders/${o.id}`)).body;
    const close = await T.api('POST', `/v1/purchase-orders/${o.id}/close`, { version: order.version });
    expect(close.status).toBe(409);
    expect(close.body).toMatchObject({ code: 'PENDING_INSPECTION', pending: '4' });
  });

  it('S1-5.4.2-c/d: a PDA receipt by scanned labels with an Idempotency-Key counts once on replay; serial-tracked goods get one serial per piece', async () => {
    const T = await setup('pur-pda');
    const plain = await T.material();
    const serial = await T.material({ tracking: 'serial' });
    const o = await T.approvedOrder([{ materialId: plain.id, quantity: '20' }, { materialId: serial.id, quantity: '2' }]);
    const body = { orderId: o.id, lines: [{ barcode: `(240)${plain.code}(10)SUPLOT-1(17)271231`, quantity: '5' }, { barcode: serial.code, quantity: '2', serialNos: ['SN-A', 'SN-B'] }] };
    const first = await T.api('POST', '/v1/purchase-receipts', body, { 'idempotency-key': 'pda-scan-1' });
    expect(first.status).toBe(201);
    const replay = await T.api('POST', '/v1/purchase-receipts', body, { 'idempotency-key': 'pda-scan-1' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(first.body.lines.map((l: any) => [l.materialCode, l.received, l.serialNo, l.supplierBatch, l.expiryDate])).toEqual([
      [plain.code, '5', null, 'SUPLOT-1', '2027-12-31'], [serial.code, '1', 'SN-A', null, null], [serial.code, '1', 'SN-B', null, null],
    ]);
    expect((await T.api('GET', `/v1/purchase-orders/${o.id}`)).body.lines.map((l: any) => l.received)).toEqual(['5', '2']);
    expect((await T.api('GET', '/v1/purchase-receipts')).body.items).toHaveLength(1);
    const unknown = await T.api('POST', '/v1/purchase-receipts', { orderId: o.id, lines: [{ barcode: 'NOT-A-MATERIAL', quantity: '1' }] });
    expect(unknown.body.errors.map((e: any) => [e.field, e.code])).toEqual([['lines[0].barcode', 'UNKNOWN_MATERIAL']]);
    const insp = await T.api('POST', `/v1/purchase-receipts/${first.body.id}/inspections`, { lines: [{ receiptLineId: first.body.lines[1].id, accepted: '1', rejected: '0', warehouseCode: 'MAIN' }] });
    expect(insp.status).toBe(201);
    expect(await T.balances(serial.id)).toEqual([['MAIN', null, null, 'SN-A', '1']]);
    expect(await T.balances(plain.id)).toEqual([]);
  });
});

describe('approval and versions', () => {
  it('S1-5.4.2-b: approving needs purchasing:approve; a tenant may forbid approving your own order; changes after approval are versions with a reason', async () => {
    const T = await setup('pur-approve');
    const m = await T.material();
    const o = await T.order([{ materialId: m.id, quantity: '10' }]);
    const clerkKey = (await T.make('/v1/api-keys', { name: 'clerk', permissions: ['purchasing:read', 'purchasing:write'] })).key;
    const denied = await call(t.url, clerkKey, 'POST', `/v1/purchase-orders/${o.id}/approve`, { version: 1 });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'purchasing:approve' });

    expect((await T.api('PATCH', '/v1/settings', { forbidSelfApproval: true })).status).toBe(200);
    const self = await T.api('POST', `/v1/purchase-orders/${o.id}/approve`, { version: 1 });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('SELF_APPROVAL_FORBIDDEN');
    const boss = await T.make('/v1/users', { username: 'boss', displayName: 'Boss', roles: ['admin'] });
    const bossKey = (await T.make('/v1/api-keys', { name: 'boss', userId: boss.id })).key;
    const stale = await call(t.url, bossKey, 'POST', `/v1/purchase-orders/${o.id}/approve`, { version: 7 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 1 });
    const ok = await call(t.url, bossKey, 'POST', `/v1/purchase-orders/${o.id}/approve`, { version: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', version: 2 });
    expect((await call(t.url, bossKey, 'POST', `/v1/purchase-orders/${o.id}/approve`, { version: 2 })).body.code).toBe('ORDER_NOT_DRAFT');

    // Receive 4, then change: a reason is required, never below what was received.
    await T.make('/v1/purchase-receipts', { orderId: o.id, lines: [{ orderLineId: o.lines[0].id, quantity: '4' }] });
    const noReason = await T.api('PATCH', `/v1/purchase-orders/${o.id}`, { version: 2, lines: [{ id: o.lines[0].id, materialId: m.id, quantity: '12' }] });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors.map((e: any) => e.code)).toEqual(['REASON_REQUIRED']);
    const below = await T.api('PATCH', `/v1/purchase-orders/${o.id}`, { version: 2, reason: 'less', lines: [{ id: o.lines[0].id, materialId: m.id, quantity: '3' }] });
    expect(below.body.errors.map((e: any) => [e.field, e.code])).toEqual([['lines[0].quantity', 'BELOW_RECEIVED']]);
    const changed = await T.api('PATCH', `/v1/purchase-orders/${o.id}`, { version: 2, reason: 'customer doubled', lines: [{ id: o.lines[0].id, materialId: m.id, quantity: '12', price: '2' }] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'receiving', version: 3 });
    expect(changed.body.lines.map((l: any) => [l.quantity, l.price, l.received, l.open])).toEqual([['12', '2', '4', '8']]);
    const versions = (await T.api('GET', `/v1/purchase-orders/${o.id}/versions`)).body.items;
    expect(versions.map((v: any) => [v.version, v.reason, v.snapshot.lines[0].quantity])).toEqual([[2, 'approved', '10'], [3, 'customer doubled', '12']]);
    expect((await T.api('PATCH', `/v1/purchase-orders/${o.id}`, { version: 2, reason: 'x' })).body.code).toBe('VERSION_CONFLICT');
    expect(await T.events(o.id)).toEqual(['purchase_order.created', 'purchase_order.approved', 'purchase_order.receiving', 'purchase_order.changed']);
  });
});

describe('suggestions, returns without source, isolation', () => {
  it('S1-5.4.2-b: suggestions order what is below safety stock from the preferred supplier, minus what open orders bring; unassigned materials are listed', async () => {
    const T = await setup('pur-suggest');
    const a = await T.material();
    const b = await T.material();
    await T.api('PUT', `/v1/materials/${a.id}/safety-stock`, { quantity: '100' });
    await T.api('PUT', `/v1/materials/${b.id}/safety-stock`, { quantity: '5' });
    await T.make('/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: a.id, quantity: '30', warehouseId: T.main }] });
    const other = (await T.make('/v1/suppliers', { code: 'SUP-2', name: 'Other' })).id;
    await T.make('/v1/supplier-materials', { supplierId: other, materialId: a.id, price: '1.1', preferred: true }, 200);
    const pref = await T.make('/v1/supplier-materials', { supplierId: T.supplier, materialId: a.id, price: '0.9', supplierMaterialCode: 'S-A', preferred: true }, 200);
    expect(pref).toMatchObject({ preferred: true, price: '0.9', supplierMaterialCode: 'S-A' });
    expect((await T.api('GET', `/v1/supplier-materials?materialId=${a.id}`)).body.items.map((s: any) => [s.supplierCode, s.preferred])).toEqual([['SUP-1', true], ['SUP-2', false]]);
    // An open order already brings 20.
    await T.approvedOrder([{ materialId: a.id, quantity: '20' }]);

    const dry = await T.api('POST', '/v1/purchase-suggestions', { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({
      dryRun: true,
      suggestions: [{ supplierId: T.supplier, supplierCode: 'SUP-1', orderId: null, docNo: null, lines: [{ materialId: a.id, materialCode: a.code, baseUnit: 'PCS', shortfall: '70', onOrder: '20', quantity: '50' }] }],
      unassigned: [{ materialId: b.id, materialCode: b.code, baseUnit: 'PCS', shortfall: '5', onOrder: '0', quantity: '5' }],
    });
    expect((await T.api('GET', '/v1/purchase-orders?status=draft')).body.items).toEqual([]);
    const run = await T.api('POST', '/v1/purchase-suggestions', {});
    const created = (await T.api('GET', `/v1/purchase-orders/${run.body.suggestions[0].orderId}`)).body;
    expect(created).toMatchObject({ status: 'draft', demandSource: 'safety_stock', supplierId: T.supplier });
    expect(created.lines.map((l: any) => [l.materialCode, l.quantity, l.unit, l.price])).toEqual([[a.code, '50', 'PCS', '0.9']]);
    const again = await T.api('POST', '/v1/purchase-suggestions', {});
    expect(again.body.suggestions).toEqual([]);
    expect(again.body.unassigned.map((u: any) => u.materialCode)).toEqual([b.code]);
    expect((await T.api('GET', '/v1/events?type=purchase_suggestion.*')).body.items).toHaveLength(1);
  });

  it('S1-5.4.2-e: a return without source takes stock out of a warehouse; short stock is 409 STOCK_INSUFFICIENT and nothing is posted', async () => {
    const T = await setup('pur-return');
    const m = await T.material({ tracking: 'batch' });
    await T.make('/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: m.id, quantity: '8', warehouseId: T.main, batchNo: 'B-1' }] });
    const noBatch = await T.api('POST', '/v1/purchase-returns', { supplierId: T.supplier, lines: [{ materialId: m.id, quantity: '1', warehouseCode: 'MAIN' }] });
    expect(noBatch.status).toBe(422);
    expect(noBatch.body.errors.map((e: any) => [e.field, e.code])).toEqual([['lines[0].batchNo', 'BATCH_REQUIRED']]);
    const short = await T.api('POST', '/v1/purchase-returns', { supplierId: T.supplier, lines: [{ materialId: m.id, quantity: '9', warehouseCode: 'MAIN', batchNo: 'B-1' }] });
    expect(short.status).toBe(409);
    expect(short.body.code).toBe('STOCK_INSUFFICIENT');
    expect((await T.api('GET', '/v1/purchase-returns')).body.items).toEqual([]);
    const ok = await T.api('POST', '/v1/purchase-returns', { supplierId: T.supplier, reason: 'wrong spec', lines: [{ materialId: m.id, quantity: '3', warehouseCode: 'MAIN', batchNo: 'B-1' }] });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ sourceKind: 'none', sourceId: null, orderId: null, reason: 'wrong spec' });
    expect(await T.balances(m.id)).toEqual([['MAIN', null, 'B-1', null, '5']]);
    const noSupplier = await T.api('POST', '/v1/purchase-returns', { lines: [{ materialId: m.id, quantity: '1', warehouseCode: 'MAIN', batchNo: 'B-1' }] });
    expect(noSupplier.body.errors.map((e: any) => [e.field, e.code])).toEqual([['supplierId', 'REQUIRED']]);
  });

  it('S1-5.3.2-a: another tenant cannot see, approve, receive or inspect these documents, and lists do not leak', async () => {
    const A = await setup('pur-iso-a');
    const B = await setup('pur-iso-b');
    const m = await A.material();
    const draft = await A.order([{ materialId: m.id, quantity: '5' }]);
    const o = await A.approvedOrder([{ materialId: m.id, quantity: '5' }]);
    const r = (await A.make('/v1/purchase-receipts', { orderId: o.id })) as any;
    expect((await B.api('GET', `/v1/purchase-orders/${o.id}`)).status).toBe(404);
    expect((await B.api('GET', `/v1/purchase-orders/${o.id}/versions`)).status).toBe(404);
    expect((await B.api('POST', `/v1/purchase-orders/${draft.id}/approve`, { version: 1 })).status).toBe(404);
    expect((await B.api('PATCH', `/v1/purchase-orders/${draft.id}`, { version: 1, remarks: 'x' })).status).toBe(404);
    expect((await B.api('POST', '/v1/purchase-receipts', { orderId: o.id })).status).toBe(404);
    expect((await B.api('GET', `/v1/purchase-receipts/${r.id}`)).status).toBe(404);
    expect((await B.api('POST', `/v1/purchase-receipts/${r.id}/inspections`, { lines: [{ receiptLineId: r.lines[0].id, accepted: '5', rejected: '0', warehouseId: B.main }] })).status).toBe(404);
    for (const path of ['/v1/purchase-orders', '/v1/purchase-receipts', '/v1/purchase-inbounds', '/v1/purchase-returns', '/v1/reports/purchasing-progress', '/v1/supplier-materials']) {
      expect((await B.api('GET', path)).body.items, path).toEqual([]);
    }
    expect((await A.api('GET', '/v1/purchase-orders?status=open')).body.items.map((x: any) => x.id)).toEqual([o.id]);
    expect((await A.api('GET', '/v1/purchase-orders?status=draft')).body.items.map((x: any) => x.id)).toEqual([draft.id]);
  });
});
