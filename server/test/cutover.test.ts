/**
 * Go-live cutover (S1-7.2, S1-7.3-a/b/c) through the real server: the plan with its ordered steps
 * and readiness checks; the tenant freeze (423 TENANT_FROZEN for every write but the cutover's
 * own); a failed step that stops the run and a rollback that restores the exact pre-cutover rows;
 * a whole run to go-live and its verification.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEPT_ON_ROLLBACK, STEPS } from '../src/modules/cutovers/steps.js';
import { createTenant, startTestServer, type TestServer } from './harness.js';
import { finished, legacy, upload } from './imports-util.js';
import { runStep, stepStates, tenantDigest } from './cutover-util.js';
import { listAll } from './util.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
let key: string;
const SLUG = 'cut-a';
const as = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => t.call(method, path, body, { authorization: `Bearer ${key}`, ...headers });
const salesOrder = () => as('POST', '/v1/sales-orders', { customerCode: 'C-001', lines: [{ materialCode: 'M-1004', quantity: '7', price: '2.50', deliveryDate: '2027-01-15' }] });

async function importFile(name: string, cutoverId?: string) {
  const res = await upload(t.url, key, legacy(name), { fileName: name }, cutoverId ? { 'mes-cutover': cutoverId } : {});
  if (res.status !== 201) return res;
  return { status: 201, body: await finished(t.url, key, res.body.id) };
}

beforeAll(async () => {
  // The freeze is seen by every replica within planTtlMs, which the freeze step waits out.
  t = await startTestServer({ planTtlMs: 200 });
  key = (await createTenant(t, SLUG)).key;
  // Trial data: the master data and opening stock of a rehearsal, and an order users practised with.
  expect((await importFile('opening-balance.xlsx')).body.status).toBe('done');
  expect((await salesOrder()).status).toBe(201);
}, budget(180_000));
afterAll(() => t?.stop());

describe('cutover', () => {
  let first: string;

  it('S1-7.3-a S1-7.2: a plan has the ordered steps and the readiness checks, each with its state; one open cutover per tenant; steps run in order', async () => {
    const plan = await as('POST', '/v1/cutovers', { note: 'go-live weekend' });
    expect(plan.status).toBe(201);
    first = plan.body.id;
    expect(plan.body).toMatchObject({ status: 'planned', frozen: false, note: 'go-live weekend', goLiveAt: null, backup: null });
    expect(plan.body.steps.map((s: any) => [s.seq, s.key, s.state])).toEqual(STEPS.map((s, i) => [i + 1, s.key, 'pending']));
    const checks = Object.fromEntries(plan.body.checks.map((c: any) => [c.key, c.state]));
    // Only the first admin yet: a warning, which informs and does not block.
    expect(checks).toEqual({ 'users-and-roles': 'warning', 'coding-rules': 'passed', 'label-templates': 'passed', 'warehouses-and-bins': 'passed', devices: 'passed' });
    expect(plan.body.checks.find((c: any) => c.key === 'label-templates').result).toMatchObject({ drawn: 4, failed: [] });

    const again = await as('POST', '/v1/cutovers', {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CUTOVER_OPEN', cutoverId: first });
    const early = await runStep(t, key, first, 'clean');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'CUTOVER_STEP_OUT_OF_ORDER', next: 'freeze' });
    expect((await as('GET', '/v1/cutovers')).body.items.map((c: any) => c.id)).toEqual([first]);
    expect((await runStep(t, key, first, 'dance')).body.code).toBe('RESOURCE_NOT_FOUND');
  });

  it('S1-7.3-a: while the cutover is frozen a sales order write gets 423 TENANT_FROZEN and a read works; other tenants write on', async () => {
    const other = await createTenant(t, 'cut-other');
    const freeze = await runStep(t, key, first, 'freeze');
    expect(freeze.status).toBe(200);
    expect(freeze.body).toMatchObject({ status: 'running', frozen: true });
    expect(stepStates(freeze.body).freeze).toBe('passed');
    const step = freeze.body.steps[0];
    expect(step.actor).toMatch(/.+/);
    expect(step.durationMs).toBeGreaterThanOrEqual(200);

    const refused = await salesOrder();
    expect(refused.status).toBe(423);
    expect(refused.body).toMatchObject({ code: 'TENANT_FROZEN', cutoverId: first });
    expect((await as('GET', '/v1/sales-orders')).status).toBe(200);
    expect((await as('GET', '/v1/materials')).body.items).toHaveLength(4);
    // An import that does not name the frozen cutover is a write like any other.
    expect((await upload(t.url, key, legacy('open-orders.xlsx'), { fileName: 'x.xlsx' })).status).toBe(423);
    expect((await upload(t.url, key, legacy('open-orders.xlsx'), { fileName: 'x.xlsx' }, { 'mes-cutover': '00000000-0000-4000-8000-000000000000' })).status).toBe(423);
    const elsewhere = await t.call('POST', '/v1/units', { code: 'PCS', name: 'Piece', decimals: 0 }, { authorization: `Bearer ${other.key}` });
    expect(elsewhere.status).toBe(201);
    // The spec says so.
    const spec = (await t.call('GET', '/openapi.json')).body;
    expect(Object.keys(spec.paths['/v1/sales-orders'].post.responses)).toContain('423');
    expect(spec.paths['/v1/sales-orders'].get.responses['423']).toBeUndefined();
  });

  it('S1-7.3-a: a failed step stops the run (the cutover failed and still frozen), and rollback restores the exact pre-cutover data and unfreezes', async () => {
    // The cutover's own record, the audit chain, events and import jobs are left as they are.
    const before = await tenantDigest(t, SLUG, KEPT_ON_ROLLBACK);
    expect(before.stock_movements.rows).toBe(7);
    expect(before.sales_orders.rows).toBe(1);

    const backup = await runStep(t, key, first, 'backup');
    expect(backup.body.backup).toMatchObject({ tables: expect.any(Number), rows: expect.any(Number), bytes: expect.any(Number) });
    const clean = await runStep(t, key, first, 'clean');
    expect(stepStates(clean.body).clean).toBe('passed');
    const removed = Object.fromEntries(clean.body.steps.find((s: any) => s.key === 'clean').result.tables.map((x: any) => [x.table, x.rows]));
    expect(removed).toMatchObject({ stock_movements: 7, stock_balances: 7, sales_orders: 1, sales_order_lines: 1 });
    expect(await listAll(t, key, '/v1/stock/balances')).toEqual([]);
    expect(await listAll(t, key, '/v1/materials')).toHaveLength(4);

    // The client reports a job that did not import: the step fails and the run stops there.
    const bad = await upload(t.url, key, legacy('mistakes.xlsx'), { fileName: 'mistakes.xlsx' }, { 'mes-cutover': first });
    expect(bad.body.status).toBe('invalid');
    const failed = await runStep(t, key, first, 'import-master-data', { jobs: [bad.body.id] });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ status: 'failed', frozen: true });
    expect(stepStates(failed.body)).toMatchObject({ freeze: 'passed', backup: 'passed', clean: 'passed', 'import-master-data': 'failed', 'initialise-inventory': 'pending' });
    expect(failed.body.steps[3].result.error.code).toBe('CUTOVER_IMPORT_INCOMPLETE');
    expect((await runStep(t, key, first, 'initialise-inventory', { jobs: [] })).body.code).toBe('CUTOVER_STEP_OUT_OF_ORDER');
    expect((await salesOrder()).status).toBe(423);

    const rolled = await as('POST', `/v1/cutovers/${first}/rollback`);
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ status: 'rolled_back', frozen: false });
    expect(rolled.body.rollback.restored.rowsRestored).toBeGreaterThan(0);
    expect(await tenantDigest(t, SLUG, KEPT_ON_ROLLBACK)).toEqual(before);
    expect((await as('POST', `/v1/cutovers/${first}/rollback`)).body.code).toBe('CUTOVER_CLOSED');
    // Unfrozen: writes work again.
    expect((await salesOrder()).status).toBe(201);
  });

  it('S1-7.3-a S1-7.3-b S1-7.3-c: a whole run goes live (freeze, backup, clean, import, reconcile, unfreeze) and verifies: ledger, reports, write errors, latency', async () => {
    const plan = await as('POST', '/v1/cutovers', {});
    const id = plan.body.id;
    for (const step of ['freeze', 'backup', 'clean']) expect(stepStates((await runStep(t, key, id, step)).body)[step]).toBe('passed');
    const stock = await importFile('opening-balance.xlsx', id);
    expect(stock.body).toMatchObject({ status: 'done', totalRows: 24, writtenRows: 7, unchangedRows: 17 });
    const orders = await importFile('open-orders.xlsx', id);
    expect(orders.body.status).toBe('done');
    expect(stepStates((await runStep(t, key, id, 'import-master-data', { jobs: [] })).body)['import-master-data']).toBe('passed');
    // A job of master data and stock belongs to the later of its steps; reported to an earlier one it fails.
    const early = await runStep(t, key, id, 'initialise-inventory', { jobs: [orders.body.id] });
    expect(early.body.steps[4].result.error.message).toMatch(/sales-orders.*later step/);
    expect(stepStates((await runStep(t, key, id, 'initialise-inventory', { jobs: [stock.body.id] })).body)['initialise-inventory']).toBe('passed');
    expect(stepStates((await runStep(t, key, id, 'backfill-open-documents', { jobs: [orders.body.id] })).body)['backfill-open-documents']).toBe('passed');
    const planted = await runStep(t, key, id, 'reconcile', { differences: [{ check: 'count', key: 'materials', expected: '5', actual: '4' }] });
    expect(planted.body.status).toBe('failed');
    expect(stepStates((await runStep(t, key, id, 'reconcile', { differences: [], checked: { counts: 7 } })).body).reconcile).toBe('passed');
    const live = await runStep(t, key, id, 'unfreeze');
    expect(live.body).toMatchObject({ status: 'completed', frozen: false, goLiveAt: expect.any(String) });
    expect(live.body.steps.every((s: any) => s.state === 'passed' && s.actor && s.startedAt && s.finishedAt && Number.isInteger(s.durationMs))).toBe(true);
    expect((await salesOrder()).status).toBe(201);

    const summary = await as('GET', `/v1/cutovers/${id}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body.reports.filter((r: any) => !r.ok)).toEqual([]);
    expect(summary.body).toMatchObject({ ok: true, status: 'completed', ledger: { ok: true, balancesOffLedger: 0, movements: 7 }, writes: { failed: 0, errorRate: 0 } });
    expect(summary.body.writes.total).toBeGreaterThanOrEqual(1);
    expect(summary.body.reports.every((r: any) => r.ok)).toBe(true);
    expect(summary.body.latency.requests).toBeGreaterThan(0);
    expect(summary.body.reconciliation).toMatchObject({ differences: [] });
    expect((await as('POST', `/v1/cutovers/${id}/rollback`)).body.code).toBe('CUTOVER_CLOSED');
  });

  it('S1-5.3.2-a: another tenant sees none of the cutovers', async () => {
    const other = await createTenant(t, 'cut-peek');
    const list = await t.call('GET', '/v1/cutovers', undefined, { authorization: `Bearer ${other.key}` });
    expect(list.body.items).toEqual([]);
    expect((await t.call('GET', `/v1/cutovers/${first}`, undefined, { authorization: `Bearer ${other.key}` })).status).toBe(404);
    expect((await t.call('POST', `/v1/cutovers/${first}/rollback`, undefined, { authorization: `Bearer ${other.key}` })).status).toBe(404);
  });
});
