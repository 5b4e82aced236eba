/**
 * The plant and production namespaces against a real server over real HTTP: a plant model with a
 * calendar and capacity, a routing and a two-level BOM released, the explosion, a drawing uploaded
 * as bytes and read back, and an order created and released.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MesClient, MesError } from '../src/index.js';
import { createTenant, startTestServer, type TestServer } from './support/server.js';

let t: TestServer;
let mes: MesClient;

beforeAll(async () => {
  t = await startTestServer();
  mes = new MesClient({ baseUrl: t.url, apiKey: (await createTenant(t, 'sdk-production')).key });
});
afterAll(async () => {
  await t?.stop();
});

describe('plant and production', () => {
  it('S1-5.4.4-b S1-5.4.4-c S1-5.4.4-d S1-5.4.4-e: from the plant model to a released order through the SDK', async () => {
    await mes.units.create({ code: 'PCS', name: 'Pieces', decimals: 0 });
    const calendar = await mes.plant.calendars.create({ code: 'CAL', name: 'Days', shifts: [{ weekday: 1, start: '08:00', end: '12:00' }] });
    const plant = await mes.plant.plants.create({ code: 'P', name: 'Plant', calendarId: calendar.id });
    const ws = await mes.plant.workshops.create({ code: 'WS', name: 'Shop', plantId: plant.id });
    const wc = await mes.plant.workCentres.create({ code: 'WC', name: 'Bench', workshopId: ws.id, capacityUnit: 'labour_hours', parallelCount: 2 });
    expect((await mes.plant.workCentres.capacity(wc.id, { from: '2026-03-02', to: '2026-03-03' })).days.map((d) => d.capacityHours)).toEqual(['8', '0']);
    expect((await mes.plant.plants.get(plant.id)).workshops[0].workCentres.map((c) => c.code)).toEqual(['WC']);

    const routing = await mes.production.routings.create({ code: 'RT', name: 'Route', effectiveFrom: '2026-01-01', operations: [{ seq: 10, name: 'Build', workCentreId: wc.id, runMinutes: '1.5' }] });
    await mes.production.routings.release(routing.id, routing.version);
    const fan = await mes.materials.create({ code: 'FAN', name: 'Fan', baseUnit: 'PCS', defaultRouting: 'RT' });
    await mes.materials.create({ code: 'MOTOR', name: 'Motor', baseUnit: 'PCS' });
    await mes.materials.create({ code: 'BOLT', name: 'Bolt', baseUnit: 'PCS' });
    const motorBom = await mes.production.boms.create({ materialCode: 'MOTOR', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'BOLT', quantity: '4' }] });
    await mes.production.boms.release(motorBom.id, motorBom.version);
    const fanBom = await mes.production.boms.create({ materialCode: 'FAN', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'MOTOR', quantity: '1' }] });
    await mes.production.boms.release(fanBom.id, fanBom.version);
    const cycle = await mes.production.boms.create({ materialCode: 'BOLT', type: 'manufacturing', lines: [{ materialCode: 'FAN', quantity: '1' }] }).catch((e: MesError) => e);
    expect({ code: (cycle as MesError).code, status: (cycle as MesError).status }).toEqual({ code: 'BOM_CYCLE', status: 422 });
    const explosion = await mes.production.boms.explode(fan.id, { quantity: '3', date: '2026-03-02' });
    expect(explosion.items.map((i) => [i.level, i.materialCode, i.quantity])).toEqual([[1, 'MOTOR', '3'], [2, 'BOLT', '12']]);
    expect((await mes.production.boms.whereUsed(explosion.items[1].materialId, { date: '2026-03-02' })).items.map((i) => i.materialCode)).toEqual(['MOTOR', 'FAN']);

    const drawing = await mes.production.drawings.create({ code: 'DWG', name: 'Fan drawing', kind: 'product', materialId: fan.id });
    const pdf = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');
    const uploaded = await mes.production.drawings.upload(drawing.id, pdf, { fileName: 'fan.pdf' });
    expect(uploaded.revisions[0]).toMatchObject({ revision: 1, contentType: 'application/pdf', sha256: createHash('sha256').update(pdf).digest('hex') });
    const content = await mes.production.drawings.content(drawing.id);
    expect(content.contentType).toBe('application/pdf');
    expect(Buffer.from(content.bytes).equals(Buffer.from(pdf))).toBe(true);
    const lie = await mes.production.drawings.upload(drawing.id, pdf, { contentType: 'image/png' }).catch((e: MesError) => e);
    expect((lie as MesError).code).toBe('DRAWING_TYPE_MISMATCH');

    const order = await mes.production.orders.create({ materialId: fan.id, quantity: '3', plannedStart: '2026-03-02', plannedFinish: '2026-03-03' });
    expect(order).toMatchObject({ status: 'planned', workshopCode: 'WS', routingCode: 'RT' });
    const released = await mes.production.orders.release(order.id, order.version);
    expect(released.operations.map((o) => [o.seq, o.plannedMinutes])).toEqual([[10, '4.5']]);
    expect(released.components.map((c) => [c.materialCode, c.requiredQuantity])).toEqual([['MOTOR', '3']]);
    const open: string[] = [];
    for await (const o of mes.production.orders.iterate({ status: 'open', limit: 1 })) open.push(o.docNo);
    expect(open).toEqual([order.docNo]);
  });

  it('S1-5.4.4-g S1-5.4.4-h S1-5.4.4-i: issue, report, receive and trace an order through the SDK', async () => {
    await mes.materials.create({ code: 'BLANK', name: 'Blank', baseUnit: 'PCS' });
    await mes.materials.create({ code: 'GEAR', name: 'Gear', baseUnit: 'PCS', defaultRouting: 'RT', tracking: 'batch' });
    const bom = await mes.production.boms.create({ materialCode: 'GEAR', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'BLANK', quantity: '2' }] });
    await mes.production.boms.release(bom.id, bom.version);
    await mes.warehouses.create({ code: 'W', name: 'Stores' });
    await mes.stockDocuments.create({ type: 'other_in', post: true, lines: [{ materialCode: 'BLANK', quantity: '10', warehouseCode: 'W' }] });
    const planned = await mes.production.orders.create({ materialCode: 'GEAR', quantity: '2', plannedStart: '2026-03-02', plannedFinish: '2026-03-03' });
    const order = await mes.production.orders.release(planned.id, planned.version);
    await mes.production.pieceRates.create({ materialCode: 'GEAR', operationSeq: 10, rate: '1.5', effectiveFrom: '2026-01-01' });

    const issued = await mes.production.execution.issue(order.id, { warehouseCode: 'W' }, { idempotencyKey: 'sdk-issue-1' });
    expect(issued.lines.map((l) => [l.materialCode, l.baseQuantity])).toEqual([['BLANK', '4']]);
    const over = await mes.production.execution.report(order.id, { operationSeq: 10, goodQuantity: '3', operator: 'OP-1' }).catch((e: MesError) => e);
    expect((over as MesError).code).toBe('QUANTITY_FLOW_VIOLATION');
    const started = await mes.production.execution.operationEvent(order.id, 10, { event: 'start', operator: 'OP-1', at: '2026-03-02T08:00:00.000Z' });
    expect(started.operationStatus).toBe('in_progress');
    const report = await mes.production.execution.report(order.id, { operationSeq: 10, goodQuantity: '2', operator: 'OP-1', endedAt: '2026-03-02T09:00:00.000Z', end: true });
    expect(report).toMatchObject({ goodQuantity: '2', wageAmount: '3' });
    const receipt = await mes.production.execution.receive(order.id, { warehouseCode: 'W', lines: [{ quantity: '2', batchNo: 'G-1' }] });
    expect(receipt.lines.map((l) => [l.materialCode, l.batchNo, l.baseQuantity])).toEqual([['GEAR', 'G-1', '2']]);
    expect((await mes.production.orders.get(order.id)).status).toBe('completed');
    const trace = await mes.production.execution.genealogyBackward({ materialCode: 'GEAR', batchNo: 'G-1' });
    expect(trace.links.map((l) => [l.consumed.materialCode, l.consumedQuantity, l.operators])).toEqual([['BLANK', '4', ['OP-1']]]);
    expect((await mes.production.execution.reports(order.id)).items).toHaveLength(1);
    expect((await mes.production.pieceRates.wages({ from: '2026-03-02', to: '2026-03-02' })).total).toBe('3');
  });
});
