import { describe, expect, it } from 'vitest';
import { hpaDecide, rawDesiredReplicas, type HpaConfig, type Recommendation } from './hpa.js';

const config: HpaConfig = { minReplicas: 1, maxReplicas: 10, target: 10, tolerance: 0.1, scaleDownStabilizationMs: 60_000 };

describe('S1-6.1-c: HPA algorithm (desired = ceil(current × metric / target))', () => {
  it.each([
    // current, metric, target, desired
    [2, 20, 10, 4],
    [2, 15, 10, 3],
    [3, 10.5, 10, 3], // within 10 % tolerance
    [3, 11.1, 10, 4], // just outside tolerance: ceil(3.33)
    [4, 5, 10, 2],
    [4, 9.1, 10, 4], // within tolerance on the way down
    [4, 8.9, 10, 4], // ceil(3.56) = 4
    [4, 0, 10, 0],
    [1, 100, 10, 10],
    [3, 20, 10, 6], // no float drift: exactly 6, not 7
  ])('current %i, metric %d, target %d → %i', (current, metric, target, desired) => {
    expect(rawDesiredReplicas(current, metric, target, 0.1)).toBe(desired);
  });

  it('tolerance 0 reacts to any deviation', () => {
    expect(rawDesiredReplicas(2, 10.1, 10, 0)).toBe(3);
    expect(rawDesiredReplicas(2, 10, 10, 0)).toBe(2);
  });

  it('refuses a target of 0', () => {
    expect(() => rawDesiredReplicas(2, 1, 0, 0.1)).toThrow(RangeError);
  });

  it('clamps to maxReplicas and minReplicas', () => {
    expect(hpaDecide({ current: 2, metric: 100, now: 0, config, recommendations: [] })).toMatchObject({ desired: 10, recommended: 20 });
    const down = hpaDecide({ current: 2, metric: 0, now: 0, config: { ...config, minReplicas: 2, scaleDownStabilizationMs: 0 }, recommendations: [] });
    expect(down.desired).toBe(2);
    expect(down.reason).toMatch(/minReplicas/);
  });

  it('raises a count below minReplicas even within tolerance', () => {
    expect(hpaDecide({ current: 1, metric: 10, now: 0, config: { ...config, minReplicas: 2 }, recommendations: [] }).desired).toBe(2);
  });

  it('scales up at once, whatever the window holds', () => {
    const history: Recommendation[] = [{ at: 0, replicas: 1 }, { at: 1000, replicas: 1 }];
    expect(hpaDecide({ current: 2, metric: 30, now: 2000, config, recommendations: history }).desired).toBe(6);
  });

  it('scale-down stabilisation: the highest recommendation in the window wins', () => {
    let recs: Recommendation[] = [];
    // Load high at t=0: recommendation 6.
    let d = hpaDecide({ current: 2, metric: 30, now: 0, config, recommendations: recs });
    expect(d.desired).toBe(6);
    recs = d.recommendations;
    // Load gone at t=10 s: recommendation 0 → min 1, but the window still holds 6: stay at 6.
    d = hpaDecide({ current: 6, metric: 0, now: 10_000, config, recommendations: recs });
    expect(d.recommended).toBe(0);
    expect(d.desired).toBe(6);
    expect(d.reason).toMatch(/stabilisation/);
    recs = d.recommendations;
    // t=30 s: a middle recommendation of 3 in the window.
    d = hpaDecide({ current: 6, metric: 5, now: 30_000, config, recommendations: recs });
    expect(d.desired).toBe(6);
    recs = d.recommendations;
    // t=61 s: the 6 has left the window; the highest left is 3.
    d = hpaDecide({ current: 6, metric: 0, now: 61_000, config, recommendations: recs });
    expect(d.desired).toBe(3);
    recs = d.recommendations;
    // t=91 s: only zeros remain → minReplicas.
    d = hpaDecide({ current: 3, metric: 0, now: 91_000, config, recommendations: recs });
    expect(d.desired).toBe(1);
  });

  it('a recommendation older than the window is dropped from the history', () => {
    const d = hpaDecide({ current: 4, metric: 10, now: 100_000, config, recommendations: [{ at: 1, replicas: 9 }, { at: 50_000, replicas: 4 }] });
    expect(d.recommendations.map((r) => r.at)).toEqual([50_000, 100_000]);
  });

  it('a zero window scales down at once', () => {
    const d = hpaDecide({ current: 6, metric: 5, now: 1, config: { ...config, scaleDownStabilizationMs: 0 }, recommendations: [{ at: 0, replicas: 6 }] });
    expect(d.desired).toBe(3);
  });

  it('stabilisation never raises above the current count when scaling down', () => {
    const d = hpaDecide({ current: 3, metric: 5, now: 5, config, recommendations: [{ at: 0, replicas: 8 }] });
    expect(d.desired).toBe(3);
  });
});
