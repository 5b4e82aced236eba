/**
 * The Kubernetes HorizontalPodAutoscaler algorithm, without I/O, so the local autoscaler and the
 * tests share one definition (kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale,
 * "Algorithm details"):
 *
 *   desired = ceil(current × metric / target), unchanged while |metric / target − 1| ≤ tolerance;
 *   scale-down stabilisation: the highest recommendation within the window wins (scale-up is
 *   immediate, the Kubernetes default); the result is clamped to [minReplicas, maxReplicas].
 */
import type { AutoscalerConfig } from './types.js';

export type HpaConfig = Pick<AutoscalerConfig, 'minReplicas' | 'maxReplicas' | 'target' | 'tolerance' | 'scaleDownStabilizationMs'>;

/** One raw recommendation, kept for the stabilisation window. */
export interface Recommendation {
  at: number;
  replicas: number;
}

export interface HpaDecision {
  /** What to scale to now. */
  desired: number;
  /** ceil(current × metric / target) before stabilisation and clamping (current within tolerance). */
  recommended: number;
  /** The window's recommendations including this one: pass them to the next call. */
  recommendations: Recommendation[];
  reason: string;
}

/** The raw HPA formula with its tolerance band. */
export function rawDesiredReplicas(current: number, metric: number, target: number, tolerance: number): number {
  if (!(target > 0)) throw new RangeError(`target must be > 0, got ${target}`);
  if (current <= 0) return 0;
  const ratio = metric / target;
  if (Math.abs(ratio - 1) <= tolerance) return current;
  // The epsilon keeps 3 × 2.0 / 2.0 from becoming 3.0000000000000004 → 4.
  return Math.max(0, Math.ceil(current * ratio - 1e-9));
}

/** One sync of the HPA: the raw recommendation, stabilised for scale-down, clamped to [min, max]. */
export function hpaDecide(input: { current: number; metric: number; now: number; config: HpaConfig; recommendations: Recommendation[] }): HpaDecision {
  const { current, metric, now, config } = input;
  const recommended = rawDesiredReplicas(current, metric, config.target, config.tolerance);
  const windowStart = now - config.scaleDownStabilizationMs;
  const recommendations = [...input.recommendations.filter((r) => r.at > windowStart), { at: now, replicas: recommended }];
  // Scale-down stabilisation: never go below the highest recommendation in the window. Above the
  // current count there is no stabilisation (scale-up acts on the newest recommendation alone).
  const highest = Math.max(...recommendations.map((r) => r.replicas));
  let stabilised = recommended >= current ? recommended : Math.min(current, highest);
  let reason: string;
  if (recommended === current) reason = `within tolerance (metric ${round(metric)} vs target ${config.target})`;
  else if (stabilised !== recommended) reason = `recommended ${recommended}, held at ${stabilised} by the ${config.scaleDownStabilizationMs} ms scale-down stabilisation window`;
  else reason = `metric ${round(metric)} vs target ${config.target}: ceil(${current} × ${round(metric / config.target)}) = ${recommended}`;
  if (stabilised < config.minReplicas) {
    stabilised = config.minReplicas;
    reason += `; raised to minReplicas ${config.minReplicas}`;
  } else if (stabilised > config.maxReplicas) {
    stabilised = config.maxReplicas;
    reason += `; capped at maxReplicas ${config.maxReplicas}`;
  }
  return { desired: stabilised, recommended, recommendations, reason };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
