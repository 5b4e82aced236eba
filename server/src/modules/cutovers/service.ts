/**
 * A cutover's plan and its steps (S1-7.3-a): each step runs only after the ones before it passed,
 * is recorded with who ran it, when, for how long and what came of it, and a failed step leaves
 * the cutover failed and the tenant frozen until the step is run again (mes cutover run --resume)
 * or the cutover is rolled back.
 */
import { actorId, type Principal } from '../../platform/auth.js';
import type { Database, Sql } from '../../platform/db.js';
import { conflict, MesProblem, notFound } from '../../platform/errors.js';
import type { TenantFreeze } from '../../platform/freeze.js';
import { getJob } from '../imports/service.js';
import { removeTenantRows } from '../backups/tenant-replace.js';
import { restoreBackupPoint, takeBackupPoint } from './backup-point.js';
import { readinessChecks } from './readiness.js';
import * as repo from './repo.js';
import type { Cutover, RunStepInput } from './schema.js';
import { IMPORT_STEPS, importStepOf, STEPS, TRIAL_TABLES } from './steps.js';

export interface CutoverContext {
  db: Database;
  freeze: TenantFreeze;
  /** Forgets cached credentials of the tenant: a rollback may have changed its users and keys. */
  forgetCredentials(tenantId: string): void;
}

const OPEN = ['planned', 'running', 'failed'];

export async function getCutover(tx: Sql, tenantId: string, id: string, lock = false): Promise<Cutover> {
  const c = await repo.findCutover(tx, tenantId, id, lock);
  if (!c) throw notFound('cutover', id);
  return c;
}

export async function planCutover(tx: Sql, p: Principal, note: string | undefined): Promise<Cutover> {
  const open = await repo.openCutoverId(tx, p.tenantId);
  if (open) throw conflict('CUTOVER_OPEN', `cutover ${open} of this tenant is still open: finish it (mes cutover run --resume) or roll it back (mes cutover rollback) first`, { cutoverId: open });
  const id = await repo.insertCutover(tx, p.tenantId, { note: note ?? null, plannedBy: actorId(p) });
  await checkReadiness(tx, p, id);
  return getCutover(tx, p.tenantId, id);
}

export async function checkReadiness(tx: Sql, p: Principal, id: string): Promise<void> {
  for (const c of await readinessChecks(tx, p.tenantId)) await repo.setCheck(tx, id, c.key, c.state, actorId(p), c.result);
}

/**
 * Claims the step: the cutover must be open, every step before this one passed, and this one
 * neither passed nor running elsewhere. The freeze step freezes the tenant in the same commit.
 */
export async function startStep(tx: Sql, p: Principal, id: string, key: string): Promise<Cutover> {
  const c = await getCutover(tx, p.tenantId, id, true);
  if (!OPEN.includes(c.status)) throw conflict('CUTOVER_CLOSED', `cutover ${id} is ${c.status}; plan a new one (mes cutover plan)`, { status: c.status });
  const index = STEPS.findIndex((s) => s.key === key);
  if (index < 0) throw new MesProblem(404, 'RESOURCE_NOT_FOUND', `a cutover has no step ${key}; its steps are ${STEPS.map((s) => s.key).join(', ')}`);
  const pending = c.steps.slice(0, index).find((s) => s.state !== 'passed');
  if (pending) throw conflict('CUTOVER_STEP_OUT_OF_ORDER', `step ${key} runs after ${pending.key}, which is ${pending.state}: run ${pending.key} first`, { next: pending.key });
  const step = c.steps[index];
  if (step.state === 'passed') throw conflict('CUTOVER_STEP_DONE', `step ${key} already passed at ${step.finishedAt}`, { step: key });
  if (!(await repo.startStep(tx, id, key, actorId(p)))) throw conflict('CUTOVER_STEP_RUNNING', `step ${key} is being run by ${step.actor}; wait for it`, { step: key });
  await repo.updateCutover(tx, id, { status: 'running', ...(key === 'freeze' ? { frozen: true } : {}) });
  return c;
}

export interface StepOutcome {
  state: 'passed' | 'failed';
  result: Record<string, unknown>;
}

/** Does the step's work, after startStep committed; a refusal or error is the step's failure. */
export async function executeStep(ctx: CutoverContext, p: Principal, c: Cutover, key: string, input: RunStepInput): Promise<StepOutcome> {
  try {
    return await STEP_WORK[key](ctx, p, c, input);
  } catch (err) {
    const e = err as { code?: string; message: string };
    return { state: 'failed', result: { error: { code: typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : 'CUTOVER_STEP_ERROR', message: e.message } } };
  }
}

/** Records the outcome; a failed step leaves the cutover failed (and frozen). */
export async function finishStep(tx: Sql, p: Principal, id: string, key: string, outcome: StepOutcome): Promise<Cutover> {
  await repo.finishStep(tx, id, key, outcome.state, outcome.result);
  if (outcome.state === 'failed') await repo.updateCutover(tx, id, { status: 'failed' });
  else if (key === 'reconcile') await repo.updateCutover(tx, id, { reconciliation: outcome.result });
  else if (key === 'backup') await repo.updateCutover(tx, id, { backup: outcome.result });
  else if (key === 'unfreeze') {
    await repo.updateCutover(tx, id, { status: 'completed', frozen: false, goLive: true, finished: true });
    await repo.deleteBackupChunks(tx, id);
  }
  return getCutover(tx, p.tenantId, id);
}

type StepWork = (ctx: CutoverContext, p: Principal, c: Cutover, input: RunStepInput) => Promise<StepOutcome>;

const passed = (result: Record<string, unknown>): StepOutcome => ({ state: 'passed', result });

const STEP_WORK: Record<string, StepWork> = {
  async freeze(ctx, p) {
    ctx.freeze.forget(p.tenantId);
    // Other replicas see the freeze when their cached answer expires: wait that out, so no write
    // admitted before the freeze lands after the backup point.
    await new Promise((resolve) => setTimeout(resolve, ctx.freeze.ttlMs));
    return passed({ waitedMs: ctx.freeze.ttlMs });
  },
  async backup(ctx, p, c) {
    return passed({ ...(await takeBackupPoint(ctx.db, p.tenantId, c.id)) });
  },
  async clean(ctx, p) {
    const removed = await removeTenantRows(ctx.db, p.tenantId, TRIAL_TABLES);
    return passed({ rows: removed.reduce((n, r) => n + r.rows, 0), tables: removed.filter((r) => r.rows > 0) });
  },
  ...Object.fromEntries(IMPORT_STEPS.map((key) => [key, (ctx: CutoverContext, p: Principal, c: Cutover, input: RunStepInput) => importStep(ctx, p, c, key, input)])),
  async reconcile(_ctx, _p, _c, input) {
    const differences = input.differences ?? [];
    if (!differences.length) return passed({ differences, checked: input.checked ?? {} });
    const listed = differences.slice(0, 5).map((d) => `${d.check} ${d.key}: legacy ${d.expected}, imported ${d.actual}`).join('; ');
    const message = `${differences.length} difference(s) against the control totals: ${listed}${differences.length > 5 ? '; …' : ''}`;
    return { state: 'failed', result: { differences, checked: input.checked ?? {}, error: { code: 'CUTOVER_RECONCILIATION_DIFFERS', message } } };
  },
  async unfreeze(ctx, p) {
    ctx.freeze.forget(p.tenantId);
    return passed({});
  },
};

/** An import step passes when every job the client reports is done, real, and of this cutover's time. */
async function importStep(ctx: CutoverContext, p: Principal, c: Cutover, key: string, input: RunStepInput): Promise<StepOutcome> {
  const frozenAt = c.steps.find((s) => s.key === 'freeze')!.startedAt!;
  const jobs = await ctx.db.transaction({ tenantId: p.tenantId, readOnly: true }, async (tx) => Promise.all((input.jobs ?? []).map((id) => getJob(tx, p.tenantId, id))));
  const problems: string[] = [];
  for (const j of jobs) {
    if (j.status !== 'done' || j.dryRun) problems.push(`import ${j.id} (${j.fileName}) is ${j.dryRun ? 'a dry run' : j.status}`);
    if (j.createdAt < frozenAt) problems.push(`import ${j.id} (${j.fileName}) was made before the cutover froze the tenant`);
    const other = j.sheets.filter((s) => importStepOf(s.kind) !== key && IMPORT_STEPS.indexOf(importStepOf(s.kind)) > IMPORT_STEPS.indexOf(key as never));
    if (other.length) problems.push(`import ${j.id} (${j.fileName}) holds ${other.map((s) => s.kind).join(', ')}, which belong to a later step`);
  }
  const result = {
    jobs: jobs.map((j) => ({ id: j.id, fileName: j.fileName, status: j.status, kinds: j.sheets.map((s) => s.kind), rows: j.totalRows, written: j.writtenRows, unchanged: j.unchangedRows })),
    rows: jobs.reduce((n, j) => n + j.totalRows, 0),
    ...(problems.length ? { error: { code: 'CUTOVER_IMPORT_INCOMPLETE', message: problems.join('; ') } } : {}),
  };
  return { state: problems.length ? 'failed' : 'passed', result };
}

/**
 * Restores the backup point (when one was taken) and unfreezes. Only while the cutover is open:
 * after go-live the tenant's new work would be lost, which is a restore (mes backup restore), not
 * a rollback.
 */
export async function rollback(ctx: CutoverContext, p: Principal, id: string): Promise<Record<string, unknown>> {
  const c = await ctx.db.transaction({ tenantId: p.tenantId }, (tx) => getCutover(tx, p.tenantId, id, true));
  if (!OPEN.includes(c.status)) throw conflict('CUTOVER_CLOSED', `cutover ${id} is ${c.status}: only an open cutover rolls back`, { status: c.status });
  const running = c.steps.find((s) => s.state === 'running');
  if (running) throw conflict('CUTOVER_STEP_RUNNING', `step ${running.key} is running; roll back after it ends`, { step: running.key });
  const t0 = Date.now();
  const backupTaken = c.steps.find((s) => s.key === 'backup')!.state === 'passed';
  const restored = backupTaken ? await restoreBackupPoint(ctx.db, p.tenantId, id) : undefined;
  ctx.freeze.forget(p.tenantId);
  ctx.forgetCredentials(p.tenantId);
  return { restored: restored ?? null, backupId: (c.backup as { id?: string } | null)?.id ?? null, durationMs: Date.now() - t0 };
}

export async function finishRollback(tx: Sql, p: Principal, id: string, result: Record<string, unknown>): Promise<Cutover> {
  await repo.updateCutover(tx, id, { status: 'rolled_back', frozen: false, rollback: { ...result, by: actorId(p), at: new Date().toISOString() }, finished: true });
  await repo.deleteBackupChunks(tx, id);
  return getCutover(tx, p.tenantId, id);
}
