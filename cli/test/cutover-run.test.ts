/**
 * mes cutover plan|run|rollback|verify (S1-7.3-a/b/c) against a real server: a run that stops at
 * its first failed step and says how to go on, a rollback to the pre-cutover data, a resumed run
 * that goes live, and the go-live summary written as Markdown and JSON.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mesJson } from './helpers.js';
import { budget } from '../../vitest.shared.js';

const LEGACY = fileURLToPath(new URL('../../fixtures/legacy/', import.meta.url));
let t: TestServer;
let root: string;
let key: string;
const dirs = { good: '', bad: '' };

const TOTALS = {
  // Units are master data: the trial units TRIAL and AFTER stay through the clean step, beside the 3 imported.
  counts: { units: 5, materials: 4, warehouses: 2, customers: 2, suppliers: 1, salesOrders: 2, purchaseOrders: 1 },
  stock: [
    { material: 'M-1001', warehouse: 'WH-RAW', quantity: '1500' },
    { material: 'M-1002', warehouse: 'WH-RAW', quantity: '52.50' },
    { material: 'M-1003', warehouse: 'WH-RAW', quantity: '2' },
    { material: 'M-1004', warehouse: 'WH-QC', quantity: '50' },
  ],
  openSalesOrders: [{ material: 'M-1001', quantity: '130' }, { material: 'M-1004', quantity: '40' }],
  openPurchaseOrders: [{ material: 'M-1001', quantity: '500' }, { material: 'M-1002', quantity: '25.5' }],
};

const as = (method: string, p: string, body?: unknown) => t.call(method, p, body, { authorization: `Bearer ${key}` });
const cli = (args: string[]) => mesJson(args, { url: t.url, apiKey: key });

beforeAll(async () => {
  t = await startTestServer({ planTtlMs: 100 });
  key = (await createTenant(t, 'cli-cut')).key;
  root = mkdtempSync(path.join(tmpdir(), 'mes-cutover-run-'));
  for (const [name, files] of [['good', ['opening-balance.xlsx', 'open-orders.xlsx']], ['bad', ['opening-balance.xlsx', 'mistakes.xlsx']]] as const) {
    dirs[name] = path.join(root, name);
    rmSync(dirs[name], { recursive: true, force: true });
    mkdirSync(dirs[name]);
    files.forEach((f, i) => copyFileSync(path.join(LEGACY, f), path.join(dirs[name], `${i + 1}-${f}`)));
  }
  writeFileSync(path.join(root, 'totals.json'), JSON.stringify(TOTALS));
  writeFileSync(path.join(root, 'planted.json'), JSON.stringify({ ...TOTALS, counts: { ...TOTALS.counts, materials: 5 } }));
  // Trial data from before the cutover: units and a unit conversion users made while practising.
  expect((await as('POST', '/v1/units', { code: 'TRIAL', name: 'Trial unit', decimals: 0 })).status).toBe(201);
}, budget(180_000));
afterAll(async () => {
  await killAll();
  await t?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('mes cutover run', () => {
  it('S1-7.3-a: a run stops at its first failed step, says how to resume or roll back, and rollback puts the tenant back and unfreezes it', async () => {
    const run = await cli(['cutover', 'run', '--files', dirs.bad]);
    expect(run.code).toBe(1);
    expect(run.json.error.code).toBe('CUTOVER_STEP_FAILED');
    expect(run.json.error.message).toMatch(/step initialise-inventory failed \(2-mistakes\.xlsx: invalid.*--resume.*mes cutover rollback/s);
    const states = Object.fromEntries(run.json.error.details.steps.map((s: any) => [s.key, s.state]));
    // mistakes.xlsx holds opening stock too, so both files belong to the inventory step.
    expect(states).toMatchObject({ freeze: 'passed', backup: 'passed', clean: 'passed', 'import-master-data': 'passed', 'initialise-inventory': 'failed', unfreeze: 'pending' });
    expect((await as('POST', '/v1/units', { code: 'LATE', name: 'Late', decimals: 0 })).status).toBe(423);

    const again = await cli(['cutover', 'run', '--files', dirs.good]);
    expect(again.code).toBe(1);
    expect(again.json.error.code).toBe('CUTOVER_IN_PROGRESS');

    const rolled = await cli(['cutover', 'rollback']);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.json).toMatchObject({ status: 'rolled_back', frozen: false });
    const units = (await as('GET', '/v1/units')).body.items.map((u: any) => u.code);
    expect(units).toEqual(['TRIAL']);
    expect((await as('POST', '/v1/units', { code: 'AFTER', name: 'After', decimals: 0 })).status).toBe(201);
  });

  it('S1-7.3-a S1-7.3-b S1-7.3-c: a planted control-total difference fails reconcile; --resume with the right totals goes live; verify writes the go-live summary', async () => {
    const plan = await cli(['cutover', 'plan', '--note', 'go-live']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json.steps).toHaveLength(8);

    const planted = await cli(['cutover', 'run', '--files', dirs.good, '--control-totals', path.join(root, 'planted.json')]);
    expect(planted.code).toBe(1);
    expect(planted.json.error.message).toMatch(/step reconcile failed: 1 difference\(s\) against the control totals: count materials: legacy 5, imported 4\. The tenant stays frozen/);
    expect(planted.json.error.details.files.map((f: any) => [f.file, f.step, f.status])).toEqual([
      ['1-opening-balance.xlsx', 'initialise-inventory', 'done'], ['2-open-orders.xlsx', 'backfill-open-documents', 'done'],
    ]);

    const resumed = await cli(['cutover', 'run', '--files', dirs.good, '--control-totals', path.join(root, 'totals.json'), '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json).toMatchObject({ cutoverId: plan.json.id, status: 'completed', goLiveAt: expect.any(String), files: [] });
    expect(resumed.json.steps.every((s: any) => s.state === 'passed')).toBe(true);

    const out = path.join(root, 'summary');
    const verify = await cli(['cutover', 'verify', '--out', out]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.json.summary).toMatchObject({ ok: true, ledger: { ok: true, movements: 7 }, reconciliation: { differences: [] } });
    expect(existsSync(path.join(out, 'go-live-summary.json'))).toBe(true);
    const md = readFileSync(path.join(out, 'go-live-summary.md'), 'utf8');
    expect(md).toMatch(/# Go-live summary: cutover/);
    expect(md).toMatch(/\*\*Verified: yes\*\*/);
    expect(md).toMatch(/balances off the ledger: 0/);
  });
});
