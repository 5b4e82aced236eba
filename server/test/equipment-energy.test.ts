/**
 * Energy per production order (S1-5.4.6-f): a machine's energy meter read over the intervals the
 * order's operations ran on it, from production execution's operation events and work reports,
 * overlaps merged so nothing is counted twice; machines without a meter or unknown say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merge } from '../src/modules/equipment/energy.js';
import { startTestServer, type TestServer } from './harness.js';
import { equipmentTenant, rec, registerGateway, signedCall, type EquipmentTenant } from './equipment-setup.js';

const MIN = 60_000;
let t: TestServer;
let A: EquipmentTenant;
let order: any;
let press: any;
const T0 = Math.floor((Date.now() - 5 * 3600_000) / MIN) * MIN;
const at = (m: number) => new Date(T0 + m * MIN).toISOString();

beforeAll(async () => {
  t = await startTestServer();
  A = await equipmentTenant(t, 'energy-a');
  const gw = await registerGateway(A, 'gw-energy');
  press = await A.make('/v1/equipment', {
    code: 'PRESS-7', name: 'Press 7', workshopId: A.workshop.id, workCentreId: A.workCentre.id, gatewayId: gw.gateway.id, energyPoint: 'energy',
    points: [{ point: 'energy', type: 'number', unit: 'kWh' }],
  });
  await A.make('/v1/equipment', { code: 'OVEN-2', name: 'Oven 2', workshopId: A.workshop.id, points: [{ point: 'temp', type: 'number' }] });
  // The press's meter every 10 minutes for three hours: 1000 kWh, 5 kWh more each time.
  const records = Array.from({ length: 19 }, (_, k) => rec('PRESS-7', 'energy', T0 + k * 10 * MIN, 1000 + 5 * k, k + 1));
  const sent = await signedCall(t.url, 'POST', '/v1/telemetry/batches', { batchSeq: 1, records }, { key: gw.privateKey, header: gw.header });
  expect(sent.body).toMatchObject({ accepted: 19 });

  await A.make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  const rt = await A.make('/v1/routings', {
    code: 'RT-BRACKET', name: 'Bracket', effectiveFrom: '2026-01-01',
    operations: [{ seq: 10, name: 'Press', workCentreCode: 'WC-CNC', runMinutes: '1' }, { seq: 20, name: 'Finish', workCentreCode: 'WC-CNC', runMinutes: '1' }],
  });
  await A.make(`/v1/routings/${rt.id}/release`, { version: rt.version });
  await A.make('/v1/materials', { code: 'BRACKET', name: 'Bracket', baseUnit: 'PCS', defaultRouting: 'RT-BRACKET' });
  const created = await A.make('/v1/production-orders', { materialCode: 'BRACKET', quantity: '10', plannedStart: '2026-12-01', plannedFinish: '2026-12-05' });
  order = await A.make(`/v1/production-orders/${created.id}/release`, { version: created.version });
  const path = (p: string) => `/v1/production-orders/${order.id}${p}`;
  const event = (event: string, m: number, extra: Record<string, unknown> = {}) => A.make(path('/operations/10/events'), { event, operator: 'W-1', equipmentCode: 'PRESS-7', at: at(m), ...extra });
  const report = (body: Record<string, unknown>) => A.make(path('/reports'), { operator: 'W-1', ...body });
  // Operation 10 on the press: run 20–60, paused, run 80–120; a report over 50–90 overlaps both runs.
  await event('start', 20);
  await event('pause', 60, { reason: 'die change' });
  await event('resume', 80);
  await report({ operationSeq: 10, goodQuantity: '5', equipmentCode: 'PRESS-7', startedAt: at(50), endedAt: at(90) });
  await event('end', 120);
  // Operation 20: on the press 130–150, on an oven without a meter, on a machine nobody registered, and once with no machine.
  await report({ operationSeq: 20, goodQuantity: '2', equipmentCode: 'PRESS-7', startedAt: at(130), endedAt: at(150) });
  await report({ operationSeq: 20, goodQuantity: '1', equipmentCode: 'OVEN-2', startedAt: at(130), endedAt: at(140) });
  await report({ operationSeq: 20, goodQuantity: '1', equipmentCode: 'LATHE-X', startedAt: at(150), endedAt: at(155) });
  await report({ operationSeq: 20, goodQuantity: '1', endedAt: at(160) });
});
afterAll(async () => {
  await t?.stop();
});

describe('energy per production order', () => {
  it('S1-5.4.6-f: the press meter over the merged intervals its operations ran there: 20–120 and 130–150, 60 kWh; machines without a meter or unknown say why', async () => {
    const res = await A.as('GET', `/v1/production-orders/${order.id}/energy`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ orderId: order.id, docNo: order.docNo, reportsWithoutInterval: 1, totals: [{ unit: 'kWh', energy: 60 }] });
    expect(res.body.machines).toEqual([
      { equipmentCode: 'LATHE-X', equipmentId: null, unit: null, energy: null, seconds: 300, missing: 'UNKNOWN_EQUIPMENT', intervals: [{ from: at(150), to: at(155), energy: null, open: false }] },
      { equipmentCode: 'OVEN-2', equipmentId: expect.any(String), unit: null, energy: null, seconds: 600, missing: 'NO_ENERGY_POINT', intervals: [{ from: at(130), to: at(140), energy: null, open: false }] },
      {
        equipmentCode: 'PRESS-7', equipmentId: press.id, unit: 'kWh', energy: 60, seconds: 7200, missing: null,
        // 20–120: from 1005 (the reading before 20) to 1055 (the last inside); 130–150: 1060 to 1070.
        intervals: [{ from: at(20), to: at(120), energy: 50, open: false }, { from: at(130), to: at(150), energy: 10, open: false }],
      },
    ]);
  });

  it('S1-5.4.6-f: a run still open counts up to now: started at 170 on the press and never paused or ended, 1080 → 1090 kWh so far', async () => {
    const created = await A.make('/v1/production-orders', { materialCode: 'BRACKET', quantity: '4', plannedStart: '2026-12-01', plannedFinish: '2026-12-05' });
    const running = await A.make(`/v1/production-orders/${created.id}/release`, { version: created.version });
    await A.make(`/v1/production-orders/${running.id}/operations/10/events`, { event: 'start', operator: 'W-2', equipmentCode: 'PRESS-7', at: at(170) });
    const before = Date.now();
    const res = await A.as('GET', `/v1/production-orders/${running.id}/energy`);
    const after = Date.now();
    expect(res.status).toBe(200);
    const [m] = res.body.machines;
    expect(m).toMatchObject({ equipmentCode: 'PRESS-7', energy: 10, missing: null });
    expect(m.intervals).toEqual([{ from: at(170), to: expect.any(String), energy: 10, open: true }]);
    // The open run ends at the time of the answer.
    const to = Date.parse(m.intervals[0].to);
    expect(to).toBeGreaterThanOrEqual(before - 1000);
    expect(to).toBeLessThanOrEqual(after);
    expect(m.seconds).toBeCloseTo((to - (T0 + 170 * MIN)) / 1000, 3);
    expect(res.body.totals).toEqual([{ unit: 'kWh', energy: 10 }]);
    // Paused, it closes: 170–175, from 1080 (the reading before 170) to 1085 (the one at 170), no longer open.
    await A.make(`/v1/production-orders/${running.id}/operations/10/events`, { event: 'pause', operator: 'W-2', reason: 'lunch', at: at(175) });
    const paused = (await A.as('GET', `/v1/production-orders/${running.id}/energy`)).body.machines[0];
    expect(paused).toMatchObject({ seconds: 300, energy: 5, intervals: [{ from: at(170), to: at(175), energy: 5, open: false }] });
  });

  it('S1-5.4.6-f: overlapping and touching intervals merge, empty ones drop', () => {
    expect(merge([{ from: 50, to: 90 }, { from: 20, to: 60 }, { from: 90, to: 95 }, { from: 100, to: 100 }, { from: 130, to: 150 }])).toEqual([{ from: 20, to: 95 }, { from: 130, to: 150 }]);
  });

  it('S1-5.3.2-a: another tenant\'s order is 404; an unknown order 404', async () => {
    const B = await equipmentTenant(t, 'energy-b');
    expect((await B.as('GET', `/v1/production-orders/${order.id}/energy`)).status).toBe(404);
    expect((await A.as('GET', '/v1/production-orders/00000000-0000-4000-8000-000000000000/energy')).body.code).toBe('RESOURCE_NOT_FOUND');
  });
});
