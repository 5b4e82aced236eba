/**
 * The noisy-neighbour verdict on synthetic measurements whose truth is known: no effect, a real
 * effect, and a machine whose own load swings between phases (the case that flipped the old
 * single-number verdict). Seeded, so every run computes the same numbers.
 */
import { describe, expect, it } from 'vitest';
import { assessNoisyNeighbour, bootstrapRatio, mannWhitney, normalCdf, percentile, Rng, type Round } from '../src/index.js';

const CFG = { maxP95Ratio: 1.2, confidence: 0.95, resamples: 1000, alpha: 0.01 };

/** Latencies around `ms` (log-normal, sigma 0.25), as a quiet loopback server answers. */
function phase(rng: Rng, n: number, ms: number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    return ms * Math.exp(0.25 * z);
  });
}

/** `rounds` rounds of `n` samples; `level(round, side)` scales a phase (the machine's load, or the neighbour). */
function measure(seed: number, rounds: number, n: number, level: (round: number, side: 'quiet' | 'noisy') => number): Round[] {
  const rng = new Rng(seed);
  return Array.from({ length: rounds }, (_, r) => ({ quiet: phase(rng, n, 6 * level(r, 'quiet')), noisy: phase(rng, n, 6 * level(r, 'noisy')) }));
}

describe('statistics', () => {
  it('percentile is the nearest rank; Mann-Whitney U, z and p match a hand computation', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
    // b = [4, 5, 6] against a = [1, 2, 3]: U = 9 of 9, z = (9 − 4.5 − 0.5) / √(9/12 · 7) = 1.7457.
    const mw = mannWhitney([1, 2, 3], [4, 5, 6]);
    expect(mw.u).toBe(9);
    expect(mw.probabilityOfSuperiority).toBe(1);
    expect(mw.z).toBeCloseTo(4 / Math.sqrt(5.25), 6);
    expect(mw.pGreater).toBeCloseTo(1 - normalCdf(1.7457), 4);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    // Ties count half: identical samples do not differ.
    expect(mannWhitney([2, 2, 2], [2, 2, 2]).probabilityOfSuperiority).toBe(0.5);
  });

  it('the bootstrap interval holds the point estimate and narrows with more rounds', () => {
    const few = bootstrapRatio(measure(1, 4, 25, () => 1), 95, 0.95, 1000, new Rng(9));
    const many = bootstrapRatio(measure(1, 16, 25, () => 1), 95, 0.95, 1000, new Rng(9));
    for (const e of [few, many]) {
      expect(e.ci[0]).toBeLessThanOrEqual(e.ratio);
      expect(e.ci[1]).toBeGreaterThanOrEqual(e.ratio);
    }
    expect(many.ci[1] - many.ci[0]).toBeLessThan(few.ci[1] - few.ci[0]);
  });
});

describe('S1-5.3.2-b: the noisy-neighbour verdict', () => {
  it('no effect on a steady machine: passed, the interval\'s upper end within ×1.2', () => {
    const a = assessNoisyNeighbour(measure(2, 10, 50, () => 1), CFG, new Rng(1));
    expect(a.verdict).toBe('passed');
    expect(a.p95.ci[1]).toBeLessThanOrEqual(1.2);
    expect(a.reason).toMatch(/within the threshold ×1\.2/);
  });

  it('the neighbour doubles B\'s latency: failed, the interval\'s lower end beyond ×1.2 and Mann-Whitney significant', () => {
    const a = assessNoisyNeighbour(measure(3, 10, 50, (_, side) => (side === 'noisy' ? 2 : 1)), CFG, new Rng(1));
    expect(a.verdict).toBe('failed');
    expect(a.p95.ci[0]).toBeGreaterThan(1.2);
    expect(a.mannWhitney.pGreater).toBeLessThan(0.01);
    expect(a.reason).toMatch(/p95 went from [\d.]+ ms to [\d.]+ ms \(×[\d.]+, 95% interval ×[\d.]+–×[\d.]+\) .* beyond the threshold ×1\.2/);
  });

  it('a machine whose load swings between phases, with no neighbour effect: inconclusive with the reason, never failed', () => {
    // Ordinary load on a shared machine: some phases of either kind run ×2–×3 slower.
    const swings = [1, 2.6, 1, 1, 2.2, 1, 3, 1, 1, 2.4];
    const rounds = measure(4, 10, 50, (r, side) => swings[(r * 3 + (side === 'noisy' ? 1 : 0)) % swings.length]);
    const a = assessNoisyNeighbour(rounds, CFG, new Rng(1));
    expect(a.verdict).toBe('inconclusive');
    expect(a.reason).toMatch(/too large to tell \(its quiet phases differ by ×[\d.]+ between themselves\)/);
    expect(a.p95.ci[0]).toBeLessThanOrEqual(1.2);
    expect(a.p95.ci[1]).toBeGreaterThan(1.2);
  });

  it('one noisy phase hit by a burst of machine load: the point ratio is beyond ×1.2 (the old verdict failed), the new one does not fail', () => {
    const rounds = measure(5, 10, 50, () => 1);
    // Round 3's noisy phase: a third of its samples ×4 (another process took the CPU for a second).
    rounds[3].noisy = rounds[3].noisy.map((v, i) => (i % 3 === 0 ? v * 4 : v));
    const a = assessNoisyNeighbour(rounds, CFG, new Rng(1));
    expect(a.p95.ratio).toBeGreaterThan(1.2);
    expect(a.verdict).not.toBe('failed');
    expect(a.mannWhitney.pGreater).toBeGreaterThan(0.01);
  });

  it('the same samples and seed give the same interval', () => {
    const rounds = measure(6, 6, 30, () => 1);
    expect(assessNoisyNeighbour(rounds, CFG, new Rng(7)).p95.ci).toEqual(assessNoisyNeighbour(rounds, CFG, new Rng(7)).p95.ci);
  });
});
