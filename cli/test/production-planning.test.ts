/**
 * mes production mrp run/show and mes production kitting, run as a user would (the real binary in
 * a child process) against a real server with a BOM and a released order made through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson } from './helpers.js';

let t: TestServer;
let key: string;
let order: any;
const asTenant = () => ({ url: t.url, apiKey: key });

beforeAll(async () => {
  t = await startTestServer();
  key = (await createTenant(t, 'cli-planning')).key;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await call(t.url, key, method, path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await api('POST', '/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  const cal = await api('POST', '/v1/calendars', { code: 'CAL', name: 'Days', shifts: [{ weekday: 1, start: '08:00', end: '16:00' }] });
  await api('POST', '/v1/plants', { code: 'P', name: 'Plant', calendarId: cal.id });
  await api('POST', '/v1/workshops', { code: 'WS-ASM', name: 'Assembly', plantCode: 'P' });
  const fan = await api('POST', '/v1/materials', { code: 'FAN', name: 'Fan', baseUnit: 'PCS' });
  await api('POST', '/v1/materials', { code: 'BOLT', name: 'Bolt', baseUnit: 'PCS' });
  const b = await api('POST', '/v1/boms', { materialCode: 'FAN', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'BOLT', quantity: '4' }] });
  await api('POST', `/v1/boms/${b.id}/release`, { version: b.version });
  await api('PUT', `/v1/materials/${fan.id}/planning`, { version: 0, leadTimeDays: 3 });
  const o = await api('POST', '/v1/production-orders', { materialCode: 'FAN', quantity: '5', workshopCode: 'WS-ASM', plannedStart: '2026-03-02', plannedFinish: '2026-03-03' });
  order = await api('POST', `/v1/production-orders/${o.id}/release`, { version: o.version });
});
afterAll(async () => {
  await killAll();
  await t?.stop();
});

describe('mes production mrp and kitting', () => {
  it('S1-5.4.4-k S1-5.4.1-f: mrp run plans tasks given with --task, pegged; mrp show prints the recorded run; bad input exits 1 or 2', async () => {
    const run = await mesJson(['production', 'mrp', 'run', '--as-of', '2026-03-01', '--task', 'FAN:12@2026-03-10:T-1'], asTenant());
    expect(run.code, run.stderr).toBe(0);
    // The released order's 5 fans are open supply: 7 more to make; 20 bolts still to issue on it, 28 for the 7.
    expect(run.json.plannedOrders.map((p: any) => [p.lineNo, p.kind, p.materialCode, p.quantity, p.startDate, p.pegs.map((g: any) => g.sourceRef)])).toEqual([
      [1, 'make', 'FAN', '7', '2026-03-07', ['T-1']],
      [2, 'buy', 'BOLT', '20', '2026-03-02', [order.docNo]],
      [3, 'buy', 'BOLT', '28', '2026-03-07', ['FAN #1']],
    ]);
    const shown = await mes(['production', 'mrp', 'show', run.json.docNo, '--kind', 'make'], asTenant());
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^1\s+make\s+FAN\s+7 PCS\s+2026-03-07\s+2026-03-10\s+T-1 7\s*$/m);
    expect(shown.stdout).not.toMatch(/BOLT/);
    expect((await mes(['production', 'mrp', 'run', '--task', 'FAN-12'], asTenant())).code).toBe(2);
    const unknown = await mesJson(['production', 'mrp', 'run', '--task', 'NOPE:1@2026-03-10'], asTenant());
    expect(unknown.code).toBe(1);
    expect(unknown.json.error.code).toBe('UNKNOWN_MATERIAL');
    expect((await mes(['production', 'mrp', 'show', 'MRP19990101-0001'], asTenant())).code).toBe(1);
  });

  it('S1-5.4.4-k: kitting names the shortage of each order; --allocate sets stock aside', async () => {
    const kit = await mesJson(['production', 'kitting', order.docNo], asTenant());
    expect(kit.code, kit.stderr).toBe(0);
    expect(kit.json.orders[0]).toMatchObject({ docNo: order.docNo, kitRate: '0.00', kitted: false, earliestKitDate: null });
    expect(kit.json.shortages.map((s: any) => [s.materialCode, s.shortage])).toEqual([['BOLT', '20']]);
    const text = await mes(['production', 'kitting', order.docNo, '--allocate'], asTenant());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`short: BOLT 20 PCS (${order.docNo})`);
    expect((await mes(['production', 'kitting'], asTenant())).code).toBe(2);
  });
});
