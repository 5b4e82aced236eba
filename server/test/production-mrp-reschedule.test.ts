/**
 * MRP reschedule messages (S1-5.4.4-k) over real HTTP: open supply dated later than the need it
 * covers (a purchase order line's need date, a production order's planned finish) gets a
 * reschedule-in message kept with the run; supply all of whose needs come later gets a
 * reschedule-out message to the first of them; supply in time gets none; netting is unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { productionTenant } from './production-setup.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

describe('MRP reschedule messages (S1-5.4.4-k)', () => {
  it('S1-5.4.4-k: a purchase line and a production order due after the need they cover are told to come in; earlier supply is left alone', async () => {
    const T = await productionTenant(t, 'mrp-resched');
    const material = async (code: string) => (await T.make('/v1/materials', { code, name: code, baseUnit: 'PCS' })).id as string;
    for (const code of ['PART', 'NUT', 'HUB']) await material(code);
    const bom = await T.make('/v1/boms', { materialCode: 'HUB', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'NUT', quantity: '1' }] });
    await T.make(`/v1/boms/${bom.id}/release`, { version: bom.version });
    const supplier = (await T.make('/v1/suppliers', { code: 'SUP', name: 'Supplier' })).id;
    // PART: 4 arrive on 03-05 (in time), 10 on 03-20; 6 are needed on 03-10 and 4 on 03-25. NUT: 3 arrive 03-01.
    const po = await T.make('/v1/purchase-orders', {
      supplierId: supplier, lines: [
        { materialCode: 'PART', quantity: '4', price: '1', neededBy: '2026-03-05' },
        { materialCode: 'PART', quantity: '10', price: '1', neededBy: '2026-03-20' },
        { materialCode: 'NUT', quantity: '3', price: '1', neededBy: '2026-03-01' },
      ],
    });
    // HUB: an order of 5 planned to finish 03-25, needed 03-15.
    const mo = await T.make('/v1/production-orders', { materialCode: 'HUB', quantity: '5', plannedStart: '2026-03-20', plannedFinish: '2026-03-25' });
    const tasks = [
      { materialCode: 'PART', quantity: '6', dueDate: '2026-03-10', reference: 'T-PART-1' },
      { materialCode: 'PART', quantity: '4', dueDate: '2026-03-25', reference: 'T-PART-2' },
      { materialCode: 'NUT', quantity: '2', dueDate: '2026-03-10', reference: 'T-NUT' },
      { materialCode: 'HUB', quantity: '5', dueDate: '2026-03-15', reference: 'T-HUB' },
    ];
    const res = await T.as('POST', '/v1/mrp-runs', { asOf: '2026-03-01', safetyStock: false, salesOrders: false, tasks });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const messages = res.body.rescheduleMessages.map((m: any) => [m.materialCode, m.action, m.supplyKind, m.supplyRef, m.supplyDate, m.neededBy, m.demandRef, m.quantity]).sort();
    expect(messages).toEqual([
      ['HUB', 'reschedule_in', 'production_order', mo.docNo, '2026-03-25', '2026-03-15', 'T-HUB', '5'],
      // The 3 NUT of 03-01 are first needed 03-10: they can come later.
      ['NUT', 'reschedule_out', 'purchase_order', `${po.docNo}/3`, '2026-03-01', '2026-03-10', 'T-NUT', '3'],
      // 4 of the 6 come from the line due 03-05 (five days early: out to 03-10); the other 2 from the one due 03-20, 10 days late.
      ['PART', 'reschedule_in', 'purchase_order', `${po.docNo}/2`, '2026-03-20', '2026-03-10', 'T-PART-1', '2'],
      ['PART', 'reschedule_out', 'purchase_order', `${po.docNo}/1`, '2026-03-05', '2026-03-10', 'T-PART-1', '4'],
    ]);
    // Netting counts open supply as it did: nothing more to plan for PART or HUB.
    expect(res.body.plannedOrders.filter((p: any) => ['PART', 'HUB'].includes(p.materialCode))).toEqual([]);
    // Kept with the run, and the same data gives the same result digest.
    const again = await T.as('POST', '/v1/mrp-runs', { asOf: '2026-03-01', safetyStock: false, salesOrders: false, tasks });
    expect(again.body.resultDigest).toBe(res.body.resultDigest);
    expect((await T.as('GET', `/v1/mrp-runs/${res.body.id}`)).body.rescheduleMessages).toEqual(res.body.rescheduleMessages);
    // Bring the order in to the day it is needed and its message goes away; the digest changes with it.
    const o = (await T.as('GET', `/v1/production-orders/${mo.id}`)).body;
    expect((await T.as('PATCH', `/v1/production-orders/${mo.id}`, { version: o.version, plannedStart: '2026-03-11', plannedFinish: '2026-03-15' })).status).toBe(200);
    const after = (await T.as('POST', '/v1/mrp-runs', { asOf: '2026-03-01', safetyStock: false, salesOrders: false, tasks })).body;
    expect(after.rescheduleMessages.map((m: any) => `${m.materialCode} ${m.action}`).sort()).toEqual(['NUT reschedule_out', 'PART reschedule_in', 'PART reschedule_out']);
    expect(after.resultDigest).not.toBe(res.body.resultDigest);
  });

  it('S1-5.4.4-k: supply earlier than every need it covers is told to move out to the first, pegged to that demand, also a planned order\'s', async () => {
    const T = await productionTenant(t, 'mrp-resched-out');
    for (const code of ['BOLT', 'FRAME']) await T.make('/v1/materials', { code, name: code, baseUnit: 'PCS' });
    const bom = await T.make('/v1/boms', { materialCode: 'FRAME', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'BOLT', quantity: '2' }] });
    await T.make(`/v1/boms/${bom.id}/release`, { version: bom.version });
    const supplier = (await T.make('/v1/suppliers', { code: 'SUP', name: 'Supplier' })).id;
    // BOLT: 10 arrive 03-01, 6 arrive 03-25.
    const po = await T.make('/v1/purchase-orders', {
      supplierId: supplier, lines: [
        { materialCode: 'BOLT', quantity: '10', price: '1', neededBy: '2026-03-01' },
        { materialCode: 'BOLT', quantity: '6', price: '1', neededBy: '2026-03-25' },
      ],
    });
    // FRAME: an order of 1 finishing 03-03 (it needs 2 BOLT at its start, 03-01); 4 FRAME are needed 03-20, 5 BOLT 03-28.
    const mo = await T.make('/v1/production-orders', { materialCode: 'FRAME', quantity: '1', plannedStart: '2026-03-01', plannedFinish: '2026-03-03' });
    const tasks = [
      { materialCode: 'FRAME', quantity: '4', dueDate: '2026-03-20', reference: 'T-FRAME' },
      { materialCode: 'BOLT', quantity: '5', dueDate: '2026-03-28', reference: 'T-BOLT' },
    ];
    const res = await T.as('POST', '/v1/mrp-runs', { asOf: '2026-03-01', safetyStock: false, salesOrders: false, tasks });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // FRAME: the order covers 1 of the 4; planned order 1 makes 3, needing 6 BOLT on 03-20.
    expect(res.body.plannedOrders.map((p: any) => [p.lineNo, p.materialCode, p.quantity, p.dueDate])).toEqual([[1, 'FRAME', '3', '2026-03-20']]);
    const messages = res.body.rescheduleMessages.map((m: any) => [m.materialCode, m.action, m.supplyKind, m.supplyRef, m.supplyDate, m.neededBy, m.demandRef, m.quantity]).sort();
    expect(messages).toEqual([
      // BOLT: line 1 (10 on 03-01) covers the order's 2 on 03-01 (on time: no message), then 6 of FRAME #1 and 2 of T-BOLT;
      // line 2 (6 on 03-25) is first needed by T-BOLT on 03-28: out to 03-28, all 6.
      ['BOLT', 'reschedule_out', 'purchase_order', `${po.docNo}/2`, '2026-03-25', '2026-03-28', 'T-BOLT', '6'],
      ['FRAME', 'reschedule_out', 'production_order', mo.docNo, '2026-03-03', '2026-03-20', 'T-FRAME', '1'],
    ]);
    // Pegged to a planned order: the order moved to finish 03-25 is late for T-FRAME (in), and BOLT line 1's first need is now
    // FRAME #1's 6 on 03-20 (the order's 2 come on 03-22): out to 03-20, pegged to the planned order.
    const o = (await T.as('GET', `/v1/production-orders/${mo.id}`)).body;
    expect((await T.as('PATCH', `/v1/production-orders/${mo.id}`, { version: o.version, plannedStart: '2026-03-22', plannedFinish: '2026-03-25' })).status).toBe(200);
    const after = (await T.as('POST', '/v1/mrp-runs', { asOf: '2026-03-01', safetyStock: false, salesOrders: false, tasks })).body;
    expect(after.rescheduleMessages.map((m: any) => [m.materialCode, m.action, m.supplyRef, m.neededBy, m.demandRef, m.quantity]).sort()).toEqual([
      ['BOLT', 'reschedule_out', `${po.docNo}/1`, '2026-03-20', 'FRAME #1', '10'],
      ['BOLT', 'reschedule_out', `${po.docNo}/2`, '2026-03-28', 'T-BOLT', '6'],
      ['FRAME', 'reschedule_in', mo.docNo, '2026-03-20', 'T-FRAME', '1'],
    ]);
    // Deterministic: the same data, the same messages and digest.
    const again = (await T.as('POST', '/v1/mrp-runs', { asOf: '2026-03-01', safetyStock: false, salesOrders: false, tasks })).body;
    expect(again.resultDigest).toBe(after.resultDigest);
    expect(again.rescheduleMessages).toEqual(after.rescheduleMessages);
  });
});
