/**
 * `mes conformance run`: resolves the configuration, creates the run's tenants through the platform
 * admin key, runs the profile's suites (checks in a seeded random order: none may depend on
 * another), removes what it created as far as the API allows, rolls verdicts up to clauses, and
 * writes a signed evidence bundle.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalJson, loadOrCreateSigningKey, sealBundle } from './evidence.js';
import { HttpTarget } from './http.js';
import { profile as findProfile, clauses as registryClauses, profiles } from './registry.js';
import { Rng } from './rng.js';
import { html, junit, markdown, type RunResults } from './summary.js';
import { resolveResilience, type ResilienceOverrides } from './resilience-config.js';
import { apiAutomationSuite } from './suites/api-automation.js';
import { businessSuite } from './suites/business/index.js';
import { deploymentSuite } from './suites/deployment.js';
import { isolationSuite } from './suites/isolation.js';
import { uiSuite } from './suites/ui.js';
import { equipmentSuite } from './suites/equipment.js';
import { productionSuite } from './suites/production.js';
import { recoverySuite } from './suites/recovery.js';
import { qualitySuite } from './suites/quality.js';
import { traceabilitySuite } from './suites/traceability.js';
import { cutoverSuite } from './suites/cutover.js';
import { diagnosisSuite } from './suites/resilience/diagnosis.js';
import { platformEvents, platformSnapshot } from './suites/resilience/experiment.js';
import { failoverSuite } from './suites/resilience/failover.js';
import { scalingSuite } from './suites/resilience/scaling.js';
import { upgradeSuite } from './suites/resilience/upgrade.js';
import { TenantPool, type CleanupReport } from './tenants.js';
import {
  CheckFailure,
  CheckInconclusive,
  CheckSkipped,
  type CheckContext,
  type CheckResult,
  type ClauseResult,
  type LatencyConfig,
  type ResolvedConfig,
  type Status,
  type Suite,
  type SuiteContext,
} from './types.js';
import { TOOL_VERSION } from './version.js';
import type { Platform } from '@mes/platform';

/**
 * In run order: the API suites, then deployment (plans only, touches nothing), then the resilience
 * suites, failover first (it needs the platform steady).
 */
export const SUITES: Suite[] = [isolationSuite, apiAutomationSuite, businessSuite, productionSuite, equipmentSuite, qualitySuite, traceabilitySuite, cutoverSuite, recoverySuite, uiSuite, deploymentSuite, failoverSuite, upgradeSuite, scalingSuite, diagnosisSuite];

/** A run that cannot start as asked (bad profile, no target): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const DEFAULT_LATENCY: LatencyConfig = {
  samplesPerWindow: 50,
  windowMs: 1500,
  rounds: 10,
  noisyPlan: 'basic',
  overdrive: 1.5,
  maxP95Ratio: 1.2,
  confidence: 0.95,
  resamples: 1000,
  alpha: 0.01,
  maxLoadRequests: 5000,
  maxDurationMs: 120_000,
};

export const DEFAULT_SIGNING_KEY = path.join(homedir(), '.mes', 'conformance-signing-key.pem');

export interface RunOptions {
  /** The MES under test; default: the platform's front URL. */
  target?: string;
  apiKey: string;
  profile?: string;
  /**
   * The platform the target runs on, for the resilience suites (they are unavailable without one).
   * The caller starts and stops it (`mes conformance run --platform local` does both).
   */
  platform?: Platform;
  certified?: boolean;
  seed?: number;
  outDir?: string;
  signingKey?: string;
  latency?: Partial<LatencyConfig>;
  /** `profile` short (default) or full, and overrides of its settings (`--config`'s `resilience`). */
  resilience?: ResilienceOverrides;
  requestTimeoutMs?: number;
  /** Run only these suites of the profile (tests; the verdict still covers every clause of the profile). */
  suites?: string[];
  /** Run only the checks whose id starts with one of these (tests and drills; the verdict still covers every clause of the profile). */
  checks?: string[];
  /** Also write the run as JUnit XML to this file (it is in the bundle as raw/junit.xml either way). */
  junit?: string;
  /** Per-check time bound. */
  checkTimeoutMs?: number;
  onProgress?(message: string): void;
}

export interface RunOutcome {
  bundle: string;
  results: RunResults;
  exitCode: 0 | 1;
  signingKey: { path: string; fingerprint: string; generated: boolean };
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export function rollUp(clauseIds: string[], checks: CheckResult[], reasons: Record<string, string> = {}): ClauseResult[] {
  const texts = new Map(registryClauses().map((c) => [c.id, c.text]));
  return clauseIds.map((id) => {
    const mine = checks.filter((c) => c.clauses.includes(id));
    const base = { id, text: texts.get(id) ?? '', checks: mine.map((c) => ({ id: c.id, status: c.status })) };
    if (!mine.length) return { ...base, status: 'unknown' as Status, reason: reasons[id] ?? 'no check in this run proves it' };
    if (mine.some((c) => c.status === 'failed')) return { ...base, status: 'failed' as Status };
    if (mine.every((c) => c.status === 'passed')) return { ...base, status: 'passed' as Status };
    if (!mine.some((c) => c.status === 'passed')) return { ...base, status: 'unknown' as Status, reason: 'its checks ran nothing' };
    return { ...base, status: 'skipped' as Status, reason: `${mine.filter((c) => c.status !== 'passed').length} of its checks did not pass or fail` };
  });
}

export async function runConformance(opts: RunOptions): Promise<RunOutcome> {
  const profile = findProfile(opts.profile ?? 'core');
  if (!profile) throw new UsageError(`no profile ${opts.profile}; profiles: ${profiles().map((p) => p.name).join(', ')}`);
  const targetUrl = opts.target ?? opts.platform?.url;
  if (!targetUrl) throw new UsageError('no target: pass --target <url>, or --platform local to start one');
  let resilience;
  try {
    resilience = resolveResilience(opts.resilience?.profile, opts.resilience);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const started = new Date();
  const runId = randomBytes(6).toString('hex');
  const seed = opts.seed ?? randomInt(0, 2 ** 31 - 1);
  const name = `${stamp(started)}_mes_${runId}`;
  const work = mkdtempSync(path.join(tmpdir(), 'mes-conformance-'));
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  const config: ResolvedConfig = {
    target: targetUrl.replace(/\/+$/, ''),
    profile: profile.name,
    ...(opts.platform ? { platform: opts.platform.kind } : {}),
    certified: opts.certified ?? false,
    seed,
    runId,
    outDir: path.resolve(opts.outDir ?? '.'),
    latency: { ...DEFAULT_LATENCY, ...opts.latency },
    resilience,
    requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
    startedAt: started.toISOString(),
  };
  const logLines: string[] = [];
  const log = (m: string) => {
    logLines.push(`${new Date().toISOString()} ${m}`);
    opts.onProgress?.(m);
  };
  const key = loadOrCreateSigningKey(opts.signingKey ?? DEFAULT_SIGNING_KEY);
  if (key.generated) log(`generated a new Ed25519 signing key at ${key.path} (${key.fingerprint}); keep it to sign later runs with the same key`);
  const target = new HttpTarget(config.target, config.requestTimeoutMs);
  const rng = new Rng(seed);
  const writeEvidence = async (rel: string, content: string | Uint8Array) => {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  };

  try {
    log(`run ${runId}: profile ${profile.name}, seed ${seed}, target ${config.target}`);
    const health = await target.request('GET', '/healthz').catch((e: Error) => {
      throw new Error(`cannot reach the target at ${config.target}: ${e.message}`);
    });
    const specRes = await target.request('GET', '/openapi.json');
    if (specRes.status !== 200 || !specRes.json?.paths) throw new Error(`the target serves no OpenAPI document at /openapi.json (HTTP ${specRes.status})`);
    await writeEvidence('target/openapi.json', specRes.text);
    const admin = await target.request('GET', '/v1/tenants', { key: opts.apiKey, query: { limit: 1 } });
    if (admin.status !== 200) throw new Error(`the API key is not a platform admin's (GET /v1/tenants: HTTP ${admin.status} ${admin.json?.code ?? ''}); the runner creates its own tenants with it`);

    const pool = new TenantPool(target, opts.apiKey, `conf-${runId}`);
    const checks: CheckResult[] = [];
    const order: string[] = [];
    const suiteNotes: Record<string, unknown> = {};
    const reasons: Record<string, string> = {};
    if (!opts.platform) for (const id of findProfile('platform')!.clauses) reasons[id] = 'needs --platform local|kubernetes';
    const platform = opts.platform ? await recordPlatform(opts.platform, 'before', writeEvidence, log) : undefined;
    // N for the resilience suites: what serves when the run starts, unless the caller said.
    if (platform && config.resilience.replicas === undefined) config.resilience.replicas = platform.serving;
    let cleanup: CleanupReport | undefined;
    try {
      for (const suite of SUITES.filter((s) => profile.suites.includes(s.id) && (!opts.suites || opts.suites.includes(s.id)))) {
        const why = suite.unavailable?.(config);
        if (why) {
          for (const c of suite.proves) reasons[c] ??= why;
          suiteNotes[suite.id] = { unavailable: why };
          continue;
        }
        const sctx: SuiteContext = { target, rng: rng.fork(suite.id), config, tenants: pool, platform: opts.platform, outDir: dir, log: (m) => log(`[${suite.id}] ${m}`), writeEvidence };
        const t0 = performance.now();
        let plan;
        try {
          plan = await suite.prepare(sctx);
        } catch (err) {
          checks.push({ id: `${suite.id}/prepare`, suite: suite.id, title: `prepare ${suite.title}`, clauses: suite.proves, status: 'failed', failure: 'error', assertions: 1, durationMs: performance.now() - t0, message: (err as Error).message });
          log(`[${suite.id}] could not prepare: ${(err as Error).message}`);
          continue;
        }
        const selected = opts.checks ? plan.checks.filter((c) => opts.checks!.some((prefix) => c.id.startsWith(prefix))) : plan.checks;
        const shuffled = rng.fork(`${suite.id}/order`).shuffle(selected);
        log(`[${suite.id}] ${shuffled.length} checks`);
        for (const check of shuffled) {
          order.push(check.id);
          const result = await runCheck(check, suite.id, { target, rng: rng.fork(check.id), config, tenants: pool, platform: opts.platform }, opts.checkTimeoutMs ?? 300_000, log);
          checks.push(result);
        }
        if (plan.external) {
          try {
            for (const r of await plan.external(sctx)) {
              order.push(r.id);
              checks.push(r);
            }
          } catch (err) {
            checks.push({ id: `${suite.id}/external`, suite: suite.id, title: `${suite.title}: external runner`, clauses: suite.proves, status: 'failed', failure: 'error', assertions: 1, durationMs: 0, message: (err as Error).message });
          }
        }
        suiteNotes[suite.id] = plan.notes?.() ?? {};
        log(`[${suite.id}] done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
    } finally {
      log('cleanup: revoking keys and suspending tenants this run created');
      cleanup = await pool.cleanup();
    }
    const platformAfter = opts.platform ? await recordPlatform(opts.platform, 'after', writeEvidence, log) : undefined;
    if (opts.platform) await writeEvidence('platform/events.json', canonicalJson(platformEvents(opts.platform, config.startedAt) ?? []));

    checks.sort((a, b) => a.id.localeCompare(b.id));
    const clauseResults = rollUp(profile.clauses, checks, reasons);
    const counts: Record<string, number> = { passed: 0, failed: 0, skipped: 0, unknown: 0 };
    for (const c of checks) counts[c.status]++;
    const failed = clauseResults.some((c) => c.status === 'failed') || counts.failed > 0;
    const verdict: RunResults['verdict'] = failed ? 'failed' : clauseResults.every((c) => c.status === 'passed') ? 'passed' : 'incomplete';
    const finished = new Date();
    const results: RunResults = {
      runId,
      seed,
      profile: profile.name,
      certified: config.certified,
      verdict,
      target: { url: config.target, version: health.json?.version, api: specRes.json?.info?.title },
      ...(opts.platform ? { platform: { kind: opts.platform.kind, url: opts.platform.url, before: platform, after: platformAfter } } : {}),
      tool: { name: '@mes/conformance', version: TOOL_VERSION, node: process.version },
      startedAt: config.startedAt,
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      clauses: clauseResults,
      checks,
      counts,
      executionOrder: order,
      suites: suiteNotes,
      cleanup,
    };
    await writeEvidence('config.json', canonicalJson({ ...config, apiKey: '(redacted)', signingKey: { path: key.path, fingerprint: key.fingerprint } }));
    await writeEvidence('seed.txt', `${seed}\n`);
    await writeEvidence('versions.json', canonicalJson({ tool: results.tool, target: { ...results.target, healthz: health.json, openapi: specRes.json?.openapi } }));
    await writeEvidence('results.json', canonicalJson(results));
    await writeEvidence('summary.md', markdown(results));
    await writeEvidence('summary.html', html(results));
    await writeEvidence('raw/junit.xml', junit(results));
    if (opts.junit) {
      mkdirSync(path.dirname(path.resolve(opts.junit)), { recursive: true });
      writeFileSync(opts.junit, junit(results));
    }
    await writeEvidence('cleanup.json', canonicalJson(cleanup));
    log(`verdict ${verdict}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    await writeEvidence('logs/run.log', `${logLines.join('\n')}\n`);
    await writeEvidence('logs/http.log', `${target.log.join('\n')}\n`);
    const bundle = await sealBundle(dir, config.outDir, key, { runId, createdAt: finished.toISOString(), tool: results.tool });
    const exitCode = verdict === 'failed' || (config.certified && verdict !== 'passed') ? 1 : 0;
    return { bundle, results, exitCode, signingKey: { path: key.path, fingerprint: key.fingerprint, generated: key.generated } };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The platform's kind, release, replicas (and autoscaler) into the evidence and the results. */
async function recordPlatform(platform: Platform, when: 'before' | 'after', writeEvidence: (rel: string, content: string) => Promise<void>, log: (m: string) => void): Promise<Record<string, unknown> & { serving?: number }> {
  const snap = await platformSnapshot(platform).catch((err: Error) => ({ kind: platform.kind, url: platform.url, error: err.message }));
  const replicas = (snap as { replicas?: unknown[] }).replicas;
  log(`platform ${platform.kind} ${when}: release ${(snap as { release?: string }).release ?? '?'}, ${replicas?.length ?? '?'} replicas`);
  await writeEvidence(`platform/${when}.json`, canonicalJson(snap));
  const serving = (replicas as Array<{ phase?: string; inRotation?: boolean }> | undefined)?.filter((r) => r.phase === 'ready' && r.inRotation).length;
  return { ...snap, replicaCount: replicas?.length, serving };
}

async function runCheck(check: { id: string; title: string; clauses: string[]; run(ctx: CheckContext): Promise<void> }, suite: string, base: Pick<CheckContext, 'target' | 'rng' | 'config' | 'tenants' | 'platform'>, timeoutMs: number, log: (m: string) => void): Promise<CheckResult> {
  let assertions = 0;
  const data: Record<string, unknown> = {};
  const ctx: CheckContext = {
    ...base,
    assert(condition, message) {
      assertions++;
      if (!condition) throw new CheckFailure(message);
    },
    record(k, v) {
      data[k] = v;
    },
    log: (m) => log(`[${check.id}] ${m}`),
    skip(reason) {
      throw new CheckSkipped(reason);
    },
    inconclusive(reason) {
      throw new CheckInconclusive(reason);
    },
  };
  const t0 = performance.now();
  let status: Status;
  let failure: CheckResult['failure'];
  let message: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.run(ctx),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new CheckInconclusive(`did not finish within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    status = assertions > 0 ? 'passed' : 'unknown';
    if (!assertions) message = 'the check made no assertion';
  } catch (err) {
    message = (err as Error).message;
    if (err instanceof CheckSkipped) status = 'skipped';
    else if (err instanceof CheckInconclusive) status = 'unknown';
    else if (err instanceof CheckFailure) [status, failure] = ['failed', 'assertion'];
    else {
      [status, failure] = ['failed', 'error'];
      message = `error: ${message}`;
    }
  } finally {
    clearTimeout(timer);
  }
  const result: CheckResult = { id: check.id, suite, title: check.title, clauses: check.clauses, status, ...(failure ? { failure } : {}), assertions, durationMs: Math.round(performance.now() - t0), ...(message ? { message } : {}), ...(Object.keys(data).length ? { data } : {}) };
  if (status !== 'passed') log(`${status}: ${check.id}: ${message ?? ''}`);
  return result;
}
