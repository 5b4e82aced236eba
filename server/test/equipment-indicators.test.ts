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
  // A machine in the paint shop, on no work centre, that never sent a state.
  await A.make('/v1/equipment', { code: 'PAINT-1', name: 'Paint booth', workshopId: A.otherWorkshop.id, points: [{ point: 'state', type: 'string' }] });
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

describe('intact rate (完好率)', () => {
  it('S1-5.4.6-f: per machine the share of the period not down; in the indicators too', async () => {
    const res = await A.as('GET', `/v1/equipment-intact-rate?${period(0, 60)}&workshopId=${A.workshop.id}`);
    expect(res.status).toBe(200);
    expect(res.body.periodSeconds).toBe(3600);
    expect(res.body.machines.map((m: any) => [m.code, m.downSeconds, m.intactSeconds, m.intactRate, m.stateAtEnd, m.intactAtEnd])).toEqual([
      ['CNC-1', 600, 3000, 0.8333, 'idle', true], ['MILL-1', 1800, 1800, 0.5, 'idle', true],
    ]);
    expect((await A.as('GET', `/v1/equipment/${cnc.id}/indicators?${period(0, 60)}`)).body.intactRate).toBe(0.8333);
  });

  it('S1-5.4.6-f: the fleet rate is intact machine time over calendar machine time; by count at the end beside it', async () => {
    const hour = (await A.as('GET', `/v1/equipment-intact-rate?${period(0, 60)}&workshopId=${A.workshop.id}`)).body.fleet;
    expect(hour).toEqual({ machines: 2, intactSeconds: 4800, calendarSeconds: 7200, intactRate: 0.6667, intactAtEnd: 2, intactRateAtEnd: 1 });
    // [0, 30): CNC-1 never down, MILL-1 down 15 of 30 minutes; at 30 both are down.
    const half = (await A.as('GET', `/v1/equipment-intact-rate?${period(0, 30)}&workCentreId=${A.workCentre.id}`)).body;
    expect(half.fleet).toEqual({ machines: 2, intactSeconds: 2700, calendarSeconds: 3600, intactRate: 0.75, intactAtEnd: 0, intactRateAtEnd: 0 });
    // The whole tenant: the paint booth never said anything, so it counts as intact.
    const all = (await A.as('GET', `/v1/equipment-intact-rate?${period(0, 60)}`)).body;
    expect(all.machines.map((m: any) => [m.code, m.intactRate, m.stateAtEnd])).toEqual([['CNC-1', 0.8333, 'idle'], ['MILL-1', 0.5, 'idle'], ['PAINT-1', 1, null]]);
    expect(all.fleet).toMatchObject({ machines: 3, intactSeconds: 8400, calendarSeconds: 10800, intactRate: 0.7778, intactRateAtEnd: 1 });
  });

  it('S1-5.4.6-f: a period ending before it starts is 400 INVALID_PERIOD on to; another tenant sees none of the machines', async () => {
    const bad = await A.as('GET', `/v1/equipment-intact-rate?${period(60, 0)}`);
    expect([bad.status, bad.body.code, bad.body.errors?.[0]?.field]).toEqual([400, 'INVALID_PERIOD', 'to']);
    const B = await equipmentTenant(t, 'indicators-b');
    expect((await B.as('GET', `/v1/equipment-intact-rate?${period(0, 60)}`)).body.fleet).toEqual({ machines: 0, intactSeconds: 0, calendarSeconds: 0, intactRate: null, intactAtEnd: 0, intactRateAtEnd: null });
  });
});

describe('capacity reports', () => {
  // Local days in Asia/Shanghai (the plant's zone) around the test's hour: the day before to the day after.
  const shanghai = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
  const days = [-1, 0, 1].map((d) => shanghai(T0 + d * 86_400_000));
  // The calendar works 08:00–17:00 Monday to Friday: 9 hours on each weekday.
  const available = days.filter((d) => [1, 2, 3, 4, 5].includes(new Date(`${d}T00:00:00Z`).getUTCDay())).length * 9;

  it('S1-5.4.6-f: per machine the calendar hours, the run hours and utilisation; per work centre the sums and its own capacity; a machine on no work centre says so', async () => {
    const res = await A.as('GET', `/v1/equipment-capacity?from=${days[0]}&to=${days[2]}`);
    expect(res.status).toBe(200);
    const util = (run: number) => (available ? Math.round((run / available) * 1e4) / 1e4 : null);
    expect(res.body.machines).toEqual([
      { equipmentId: cnc.id, code: 'CNC-1', workCentreId: A.workCentre.id, workCentreCode: 'WC-CNC', calendarCode: 'CAL', timeZone: 'Asia/Shanghai', availableHours: available, runHours: 0.8333, utilisation: util(0.8333), missing: null },
      { equipmentId: mill.id, code: 'MILL-1', workCentreId: A.workCentre.id, workCentreCode: 'WC-CNC', calendarCode: 'CAL', timeZone: 'Asia/Shanghai', availableHours: available, runHours: 0.5, utilisation: util(0.5), missing: null },
      { equipmentId: expect.any(String), code: 'PAINT-1', workCentreId: null, workCentreCode: null, calendarCode: null, timeZone: null, availableHours: null, runHours: null, utilisation: null, missing: 'NO_WORK_CENTRE' },
    ]);
    const own = (await A.as('GET', `/v1/work-centres/${A.workCentre.id}/capacity?from=${days[0]}&to=${days[2]}`)).body;
    expect(res.body.workCentres).toEqual([
      { workCentreId: A.workCentre.id, workCentreCode: 'WC-CNC', machines: 2, availableHours: 2 * available, runHours: 1.3333, utilisation: util(1.3333 / 2), calendarCapacityHours: Number(own.totalHours) },
    ]);
    expect(res.body.totals).toEqual({ machines: 2, availableHours: 2 * available, runHours: 1.3333, utilisation: util(1.3333 / 2) });
  });

  it('S1-5.4.6-f: one work centre or workshop at a time; the paint shop has no calendar hours', async () => {
    const wc = (await A.as('GET', `/v1/equipment-capacity?from=${days[0]}&to=${days[2]}&workCentreId=${A.workCentre.id}`)).body;
    expect(wc.machines.map((m: any) => m.code)).toEqual(['CNC-1', 'MILL-1']);
    const paint = (await A.as('GET', `/v1/equipment-capacity?from=${days[0]}&to=${days[2]}&workshopId=${A.otherWorkshop.id}`)).body;
    expect(paint.workCentres).toEqual([]);
    expect(paint.totals).toEqual({ machines: 0, availableHours: 0, runHours: 0, utilisation: null });
  });

  it('S1-5.4.6-f: a period ending before it starts or longer than 366 days is 400 INVALID_PERIOD on to; a malformed date 400', async () => {
    const before = await A.as('GET', `/v1/equipment-capacity?from=${days[2]}&to=${days[0]}`);
    expect([before.status, before.body.code, before.body.errors?.[0]?.field, before.body.errors?.[0]?.code]).toEqual([400, 'INVALID_PERIOD', 'to', 'BEFORE_FROM']);
    const long = await A.as('GET', '/v1/equipment-capacity?from=2025-01-01&to=2026-01-02');
    expect([long.status, long.body.code, long.body.errors?.[0]?.code]).toEqual([400, 'INVALID_PERIOD', 'PERIOD_TOO_LONG']);
    const malformed = await A.as('GET', '/v1/equipment-capacity?from=yesterday&to=2026-01-02');
    expect([malformed.status, malformed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
