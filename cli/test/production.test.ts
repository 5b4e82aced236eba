/**
 * mes production orders list/show/release, run as a user would (the real binary in a child process)
 * against a real server with a plant, a BOM, a routing and orders made through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson } from './helpers.js';

let t: TestServer;
let key: string;
const asTenant = () => ({ url: t.url, apiKey: key });
const orders: Record<string, any> = {};

beforeAll(async () => {
  t = await startTestServer();
  key = (await createTenant(t, 'cli-production')).key;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await call(t.url, key, method, path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await api('POST', '/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  const cal = await api('POST', '/v1/calendars', { code: 'CAL', name: 'Days', shifts: [{ weekday: 1, start: '08:00', end: '16:00' }] });
  await api('POST', '/v1/plants', { code: 'P', name: 'Plant', calendarId: cal.id });
  await api('POST', '/v1/workshops', { code: 'WS-ASM', name: 'Assembly', plantCode: 'P' });
  await api('POST', '/v1/production-lines', { code: 'L1', name: 'Line 1', workshopCode: 'WS-ASM' });
  await api('POST', '/v1/work-centres', { code: 'WC', name: 'Bench', lineCode: 'L1', capacityUnit: 'labour_hours' });
  const r = await api('POST', '/v1/routings', { code: 'RT', name: 'Route', effectiveFrom: '2026-01-01', operations: [{ seq: 10, name: 'Build', workCentreCode: 'WC', runMinutes: '2' }] });
  await api('POST', `/v1/routings/${r.id}/release`, { version: r.version });
  await api('POST', '/v1/materials', { code: 'FAN', name: 'Fan', baseUnit: 'PCS', defaultRouting: 'RT' });
  await api('POST', '/v1/materials', { code: 'MOTOR', name: 'Motor', baseUnit: 'PCS' });
  const b = await api('POST', '/v1/boms', { materialCode: 'FAN', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'MOTOR', quantity: '1' }] });
  await api('POST', `/v1/boms/${b.id}/release`, { version: b.version });
  const order = (lineCode?: string) => api('POST', '/v1/production-orders', { materialCode: 'FAN', quantity: '5', workshopCode: 'WS-ASM', ...(lineCode ? { lineCode } : {}), plannedStart: '2026-03-02', plannedFinish: '2026-03-03', dueDate: '2026-03-05' });
  orders.a = await order('L1');
  orders.b = await order();
});
afterAll(async () => {
  await killAll();
  await t?.stop();
});

describe('mes production orders', () => {
  it('S1-5.4.4-e: list shows product, quantity, workshop, line, start and finish; --status and --workshop narrow it; --json gives the summaries', async () => {
    const res = await mes(['production', 'orders', 'list', '--status', 'planned', '--workshop', 'WS-ASM'], asTenant());
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.split('\n')[0]).toMatch(/^DOC NO\s+STATUS\s+PRODUCT\s+QUANTITY\s+WORKSHOP\s+LINE\s+START\s+FINISH\s+DUE\s+MTO\s+VERSION$/);
    expect(res.stdout).toMatch(new RegExp(`^${orders.a.docNo}\\s+planned\\s+FAN\\s+5 PCS\\s+WS-ASM\\s+L1\\s+2026-03-02\\s+2026-03-03\\s+2026-03-05\\s+1$`, 'm'));
    const none = await mesJson(['production', 'orders', 'list', '--status', 'released'], asTenant());
    expect(none.json).toEqual([]);
    expect((await mes(['production', 'orders', 'list', '--status', 'shipped'], asTenant())).code).toBe(2);
  });

  it('S1-5.4.4-e: release by document number gives the order its operations and components; show prints them; a stale --version is refused', async () => {
    const stale = await mesJson(['production', 'orders', 'release', orders.b.docNo, '--version', '7'], asTenant());
    expect(stale.code).toBe(1);
    expect(stale.json.error.code).toBe('VERSION_CONFLICT');
    const released = await mesJson(['production', 'orders', 'release', orders.a.docNo], asTenant());
    expect(released.code, released.stderr).toBe(0);
    expect(released.json).toMatchObject({ docNo: orders.a.docNo, status: 'released', version: 2 });
    const show = await mes(['production', 'orders', 'show', orders.a.docNo], asTenant());
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`${orders.a.docNo}  released  version 2`);
    expect(show.stdout).toMatch(/^10\s+Build\s+WC\s+10\s+0\s+0\s+pending$/m);
    expect(show.stdout).toMatch(/^1\s+MOTOR\s+10\s+5 PCS\s+0\s+0\s+0\s+manual$/m);
    const missing = await mes(['production', 'orders', 'show', 'MO19990101-0001'], asTenant());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no production order MO19990101-0001');
  });

  it('S1-5.4.4-h: production report records good and scrap from a terminal script; a resent --idempotency-key counts once; the flow rule exits 1', async () => {
    const args = ['production', 'report', orders.a.docNo, '--operation', '10', '--good', '3', '--scrap', '1', '--operator', 'W-7', '--idempotency-key', 'term-1'];
    const first = await mesJson(args, asTenant());
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ orderDocNo: orders.a.docNo, operationSeq: 10, goodQuantity: '3', scrapQuantity: '1', operator: 'W-7', baseUnit: 'PCS' });
    const again = await mesJson(args, asTenant());
    expect(again.json.docNo).toBe(first.json.docNo);
    const flow = await mesJson(['production', 'report', orders.a.docNo, '--operation', '10', '--good', '3', '--operator', 'W-7'], asTenant());
    expect(flow.code).toBe(1);
    expect(flow.json.error.code).toBe('QUANTITY_FLOW_VIOLATION');
    const text = await mes(['production', 'report', orders.a.docNo, '--operation', '10', '--good', '2', '--operator', 'W-7', '--end'], asTenant());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^WR\\d{8}-\\d{4}: ${orders.a.docNo} operation 10 Build: good 2, scrap 0, pending inspection 0 PCS by W-7$`, 'm'));
    const over = await mesJson(['production', 'report', orders.a.docNo, '--operation', '10', '--good', '1', '--operator', 'W-7'], asTenant());
    expect(over.code).toBe(1);
    expect(over.json.error.code).toBe('OPERATION_COMPLETED');
    expect((await mes(['production', 'report', orders.a.docNo, '--good', '1', '--operator', 'W-7'], asTenant())).code).toBe(2);
  });

  it('S1-5.4.4-l: production progress shows the late order and its operation against plan; --json gives the board; an unknown workshop exits 1', async () => {
    const res = await mesJson(['production', 'progress', '--workshop', 'WS-ASM', '--as-of', '2026-03-10'], asTenant());
    expect(res.code, res.stderr).toBe(0);
    const a = res.json.orders.find((o: any) => o.orderId === orders.a.id);
    expect(a).toMatchObject({ late: true, daysLate: 7, workshopCode: 'WS-ASM' });
    expect(a.operations.map((o: any) => [o.seq, o.status, o.planned, o.good, o.scrap, o.operator])).toEqual([[10, 'completed', '5', '5', '1', 'W-7']]);
    expect(res.json.workshops.map((w: any) => w.workshopCode)).toEqual(['WS-ASM']);
    const text = await mes(['production', 'progress', '--workshop', 'WS-ASM', '--as-of', '2026-03-10'], asTenant());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${orders.a.docNo}  FAN 5 PCS  in_progress  received 0  finish 2026-03-03  LATE 7 d$`, 'm'));
    const unknown = await mesJson(['production', 'progress', '--workshop', 'NOPE'], asTenant());
    expect(unknown.code).toBe(1);
    expect(unknown.json.error.code).toBe('UNKNOWN_WORKSHOP');
  });
});
