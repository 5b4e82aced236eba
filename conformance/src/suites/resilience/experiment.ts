/**
 * A chaos experiment in the Chaos Toolkit's shape: a steady-state hypothesis (probes with their
 * tolerance) checked before the method, the method (actions that inject the fault), the hypothesis
 * checked again after it, and rollbacks that always run, whatever happened. Every phase is
 * journalled with its numbers into the check's data (`experiment`), and every probe of the
 * hypothesis is one assertion, so the verdict is exactly the hypothesis.
 *
 * A hypothesis that does not hold before the method ends the experiment there (as the Chaos Toolkit
 * does): the fault is never injected into a system that was not steady to begin with.
 */
import type { Platform, Replica } from '@mes/platform';
import type { CheckContext, ResolvedConfig } from '../../types.js';

export interface Probe {
  name: string;
  /** Measures something; the value is journalled. */
  measure(): Promise<unknown>;
  /** Undefined when the value is within tolerance, else why not. */
  tolerance(value: any): string | undefined;
}

export interface Action {
  name: string;
  run(): Promise<unknown>;
}

export interface Experiment {
  title: string;
  /** The hypothesis checked before the method. */
  steadyState: Probe[];
  method: Action[];
  /** The hypothesis checked after the method (default: steadyState again). */
  after?: Probe[];
  rollbacks: Action[];
}

export interface JournalEntry {
  name: string;
  startedAt: string;
  durationMs: number;
  status: 'succeeded' | 'failed' | 'deviated';
  output?: unknown;
  error?: string;
}

export interface Journal {
  title: string;
  status: 'completed' | 'deviated' | 'aborted' | 'failed';
  startedAt: string;
  durationMs: number;
  steadyStateBefore: JournalEntry[];
  method: JournalEntry[];
  steadyStateAfter: JournalEntry[];
  rollbacks: JournalEntry[];
}

async function timed(name: string, fn: () => Promise<unknown>, judge?: (v: unknown) => string | undefined): Promise<JournalEntry> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  try {
    const output = await fn();
    const deviation = judge?.(output);
    return { name, startedAt, durationMs: Math.round(performance.now() - t0), status: deviation ? 'deviated' : 'succeeded', output, ...(deviation ? { error: deviation } : {}) };
  } catch (err) {
    return { name, startedAt, durationMs: Math.round(performance.now() - t0), status: 'failed', error: (err as Error).message };
  }
}

async function hypothesis(probes: Probe[], ctx: CheckContext, phase: string): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for (const p of probes) {
    const e = await timed(p.name, () => p.measure(), (v) => p.tolerance(v));
    ctx.log(`${phase} ${p.name}: ${e.status}${e.error ? ` (${e.error})` : ''}`);
    out.push(e);
  }
  return out;
}

/**
 * Runs the experiment, records its journal as `experiment` (or `key`), then asserts every probe of
 * the hypothesis and every action: a deviation or a failed action fails the check.
 */
export async function runExperiment(ctx: CheckContext, exp: Experiment, key = 'experiment'): Promise<Journal> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const journal: Journal = { title: exp.title, status: 'completed', startedAt, durationMs: 0, steadyStateBefore: [], method: [], steadyStateAfter: [], rollbacks: [] };
  try {
    journal.steadyStateBefore = await hypothesis(exp.steadyState, ctx, 'before:');
    if (journal.steadyStateBefore.some((e) => e.status !== 'succeeded')) {
      journal.status = 'aborted';
    } else {
      for (const a of exp.method) {
        const e = await timed(a.name, () => a.run());
        ctx.log(`method ${a.name}: ${e.status}${e.error ? ` (${e.error})` : ''}`);
        journal.method.push(e);
        if (e.status === 'failed') break;
      }
      if (journal.method.some((e) => e.status === 'failed')) journal.status = 'failed';
      else {
        journal.steadyStateAfter = await hypothesis(exp.after ?? exp.steadyState, ctx, 'after:');
        if (journal.steadyStateAfter.some((e) => e.status !== 'succeeded')) journal.status = 'deviated';
      }
    }
  } finally {
    for (const a of exp.rollbacks) {
      const e = await timed(a.name, () => a.run());
      ctx.log(`rollback ${a.name}: ${e.status}${e.error ? ` (${e.error})` : ''}`);
      journal.rollbacks.push(e);
    }
    journal.durationMs = Math.round(performance.now() - t0);
    ctx.record(key, journal);
  }
  for (const e of journal.steadyStateBefore) ctx.assert(e.status === 'succeeded', `steady state before the fault: ${e.name}: ${e.error}`);
  for (const e of journal.method) ctx.assert(e.status === 'succeeded', `method ${e.name} failed: ${e.error}`);
  for (const e of journal.steadyStateAfter) ctx.assert(e.status === 'succeeded', `hypothesis after the fault: ${e.name}: ${e.error}`);
  return journal;
}

export const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

/** Replicas that serve traffic now: ready and in rotation (of `release`, when given). */
export async function readyInRotation(platform: Platform, release?: string): Promise<Replica[]> {
  return (await platform.replicas()).filter((r) => r.phase === 'ready' && r.inRotation && (release === undefined || r.release === release));
}

/** Polls `probe` every `everyMs` until it returns something truthy or `boundMs` passes; `ms` is how long that took. */
export async function waitUntil<T>(probe: () => Promise<T | undefined | false>, boundMs: number, everyMs = 200): Promise<{ value?: T; ms: number }> {
  const t0 = performance.now();
  for (let i = 0; i < Math.ceil(boundMs / everyMs) + 1; i++) {
    const v = await probe().catch(() => undefined);
    if (v) return { value: v, ms: Math.round(performance.now() - t0) };
    if (performance.now() - t0 >= boundMs) break;
    await sleep(everyMs);
  }
  return { ms: Math.round(performance.now() - t0) };
}

/** What the evidence says about the platform at a moment: kind, release, replicas, autoscaler. */
export async function platformSnapshot(platform: Platform): Promise<Record<string, unknown>> {
  const [release, replicas, autoscaler] = await Promise.all([platform.release(), platform.replicas(), platform.autoscaler()]);
  return { at: new Date().toISOString(), kind: platform.kind, url: platform.url, release, replicas, ...(autoscaler ? { autoscaler: { ...autoscaler, events: autoscaler.events.length } } : {}) };
}

/**
 * The steady state every resilience check starts from: exactly N replicas ready and in rotation.
 * Waits up to `boundMs` for it, because the previous check may have left the platform converging
 * (a drained surge replica, an autoscaler still inside its stabilisation window).
 */
export function nReady(platform: Platform, n: number, boundMs: number): Probe {
  return {
    name: `${n} replicas ready and in rotation`,
    measure: async () => {
      const w = await waitUntil(async () => (await readyInRotation(platform)).length === n, boundMs, 250);
      return { ready: (await readyInRotation(platform)).map((r) => `${r.id}@${r.release}`), waitedMs: w.ms };
    },
    tolerance: (v: { ready: string[] }) => (v.ready.length === n ? undefined : `${v.ready.length} replicas ready and in rotation, not ${n}`),
  };
}

/** The resilience suites act on a platform: without one they cannot run at all. */
export function needsPlatform(config: ResolvedConfig): string | undefined {
  return config.platform ? undefined : 'needs --platform local|kubernetes (a driver that can kill, scale and upgrade replicas)';
}

/** N: the configured replica count (the runner sets it to the replicas serving when the run starts). */
export async function targetReplicas(platform: Platform, config: ResolvedConfig): Promise<number> {
  return config.resilience.replicas ?? (await readyInRotation(platform)).length;
}

/** The local driver's event history (kills, replacements, rotation changes), when the driver keeps one. */
export function platformEvents(platform: Platform, sinceIso?: string): unknown[] | undefined {
  const events = (platform as Platform & { events?(): Array<{ at?: string }> }).events?.();
  return events && sinceIso ? events.filter((e) => !e.at || e.at >= sinceIso) : events;
}
