/**
 * Equipment indicators from more than one module (S1-5.4.6-f): the OEE quality rate from
 * production's work reports on the machine, the intact rate per machine and per fleet, capacity
 * reports against the plant calendar.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { equipmentTenant, rec, registerGateway, signedCall, type EquipmentTenant } from './equipment-setup.js';

const MIN = 60_000;
let t: TestServer;
let A: EquipmentTenant;
let gw: Awaited<ReturnType<typeof registerGateway>>;
let cnc: any;
let mill: any;
let order: any;
const T0 = Math.floor((Date.now() - 5 * 3600_000) / MIN) * MIN;
const at = (m: number) => new Date(T0 + m * MIN).toISOString();
const period = (from: number, to: number) => `from=${at(from)}&to=${at(to)}`;
let batchSeq = 0;
let seq = 0;
const send = async (records: Array<[string, string, number, number | string]>) => {
  const body = { batchSeq: ++batchSeq, records: records.map(([device, point, m, value]) => rec(device, point, T0 + m * MIN, value, ++seq)) };
  const res = await signedCall(t.url, 'POST', '/v1/telemetry/batches', body, { key: gw.privateKey, header: gw.header });
  expect(res.body).toMatchObject({ accepted: records.length });
};

beforeAll(async () => {
  t = await startTestServer();
  A = await equipmentTenant(t, 'indicators-a');
  gw = await registerGateway(A, 'gw-ind');
  const machine = (code: string) => ({
    code, name: code, workshopId: A.workshop.id, lineId: A.line.id, workCentreId: A.workCentre.id, gatewayId: gw.gateway.id,
    availableMinutesPerDay: 1440, targetOutputPerHour: 60, countPoint: 'parts',
    points: [{ point: 'state', type: 'string' }, { point: 'parts', type: 'number', unit: 'pcs' }],
  });
  cnc = await A.make('/v1/equipment', machine('CNC-1'));
  mill = await A.make('/v1/equipment', machine('MILL-1'));
  // CNC-1: run 0–30, down 30–40, run 40–60, idle from 60; 45 parts in the hour.
  // MILL-1: run 0–15, down 15–45, run 45–60, idle from 60.
  await send([
    ['CNC-1', 'state', 0, 'run'], ['CNC-1', 'parts', 0, 100], ['MILL-1', 'state', 0, 'run'], ['MILL-1', 'parts', 0, 0],
    ['MILL-1', 'state', 15, 'down'], ['CNC-1', 'state', 30, 'down'], ['CNC-1', 'state', 40, 'run'], ['MILL-1', 'state', 45, 'run'],
    ['CNC-1', 'parts', 59, 145], ['MILL-1', 'parts', 59, 20], ['CNC-1', 'state', 60, 'idle'], ['MILL-1', 'state', 60, 'idle'],
  ]);

  await A.make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  const rt = await A.make('/v1/routings', {
    code: 'RT-SHAFT', name: 'Shaft', effectiveFrom: '2026-01-01', operations: [{ seq: 10, name: 'Turn', workCentreCode: 'WC-CNC', runMinutes: '1' }],
  });
  await A.make(`/v1/routings/${rt.id}/release`, { version: rt.version });
  await A.make('/v1/materials', { code: 'SHAFT', name: 'Shaft', baseUnit: 'PCS', defaultRouting: 'RT-SHAFT' });
  const created = await A.make('/v1/production-orders', { materialCode: 'SHAFT', quantity: '200', plannedStart: '2026-12-01', plannedFinish: '2026-12-05' });
  order = await A.make(`/v1/production-orders/${created.id}/release`, { version: created.version });
  const report = (body: Record<string, unknown>) => A.make(`/v1/production-orders/${order.id}/reports`, { operator: 'W-1', operationSeq: 10, ...body });
  // On CNC-1 in the hour: 30 good + 2 scrap, then 10 good + 3 scrap; one more after the hour; 8 good on MILL-1; one report naming no machine.
  await report({ goodQuantity: '30', scrapQuantity: '2', equipmentCode: 'CNC-1', startedAt: at(0), endedAt: at(30) });
  await report({ goodQuantity: '10', scrapQuantity: '3', equipmentCode: 'CNC-1', startedAt: at(40), endedAt: at(59) });
  await report({ goodQuantity: '50', scrapQuantity: '50', equipmentCode: 'CNC-1', startedAt: at(60), endedAt: at(90) });
  await report({ goodQuantity: '8', equipmentCode: 'MILL-1', endedAt: at(50) });
  await report({ goodQuantity: '5', scrapQuantity: '5', endedAt: at(50) });
});
afterAll(async () => {
  await t?.stop();
});

describe('OEE with quality from work reports', () => {
  it('S1-5.4.6-f: quality = good / (good + scrap) of the reports on the machine that ended in the period; OEE = A × P × Q', async () => {
    const res = await A.as('GET', `/v1/equipment/${cnc.id}/indicators?${period(0, 60)}`);
    expect(res.status).toBe(200);
    // A = 50 run min / 60 planned; P = 45 parts / (60 per hour × 50/60 h) = 0.9; Q = 40 / 45.
    expect(res.body).toMatchObject({
      seconds: { run: 3000, down: 600 }, output: 45, availability: 0.8333, performance: 0.9,
      workReports: 2, goodQuantity: '40', scrapQuantity: '5', quality: 0.8889, oee: 0.6667,
    });
    expect(res.body.oee).toBe(Math.round((50 / 60) * 0.9 * (40 / 45) * 1e4) / 1e4);
  });

  it('S1-5.4.6-f: a machine with only good reports has quality 1; a period with no report has quality null and OEE = A × P', async () => {
    const mill1 = (await A.as('GET', `/v1/equipment/${mill.id}/indicators?${period(0, 60)}`)).body;
    // A = 30 / 60, P = 20 / (60 × 0.5) = 0.6667, Q = 8 / 8.
    expect(mill1).toMatchObject({ workReports: 1, goodQuantity: '8', scrapQuantity: '0', quality: 1, availability: 0.5, performance: 0.6667, oee: 0.3333 });
    const later = (await A.as('GET', `/v1/equipment/${mill.id}/indicators?${period(60, 120)}`)).body;
    expect(later).toMatchObject({ workReports: 0, goodQuantity: '0', scrapQuantity: '0', quality: null, availability: 0, oee: null });
    const cncLater = (await A.as('GET', `/v1/equipment/${cnc.id}/indicators?${period(60, 120)}`)).body;
    expect(cncLater).toMatchObject({ workReports: 1, goodQuantity: '50', scrapQuantity: '50', quality: 0.5 });
  });
});
