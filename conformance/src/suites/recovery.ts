/**
 * Backup and recovery (S1-8.4: regular full backups, fast recovery, recovery verified by drills),
 * through the target's admin API alone: the suite gives a tenant it created real data (stock
 * received into the ledger, audited writes), asks the target to drill that tenant's backup (back
 * up, restore into a scratch database, check every table, audit chain and ledger balance, start the
 * server on the copy) and records the measured recovery time (RTO) and data age (RPO) in the
 * evidence. A drill that fails, or passes without having restored what the suite wrote, fails the
 * clause. The target's scheduling of backups is its platform's (a CronJob or cron): not checkable
 * through the API, and not claimed here.
 */
import type { HttpResponse } from '../http.js';
import type { TestTenant } from '../tenants.js';
import type { Check, CheckContext, Suite, SuiteContext, SuitePlan } from '../types.js';

const CLAUSE = 'S1-8.4';
/** A drill restores into a scratch database and starts a server on it: minutes on a big instance. */
const DRILL_TIMEOUT_MS = 240_000;

interface Seeded {
  tenant: TestTenant;
  /** Stock movements and audit records the tenant had when the drill was asked for. */
  movements: number;
  auditRecords: number;
}

async function expect(res: Promise<HttpResponse>, status: number, what: string): Promise<any> {
  const r = await res;
  if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

/** A material received into a warehouse twice: rows in the ledger, balances and the audit chain. */
async function seed(ctx: SuiteContext): Promise<Seeded> {
  const tenant = await ctx.tenants.create('recovery');
  const post = (path: string, body: unknown) => expect(ctx.target.request('POST', path, { key: tenant.adminKey, body }), 201, `POST ${path}`);
  await post('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  const material = await post('/v1/materials', { code: 'DRILL-M', name: 'Drill material', baseUnit: 'PCS' });
  const warehouse = await post('/v1/warehouses', { code: 'DRILL-W', name: 'Drill warehouse', kind: 'normal' });
  for (const quantity of ['7', '5']) {
    await post('/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: material.id, quantity, warehouseId: warehouse.id }] });
  }
  const audit = await expect(ctx.target.request('GET', '/v1/audit/verify', { key: tenant.adminKey }), 200, 'GET /v1/audit/verify');
  return { tenant, movements: 2, auditRecords: audit.headSeq };
}

async function awaitDrill(ctx: CheckContext, id: string): Promise<any> {
  const deadline = Date.now() + DRILL_TIMEOUT_MS;
  for (;;) {
    const res = await ctx.tenants.asPlatform('GET', `/v1/backup-drills/${id}`);
    ctx.assert(res.status === 200, `GET /v1/backup-drills/${id} answers 200 (got ${res.status})`);
    if (res.json.status !== 'running') return res.json;
    if (Date.now() > deadline) ctx.inconclusive(`the drill ${id} was still running after ${DRILL_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function drillOfTenant(seeded: () => Seeded): Check {
  return {
    id: 'recovery/tenant-drill',
    title: 'A drill of a tenant\'s backup restores it into a scratch database, verifies content, audit chain and ledger, starts the server on it, and measures RTO and RPO',
    clauses: [CLAUSE],
    async run(ctx: CheckContext) {
      const s = seeded();
      const started = await ctx.tenants.asPlatform('POST', '/v1/backup-drills', { body: { tenant: s.tenant.slug } });
      ctx.assert(started.status === 202, `POST /v1/backup-drills answers 202 (got ${started.status} ${started.text.slice(0, 200)})`);
      ctx.assert(started.json.status === 'running' && started.json.scope?.tenant === s.tenant.slug, 'the drill starts running, scoped to the tenant');
      const drill = await awaitDrill(ctx, started.json.id);
      ctx.record('drill', { id: drill.id, status: drill.status, startedAt: drill.startedAt, finishedAt: drill.finishedAt, error: drill.error });
      ctx.assert(drill.status === 'passed', `the drill passed (got ${drill.status}: ${drill.error?.code ?? ''} ${drill.error?.message ?? ''})`);
      ctx.record('rtoMs', drill.rtoMs);
      ctx.record('rpoMs', drill.rpoMs);
      ctx.assert(Number.isInteger(drill.rtoMs) && drill.rtoMs > 0, `a recovery time was measured (rtoMs ${drill.rtoMs})`);
      ctx.assert(Number.isInteger(drill.rpoMs) && drill.rpoMs >= 0, `a data age was measured (rpoMs ${drill.rpoMs})`);
      const checks = drill.result?.verify?.checks;
      ctx.record('checks', checks);
      ctx.assert(drill.result?.verify?.verified === true, 'the restored copy was verified');
      ctx.assert(checks?.readiness?.status === 200, `the server started on the restored copy answered /readyz 200 (got ${checks?.readiness?.status})`);
      ctx.assert(checks.ledger.movements >= s.movements, `the restored ledger holds the ${s.movements} movements the suite posted (checked ${checks.ledger.movements})`);
      ctx.assert(checks.ledger.balances >= 1, 'the restored balances were checked against their movements');
      ctx.assert(checks.auditChains.records >= s.auditRecords, `the restored audit chain holds the ${s.auditRecords} records the tenant had (verified ${checks.auditChains.records})`);
      const mine = (drill.result.tenants ?? []).find((t: { slug: string }) => t.slug === s.tenant.slug);
      ctx.assert(mine && mine.auditHeadSeq >= s.auditRecords, 'the backup carried the tenant\'s audit-chain head');
      ctx.assert((drill.result.tenants ?? []).length === 1, 'a tenant\'s backup holds that tenant and no other');
      const listed = await ctx.tenants.asPlatform('GET', '/v1/backup-drills', { query: { limit: 50 } });
      ctx.assert(listed.status === 200 && listed.json.items.some((d: { id: string }) => d.id === drill.id), 'the drill is on record in the drill list');
    },
  };
}

function drillRefusals(seeded: () => Seeded): Check {
  return {
    id: 'recovery/refusals',
    title: 'A tenant\'s own admin cannot start a drill, and a drill of an unknown tenant is refused; neither starts one',
    clauses: [CLAUSE],
    async run(ctx: CheckContext) {
      const s = seeded();
      const before = (await ctx.tenants.asPlatform('GET', '/v1/backup-drills', { query: { limit: 200 } })).json.items.length;
      const asTenant = await ctx.target.request('POST', '/v1/backup-drills', { key: s.tenant.adminKey, body: { tenant: s.tenant.slug } });
      ctx.assert(asTenant.status === 403, `a tenant admin's drill request is refused with 403 (got ${asTenant.status})`);
      const unknown = await ctx.tenants.asPlatform('POST', '/v1/backup-drills', { body: { tenant: `no-such-${ctx.config.runId}`.toLowerCase().slice(0, 63) } });
      ctx.assert(unknown.status === 404, `a drill of an unknown tenant is refused with 404 (got ${unknown.status})`);
      const after = (await ctx.tenants.asPlatform('GET', '/v1/backup-drills', { query: { limit: 200 } })).json.items.length;
      ctx.assert(after === before, `no drill was started by the refused requests (${before} before, ${after} after)`);
    },
  };
}

export const recoverySuite: Suite = {
  id: 'recovery',
  title: 'Backup and recovery: drills through the admin API',
  proves: [CLAUSE],
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const seeded = await seed(ctx);
    return { checks: [drillOfTenant(() => seeded), drillRefusals(() => seeded)] };
  },
};
