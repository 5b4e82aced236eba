/**
 * Seamless upgrade (S1-6.1-d, S1-5.3.4): under constant load,
 *
 * - a rolling upgrade to a good release completes; the failed requests are counted (the aim is
 *   zero, the figure is reported), the longest window of failures stays within the minute the clause
 *   allows, and the platform never has fewer than N ready replicas during the rollout;
 * - a faulty release, one whose replicas never become ready and one that answers 5xx above the
 *   analysis threshold, is detected and rolled back by the platform itself: outcome `rolled_back`
 *   with its analysis, the platform still on the release it was on with N ready, and the clients'
 *   availability during the faulty rollout reported.
 *
 * Each check compares the platform with itself before and after (its release, its N), so they hold
 * in any order.
 */
import type { ReleaseSpec, RolloutResult } from '@mes/platform';
import { headline, LoadGenerator, materialsMix, seedLoadTenant, toJsonl, type LoadSummary, type LoadTenant } from '../../load.js';
import type { Check, CheckContext, Suite, SuiteContext, SuitePlan } from '../../types.js';
import { nReady, needsPlatform, platformEvents, readyInRotation, runExperiment, sleep, targetReplicas, waitUntil } from './experiment.js';

const CLAUSES = ['S1-6.1-d', 'S1-5.3.4'];

export const upgradeSuite: Suite = {
  id: 'upgrade',
  title: 'Seamless upgrade under load; a faulty release is rolled back automatically',
  proves: CLAUSES,
  unavailable: needsPlatform,
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const tenant = await seedLoadTenant(ctx.target, ctx.tenants, 'upgrade', `U${ctx.config.runId.slice(0, 6).toUpperCase()}`);
    const releases = ctx.config.resilience.releases;
    return {
      checks: [
        rolloutCheck(ctx, tenant, 'rolling', releases.good),
        rolloutCheck(ctx, tenant, 'faulty-readiness', releases.faultyReadiness),
        rolloutCheck(ctx, tenant, 'faulty-5xx', releases.faulty5xx),
      ],
    };
  },
};

/** Keeps the codes of materials the load creates apart between the checks (same tenant). */
const TAGS = { rolling: 'RO', 'faulty-readiness': 'FR', 'faulty-5xx': 'F5' };

const TITLES = {
  rolling: 'S1-6.1-d S1-5.3.4: a rolling upgrade under load completes, never below N ready, failed requests counted, no failure window over a minute',
  'faulty-readiness': 'S1-6.1-d S1-5.3.4: a release whose replicas never become ready is rolled back automatically; the platform stays on its release with N ready',
  'faulty-5xx': 'S1-6.1-d S1-5.3.4: a release answering 5xx above the analysis threshold is rolled back automatically; the platform stays on its release with N ready',
};

function rolloutCheck(sctx: SuiteContext, tenant: LoadTenant, kind: keyof typeof TITLES, release: ReleaseSpec): Check {
  return {
    id: `upgrade/${kind}`,
    title: TITLES[kind],
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const platform = ctx.platform!;
      const cfg = ctx.config.resilience.upgrade;
      if (platform.kind === 'kubernetes' && !release.image) ctx.skip(`release ${release.name} has no image: set resilience.releases in --config for a Kubernetes run`);
      const n = await targetReplicas(platform, ctx.config);
      await nReady(platform, n, cfg.recoveryBoundMs).measure(); // converge first: the release and N are read from a steady platform
      const from = await platform.release();
      const since = new Date().toISOString();
      ctx.record('platform', { kind: platform.kind, release: from, replicas: n });
      ctx.record('release', release);
      ctx.record('analysisConfig', cfg.analysis);
      const timeBound = (cfg.analysis.readinessTimeoutMs ?? 60_000) + (cfg.analysis.windowMs ?? 30_000) * (n + 1) + cfg.recoveryBoundMs;
      const load = LoadGenerator.start({
        baseUrl: ctx.target.baseUrl,
        apiKey: tenant.key,
        rate: cfg.rate,
        mix: materialsMix(tenant, ctx.config.resilience.load.writeShare, TAGS[kind]),
        timeoutMs: ctx.config.resilience.load.timeoutMs,
        maxInFlight: ctx.config.resilience.load.maxInFlight,
        // The rollout's length is the platform's: bound the load well past it (n replicas, each ready + analysed).
        maxRequests: Math.ceil((cfg.rate * (cfg.baselineMs + timeBound * 2)) / 1000) + 100,
        maxDurationMs: cfg.baselineMs + timeBound * 2,
        pick: () => ctx.rng.next(),
      });
      let rollout: RolloutResult | undefined;
      let during: LoadSummary | undefined;
      let rolloutFromMs = 0;
      const ready = nReady(platform, n, cfg.recoveryBoundMs);
      const faulty = kind !== 'rolling';
      try {
        await runExperiment(ctx, {
          title: `${faulty ? 'faulty rollout' : 'rolling upgrade'} ${from} → ${release.name} at ${cfg.rate} req/s with ${n} replicas`,
          steadyState: [
            ready,
            {
              name: 'baseline: no request fails',
              measure: async () => {
                await sleep(cfg.baselineMs - load.now());
                return headline(load.summary(0, load.now()));
              },
              tolerance: (s: ReturnType<typeof headline>) => (s.sent > 0 && s.failed === 0 ? undefined : `${s.failed} of ${s.sent} failed before the rollout`),
            },
          ],
          method: [
            {
              name: `upgrade to ${release.name}`,
              run: async () => {
                rolloutFromMs = load.now();
                rollout = await platform.upgrade(release, cfg.analysis);
                during = load.summary(rolloutFromMs, load.now());
                await sleep(500); // a moment of load after the rollout: the last replacement serves
                return { ...rollout, clients: headline(during) };
              },
            },
          ],
          after: faulty
            ? [
                {
                  name: 'the platform rolled the faulty release back by itself',
                  measure: async () => ({ outcome: rollout!.outcome, reason: rollout!.reason, samples: rollout!.analysis.length }),
                  tolerance: (v: { outcome: string }) => (v.outcome === 'rolled_back' ? undefined : `outcome ${v.outcome}: a faulty release ${release.name} was not rolled back`),
                },
                {
                  name: `still on ${from}`,
                  measure: () => platform.release(),
                  tolerance: (r: string) => (r === from ? undefined : `the platform runs ${r}, not ${from}`),
                },
                {
                  name: `${n} replicas of ${from} ready within ${cfg.recoveryBoundMs} ms`,
                  measure: async () => {
                    const w = await waitUntil(async () => (await readyInRotation(platform, from)).length >= n, cfg.recoveryBoundMs);
                    return { ready: (await readyInRotation(platform, from)).map((r) => r.id), ms: w.ms, within: w.value === true };
                  },
                  tolerance: (v: { within: boolean; ready: string[] }) => (v.within ? undefined : `${v.ready.length} of ${n} replicas of ${from} ready`),
                },
              ]
            : [
                {
                  name: 'the rollout completed',
                  measure: async () => ({ outcome: rollout!.outcome, reason: rollout!.reason, durationMs: rollout!.durationMs }),
                  tolerance: (v: { outcome: string; reason?: string }) => (v.outcome === 'completed' ? undefined : `outcome ${v.outcome}: ${v.reason ?? ''}`),
                },
                {
                  name: `never fewer than ${n} ready during the rollout`,
                  measure: async () => rollout!.minReadyDuringRollout,
                  tolerance: (m: number) => (m >= n ? undefined : `only ${m} ready at one moment (N = ${n})`),
                },
                {
                  name: `no failure window longer than ${cfg.maxFailureWindowMs} ms`,
                  measure: async () => ({ longestFailureWindowMs: during!.longestFailureWindowMs, failed: during!.failed, sent: during!.sent }),
                  tolerance: (v: { longestFailureWindowMs: number }) => (v.longestFailureWindowMs <= cfg.maxFailureWindowMs ? undefined : `clients saw failures for ${v.longestFailureWindowMs} ms in a row`),
                },
                {
                  name: `the platform runs ${release.name}`,
                  measure: () => platform.release(),
                  // Both drivers name a release by ReleaseSpec.name (on Kubernetes a pod-template annotation).
                  tolerance: (r: string) => (r === release.name ? undefined : `the platform runs ${r}`),
                },
                ready,
              ],
          rollbacks: [{ name: 'stop the load', run: async () => headline(await load.stop()) }],
        });
      } finally {
        const all = await load.stop();
        const d = during ?? all;
        ctx.record('rollout', rollout ?? null);
        ctx.record('analysis', rollout?.analysis ?? null);
        ctx.record('failedRequests', d.failed);
        ctx.record('availabilityDuringRollout', d.availability);
        ctx.record('downtimeMs', d.downtimeMs);
        ctx.record('longestFailureWindowMs', d.longestFailureWindowMs);
        ctx.record('load', { duringRollout: d, whole: { ...all, failureWindows: undefined }, targetRate: cfg.rate, droppedAtClient: load.droppedAtClient, startedAt: load.wallStart, rolloutFromMs: Math.round(rolloutFromMs) });
        ctx.record('platformEvents', platformEvents(platform, since) ?? null);
        await sctx.writeEvidence(`resilience/upgrade-${kind}-requests.jsonl`, toJsonl(load.records));
      }
    },
  };
}
