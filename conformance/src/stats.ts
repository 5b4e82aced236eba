/**
 * The statistics behind a latency verdict: percentiles, a Mann-Whitney test, and a two-level
 * bootstrap confidence interval for a ratio of percentiles measured in interleaved phases.
 *
 * Why two levels: samples within one phase are not independent of each other (a burst of machine
 * load slows a whole phase), so resampling single samples would claim far more confidence than the
 * data holds. Resampling whole rounds (a quiet and a noisy phase measured back to back) and then
 * samples within each carries the machine's drift between rounds into the interval.
 */
import type { Rng } from './rng.js';

export function percentile(values: ArrayLike<number>, p: number): number {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** The standard normal distribution function (Abramowitz and Stegun 26.2.17, error below 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI) * poly;
  return z >= 0 ? 1 - tail : tail;
}

export interface MannWhitney {
  u: number;
  z: number;
  /** P(a sample of `b` this much larger than `a` by chance): one-sided, `b` slower than `a`. */
  pGreater: number;
  /** P(a random b > a random a) + half the ties: 0.5 when they do not differ. */
  probabilityOfSuperiority: number;
}

/** Mann-Whitney U of `b` against `a` (normal approximation with tie and continuity correction). */
export function mannWhitney(a: number[], b: number[]): MannWhitney {
  const all = [...a.map((v) => ({ v, b: false })), ...b.map((v) => ({ v, b: true }))].sort((x, y) => x.v - y.v);
  const n = all.length;
  let rankSumB = 0;
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1].v === all[i].v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k].b) rankSumB += rank;
    const t = j - i + 1;
    ties += t ** 3 - t;
    i = j + 1;
  }
  const [na, nb] = [a.length, b.length];
  const u = rankSumB - (nb * (nb + 1)) / 2;
  const mean = (na * nb) / 2;
  const sd = Math.sqrt(((na * nb) / 12) * (n + 1 - ties / (n * (n - 1))));
  const z = sd > 0 ? (u - mean - 0.5) / sd : 0;
  return { u, z, pGreater: 1 - normalCdf(z), probabilityOfSuperiority: u / (na * nb) };
}

/** One round of an interleaved measurement: the samples of its quiet phase and of its noisy phase. */
export interface Round {
  quiet: number[];
  noisy: number[];
}

export interface RatioEstimate {
  quiet: number;
  noisy: number;
  /** noisy / quiet */
  ratio: number;
  /** The confidence interval of the ratio: [lower, upper]. */
  ci: [number, number];
}

/**
 * The ratio p(noisy)/p(quiet) of the `p`-th percentiles over all rounds, with a two-level bootstrap
 * interval at `confidence` (two-sided): resample rounds with replacement, then the samples of each
 * chosen phase with replacement, `resamples` times.
 */
export function bootstrapRatio(rounds: Round[], p: number, confidence: number, resamples: number, rng: Rng): RatioEstimate {
  const pool = (side: 'quiet' | 'noisy') => rounds.flatMap((r) => r[side]);
  const quiet = percentile(pool('quiet'), p);
  const noisy = percentile(pool('noisy'), p);
  const ratios = new Float64Array(resamples);
  const draw = (values: number[], into: number[]) => {
    for (let i = 0; i < values.length; i++) into.push(values[rng.int(values.length)]);
  };
  for (let b = 0; b < resamples; b++) {
    const q: number[] = [];
    const n: number[] = [];
    for (let i = 0; i < rounds.length; i++) {
      const round = rounds[rng.int(rounds.length)];
      draw(round.quiet, q);
      draw(round.noisy, n);
    }
    ratios[b] = percentile(n, p) / percentile(q, p);
  }
  ratios.sort();
  const tail = (1 - confidence) / 2;
  const at = (f: number) => ratios[Math.min(resamples - 1, Math.max(0, Math.round(f * (resamples - 1))))];
  return { quiet, noisy, ratio: noisy / quiet, ci: [at(tail), at(1 - tail)] };
}
