/**
 * Failover (S1-6.1-g, S1-5.3.7-a, S1-5.3.7-b): constant load through the front; at the middle of
 * the window one replica in rotation is killed without grace (SIGKILL locally, a pod deleted with
 * grace period 0 on Kubernetes). The redundant replicas must carry the traffic and the platform must
 * replace the dead one by itself: back to N ready within the bound, and the clients' availability
 * over the whole window (ok / sent, S1-5.3.7-b's uptime / (uptime + downtime)) at least 99.9 %.
 * The downtime the clients saw (first failure to next success, summed) is reported in ms.
 */
import { headline, LoadGenerator, materialsMix, seedLoadTenant, toJsonl, type LoadSummary, type LoadTenant } from '../../load.js';
import type { Check, CheckContext, Suite, SuiteContext, SuitePlan } from '../../types.js';
import { nReady, needsPlatform, platformEvents, readyInRotation, runExperiment, sleep, targetReplicas, waitUntil } from './experiment.js';
import type { Replica } from '@mes/platform';

const CLAUSES = ['S1-6.1-g', 'S1-5.3.7-a', 'S1-5.3.7-b'];

export const failoverSuite: Suite = {
  id: 'failover',
  title: 'Failover: a replica killed under load is replaced; availability ≥ 99.9 %',
  proves: CLAUSES,
  unavailable: needsPlatform,
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const tenant = await seedLoadTenant(ctx.target, ctx.tenants, 'failover', `F${ctx.config.runId.slice(0, 6).toUpperCase()}`);
    return { checks: [killCheck(ctx, tenant)] };
  },
};

function killCheck(sctx: SuiteContext, tenant: LoadTenant): Check {
  return {
    id: 'failover/kill-replica-under-load',
    title: 'S1-6.1-g S1-5.3.7-a S1-5.3.7-b: kill -9 one replica under constant load: replaced, client availability ≥ 99.9 %, downtime reported',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const platform = ctx.platform!;
      const cfg = ctx.config.resilience.failover;
      const n = await targetReplicas(platform, ctx.config);
      const since = new Date().toISOString();
      ctx.record('platform', { kind: platform.kind, release: await platform.release(), replicas: n });
      ctx.record('settings', cfg);
      const mid = Math.max(cfg.baselineMs, cfg.windowMs / 2);
      // Converge first, so the baseline and the kill both see N replicas.
      await nReady(platform, n, cfg.replacementBoundMs).measure();
      const load = LoadGenerator.start({
        baseUrl: ctx.target.baseUrl,
        apiKey: tenant.key,
        rate: cfg.rate,
        mix: materialsMix(tenant, ctx.config.resilience.load.writeShare, 'fo'),
        timeoutMs: ctx.config.resilience.load.timeoutMs,
        maxInFlight: ctx.config.resilience.load.maxInFlight,
        maxRequests: Math.ceil((cfg.rate * (cfg.windowMs + cfg.replacementBoundMs)) / 1000) + 100,
        maxDurationMs: cfg.windowMs + cfg.replacementBoundMs,
        pick: () => ctx.rng.next(),
      });
      let killed: Replica | undefined;
      let killAtMs = 0;
      let replaced: { value?: Replica[]; ms: number } = { ms: 0 };
      let whole: LoadSummary | undefined;
      try {
        await runExperiment(ctx, {
          title: `kill -9 one of ${n} replicas at ${mid} ms of a ${cfg.windowMs} ms window at ${cfg.rate} req/s`,
          steadyState: [
            nReady(platform, n, cfg.replacementBoundMs),
            {
              name: `baseline availability ≥ ${cfg.minAvailability}`,
              measure: async () => {
                await sleep(cfg.baselineMs - load.now());
                return headline(load.summary(0, load.now()));
              },
              tolerance: (s: ReturnType<typeof headline>) => (s.sent > 0 && s.availability >= cfg.minAvailability ? undefined : `${s.failed} of ${s.sent} failed before any fault`),
            },
          ],
          method: [
            {
              name: 'kill one replica in rotation without grace at the middle of the window',
              run: async () => {
                await sleep(mid - load.now());
                const serving = await readyInRotation(platform);
                killed = serving[ctx.rng.int(serving.length)];
                killAtMs = load.now();
                await platform.kill(killed.id);
                return { replica: killed.id, pid: killed.pid, release: killed.release, atMs: Math.round(killAtMs) };
              },
            },
            {
              name: `wait until ${n} replicas are ready again (bound ${cfg.replacementBoundMs} ms)`,
              run: async () => {
                replaced = await waitUntil(async () => {
                  const r = await readyInRotation(platform);
                  return r.length >= n && !r.some((x) => x.id === killed!.id) && r;
                }, cfg.replacementBoundMs);
                return { replacementMs: replaced.ms, replicas: replaced.value?.map((r) => r.id) };
              },
            },
            {
              name: 'keep the load until the end of the window',
              run: async () => {
                await sleep(cfg.windowMs - load.now());
                whole = await load.stop();
                return headline(whole);
              },
            },
          ],
          after: [
            {
              name: `the killed replica was replaced within ${cfg.replacementBoundMs} ms`,
              measure: async () => ({ replacementMs: replaced.ms, ready: (await readyInRotation(platform)).map((r) => r.id) }),
              tolerance: () => (replaced.value ? undefined : `not back to ${n} ready replicas within ${cfg.replacementBoundMs} ms of the kill`),
            },
            {
              name: `client-measured availability over the window ≥ ${cfg.minAvailability}`,
              measure: async () => headline(whole!),
              tolerance: (s: ReturnType<typeof headline>) =>
                s.availability >= cfg.minAvailability ? undefined : `${s.failed} of ${s.sent} requests failed: availability ${s.availability.toFixed(5)} < ${cfg.minAvailability} (downtime ${s.downtimeMs} ms)`,
            },
          ],
          rollbacks: [
            { name: 'stop the load', run: async () => headline(await load.stop()) },
            { name: `scale back to ${n}`, run: async () => platform.scale(n, cfg.replacementBoundMs) },
          ],
        });
      } finally {
        const s = whole ?? (await load.stop());
        ctx.record('killed', killed ? { replica: killed.id, pid: killed.pid, atMs: Math.round(killAtMs) } : null);
        ctx.record('replacementMs', replaced.value ? replaced.ms : null);
        ctx.record('availability', s.availability);
        // S1-5.3.7-b's time-based form: uptime / (uptime + downtime) over the window the clients saw.
        ctx.record('timeAvailability', s.durationMs > 0 ? 1 - s.downtimeMs / s.durationMs : 1);
        ctx.record('downtimeMs', s.downtimeMs);
        ctx.record('load', { ...s, targetRate: cfg.rate, droppedAtClient: load.droppedAtClient, startedAt: load.wallStart });
        ctx.record('platformEvents', platformEvents(platform, since) ?? null);
        await sctx.writeEvidence('resilience/failover-requests.jsonl', toJsonl(load.records));
      }
    },
  };
}
