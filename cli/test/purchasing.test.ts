/**
 * mes purchasing …: the real binary in a child process against a real server (S1-5.4.2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson } from './helpers.js';

let t: TestServer;
let key: string;
let order: any;
let receipt: any;
const opts = () => ({ url: t.url, apiKey: key });

beforeAll(async () => {
  t = await startTestServer();
  key = (await createTenant(t, 'cli-purchasing')).key;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await call(t.url, key, method, path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await api('POST', '/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  const m = await api('POST', '/v1/materials', { code: 'RM-1', name: 'Sheet', baseUnit: 'PCS' });
  const short = await api('POST', '/v1/materials', { code: 'RM-2', name: 'Bolt', baseUnit: 'PCS' });
  const supplier = await api('POST', '/v1/suppliers', { code: 'SUP-1', name: 'Steel Co' });
  await api('POST', '/v1/supplier-materials', { supplierId: supplier.id, materialId: short.id, preferred: true });
  await api('PUT', `/v1/materials/${short.id}/safety-stock`, { quantity: '40' });
  order = await api('POST', '/v1/purchase-orders', { supplierId: supplier.id, lines: [{ materialId: m.id, quantity: '10', mtoNumber: 'MTO-1' }] });
  order = await api('POST', `/v1/purchase-orders/${order.id}/approve`, { version: 1 });
  receipt = await api('POST', '/v1/purchase-receipts', { orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: '4' }] });
});
afterAll(async () => {
  await killAll();
  await t?.stop();
});

describe('mes purchasing', () => {
  it('orders list --status open shows the approved order; show prints its lines with progress', async () => {
    const list = await mes(['purchasing', 'orders', 'list', '--status', 'open'], opts());
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^NUMBER\s+SUPPLIER\s+STATUS\s+SOURCE\s+VERSION\s+CREATED$/m);
    expect(list.stdout).toMatch(new RegExp(`^${order.docNo}\\s+SUP-1\\s+receiving\\s+manual\\s+2\\s`, 'm'));
    const drafts = await mesJson(['purchasing', 'orders', 'list', '--status', 'draft'], opts());
    expect(drafts.json).toEqual([]);
    const show = await mes(['purchasing', 'orders', 'show', order.docNo], opts());
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^1\s+RM-1\s+10 PCS\s+4\s+0\s+0\s+6\s+PCS\s+MTO-1$/m);
    const json = await mesJson(['purchasing', 'orders', 'show', order.id], opts());
    expect(json.json.lines.map((l: any) => l.open)).toEqual(['6']);
    const missing = await mesJson(['purchasing', 'orders', 'show', 'PO-NOPE'], opts());
    expect(missing.code).toBe(1);
    expect(missing.json.error.code).toBe('ORDER_NOT_FOUND');
  });

  it('receipts list --pending-inspection is the inspector worklist', async () => {
    const res = await mesJson(['purchasing', 'receipts', 'list', '--pending-inspection'], opts());
    expect(res.code, res.stderr).toBe(0);
    expect(res.json.map((r: any) => [r.docNo, r.orderDocNo, r.status])).toEqual([[receipt.docNo, order.docNo, 'pending_inspection']]);
  });

  it('suggest --dry-run computes, suggest creates the draft; progress --by material', async () => {
    const dry = await mes(['purchasing', 'suggest', '--dry-run'], opts());
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^SUP-1\s+\(dry run\)\s+RM-2\s+40\s+0\s+40\s+PCS$/m);
    const run = await mesJson(['purchasing', 'suggest'], opts());
    expect(run.json.suggestions[0].docNo).toMatch(/^PO\d{8}-\d{4}$/);
    const again = await mes(['purchasing', 'suggest'], opts());
    expect(again.stdout).toContain('Nothing is below safety stock');
    const progress = await mesJson(['purchasing', 'progress', '--by', 'material'], opts());
    expect(progress.json.map((r: any) => [r.key.code, r.ordered, r.received, r.pending, r.open])).toEqual([['RM-1', '10', '4', '4', '6'], ['RM-2', '40', '0', '0', '40']]);
    const bad = await mes(['purchasing', 'progress', '--by', 'colour'], opts());
    expect(bad.code).toBe(2);
  });
});
