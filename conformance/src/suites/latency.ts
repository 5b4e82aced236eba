/**
 * Noisy neighbour (S1-5.3.2-b, S1-6.1-b): tenant B's p95 latency alone and while tenant A sends
 * requests at `overdrive` times its plan's rate. Windows alternate (baseline, load, baseline, load…)
 * so drift on a shared machine lands on both sides; every sample is recorded. Load goes to loopback
 * targets only and stops at maxLoadRequests or maxDurationMs, whichever comes first.
 */
import type { Check, CheckContext } from '../types.js';

const PROBE = '/v1/materials';

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function noisyNeighbourCheck(): Check {
  return {
    id: 'isolation/noisy-neighbour-latency',
    title: "a tenant at its rate limit does not move another tenant's p95 latency beyond the threshold",
    clauses: ['S1-5.3.2-b', 'S1-6.1-b'],
    async run(ctx: CheckContext) {
      const cfg = ctx.config.latency;
      if (!ctx.target.loopback) ctx.skip(`load is only sent to loopback targets; ${ctx.target.baseUrl} is not one`);
      const noisy = await ctx.tenants.create('noisy', cfg.noisyPlan);
      const plans = (await ctx.target.request('GET', '/v1/plans', { key: noisy.adminKey })).json?.items ?? [];
      const plan = plans.find((x: { code: string }) => x.code === cfg.noisyPlan);
      if (!plan?.requestsPerSecond) ctx.skip(`the target's plan ${cfg.noisyPlan} has no rate limit`);
      const quiet = await ctx.tenants.create('quiet', 'unlimited');
      const rate = plan.requestsPerSecond * cfg.overdrive;
      const maxInFlight = (plan.maxConcurrent ?? 4) * 2;
      const probe = () => ctx.target.request('GET', PROBE, { key: quiet.adminKey, query: { limit: 20 } });
      /** samplesPerWindow probes, one at a time, started evenly over windowMs. */
      const window = async (into: number[]) => {
        const t0 = performance.now();
        for (let i = 0; i < cfg.samplesPerWindow; i++) {
          const due = t0 + (i * cfg.windowMs) / cfg.samplesPerWindow - performance.now();
          if (due > 0) await new Promise((res) => setTimeout(res, due));
          into.push((await probe()).ms);
        }
      };
      const counts = { sent: 0, ok: 0, limited: 0, other: 0, droppedAtClient: 0, drainSent: 0, drainLimited: 0 };
      const started = performance.now();
      const budgetLeft = () => counts.sent + counts.drainSent < cfg.maxLoadRequests && performance.now() - started < cfg.maxDurationMs;

      // Warm both paths (connections, caches, the plan lookups) before measuring anything.
      for (let i = 0; i < 10; i++) {
        await probe();
        await ctx.target.request('GET', PROBE, { key: noisy.adminKey, query: { limit: 20 } });
      }
      await new Promise((r) => setTimeout(r, 1200)); // let the noisy tenant's bucket refill

      const baseline: number[] = [];
      const loaded: number[] = [];
      let loadMs = 0;
      for (let r = 0; r < cfg.rounds && budgetLeft(); r++) {
        await window(baseline);
        // Drain the noisy tenant's burst first, so the open-loop load runs at its limit (429s).
        for (let drained = 0; drained < (plan.burst ?? 0) * 2 && budgetLeft(); ) {
          const batch = await Promise.all(Array.from({ length: plan.maxConcurrent ?? 4 }, () => ctx.target.request('GET', PROBE, { key: noisy.adminKey, query: { limit: 20 } })));
          drained += batch.length;
          counts.drainSent += batch.length;
          counts.drainLimited += batch.filter((x) => x.status === 429).length;
          if (batch.some((x) => x.json?.code === 'RATE_LIMITED')) break;
        }
        await new Promise((res) => setTimeout(res, 100));
        // Open-loop load: one request every 1000/rate ms, at most maxInFlight outstanding.
        let inFlight = 0;
        let stop = false;
        const t0 = performance.now();
        const pending = new Set<Promise<void>>();
        const timer = setInterval(() => {
          if (stop || !budgetLeft()) return;
          if (inFlight >= maxInFlight) {
            counts.droppedAtClient++;
            return;
          }
          inFlight++;
          counts.sent++;
          const pr: Promise<void> = ctx.target
            .request('GET', PROBE, { key: noisy.adminKey, query: { limit: 20 } })
            .then((res) => {
              if (res.status === 429) counts.limited++;
              else if (res.status < 300) counts.ok++;
              else counts.other++;
            })
            .catch(() => {
              counts.other++;
            })
            .finally(() => {
              inFlight--;
              pending.delete(pr);
            });
          pending.add(pr);
        }, Math.max(1, Math.floor(1000 / rate)));
        await window(loaded);
        stop = true;
        clearInterval(timer);
        await Promise.all(pending);
        loadMs += performance.now() - t0;
        await new Promise((res) => setTimeout(res, 200));
      }
      const p95Base = percentile(baseline, 95);
      const p95Load = percentile(loaded, 95);
      const ratio = p95Load / p95Base;
      ctx.record('plan', { code: plan.code, requestsPerSecond: plan.requestsPerSecond, burst: plan.burst, maxConcurrent: plan.maxConcurrent });
      ctx.record('noisy', { ...counts, targetRate: rate, achievedRate: round(counts.sent / (loadMs / 1000)), loadMs: Math.round(loadMs) });
      ctx.record('quiet', {
        probe: `GET ${PROBE}?limit=20`,
        baseline: { n: baseline.length, p50: round(percentile(baseline, 50)), p95: round(p95Base), p99: round(percentile(baseline, 99)) },
        load: { n: loaded.length, p50: round(percentile(loaded, 50)), p95: round(p95Load), p99: round(percentile(loaded, 99)) },
        samplesMs: { baseline: baseline.map(round), load: loaded.map(round) },
      });
      ctx.record('p95Ratio', round(ratio));
      ctx.record('maxP95Ratio', cfg.maxP95Ratio);
      ctx.assert(baseline.length >= 10 && loaded.length >= 10, `too few samples (baseline ${baseline.length}, load ${loaded.length}) within the load bounds`);
      if (counts.limited === 0) ctx.inconclusive(`tenant ${noisy.slug} sent ${counts.sent} requests and was never rate limited while B was measured: it did not reach its limit`);
      ctx.assert(ratio <= cfg.maxP95Ratio, `tenant B's p95 went from ${p95Base.toFixed(2)} ms to ${p95Load.toFixed(2)} ms (×${ratio.toFixed(2)}) while tenant A was at its limit; the threshold is ×${cfg.maxP95Ratio}`);
    },
  };
}
