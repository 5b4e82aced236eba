/**
 * Finite-capacity scheduling (S1-5.4.4-k, S1-5.4.4-e) over real HTTP: released orders' operations
 * on their work centres' calendars in day buckets, forward from a day by priority, backward from the
 * due date, overloads reported; bad input and tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { fanBoms, fieldsOf, productionTenant } from './production-setup.js';

let t: TestServer;
let T: Awaited<ReturnType<typeof productionTenant>>;
let A: any;
let B: any;
let planned: any;

beforeAll(async () => {
  t = await startTestServer();
  T = await productionTenant(t, 'sched');
  await fanBoms(T);
  const r = await T.make('/v1/routings', {
    code: 'RT-FAN', name: 'Fan', effectiveFrom: '2026-01-01',
    operations: [
      { seq: 10, name: 'Press', workCentreCode: 'WC-PRESS', setupMinutes: '15', runMinutes: '0.5' },
      { seq: 20, name: 'Motor', workCentreCode: 'WC-ASSY', runMinutes: '2.25' },
      { seq: 30, name: 'Final', workCentreCode: 'WC-ASSY', runMinutes: '4' },
    ],
  });
  await T.make(`/v1/routings/${r.id}/release`, { version: r.version });
  const fan = (await T.as('GET', `/v1/materials/${T.m.fan}`)).body;
  await T.as('PATCH', `/v1/materials/${T.m.fan}`, { version: fan.version, defaultRouting: 'RT-FAN' });
  const order = async (quantity: string, priority: number, dueDate: string) => {
    const o = await T.make('/v1/production-orders', { materialCode: 'FAN-A', quantity, unit: 'PCS', priority, dueDate, plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
    return T.make(`/v1/production-orders/${o.id}/release`, { version: o.version });
  };
  // Listed first but less urgent: B goes after A.
  B = await order('400', 5, '2026-03-02');
  A = await order('200', 3, '2026-03-06');
  planned = await T.make('/v1/production-orders', { materialCode: 'FAN-A', quantity: '1', plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
});
afterAll(async () => {
  await t?.stop();
});

const ops = (o: any) => o.operations.map((p: any) => `${p.seq} ${p.workCentreCode} ${p.minutes} ${p.start}→${p.finish} [${p.days.map((d: any) => `${d.date.slice(5)}:${d.minutes}`).join(' ')}]${p.unscheduledMinutes !== '0' ? ` short ${p.unscheduledMinutes}` : ''}`);

describe('finite-capacity scheduling (S1-5.4.4-k)', () => {
  it('S1-5.4.4-k S1-5.4.4-e: forward by priority on the calendars: 480 shift minutes × parallel count per day, operations in sequence, late orders flagged', async () => {
    const res = await T.as('POST', '/v1/production-scheduling', { from: '2026-03-02', horizonDays: 14 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ direction: 'forward', from: '2026-03-02', to: '2026-03-15', overloads: [] });
    const [a, b] = res.body.orders;
    expect([a.docNo, b.docNo]).toEqual([A.docNo, B.docNo]);
    // Press: 2 machines → 960 minutes a day; assembly: 4 people → 1,920.
    expect(ops(a)).toEqual(['10 WC-PRESS 115 2026-03-02→2026-03-02 [03-02:115]', '20 WC-ASSY 450 2026-03-02→2026-03-02 [03-02:450]', '30 WC-ASSY 800 2026-03-02→2026-03-02 [03-02:800]']);
    expect(a).toMatchObject({ start: '2026-03-02', finish: '2026-03-02', late: false, dueDate: '2026-03-06' });
    expect(ops(b)).toEqual(['10 WC-PRESS 215 2026-03-02→2026-03-02 [03-02:215]', '20 WC-ASSY 900 2026-03-02→2026-03-03 [03-02:670 03-03:230]', '30 WC-ASSY 1600 2026-03-03→2026-03-03 [03-03:1600]']);
    expect(b).toMatchObject({ start: '2026-03-02', finish: '2026-03-03', late: true });
  });

  it('S1-5.4.4-k: load the calendars cannot take is reported as an overload, forward beyond the horizon and backward before the first day', async () => {
    const short = (await T.as('POST', '/v1/production-scheduling', { from: '2026-03-02', horizonDays: 1 })).body;
    expect(short.overloads).toEqual([
      { docNo: B.docNo, seq: 20, workCentreCode: 'WC-ASSY', minutes: '230', reason: 'beyond_horizon' },
      { docNo: B.docNo, seq: 30, workCentreCode: 'WC-ASSY', minutes: '1600', reason: 'beyond_horizon' },
    ]);
    expect(short.orders[1]).toMatchObject({ start: null, finish: null, late: true });
    // Backward from the due date: B is due on the Monday it would start.
    const back = (await T.as('POST', '/v1/production-scheduling', { direction: 'backward', from: '2026-03-02', orderIds: [B.id] })).body;
    expect(ops(back.orders[0])).toEqual(['10 WC-PRESS 215 2026-03-02→2026-03-02 [03-02:215]', '20 WC-ASSY 900 2026-03-02→2026-03-02 [03-02:320] short 580', '30 WC-ASSY 1600 2026-03-02→2026-03-02 [03-02:1600]']);
    expect(back.overloads).toEqual([{ docNo: B.docNo, seq: 20, workCentreCode: 'WC-ASSY', minutes: '580', reason: 'before_from' }]);
    // A, due Friday, fits backward into Friday; over the weekend nothing is scheduled.
    const a = (await T.as('POST', '/v1/production-scheduling', { direction: 'backward', from: '2026-03-02', orderIds: [A.id] })).body.orders[0];
    expect(a).toMatchObject({ start: '2026-03-06', finish: '2026-03-06', late: false });
    const weekend = (await T.as('POST', '/v1/production-scheduling', { from: '2026-03-07', horizonDays: 3, orderIds: [A.id] })).body.orders[0];
    expect(ops(weekend)[0]).toBe('10 WC-PRESS 115 2026-03-09→2026-03-09 [03-09:115]');
  });

  it('S1-5.4.4-k: orders that cannot be scheduled are refused with their code; another tenant\'s orders are not found', async () => {
    const res = await T.as('POST', '/v1/production-scheduling', { orderIds: [A.id, planned.id] });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('ORDER_NOT_SCHEDULABLE');
    expect(fieldsOf(res.body)).toEqual(['orderIds[1]:ORDER_NOT_SCHEDULABLE']);
    expect((await T.as('POST', '/v1/production-scheduling', { horizonDays: 400 })).status).toBe(400);
    const other = await productionTenant(t, 'sched-other');
    expect((await other.as('POST', '/v1/production-scheduling', { orderIds: [A.id] })).body.code).toBe('ORDER_NOT_SCHEDULABLE');
    expect((await other.as('POST', '/v1/production-scheduling', {})).body).toMatchObject({ orders: [], overloads: [] });
  });
});

describe('the schedule at shift resolution, written (S1-5.4.4-e)', () => {
  it('S1-5.4.4-e: each operation starts and finishes inside its shifts, at the point its load reaches; applying writes the operations\' and the order\'s planned start and finish', async () => {
    const plant = (await T.as('GET', `/v1/plants/${T.plant.id}`)).body;
    expect(plant.timeZone).toBe('Asia/Shanghai');
    const dry = (await T.as('POST', '/v1/production-scheduling', { from: '2026-03-02', horizonDays: 14 })).body;
    const at = (o: any) => o.operations.map((p: any) => `${p.seq} ${p.startAt}→${p.finishAt}`);
    // One shift 08:00–17:00 (+08:00) with an hour's break: 480 minutes over 540. A's press (115 of the
    // day's 960 minutes on 2 machines) holds 57.5 shift minutes: 08:00 to 09:05 local. Assembly has
    // 1,920 a day: 450 then 800 after it.
    expect(at(dry.orders[0])).toEqual([
      '10 2026-03-02T00:00:00.000Z→2026-03-02T01:05:00.000Z',
      '20 2026-03-02T00:00:00.000Z→2026-03-02T02:07:00.000Z',
      '30 2026-03-02T02:07:00.000Z→2026-03-02T05:52:00.000Z',
    ]);
    // B's assembly runs from where A's ended into the next day; its last operation ends in Tuesday's shift.
    expect(at(dry.orders[1]).slice(1)).toEqual(['20 2026-03-02T05:52:00.000Z→2026-03-03T01:05:00.000Z', '30 2026-03-03T01:05:00.000Z→2026-03-03T08:35:00.000Z']);
    // The dry run wrote nothing.
    expect((await T.as('GET', `/v1/production-orders/${B.id}`)).body.operations.map((o: any) => o.plannedStart)).toEqual([null, null, null]);

    const before = (await T.as('GET', `/v1/production-orders/${B.id}`)).body;
    const res = await T.as('POST', '/v1/production-scheduling/apply', { from: '2026-03-02', horizonDays: 14 });
    expect(res.status).toBe(200);
    expect(res.body.applied).toEqual({ orders: 2, operations: 6 });
    const b = (await T.as('GET', `/v1/production-orders/${B.id}`)).body;
    expect(b.operations.map((o: any) => `${o.seq} ${o.plannedStart}→${o.plannedFinish}`)).toEqual(at(dry.orders[1]));
    // Both were planned 03-02..03-06: B now finishes 03-03, A on 03-02; each a new version, an event, one audit record for the run.
    expect(b).toMatchObject({ plannedStart: '2026-03-02', plannedFinish: '2026-03-03', version: before.version + 1 });
    expect((await T.as('GET', `/v1/production-orders/${A.id}`)).body).toMatchObject({ plannedStart: '2026-03-02', plannedFinish: '2026-03-02' });
    const events = (await T.as('GET', `/v1/events?aggregateId=${B.id}&type=production_order.scheduled`)).body.items;
    expect(events.map((e: any) => [e.payload.plannedStart, e.payload.plannedFinish, e.payload.before.plannedFinish])).toEqual([['2026-03-02', '2026-03-03', '2026-03-06']]);
    const audit = (await T.as('GET', '/v1/audit?action=applyProductionSchedule')).body.items.filter((a: any) => a.resource === 'production-schedule');
    expect(audit).toHaveLength(1);
    // Applying again changes no order.
    expect((await T.as('POST', '/v1/production-scheduling/apply', { from: '2026-03-02', horizonDays: 14 })).body.applied).toEqual({ orders: 0, operations: 6 });
  });
});
