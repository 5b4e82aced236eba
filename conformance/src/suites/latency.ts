/**
 * Noisy neighbour (S1-5.3.2-b, S1-6.1-b): does tenant A, at its plan's rate limit, move tenant B's
 * p95 latency beyond the threshold? Measured so that ordinary machine load cannot flip the verdict:
 *
 * - rounds of two phases, quiet (B alone) and noisy (A sends `overdrive` × its plan's rate while B
 *   is probed), in counterbalanced order (quiet-noisy, noisy-quiet, …) so that drift of a shared
 *   machine lands on both sides;
 * - the p95 ratio noisy/quiet with a two-level bootstrap confidence interval (rounds, then samples;
 *   see stats.ts) and a Mann-Whitney test that the noisy samples are slower;
 * - passed when the interval's upper end is within the threshold; failed only when its lower end
 *   is beyond it and the noisy samples are significantly slower; otherwise inconclusive (unknown),
 *   with the reason and the machine's own variation (quiet phases against each other) recorded.
 *
 * Every raw sample is recorded per phase. Load goes to loopback targets only and stops at
 * maxLoadRequests or maxDurationMs, whichever comes first.
 */
import { bootstrapRatio, mannWhitney, percentile, type MannWhitney, type RatioEstimate, type Round } from '../stats.js';
import type { Rng } from '../rng.js';
import type { Check, CheckContext, LatencyConfig } from '../types.js';

const PROBE = '/v1/materials';

const round = (n: number) => Math.round(n * 1000) / 1000;

export interface NoisyNeighbourAssessment {
  verdict: 'passed' | 'failed' | 'inconclusive';
  reason: string;
  maxP95Ratio: number;
  confidence: number;
  p95: RatioEstimate;
  median: RatioEstimate;
  /** Noisy against quiet samples, all rounds pooled. */
  mannWhitney: MannWhitney;
  /** The machine's own variation: p95 of the quiet phases of even rounds against odd rounds (≥ 1). */
  quietVsQuietP95: number;
}

/** The verdict with its confidence, from the rounds' samples; pure, so it is tested on synthetic data. */
export function assessNoisyNeighbour(rounds: Round[], cfg: Pick<LatencyConfig, 'maxP95Ratio' | 'confidence' | 'resamples' | 'alpha'>, rng: Rng): NoisyNeighbourAssessment {
  const p95 = bootstrapRatio(rounds, 95, cfg.confidence, cfg.resamples, rng.fork('p95'));
  const median = bootstrapRatio(rounds, 50, cfg.confidence, cfg.resamples, rng.fork('p50'));
  const mw = mannWhitney(rounds.flatMap((r) => r.quiet), rounds.flatMap((r) => r.noisy));
  const half = (parity: number) => percentile(rounds.filter((_, i) => i % 2 === parity).flatMap((r) => r.quiet), 95);
  const aa = rounds.length > 1 ? Math.max(half(0) / half(1), half(1) / half(0)) : NaN;
  const [lo, hi] = p95.ci;
  const f = (n: number) => n.toFixed(2);
  const pct = `${Math.round(cfg.confidence * 100)}%`;
  const moved = `tenant B's p95 went from ${f(p95.quiet)} ms to ${f(p95.noisy)} ms (×${f(p95.ratio)}, ${pct} interval ×${f(lo)}–×${f(hi)}) while tenant A was at its limit`;
  const base = { maxP95Ratio: cfg.maxP95Ratio, confidence: cfg.confidence, p95, median, mannWhitney: mw, quietVsQuietP95: aa };
  if (hi <= cfg.maxP95Ratio) return { ...base, verdict: 'passed', reason: `${moved}: within the threshold ×${cfg.maxP95Ratio}` };
  if (lo > cfg.maxP95Ratio && mw.pGreater < cfg.alpha) {
    return { ...base, verdict: 'failed', reason: `${moved}: beyond the threshold ×${cfg.maxP95Ratio}, and B's samples are slower with A at its limit (Mann-Whitney p = ${mw.pGreater.toPrecision(2)})` };
  }
  const why = lo > cfg.maxP95Ratio ? `B's samples are not significantly slower with A at its limit (Mann-Whitney p = ${mw.pGreater.toPrecision(2)} ≥ ${cfg.alpha})` : `the interval contains the threshold ×${cfg.maxP95Ratio}`;
  return { ...base, verdict: 'inconclusive', reason: `${moved}: ${why}. This machine's own variation is too large to tell (its quiet phases differ by ×${f(aa)} between themselves); rerun on a quieter machine or with more rounds` };
}

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

      /** The noisy phase: drain A's burst so its open-loop load runs at its limit (429s), then probe B under it. */
      let loadMs = 0;
      const noisyPhase = async (into: number[]) => {
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
        await window(into);
        stop = true;
        clearInterval(timer);
        await Promise.all(pending);
        loadMs += performance.now() - t0;
        await new Promise((res) => setTimeout(res, 200)); // A's last answers leave the target before B is probed alone
      };

      // Counterbalanced rounds: quiet-noisy, noisy-quiet, … so a trend of the machine lands on both sides.
      const rounds: Round[] = [];
      const phases: Array<{ round: number; phase: 'quiet' | 'noisy'; startedAtMs: number; samplesMs: number[] }> = [];
      for (let r = 0; r < cfg.rounds && budgetLeft(); r++) {
        const current: Round = { quiet: [], noisy: [] };
        for (const phase of r % 2 === 0 ? (['quiet', 'noisy'] as const) : (['noisy', 'quiet'] as const)) {
          const startedAtMs = Math.round(performance.now() - started);
          await (phase === 'quiet' ? window(current.quiet) : noisyPhase(current.noisy));
          phases.push({ round: r, phase, startedAtMs, samplesMs: current[phase].map(round) });
        }
        rounds.push(current);
      }
      const quietAll = rounds.flatMap((x) => x.quiet);
      const noisyAll = rounds.flatMap((x) => x.noisy);
      const summary = (v: number[]) => ({ n: v.length, p50: round(percentile(v, 50)), p95: round(percentile(v, 95)), p99: round(percentile(v, 99)) });
      ctx.record('plan', { code: plan.code, requestsPerSecond: plan.requestsPerSecond, burst: plan.burst, maxConcurrent: plan.maxConcurrent });
      ctx.record('noisy', { ...counts, targetRate: rate, achievedRate: round(counts.sent / (loadMs / 1000)), loadMs: Math.round(loadMs) });
      ctx.record('quiet', { probe: `GET ${PROBE}?limit=20`, alone: summary(quietAll), withNeighbour: summary(noisyAll) });
      ctx.record('phases', phases);
      ctx.assert(rounds.length >= 2 && quietAll.length >= 10 && noisyAll.length >= 10, `too few rounds or samples (${rounds.length} rounds, ${quietAll.length} alone, ${noisyAll.length} with the neighbour) within the load bounds`);
      const verdict = assessNoisyNeighbour(rounds, cfg, ctx.rng.fork('bootstrap'));
      ctx.record('assessment', { ...verdict, p95: roundEstimate(verdict.p95), median: roundEstimate(verdict.median), quietVsQuietP95: round(verdict.quietVsQuietP95) });
      if (counts.limited === 0) ctx.inconclusive(`tenant ${noisy.slug} sent ${counts.sent} requests and was never rate limited while B was measured: it did not reach its limit`);
      if (verdict.verdict === 'inconclusive') ctx.inconclusive(verdict.reason);
      ctx.assert(verdict.verdict === 'passed', verdict.reason);
    },
  };
}

function roundEstimate(e: RatioEstimate): RatioEstimate {
  return { quiet: round(e.quiet), noisy: round(e.noisy), ratio: round(e.ratio), ci: [round(e.ci[0]), round(e.ci[1])] };
}
