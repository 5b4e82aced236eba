/**
 * The platform profile's resilience suites, short profile, through runConformance on a real local
 * platform: two server processes behind the local balancer over a fresh PostgreSQL database, real
 * kills, real rollouts, a real autoscaler. The clauses' own thresholds are asserted (availability ≥
 * 99.9 %, replaced, rolled back, scaled out and in); the numbers are recorded and printed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalPlatform } from '@mes/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../server/test/harness.js';
import { openBundle, resolveResilience, runConformance, verifyBundle, type CheckResult, type RunOutcome } from '../src/index.js';
import { budget } from '../../vitest.shared.js';

const SHORT = resolveResilience('short');
let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let platform: LocalPlatform;
let dir: string;
let run: RunOutcome;
let runMs: number;

const check = (id: string): CheckResult => {
  const c = run.results.checks.find((x) => x.id === id);
  expect(c, `no check ${id}`).toBeDefined();
  return c!;
};
const passed = (c: CheckResult) => expect(c.status, `${c.id}: ${c.message}\n${JSON.stringify(c.data?.experiment ?? c.data, null, 1).slice(0, 4000)}`).toBe('passed');

beforeAll(async () => {
  db = await freshPostgresDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'mes-resilience-test-'));
  platform = await LocalPlatform.start({ databaseUrl: db.url, replicas: SHORT.local.replicas, env: SHORT.local.env, analysis: SHORT.local.analysis, autoscaler: SHORT.local.autoscaler });
  const t0 = Date.now();
  run = await runConformance({
    apiKey: platform.bootstrapApiKey!,
    profile: 'platform',
    // Deployment (S1-6.1-a) needs no platform: run.test.ts proves it.
    suites: ['failover', 'upgrade', 'scaling', 'diagnosis'],
    platform,
    seed: 66,
    outDir: dir,
    signingKey: path.join(dir, 'key.pem'),
    resilience: { profile: 'short' },
    onProgress: (m) => process.env.MES_TEST_VERBOSE && process.stderr.write(`${m}\n`),
  });
  runMs = Date.now() - t0;
}, budget(235_000));

afterAll(async () => {
  // MES_TEST_DUMP=<file>: keep results.json for a look at every number after the run.
  if (process.env.MES_TEST_DUMP && run) writeFileSync(process.env.MES_TEST_DUMP, JSON.stringify(run.results, null, 1));
  await platform?.close();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('platform profile, short, on a local platform of 2 replicas over PostgreSQL', () => {
  it('S1-6.1-g S1-5.3.7-a S1-5.3.7-b: a replica killed with SIGKILL under load is replaced; client availability ≥ 99.9 %; downtime reported', () => {
    const c = check('failover/kill-replica-under-load');
    passed(c);
    const d = c.data as Record<string, any>;
    expect(d.availability).toBeGreaterThanOrEqual(0.999);
    expect(d.load.sent).toBeGreaterThan(SHORT.failover.rate * (SHORT.failover.windowMs / 1000) * 0.8);
    expect(d.replacementMs).toBeGreaterThan(0);
    expect(d.replacementMs).toBeLessThanOrEqual(SHORT.failover.replacementBoundMs);
    expect(typeof d.downtimeMs).toBe('number');
    expect(d.killed.replica).toMatch(/^r\d+$/);
    expect(d.experiment.status).toBe('completed');
    expect(d.experiment.method.map((m: { status: string }) => m.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    console.log(`failover: ${d.load.sent} requests at ${SHORT.failover.rate} req/s, ${d.load.failed} failed, availability ${d.availability}, downtime ${d.downtimeMs} ms, replaced in ${d.replacementMs} ms, p95 ${d.load.latencyMs.p95} ms`);
  });

  it('S1-6.1-d S1-5.3.4: a rolling upgrade under load completes, never below N ready; failed requests counted, no failure window over a minute', () => {
    const c = check('upgrade/rolling');
    passed(c);
    const d = c.data as Record<string, any>;
    expect(d.rollout.outcome).toBe('completed');
    expect(d.rollout.to).toBe('B');
    expect(d.rollout.minReadyDuringRollout).toBeGreaterThanOrEqual(SHORT.local.replicas);
    expect(d.longestFailureWindowMs).toBeLessThanOrEqual(60_000);
    expect(typeof d.failedRequests).toBe('number');
    console.log(`upgrade ${d.rollout.from} → B: ${d.rollout.durationMs} ms, ${d.load.duringRollout.sent} requests during it, ${d.failedRequests} failed (availability ${d.availabilityDuringRollout}), min ready ${d.rollout.minReadyDuringRollout}`);
  });

  it('S1-6.1-d S1-5.3.4: a release that never becomes ready is rolled back automatically, the platform stays on its release with N ready', () => {
    const c = check('upgrade/faulty-readiness');
    passed(c);
    const d = c.data as Record<string, any>;
    expect(d.rollout.outcome).toBe('rolled_back');
    expect(d.rollout.reason).toMatch(/readiness|ready/i);
    expect(d.rollout.from).toBe(d.platform.release);
    console.log(`faulty readiness: rolled back after ${d.rollout.durationMs} ms (${d.rollout.reason}); clients ${d.failedRequests} failed, availability ${d.availabilityDuringRollout}`);
  });

  it('S1-6.1-d S1-5.3.4: a release answering 5xx above the threshold is rolled back automatically with its analysis recorded', () => {
    const c = check('upgrade/faulty-5xx');
    passed(c);
    const d = c.data as Record<string, any>;
    expect(d.rollout.outcome).toBe('rolled_back');
    expect(d.analysis.some((s: { verdict: string; errorRate: number }) => s.verdict === 'fail' && s.errorRate > SHORT.upgrade.analysis.maxErrorRate!)).toBe(true);
    console.log(`faulty 5xx: rolled back after ${d.rollout.durationMs} ms (${d.rollout.reason}); clients ${d.failedRequests} failed, availability ${d.availabilityDuringRollout}`);
  });

  it('S1-6.1-c S1-5.3.3-a: a load ramp scales replicas out within the bound, p95 within the SLO, and back in afterwards', () => {
    const c = check('scaling/load-ramp');
    passed(c);
    const d = c.data as Record<string, any>;
    expect(d.maxReplicas).toBeGreaterThan(SHORT.local.autoscaler.minReplicas);
    expect(d.scaleOutMs).toBeGreaterThan(0);
    expect(d.scaleInMs).toBeGreaterThan(0);
    expect(d.p95DuringRampMs).toBeLessThanOrEqual(SHORT.scaling.p95SloMs);
    expect(d.timeline.length).toBeGreaterThan(5);
    console.log(`scaling: out to ${d.maxReplicas} in ${d.scaleOutMs} ms, back in ${d.scaleInMs} ms, p95 during the ramp ${d.p95DuringRampMs} ms (SLO ${SHORT.scaling.p95SloMs})`);
  });

  it('S1-6.1-f S1-5.3.6: the diagnosis suite ran in the same run (its own PostgreSQL and platform; details in diagnosis.test.ts)', () => {
    for (const id of ['diagnosis/database-stopped', 'diagnosis/pool-exhausted', 'diagnosis/event-loop-blocked']) passed(check(id));
  });

  it('S1-6.1-g S1-6.1-d S1-6.1-c S1-6.1-f: every clause with a suite passes, the platform is in the evidence, the bundle verifies with the raw samples', async () => {
    const status = Object.fromEntries(run.results.clauses.map((c) => [c.id, c.status]));
    for (const id of ['S1-6.1-g', 'S1-5.3.7-a', 'S1-5.3.7-b', 'S1-6.1-d', 'S1-5.3.4', 'S1-6.1-c', 'S1-5.3.3-a', 'S1-6.1-f', 'S1-5.3.6']) expect(status[id], id).toBe('passed');
    expect(status['S1-6.1-a']).toBe('unknown');
    expect(run.results.platform).toMatchObject({ kind: 'local', url: platform.url, before: { kind: 'local', replicaCount: 2 }, after: { kind: 'local', release: 'B' } });
    expect((await verifyBundle(run.bundle)).ok).toBe(true);
    const b = await openBundle(run.bundle);
    try {
      const root = b.dir;
      for (const f of ['failover-requests.jsonl', 'upgrade-rolling-requests.jsonl', 'upgrade-faulty-5xx-requests.jsonl', 'scaling-requests.jsonl', 'scaling-timeline.json']) expect(existsSync(path.join(root, 'resilience', f)), f).toBe(true);
      const first = JSON.parse(readFileSync(path.join(root, 'resilience', 'failover-requests.jsonl'), 'utf8').split('\n')[0]);
      expect(first).toMatchObject({ seq: expect.any(Number), startMs: expect.any(Number), latencyMs: expect.any(Number), status: expect.any(Number) });
      expect(JSON.parse(readFileSync(path.join(root, 'config.json'), 'utf8')).resilience.profile).toBe('short');
      expect(existsSync(path.join(root, 'platform', 'events.json'))).toBe(true);
    } finally {
      b.remove();
    }
    console.log(`platform profile (short), all four suites: ${run.results.checks.length} checks in ${(runMs / 1000).toFixed(1)} s`);
  });
});
