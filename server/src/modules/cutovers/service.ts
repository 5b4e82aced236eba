/**
 * A cutover's plan and its steps (S1-7.3-a): each step runs only after the ones before it passed,
 * is recorded with who ran it, when, for how long and what came of it, and a failed step leaves
 * the cutover failed and the tenant frozen until the step is run again (mes cutover run --resume)
 * or the cutover is rolled back.
 */
import { hostname } from 'node:os';
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
  /** A running step whose heartbeat is older than this was abandoned (MES_CUTOVER_STEP_LEASE_MS). */
  leaseMs: number;
}

/** This process, as a step's runner: a step it leaves running when killed names who to look for. */
export const RUNNER = `${hostname()}:${process.pid}`;

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
export async function startStep(tx: Sql, p: Principal, id: string, key: string, leaseMs: number): Promise<Cutover> {
  const c = await getCutover(tx, p.tenantId, id, true);
  if (!OPEN.includes(c.status)) throw conflict('CUTOVER_CLOSED', `cutover ${id} is ${c.status}; plan a new one (mes cutover plan)`, { status: c.status });
  const index = STEPS.findIndex((s) => s.key === key);
  if (index < 0) throw new MesProblem(404, 'RESOURCE_NOT_FOUND', `a cutover has no step ${key}; its steps are ${STEPS.map((s) => s.key).join(', ')}`);
  const pending = c.steps.slice(0, index).find((s) => s.state !== 'passed');
  if (pending) throw conflict('CUTOVER_STEP_OUT_OF_ORDER', `step ${key} runs after ${pending.key}, which is ${pending.state}: run ${pending.key} first`, { next: pending.key });
  const step = c.steps[index];
  if (step.state === 'passed') throw conflict('CUTOVER_STEP_DONE', `step ${key} already passed at ${step.finishedAt}`, { step: key });
  if (!(await repo.startStep(tx, id, key, actorId(p), RUNNER, leaseMs))) throw await stepRunning(tx, id, step, leaseMs, 'wait for it to end');
  await repo.updateCutover(tx, id, { status: 'running', ...(key === 'freeze' ? { frozen: true } : {}) });
  return c;
}

/**
 * A step held by a live run: who runs it, where, how long since its last heartbeat, and when it
 * counts as abandoned (then it can be run again, or the cutover rolled back).
 */
async function stepRunning(tx: Sql, id: string, step: Cutover['steps'][number], leaseMs: number, advice: string): Promise<MesProblem> {
  const age = (await repo.heartbeatAgeMs(tx, id, step.key)) ?? 0;
  const left = Math.max(0, leaseMs - age);
  return conflict('CUTOVER_STEP_RUNNING',
    `step ${step.key} is being run by ${step.actor} on ${step.runner ?? 'an unknown process'} (last heartbeat ${Math.round(age / 1000)} s ago); ${advice}. If that process is gone, `
    + `the step counts as abandoned ${Math.ceil(left / 1000)} s from now, and can then be run again (mes cutover run --resume) or rolled back (mes cutover rollback)`,
    { step: step.key, runner: step.runner, heartbeatAgeMs: age, abandonedInMs: left });
}

/** A step found running whose heartbeat is older than the lease: its process died mid-step. */
const abandoned = (s: Cutover['steps'][number] | undefined) => (s?.state === 'running' ? { runner: s.runner, actor: s.actor, startedAt: s.startedAt, heartbeatAt: s.heartbeatAt } : undefined);

export interface StepOutcome {
  state: 'passed' | 'failed';
  result: Record<string, unknown>;
}

/** Does the step's work, after startStep committed; a refusal or error is the step's failure. */
export async function executeStep(ctx: CutoverContext, p: Principal, c: Cutover, key: string, input: RunStepInput): Promise<StepOutcome> {
  // c is as read before the claim: a step that was running then was taken over from a dead run.
  const recovered = abandoned(c.steps.find((s) => s.key === key));
  const stop = keepAlive(ctx, p.tenantId, c.id, key);
  try {
    const outcome = await STEP_WORK[key](ctx, p, c, input);
    return recovered ? { ...outcome, result: { ...outcome.result, recoveredFrom: recovered } } : outcome;
  } catch (err) {
    const e = err as { code?: string; message: string };
    return { state: 'failed', result: { error: { code: typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : 'CUTOVER_STEP_ERROR', message: e.message }, ...(recovered ? { recoveredFrom: recovered } : {}) } };
  } finally {
    stop();
  }
}

/** Renews the step's heartbeat every third of the lease while its work runs; a missed beat is retried at the next. */
function keepAlive(ctx: CutoverContext, tenantId: string, id: string, key: string): () => void {
  const timer = setInterval(() => {
    ctx.db.transaction({ tenantId }, (tx) => repo.heartbeat(tx, id, key, RUNNER)).catch(() => {});
  }, Math.max(200, Math.floor(ctx.leaseMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
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
  if (running) {
    // A live run is waited for; a run whose process died is recorded as abandoned and rolled back.
    const age = await ctx.db.transaction({ tenantId: p.tenantId }, (tx) => repo.heartbeatAgeMs(tx, id, running.key));
    if (age !== null && age < ctx.leaseMs) {
      throw await ctx.db.transaction({ tenantId: p.tenantId, readOnly: true }, (tx) => stepRunning(tx, id, running, ctx.leaseMs, 'roll back after it ends'));
    }
    await ctx.db.transaction({ tenantId: p.tenantId }, (tx) => repo.finishStep(tx, id, running.key, 'failed', {
      error: { code: 'CUTOVER_STEP_ABANDONED', message: `step ${running.key} was left running by ${running.runner ?? 'a process'} that stopped (no heartbeat for ${Math.round((age ?? 0) / 1000)} s); rolled back` },
      recoveredFrom: abandoned(running),
    }));
  }
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
