/**
 * Go-live cutover (S1-7.3-a/b/c), through the HTTP API only: a small cutover run against the
 * target. One check plans a cutover, freezes the tenant (a write refused 423 TENANT_FROZEN as
 * problem+json, a read still answered), takes the backup point, cleans the trial data, fails an
 * import step and rolls back to exactly the pre-cutover documents; the other runs a cutover to
 * go-live (an import that names the cutover, reconciliation, unfreeze) and reads its verification
 * and go-live summary. Each check has its own tenant: a cutover is the whole tenant's.
 */
import type { HttpResponse } from '../http.js';
import type { Check, CheckContext, Suite, SuiteContext, SuitePlan } from '../types.js';

const A = 'S1-7.3-a';
const B = 'S1-7.3-b';
const C = 'S1-7.3-c';
const STEPS = ['freeze', 'backup', 'clean', 'import-master-data', 'initialise-inventory', 'backfill-open-documents', 'reconcile', 'unfreeze'];

type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<HttpResponse>;

const stateOf = (cutover: any, key: string) => cutover?.steps?.find((s: { key: string }) => s.key === key)?.state;

async function tenantWithTrialData(ctx: CheckContext, name: string): Promise<Call> {
  const tenant = await ctx.tenants.create(name);
  const call: Call = (method, path, body, headers) => ctx.target.request(method, path, { key: tenant.adminKey, body, headers });
  for (const [path, body] of [
    ['/v1/units', { code: 'PCS', name: 'Piece', decimals: 0 }],
    ['/v1/materials', { code: 'M-1', name: 'Bearing', baseUnit: 'PCS' }],
    ['/v1/customers', { code: 'C-1', name: 'Customer' }],
    // Trial data: an order users made while practising.
    ['/v1/sales-orders', { customerCode: 'C-1', lines: [{ materialCode: 'M-1', quantity: '3', price: '1.50', deliveryDate: '2027-01-15' }] }],
  ] as const) {
    const res = await call('POST', path, body);
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  }
  return call;
}

async function step(ctx: CheckContext, call: Call, id: string, key: string, body: unknown = {}): Promise<any> {
  const res = await call('POST', `/v1/cutovers/${id}/steps/${key}`, body);
  ctx.assert(res.status === 200, `step ${key} answered ${res.status} ${res.json?.code ?? ''}`);
  return res.json;
}

async function uploadUnits(call: Call, cutoverId: string, csv: string): Promise<any> {
  const res = await call('POST', `/v1/imports?kind=units&fileName=units.csv`, new TextEncoder().encode(csv), { 'mes-cutover': cutoverId });
  let job = res.json;
  for (let i = 0; job?.status === 'writing' && i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    job = (await call('GET', `/v1/imports/${job.id}`)).json;
  }
  return job;
}

async function freezeAndRollback(ctx: CheckContext): Promise<void> {
  const call = await tenantWithTrialData(ctx, 'cutover-rollback');
  const plan = await call('POST', '/v1/cutovers', { note: 'conformance' });
  ctx.assert(plan.status === 201, `planning a cutover answered ${plan.status} ${plan.json?.code ?? ''}`);
  ctx.assert(JSON.stringify(plan.json.steps.map((s: { key: string }) => s.key)) === JSON.stringify(STEPS), `the plan's steps are ${plan.json.steps.map((s: { key: string }) => s.key).join(', ')}`);
  ctx.assert(plan.json.steps.every((s: { state: string }) => s.state === 'pending') && plan.json.checks.length >= 4, 'the plan holds pending steps and the readiness checks');
  const id = plan.json.id;
  const early = await call('POST', `/v1/cutovers/${id}/steps/clean`, {});
  ctx.assert(early.status === 409 && early.json?.code === 'CUTOVER_STEP_OUT_OF_ORDER', `cleaning before the freeze answered ${early.status} ${early.json?.code}`);

  const frozen = await step(ctx, call, id, 'freeze');
  ctx.assert(frozen.frozen === true && stateOf(frozen, 'freeze') === 'passed', 'the freeze step passed and the tenant is frozen');
  const refused = await call('POST', '/v1/units', { code: 'LATE', name: 'Late', decimals: 0 });
  ctx.assert(refused.status === 423 && refused.json?.code === 'TENANT_FROZEN' && /problem\+json/.test(refused.headers.get('content-type') ?? ''), `a write while frozen answered ${refused.status} ${refused.json?.code}`);
  const readable = await call('GET', '/v1/sales-orders');
  ctx.assert(readable.status === 200 && readable.json.items.length === 1, `a read while frozen answered ${readable.status}`);

  await step(ctx, call, id, 'backup');
  const cleaned = await step(ctx, call, id, 'clean');
  ctx.assert(stateOf(cleaned, 'clean') === 'passed', 'the clean step passed');
  ctx.assert((await call('GET', '/v1/sales-orders')).json.items.length === 0, 'the trial order is gone after the clean step');
  ctx.assert((await call('GET', '/v1/materials')).json.items.length === 1, 'master data stays after the clean step');

  const bad = await uploadUnits(call, id, 'Unit code,Unit name,Decimals\nBOX,,not-a-number\n');
  ctx.assert(bad?.status === 'invalid', `a bad import answered ${bad?.status}`);
  const failed = await step(ctx, call, id, 'import-master-data', { jobs: [bad.id] });
  ctx.assert(failed.status === 'failed' && failed.frozen === true && stateOf(failed, 'import-master-data') === 'failed', 'a failed import step leaves the cutover failed and frozen');
  const later = await call('POST', `/v1/cutovers/${id}/steps/initialise-inventory`, { jobs: [] });
  ctx.assert(later.status === 409, `a step after the failed one answered ${later.status}`);

  const rolled = await call('POST', `/v1/cutovers/${id}/rollback`);
  ctx.assert(rolled.status === 200 && rolled.json.status === 'rolled_back' && rolled.json.frozen === false, `rollback answered ${rolled.status} ${rolled.json?.status}`);
  const orders = (await call('GET', '/v1/sales-orders')).json.items;
  ctx.assert(orders.length === 1, `after the rollback the tenant has ${orders.length} sales orders, not the 1 it had`);
  const unfrozen = await call('POST', '/v1/units', { code: 'AFTER', name: 'After', decimals: 0 });
  ctx.assert(unfrozen.status === 201, `a write after the rollback answered ${unfrozen.status}`);
}

async function goLive(ctx: CheckContext): Promise<void> {
  const call = await tenantWithTrialData(ctx, 'cutover-go-live');
  const id = (await call('POST', '/v1/cutovers', {})).json.id;
  for (const key of ['freeze', 'backup', 'clean']) ctx.assert(stateOf(await step(ctx, call, id, key), key) === 'passed', `step ${key} passed`);
  const job = await uploadUnits(call, id, 'Unit code,Unit name,Decimals\nBOX,Box,0\nKG,Kilogram,3\n');
  ctx.assert(job?.status === 'done' && job.totalRows === 2, `the cutover's import answered ${job?.status}`);
  ctx.assert(stateOf(await step(ctx, call, id, 'import-master-data', { jobs: [job.id] }), 'import-master-data') === 'passed', 'the master-data step passed with its job');
  for (const key of ['initialise-inventory', 'backfill-open-documents']) await step(ctx, call, id, key, { jobs: [] });
  const units = (await call('GET', '/v1/units')).json.items.length;
  const differences = units === 3 ? [] : [{ check: 'count', key: 'units', expected: '3', actual: String(units) }];
  ctx.assert(stateOf(await step(ctx, call, id, 'reconcile', { differences, checked: { counts: { units } } }), 'reconcile') === 'passed', `reconciliation found ${differences.length} differences`);
  const live = await step(ctx, call, id, 'unfreeze');
  ctx.assert(live.status === 'completed' && live.frozen === false && typeof live.goLiveAt === 'string', `after unfreeze the cutover is ${live.status}`);
  ctx.assert(live.steps.every((s: any) => s.state === 'passed' && s.actor && s.startedAt && s.finishedAt && Number.isInteger(s.durationMs)), 'every step is recorded with who, when and how long');
  ctx.assert((await call('POST', '/v1/units', { code: 'LIVE', name: 'Live', decimals: 0 })).status === 201, 'writes work after go-live');

  const summary = await call('GET', `/v1/cutovers/${id}/summary`);
  ctx.assert(summary.status === 200, `the go-live summary answered ${summary.status}`);
  const s = summary.json;
  ctx.assert(s.ledger.ok === true && s.ledger.balancesOffLedger === 0, 'the ledger invariant holds after go-live');
  ctx.assert(s.reports.length > 0 && s.reports.every((r: { ok: boolean }) => r.ok), `reports render: ${JSON.stringify(s.reports)}`);
  ctx.assert(typeof s.writes.errorRate === 'number' && s.writes.total >= 1 && typeof s.latency.requests === 'number', 'the summary reports the write error rate and latency since go-live');
  ctx.assert(Array.isArray(s.reconciliation?.differences) && s.reconciliation.differences.length === 0, 'the summary carries the reconciliation');
  ctx.assert(s.ok === true, 'the go-live verification holds');
  ctx.record('summary', { writes: s.writes, latency: s.latency, ledger: s.ledger });
}

export const cutoverSuite: Suite = {
  id: 'cutover',
  title: 'Go-live cutover: plan, freeze, backup point, clean, import, reconcile, rollback, verification',
  proves: [A, B, C],
  async prepare(_ctx: SuiteContext): Promise<SuitePlan> {
    const check = (id: string, title: string, clauses: string[], run: (c: CheckContext) => Promise<void>): Check => ({ id: `cutover/${id}`, title, clauses, run });
    return {
      checks: [
        check('freeze-and-rollback', 'a plan of ordered steps; writes refused 423 while frozen, reads answered; a failed step stops the run; rollback restores the trial data and unfreezes', [A], freezeAndRollback),
        check('go-live-and-verify', 'a cutover to go-live with its import, reconciliation and unfreeze, then the verification and go-live summary', [A, B, C], goLive),
      ],
    };
  },
};
