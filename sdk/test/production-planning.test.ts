/**
 * The planning namespaces against a real server over real HTTP: planning parameters, an MRP run
 * for a task entered by hand, firming its planned order, and kitting with allocation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MesClient, MesError } from '../src/index.js';
import { createTenant, startTestServer, type TestServer } from './support/server.js';

let t: TestServer;
let mes: MesClient;

beforeAll(async () => {
  t = await startTestServer();
  mes = new MesClient({ baseUrl: t.url, apiKey: (await createTenant(t, 'sdk-planning')).key });
});
afterAll(async () => {
  await t?.stop();
});

describe('production planning', () => {
  it('S1-5.4.4-k S1-5.4.1-f S1-5.4.2-f: MRP run, firming, kitting and scheduling through the SDK', async () => {
    await mes.units.create({ code: 'PCS', name: 'Pieces', decimals: 0 });
    const calendar = await mes.plant.calendars.create({ code: 'CAL', name: 'Days', shifts: [{ weekday: 1, start: '08:00', end: '12:00' }] });
    const plant = await mes.plant.plants.create({ code: 'P', name: 'Plant', calendarId: calendar.id });
    await mes.plant.workshops.create({ code: 'WS', name: 'Shop', plantId: plant.id });
    const fan = await mes.materials.create({ code: 'FAN', name: 'Fan', baseUnit: 'PCS' });
    const bolt = await mes.materials.create({ code: 'BOLT', name: 'Bolt', baseUnit: 'PCS' });
    const bom = await mes.production.boms.create({ materialCode: 'FAN', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'BOLT', quantity: '4' }] });
    await mes.production.boms.release(bom.id, bom.version);
    const p = await mes.production.planning.put(fan.id, { version: 0, leadTimeDays: 2, lotSizing: 'min_multiple', minLot: '10', lotMultiple: '5' });
    expect(p).toMatchObject({ version: 1, effectiveProcurement: 'make', lotSizing: 'min_multiple' });

    const run = await mes.production.mrp.run({ asOf: '2026-03-01', tasks: [{ materialCode: 'FAN', quantity: '12', dueDate: '2026-03-10', reference: 'T-1' }] });
    expect(run.plannedOrders.map((o) => [o.lineNo, o.kind, o.materialCode, o.quantity, o.startDate])).toEqual([[1, 'make', 'FAN', '15', '2026-03-08'], [2, 'buy', 'BOLT', '60', '2026-03-08']]);
    expect((await mes.production.mrp.get(run.id, { kind: 'make' })).plannedOrders[0].pegs.map((g) => [g.sourceRef, g.quantity])).toEqual([['T-1', '12']]);
    const runs: string[] = [];
    for await (const r of mes.production.mrp.iterate({ limit: 1 })) runs.push(r.docNo);
    expect(runs).toEqual([run.docNo]);
    const firmed = await mes.production.mrp.firm(run.id, [1]);
    const again = await mes.production.mrp.firm(run.id, [1]).catch((e: MesError) => e);
    expect((again as MesError).code).toBe('PLANNED_ORDER_FIRMED');

    const order = await mes.production.orders.get(firmed.productionOrders[0].id);
    const updated = await mes.production.orders.update(order.id, { version: order.version, workshopId: (await mes.plant.workshops.list()).items[0].id });
    const released = await mes.production.orders.release(order.id, updated.version);
    expect(released.components.map((c) => [c.materialCode, c.requiredQuantity])).toEqual([['BOLT', '60']]);
    const kit = await mes.production.kitting.get([order.id]);
    expect(kit.orders[0]).toMatchObject({ kitRate: '0.00', kitted: false });
    expect(kit.shortages.map((s) => [s.materialId, s.shortage])).toEqual([[bolt.id, '60']]);
    expect((await mes.production.kitting.allocate([order.id])).allocated).toBe(true);
    const plan = await mes.production.schedule({ from: '2026-03-02', horizonDays: 7 });
    // The order has no routing: no operation to place.
    expect(plan).toMatchObject({ direction: 'forward', from: '2026-03-02', to: '2026-03-08', orders: [], overloads: [] });
  });
});

describe('production progress and feed', () => {
  it('S1-5.4.4-l: progress() names the late order and its running operation; feed() from its lastSeq yields the floor\'s changes; a key without production:read is refused', async () => {
    const wc = await mes.plant.workCentres.create({ code: 'WC', name: 'Press', workshopCode: 'WS', capacityUnit: 'machine_hours' });
    await mes.materials.create({ code: 'HUB', name: 'Hub', baseUnit: 'PCS' });
    const bom = await mes.production.boms.create({ materialCode: 'HUB', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'BOLT', quantity: '1' }] });
    await mes.production.boms.release(bom.id, bom.version);
    const routing = await mes.production.routings.create({ code: 'RT-HUB', name: 'Hub', effectiveFrom: '2026-01-01', operations: [{ seq: 10, name: 'Press', workCentreCode: wc.code, runMinutes: '1' }] });
    await mes.production.routings.release(routing.id, routing.version);
    const created = await mes.production.orders.create({ materialCode: 'HUB', quantity: '4', workshopCode: 'WS', routingVersionId: routing.id, plannedStart: '2026-03-02', plannedFinish: '2026-03-03' });
    const order = await mes.production.orders.release(created.id, created.version);

    const board = await mes.production.progress({ workshopCode: 'WS', asOf: '2026-03-05' });
    expect(board.orders.filter((o) => o.orderId === order.id).map((o) => [o.docNo, o.late, o.daysLate, o.operations.map((op) => [op.seq, op.planned, op.remaining])])).toEqual([[order.docNo, true, 2, [[10, '4', '4']]]]);
    const stop = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const e of mes.production.feed({ after: board.lastSeq, workshopId: board.workshops[0].workshopId! }, { signal: stop.signal })) {
        seen.push(`${e.type} ${(e.payload as { operationSeq?: number }).operationSeq ?? ''}`.trim());
        if (seen.length === 3) stop.abort();
      }
    })();
    await mes.production.execution.operationEvent(order.id, 10, { event: 'start', operator: 'W-1' });
    await mes.production.execution.report(order.id, { operationSeq: 10, goodQuantity: '3', operator: 'W-1' });
    await reading;
    expect(seen).toEqual(['production_order.started', 'production_operation.started 10', 'production_operation.reported 10']);
    const after = await mes.production.progress({ workshopCode: 'WS' });
    expect(after.orders.find((o) => o.orderId === order.id)!.operations[0]).toMatchObject({ status: 'in_progress', good: '3', remaining: '1', operator: 'W-1' });

    // S1-5.4.4-e: the schedule written at shift resolution (one 4-hour Monday shift in Asia/Shanghai; 4 pieces at 1 minute each, a work centre of one).
    const applied = await mes.production.applySchedule({ orderIds: [order.id], from: '2026-03-02', horizonDays: 7 });
    expect(applied.applied).toEqual({ orders: 1, operations: 1 });
    expect((await mes.production.orders.get(order.id)).operations.map((o) => [o.plannedStart, o.plannedFinish])).toEqual([['2026-03-02T00:00:00.000Z', '2026-03-02T00:04:00.000Z']]);

    const narrow = new MesClient({ baseUrl: t.url, apiKey: (await mes.apiKeys.create({ name: 'no-production', permissions: ['inventory:read'] })).key });
    const refused = await (async () => {
      try {
        for await (const _ of narrow.production.feed()) break;
      } catch (e) {
        return e as MesError;
      }
    })();
    expect(refused).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
  });
});
