/**
 * The conformance model. A run executes the suites of a profile; a suite yields checks; every check
 * declares the requirement IDs (clauses) it proves. Verdicts roll up from checks to clauses to the
 * run, and nothing is ever `passed` without a check that made at least one assertion.
 */
import type { Platform } from '@mes/platform';
import type { HttpTarget } from './http.js';
import type { ResilienceConfig } from './resilience-config.js';
import type { Rng } from './rng.js';
import type { TenantPool } from './tenants.js';

export type Status = 'passed' | 'failed' | 'skipped' | 'unknown';

/** Thrown by CheckContext.assert* when the target does not do what the clause requires. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

/** Thrown by CheckContext.skip(): the check could not run here (reason recorded). */
export class CheckSkipped extends Error {
  override name = 'CheckSkipped';
}

/** Thrown by CheckContext.inconclusive(): the check ran but could not reach a verdict. */
export class CheckInconclusive extends Error {
  override name = 'CheckInconclusive';
}

export interface CheckContext {
  readonly target: HttpTarget;
  readonly rng: Rng;
  readonly config: ResolvedConfig;
  readonly tenants: TenantPool;
  /** The platform the target runs on (--platform), for the resilience suites; undefined without one. */
  readonly platform?: Platform;
  /** One assertion: counted, and a failure ends the check as failed. */
  assert(condition: unknown, message: string): asserts condition;
  /** Attach a measurement or observation to the check's result (goes into results.json). */
  record(key: string, value: unknown): void;
  log(message: string): void;
  skip(reason: string): never;
  inconclusive(reason: string): never;
}

export interface Check {
  /** Stable across runs: `<suite>/<name>`. */
  id: string;
  title: string;
  /** The requirement IDs this check proves. */
  clauses: string[];
  run(ctx: CheckContext): Promise<void>;
}

export interface SuiteContext {
  readonly target: HttpTarget;
  readonly rng: Rng;
  readonly config: ResolvedConfig;
  readonly tenants: TenantPool;
  readonly platform?: Platform;
  readonly outDir: string;
  log(message: string): void;
  /** Write a file into the evidence bundle (relative path). */
  writeEvidence(relPath: string, content: string | Uint8Array): Promise<void>;
}

/**
 * A suite: prepares what its checks need (tenants, data), yields its checks, and may contribute
 * check results of its own (a suite that hands its checks to an external runner such as newman
 * reports them through `external`). The resilience suites (platform profile) are `unavailable`
 * without a platform and use `ctx.platform` otherwise.
 */
export interface Suite {
  id: string;
  title: string;
  /** Every clause any of its checks may prove: what `mes conformance coverage` counts. */
  proves: string[];
  /** Why it cannot run here, or undefined when it can (e.g. "needs --platform local|kubernetes"). */
  unavailable?(config: ResolvedConfig): string | undefined;
  prepare(ctx: SuiteContext): Promise<SuitePlan>;
}

export interface SuitePlan {
  checks: Check[];
  /** Results produced by an external runner after the in-process checks ran. */
  external?(ctx: SuiteContext): Promise<CheckResult[]>;
  /** Evidence the suite wants in results.json (e.g. which endpoints had a real foreign id). */
  notes?(): Record<string, unknown>;
}

export interface CheckResult {
  id: string;
  suite: string;
  title: string;
  clauses: string[];
  status: Status;
  /** A failed check: an assertion the target did not meet, or an error (the check itself could not go on). */
  failure?: 'assertion' | 'error';
  assertions: number;
  durationMs: number;
  /** Failure, skip or inconclusive reason; the first failing assertion. */
  message?: string;
  data?: Record<string, unknown>;
}

export interface ClauseResult {
  id: string;
  text: string;
  status: Status;
  checks: { id: string; status: Status }[];
  reason?: string;
}

export interface LatencyConfig {
  /** Probes per phase for the quiet tenant, paced evenly over windowMs. */
  samplesPerWindow: number;
  windowMs: number;
  /** Rounds of a quiet and a noisy phase, in counterbalanced order. */
  rounds: number;
  /** The noisy tenant's plan; it sends overdrive × that plan's rate. */
  noisyPlan: string;
  overdrive: number;
  /** The threshold on p95(with the neighbour) / p95(alone). */
  maxP95Ratio: number;
  /** Two-sided level of the ratio's bootstrap interval: passed when its upper end is within the threshold. */
  confidence: number;
  /** Bootstrap resamples. */
  resamples: number;
  /** Failed needs the lower end beyond the threshold and a Mann-Whitney p below this. */
  alpha: number;
  /** Upper bounds on the load: whichever comes first. */
  maxLoadRequests: number;
  maxDurationMs: number;
}

export interface ResolvedConfig {
  target: string;
  profile: string;
  /** The platform driver's kind when the run has one (--platform). */
  platform?: Platform['kind'];
  certified: boolean;
  seed: number;
  runId: string;
  outDir: string;
  latency: LatencyConfig;
  resilience: ResilienceConfig;
  /** Per-request timeout. */
  requestTimeoutMs: number;
  startedAt: string;
}
