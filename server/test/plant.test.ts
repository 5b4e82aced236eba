/**
 * The plant model over real HTTP: plant → workshop → line → work centre → station, calendars with
 * weekly shifts (night shifts over midnight) and exceptions (holidays, make-up days), and the
 * capacity per day they give a work centre (parallel count × efficiency), exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { fieldsOf, type Api } from './production-setup.js';

let t: TestServer;
let as: Api;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestServer();
  const tenant = await createTenant(t, 'plant');
  as = (method, path, body) => call(t.url, tenant.key, method, path, body);
});
afterAll(async () => {
  await t?.stop();
});

const ok = async (p: Promise<{ status: number; body: any }>) => {
  const res = await p;
  if (res.status >= 300) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

const weekdays = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, name: 'Day', start: '08:00', end: '16:00', breakMinutes: 30 },
  { weekday, name: 'Night', start: '22:00', end: '06:00', breakMinutes: 30 },
]);

describe('calendars and capacity', () => {
  it('S1-5.4.4-e: shifts per weekday, holidays and make-up days give each work centre its capacity per day, exactly', async () => {
    const cal = await ok(as('POST', '/v1/calendars', {
      code: 'CAL-2S', name: 'Two shifts',
      shifts: [...weekdays, { weekday: 6, start: '08:00', end: '12:00' }],
      exceptions: [
        { date: '2026-10-01', reason: 'National Day', shifts: [] },
        { date: '2026-10-11', reason: 'Make-up working day', shifts: [{ name: 'Day', start: '08:00', end: '16:00', breakMinutes: 30 }] },
      ],
    }));
    expect(cal.weekly[0].shifts.map((s: any) => [s.shiftNo, s.name, s.start, s.end, s.minutes])).toEqual([[1, 'Day', '08:00', '16:00', 450], [2, 'Night', '22:00', '06:00', 450]]);
    expect(cal.weekly[6].shifts).toEqual([]);
    const plant = await ok(as('POST', '/v1/plants', { code: 'P1', name: 'Plant', calendarCode: 'CAL-2S' }));
    const ws = await ok(as('POST', '/v1/workshops', { code: 'WS1', name: 'Workshop', plantId: plant.id }));
    const line = await ok(as('POST', '/v1/production-lines', { code: 'L1', name: 'Line', workshopId: ws.id }));
    const wc = await ok(as('POST', '/v1/work-centres', { code: 'WC-X', name: 'Press line', lineId: line.id, capacityUnit: 'machine_hours', parallelCount: 3, efficiency: '85' }));
    Object.assign(ids, { plant: plant.id, ws: ws.id, line: line.id, wc: wc.id, cal: cal.id });
    expect(wc).toMatchObject({ workshopCode: 'WS1', lineCode: 'L1', capacityUnit: 'machine_hours', parallelCount: 3, efficiency: '85', calendarId: null, effectiveCalendarCode: 'CAL-2S' });

    const week = (await as('GET', `/v1/work-centres/${wc.id}/capacity?from=2026-09-28&to=2026-10-04`)).body;
    expect(week.days.map((d: any) => [d.date, d.shiftMinutes, d.capacityMinutes, d.capacityHours, d.exception])).toEqual([
      ['2026-09-28', 900, '2295', '38.25', null],
      ['2026-09-29', 900, '2295', '38.25', null],
      ['2026-09-30', 900, '2295', '38.25', null],
      ['2026-10-01', 0, '0', '0', 'National Day'],
      ['2026-10-02', 900, '2295', '38.25', null],
      ['2026-10-03', 240, '612', '10.2', null],
      ['2026-10-04', 0, '0', '0', null],
    ]);
    expect(week).toMatchObject({ totalMinutes: '9792', totalHours: '163.2', parallelCount: 3, efficiency: '85', calendarCode: 'CAL-2S', timeZone: 'Asia/Shanghai' });
    expect(week.days[0].shifts[1]).toEqual({ shiftNo: 2, name: 'Night', start: '2026-09-28T22:00', end: '2026-09-29T06:00', minutes: 450 });
    const makeUp = (await as('GET', `/v1/work-centres/${wc.id}/capacity?from=2026-10-11&to=2026-10-11`)).body.days[0];
    expect(makeUp).toMatchObject({ exception: 'Make-up working day', shiftMinutes: 450, capacityMinutes: '1147.5', capacityHours: '19.125' });
  });

  it('S1-5.4.4-e: a work centre takes its line\'s, workshop\'s or plant\'s calendar until it has its own; a calendar change shows at once', async () => {
    const single = await ok(as('POST', '/v1/calendars', { code: 'CAL-1S', name: 'One shift', shifts: [{ weekday: 1, start: '07:00', end: '15:00' }] }));
    const ws = await ok(as('GET', `/v1/workshops/${ids.ws}`));
    const changed = await ok(as('PATCH', `/v1/workshops/${ids.ws}`, { version: ws.version, calendarId: single.id }));
    expect(changed.calendarCode).toBe('CAL-1S');
    const wc2 = await ok(as('POST', '/v1/work-centres', { code: 'WC-Y', name: 'Bench', workshopCode: 'WS1', capacityUnit: 'labour_hours' }));
    expect(wc2).toMatchObject({ lineId: null, effectiveCalendarCode: 'CAL-1S', efficiency: '100', parallelCount: 1 });
    const monday = async () => (await as('GET', `/v1/work-centres/${wc2.id}/capacity?from=2026-09-28&to=2026-09-28`)).body.days[0].capacityMinutes;
    expect(await monday()).toBe('480');
    const cal = await ok(as('GET', `/v1/calendars/${single.id}`));
    await ok(as('PATCH', `/v1/calendars/${single.id}`, { version: cal.version, exceptions: [{ date: '2026-09-28', reason: 'Stocktake', shifts: [{ start: '07:00', end: '11:00' }] }] }));
    expect(await monday()).toBe('240');
    const stale = await as('PATCH', `/v1/calendars/${single.id}`, { version: cal.version, name: 'x' });
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: cal.version + 1 });
    const own = await ok(as('PATCH', `/v1/work-centres/${wc2.id}`, { version: wc2.version, calendarId: ids.cal, parallelCount: 2 }));
    expect(own).toMatchObject({ calendarCode: 'CAL-2S', effectiveCalendarCode: 'CAL-2S', parallelCount: 2, version: wc2.version + 1 });
    expect(await monday()).toBe('1800');
  });

  it('bad calendars and periods are refused with every field; nothing is saved', async () => {
    const bad = await as('POST', '/v1/calendars', {
      code: 'CAL-BAD', name: 'Bad',
      shifts: [{ weekday: 1, start: '08:00', end: '16:00' }, { weekday: 1, start: '15:00', end: '20:00' }, { weekday: 2, start: '08:00', end: '09:00', breakMinutes: 60 }],
      exceptions: [{ date: '2026-05-01', shifts: [] }, { date: '2026-05-01', shifts: [] }],
    });
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad.body)).toEqual(['exceptions[1].date:DUPLICATE_DATE', 'shifts[1].start:SHIFTS_OVERLAP', 'shifts[2].breakMinutes:BREAK_TOO_LONG']);
    expect((await as('GET', '/v1/calendars')).body.items.map((c: any) => c.code)).toEqual(['CAL-1S', 'CAL-2S']);
    expect((await as('POST', '/v1/calendars', { code: 'CAL-T', name: 'T', shifts: [{ weekday: 1, start: '25:00', end: '26:00' }] })).status).toBe(400);
    const backwards = await as('GET', `/v1/work-centres/${ids.wc}/capacity?from=2026-10-02&to=2026-10-01`);
    expect(backwards.body).toMatchObject({ code: 'INVALID_PERIOD' });
    expect((await as('GET', `/v1/work-centres/${ids.wc}/capacity?from=2026-01-01&to=2027-06-01`)).body.errors[0]).toMatchObject({ in: 'query', code: 'PERIOD_TOO_LONG' });
  });
});

describe('the plant model', () => {
  it('S1-5.4.4-e: plant → workshop → line → work centre → station, shown as one tree; references are checked', async () => {
    await ok(as('POST', '/v1/stations', { code: 'ST-1', name: 'Station 1', workCentreCode: 'WC-X' }));
    const tree = await ok(as('GET', `/v1/plants/${ids.plant}`));
    expect(tree.workshops.map((w: any) => [w.code, w.lines.map((l: any) => l.code), w.workCentres.map((c: any) => [c.code, c.lineId, c.stations.map((s: any) => s.code)])])).toEqual([
      ['WS1', ['L1'], [['WC-X', ids.line, ['ST-1']], ['WC-Y', null, []]]],
    ]);
    const ws2 = await ok(as('POST', '/v1/workshops', { code: 'WS2', name: 'Other', plantCode: 'P1' }));
    const wrong = await as('POST', '/v1/work-centres', { code: 'WC-Z', name: 'Z', workshopId: ws2.id, lineCode: 'L1', capacityUnit: 'labour_hours', efficiency: '0' });
    expect(wrong.status).toBe(422);
    expect(fieldsOf(wrong.body)).toEqual(['efficiency:NOT_POSITIVE', 'lineCode:LINE_NOT_IN_WORKSHOP']);
    expect((await as('POST', '/v1/work-centres', { code: 'WC-X', name: 'again', workshopId: ws2.id, capacityUnit: 'labour_hours' })).body.code).toBe('WORK_CENTRE_CODE_TAKEN');
    expect(fieldsOf((await as('POST', '/v1/plants', { code: 'P2', name: 'P2', timeZone: 'Mars/Olympus' })).body)).toEqual(['calendarId:REQUIRED', 'timeZone:UNKNOWN_TIME_ZONE']);
    expect((await as('GET', `/v1/work-centres?lineId=${ids.line}`)).body.items.map((w: any) => w.code)).toEqual(['WC-X']);
    expect((await as('GET', `/v1/workshops?plantId=${ids.plant}`)).body.items.map((w: any) => w.code)).toEqual(['WS1', 'WS2']);
  });

  it('S1-5.3.2-a: another tenant sees none of it', async () => {
    const other = await createTenant(t, 'plant-other');
    const asB: Api = (method, path, body) => call(t.url, other.key, method, path, body);
    expect((await asB('GET', `/v1/work-centres/${ids.wc}/capacity?from=2026-10-01&to=2026-10-01`)).status).toBe(404);
    expect((await asB('GET', `/v1/plants/${ids.plant}`)).status).toBe(404);
    expect((await asB('GET', '/v1/work-centres')).body.items).toEqual([]);
  });
});
