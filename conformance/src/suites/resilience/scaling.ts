/**
 * Elastic scaling (S1-6.1-c, S1-5.3.3-a): the load ramps up in steps through the front; the
 * platform's autoscaler must add replicas within the bound while the clients' p95 latency stays
 * within the service level given to the suite, then, once the load is back to idle, remove them
 * again within the bound (after its scale-down stabilisation window). Replicas, the autoscaler's
 * desired count and metric are sampled into a timeline; the time to scale out and in is reported.
 */
import type { AutoscalerState, Platform } from '@mes/platform';
import { headline, LoadGenerator, materialsMix, seedLoadTenant, toJsonl, type LoadTenant } from '../../load.js';
import type { Check, CheckContext, Suite, SuiteContext, SuitePlan } from '../../types.js';
import { needsPlatform, platformEvents, readyInRotation, runExperiment, sleep, waitUntil } from './experiment.js';

const CLAUSES = ['S1-6.1-c', 'S1-5.3.3-a'];

export const scalingSuite: Suite = {
  id: 'scaling',
  title: 'Elastic scaling: a load ramp scales replicas out and back in, p95 within the SLO',
  proves: CLAUSES,
  unavailable: needsPlatform,
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const tenant = await seedLoadTenant(ctx.target, ctx.tenants, 'scaling', `S${ctx.config.runId.slice(0, 6).toUpperCase()}`);
    return { checks: [rampCheck(ctx, tenant)] };
  },
};

interface Sample {
  tMs: number;
  rate: number;
  ready: number;
  desired?: number;
  metric?: number | null;
}

/** Samples the platform every `everyMs` until stopped: what the timeline in the evidence shows. */
function sampler(platform: Platform, load: LoadGenerator, everyMs: number) {
  const samples: Sample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const [ready, as] = await Promise.all([readyInRotation(platform).catch(() => []), platform.autoscaler().catch(() => undefined)]);
      samples.push({ tMs: Math.round(load.now()), rate: load.currentRate, ready: ready.length, desired: as?.desiredReplicas, metric: as?.currentMetric });
      await sleep(everyMs);
    }
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

function rampCheck(sctx: SuiteContext, tenant: LoadTenant): Check {
  return {
    id: 'scaling/load-ramp',
    title: 'S1-6.1-c S1-5.3.3-a: a load ramp scales replicas out within the bound with p95 within the SLO, and back in afterwards',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const platform = ctx.platform!;
      const cfg = ctx.config.resilience.scaling;
      const state = await platform.autoscaler();
      if (!state) ctx.skip(`the ${platform.kind} platform has no autoscaler (local: started without one; kubernetes: no HPA for the deployment)`);
      const as: AutoscalerState = state;
      const min = as.config.minReplicas;
      const since = new Date().toISOString();
      ctx.record('platform', { kind: platform.kind, release: await platform.release(), replicas: (await readyInRotation(platform)).length });
      ctx.record('autoscaler', { ...as, events: undefined });
      ctx.record('settings', cfg);
      const rampMs = cfg.rampUp.reduce((s, x) => s + x.holdMs, 0);
      const boundMs = rampMs + cfg.scaleOutBoundMs + cfg.scaleInBoundMs + 10_000;
      const peak = Math.max(...cfg.rampUp.map((s) => s.rate));
      const load = LoadGenerator.start({
        baseUrl: ctx.target.baseUrl,
        apiKey: tenant.key,
        rate: cfg.idleRate,
        mix: materialsMix(tenant, ctx.config.resilience.load.writeShare, 'sc'),
        timeoutMs: ctx.config.resilience.load.timeoutMs,
        maxInFlight: ctx.config.resilience.load.maxInFlight,
        maxRequests: Math.ceil((peak * boundMs) / 1000),
        maxDurationMs: boundMs,
        pick: () => ctx.rng.next(),
      });
      const timeline = sampler(platform, load, cfg.sampleEveryMs);
      let start = { ready: 0 };
      let out: { ms: number; value?: number } = { ms: 0 };
      let inn: { ms: number; value?: number } = { ms: 0 };
      let rampFromMs = 0;
      let rampToMs = 0;
      try {
        await runExperiment(ctx, {
          title: `ramp ${cfg.rampUp.map((s) => s.rate).join(' → ')} req/s, then ${cfg.idleRate} req/s; autoscaler ${as.config.minReplicas}..${as.config.maxReplicas} on ${as.config.metric} target ${as.config.target}`,
          steadyState: [
            {
              name: `idle: the autoscaler's minimum of ${min} replicas ready`,
              measure: async () => {
                const w = await waitUntil(async () => (await readyInRotation(platform)).length === min, cfg.scaleInBoundMs, 500);
                start = { ready: (await readyInRotation(platform)).length };
                return { ready: start.ready, waitedMs: w.ms };
              },
              tolerance: (v: { ready: number }) => (v.ready === min ? undefined : `${v.ready} replicas ready at idle, the minimum is ${min}`),
            },
          ],
          method: [
            {
              name: 'ramp the load up in steps; hold the peak until the replicas scale out',
              run: async () => {
                rampFromMs = load.now();
                const scaledOut = waitUntil(async () => {
                  const n = (await readyInRotation(platform)).length;
                  return n > start.ready && n;
                }, rampMs + cfg.scaleOutBoundMs, 250);
                for (const step of cfg.rampUp) {
                  load.setRate(step.rate);
                  await sleep(step.holdMs);
                }
                out = await scaledOut;
                rampToMs = load.now();
                return { scaleOutMs: out.value ? out.ms : null, readyAtScaleOut: out.value, rampMs: Math.round(rampToMs - rampFromMs), clients: headline(load.summary(rampFromMs, rampToMs)) };
              },
            },
            {
              name: `back to ${cfg.idleRate} req/s; wait for the scale-in to ${min}`,
              run: async () => {
                load.setRate(cfg.idleRate);
                inn = await waitUntil(async () => (await readyInRotation(platform)).length === min && min, cfg.scaleInBoundMs, 250);
                return { scaleInMs: inn.value ? inn.ms : null };
              },
            },
          ],
          after: [
            {
              name: `scaled out within ${cfg.scaleOutBoundMs} ms of the ramp's start (+ the ramp)`,
              measure: async () => ({ scaleOutMs: out.value ? out.ms : null, maxReady: Math.max(0, ...timeline.samples.map((s) => s.ready)) }),
              tolerance: (v: { scaleOutMs: number | null }) => (v.scaleOutMs !== null ? undefined : `no replica was added within ${rampMs + cfg.scaleOutBoundMs} ms of the ramp's start`),
            },
            {
              name: `p95 latency during the ramp ≤ ${cfg.p95SloMs} ms`,
              measure: async () => load.summary(rampFromMs, rampToMs).latencyMs,
              tolerance: (l: { p95: number }) => (l.p95 <= cfg.p95SloMs ? undefined : `p95 ${l.p95} ms > the SLO of ${cfg.p95SloMs} ms`),
            },
            {
              name: `scaled back in to ${min} within ${cfg.scaleInBoundMs} ms`,
              measure: async () => ({ scaleInMs: inn.value ? inn.ms : null, ready: (await readyInRotation(platform)).length }),
              tolerance: (v: { scaleInMs: number | null; ready: number }) => (v.scaleInMs !== null ? undefined : `still ${v.ready} replicas ${cfg.scaleInBoundMs} ms after the load went back to idle`),
            },
          ],
          rollbacks: [
            { name: 'stop the load', run: async () => headline(await load.stop()) },
            { name: 'stop sampling', run: () => timeline.stop() },
          ],
        });
      } finally {
        const all = await load.stop();
        await timeline.stop();
        const ramp = load.summary(rampFromMs, rampToMs || Infinity);
        const after = await platform.autoscaler().catch(() => undefined);
        ctx.record('scaleOutMs', out.value ? out.ms : null);
        ctx.record('scaleInMs', inn.value ? inn.ms : null);
        ctx.record('maxReplicas', Math.max(0, ...timeline.samples.map((s) => s.ready)));
        ctx.record('p95DuringRampMs', ramp.latencyMs.p95);
        ctx.record('p95SloMs', cfg.p95SloMs);
        ctx.record('load', { duringRamp: ramp, whole: { ...all, failureWindows: undefined }, droppedAtClient: load.droppedAtClient, startedAt: load.wallStart, rampFromMs: Math.round(rampFromMs), rampToMs: Math.round(rampToMs) });
        ctx.record('timeline', timeline.samples);
        ctx.record('scalingEvents', after?.events.filter((e) => e.at >= since) ?? null);
        ctx.record('platformEvents', platformEvents(platform, since) ?? null);
        await sctx.writeEvidence('resilience/scaling-requests.jsonl', toJsonl(load.records));
        await sctx.writeEvidence('resilience/scaling-timeline.json', `${JSON.stringify(timeline.samples)}\n`);
      }
    },
  };
}
