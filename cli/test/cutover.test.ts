/**
 * mes cutover rehearse (S1-7.3-a): the legacy files imported into a scratch tenant and reconciled
 * against the control totals; a planted difference in the totals is reported, with timings.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mesJson } from './helpers.js';
import { budget } from '../../vitest.shared.js';

const LEGACY = fileURLToPath(new URL('../../fixtures/legacy/', import.meta.url));
let t: TestServer;
let dir: string;

const TOTALS = {
  counts: { units: 3, materials: 4, warehouses: 2, customers: 2, suppliers: 1, salesOrders: 2, purchaseOrders: 1 },
  stock: [
    { material: 'M-1001', warehouse: 'WH-RAW', quantity: '1500' },
    { material: 'M-1002', warehouse: 'WH-RAW', quantity: '52.50' },
    { material: 'M-1003', warehouse: 'WH-RAW', quantity: '2' },
    { material: 'M-1004', warehouse: 'WH-QC', quantity: '50' },
  ],
  openSalesOrders: [{ material: 'M-1001', quantity: '130' }, { material: 'M-1004', quantity: '40' }],
  openPurchaseOrders: [{ material: 'M-1001', quantity: '500' }, { material: 'M-1002', quantity: '25.5' }],
};

beforeAll(async () => {
  t = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'mes-cutover-'));
  copyFileSync(path.join(LEGACY, 'opening-balance.xlsx'), path.join(dir, '1-opening-balance.xlsx'));
  copyFileSync(path.join(LEGACY, 'open-orders.xlsx'), path.join(dir, '2-open-orders.xlsx'));
}, budget(60_000));
afterAll(async () => {
  await killAll();
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mes cutover rehearse', () => {
  it('S1-7.3-a: a rehearsal imports every file into a scratch tenant and finds no difference against matching control totals', async () => {
    const totals = path.join(dir, 'totals.json');
    writeFileSync(totals, JSON.stringify(TOTALS));
    const res = await mesJson(['cutover', 'rehearse', '--files', dir, '--totals', totals, '--slug', 'rehearsal-ok'], { url: t.url, apiKey: t.adminKey });
    expect(res.code, res.stderr).toBe(0);
    expect(res.json).toMatchObject({ tenant: { slug: 'rehearsal-ok' }, differences: [], ok: true });
    expect(res.json.imports.map((i: any) => [i.file, i.status, i.rows, i.written])).toEqual([['1-opening-balance.xlsx', 'done', 24, 24], ['2-open-orders.xlsx', 'done', 5, 5]]);
    expect(res.json.imports.every((i: any) => Number.isInteger(i.ms))).toBe(true);
  });

  it('S1-7.3-a: a planted difference in the control totals is reported, and the rehearsal exits 1', async () => {
    const totals = path.join(dir, 'planted.json');
    writeFileSync(totals, JSON.stringify({
      ...TOTALS,
      counts: { ...TOTALS.counts, materials: 5 },
      stock: TOTALS.stock.map((s) => (s.material === 'M-1001' ? { ...s, quantity: '1600' } : s)),
    }));
    const res = await mesJson(['cutover', 'rehearse', '--files', dir, '--totals', totals, '--slug', 'rehearsal-planted'], { url: t.url, apiKey: t.adminKey });
    expect(res.code).toBe(1);
    expect(res.json.error.code).toBe('REHEARSAL_DIFFERENCES');
    expect(res.json.error.details.differences).toEqual([
      { check: 'count', key: 'materials', expected: '5', actual: '4' },
      { check: 'stock', key: 'M-1001@WH-RAW', expected: '1600', actual: '1500' },
    ]);
  });
});
