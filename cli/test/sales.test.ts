/**
 * mes sales orders list/show and mes sales progress, run as a user would (the real binary in a
 * child process) against a real server with orders made through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson } from './helpers.js';

let t: TestServer;
let key: string;
const asTenant = () => ({ url: t.url, apiKey: key });
const orders: { open: any; draft: any } = { open: undefined, draft: undefined };

beforeAll(async () => {
  t = await startTestServer();
  key = (await createTenant(t, 'cli-sales')).key;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await call(t.url, key, method, path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await api('POST', '/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  await api('POST', '/v1/units', { code: 'BOX', name: 'Box', decimals: 0 });
  await api('POST', '/v1/unit-conversions', { fromUnit: 'BOX', toUnit: 'PCS', factor: '10' });
  await api('POST', '/v1/materials', { code: 'FAN-1', name: 'Fan', baseUnit: 'PCS', salesUnit: 'BOX' });
  await api('POST', '/v1/customers', { code: 'C001', name: 'Seagull Fans' });
  await api('POST', '/v1/customers', { code: 'C002', name: 'North HVAC' });
  orders.open = await api('POST', '/v1/sales-orders', { customerCode: 'C001', lines: [{ materialCode: 'FAN-1', quantity: '3', price: '120', taxRate: '13', deliveryDate: '2026-07-01' }] });
  orders.open = await api('POST', `/v1/sales-orders/${orders.open.id}/approve`, { version: orders.open.version });
  await api('POST', '/v1/delivery-plans', { customerCode: 'C001', plannedDate: '2026-06-30', lines: [{ orderLineId: orders.open.lines[0].id, quantity: '2' }] });
  orders.draft = await api('POST', '/v1/sales-orders', { customerCode: 'C002', lines: [{ materialCode: 'FAN-1', quantity: '1', price: '100', deliveryDate: '2026-07-02' }] });
});
afterAll(async () => {
  await killAll();
  await t?.stop();
});

describe('mes sales', () => {
  it('S1-5.4.1-b: orders list --status open shows what is still to ship; --customer narrows it; --json gives the summaries', async () => {
    const open = await mes(['sales', 'orders', 'list', '--status', 'open'], asTenant());
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout.split('\n')[0]).toMatch(/^DOC NO\s+DATE\s+CUSTOMER\s+STATUS\s+VERSION\s+LINES\s+GROSS\s+CREATED$/);
    expect(open.stdout).toMatch(new RegExp(`^${orders.open.docNo}\\s+\\S+\\s+C001\\s+approved\\s+2\\s+1\\s+406\\.80\\s`, 'm'));
    expect(open.stdout).not.toContain(orders.draft.docNo);
    const json = await mesJson(['sales', 'orders', 'list', '--customer', 'C002'], asTenant());
    expect(json.code, json.stderr).toBe(0);
    expect(json.json.map((o: any) => [o.docNo, o.status, o.grossTotal])).toEqual([[orders.draft.docNo, 'draft', '100.00']]);
    const unknown = await mes(['sales', 'orders', 'list', '--customer', 'NOPE'], asTenant());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no customer with code NOPE');
    expect((await mes(['sales', 'orders', 'list', '--status', 'shipped'], asTenant())).code).toBe(2);
  });

  it('S1-5.4.1-b: orders show by document number prints the lines with planned and open quantities', async () => {
    const res = await mes(['sales', 'orders', 'show', orders.open.docNo], asTenant());
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`${orders.open.docNo}  approved  version 2`);
    expect(res.stdout).toMatch(/^1\s+FAN-1\s+3 BOX\s+30 PCS\s+20\s+0\s+0\s+30\s+120\s+406\.80\s+2026-07-01$/m);
    const json = await mesJson(['sales', 'orders', 'show', orders.open.id], asTenant());
    expect(json.json.lines[0]).toMatchObject({ planned: '20', open: '30' });
    const missing = await mes(['sales', 'orders', 'show', 'SO19990101-0001'], asTenant());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no sales order SO19990101-0001');
  });

  it('S1-5.4.1-g: progress by customer and by material, exact', async () => {
    const res = await mes(['sales', 'progress'], asTenant());
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^C001\s+FAN-1\s+PCS\s+30\s+20\s+0\s+0\s+30$/m);
    const json = await mesJson(['sales', 'progress', '--by', 'material'], asTenant());
    expect(json.json.map((r: any) => [r.customerCode, r.materialCode, r.ordered, r.planned, r.open])).toEqual([[null, 'FAN-1', '30', '20', '30']]);
  });
});
