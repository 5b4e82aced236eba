/**
 * Settings of the resilience suites (failover, upgrade, scaling): two profiles, `short` (CI: the
 * platform profile's suites together well under five minutes) and `full` (minutes-long windows,
 * the documented certification command), either overridable key by key through `--config`'s
 * `resilience` object. The thresholds of the clauses themselves (99.9 %, one minute) are the same
 * in both: only the windows and rates differ.
 */
import type { AutoscalerConfig, ReleaseSpec, RolloutAnalysisConfig } from '@mes/platform';
import type { DiagnosisSettings } from './suites/resilience/diagnosis.js';

export interface LoadSettings {
  /** Per-request timeout of the load's clients. */
  timeoutMs: number;
  /** Share of writes (POST with Idempotency-Key) in the mix; the rest are reads. */
  writeShare: number;
  maxInFlight: number;
}

export interface FailoverSettings {
  /** Requests per second through the front. */
  rate: number;
  /** Load before the kill whose availability is the steady state. */
  baselineMs: number;
  /** The whole measured window; the kill happens at its middle. */
  windowMs: number;
  /** The platform must be back to N ready replicas this long after the kill. */
  replacementBoundMs: number;
  /** S1-5.3.7-b: uptime / (uptime + downtime), measured by the clients. */
  minAvailability: number;
}

export interface UpgradeSettings {
  rate: number;
  /** Load before the rollout whose availability is the steady state. */
  baselineMs: number;
  /** S1-6.1-d allows minute-level unavailability: the longest failure window may not exceed this. */
  maxFailureWindowMs: number;
  /** The analysis the platform runs on each new replica (passed to platform.upgrade). */
  analysis: Partial<RolloutAnalysisConfig>;
  /** After a rolled-back rollout, the platform must be back to N ready within this. */
  recoveryBoundMs: number;
}

export interface ScalingStep {
  /** Requests per second during the step. */
  rate: number;
  holdMs: number;
}

export interface ScalingSettings {
  /** The ramp up; the last step is held until the replicas scale out (or scaleOutBoundMs passes). */
  rampUp: ScalingStep[];
  /** The rate after the ramp, while waiting for the scale-in. */
  idleRate: number;
  /** From the start of the ramp until more replicas than at the start are ready. */
  scaleOutBoundMs: number;
  /** From the end of the ramp until the replicas are back at the autoscaler's minimum. */
  scaleInBoundMs: number;
  /** Service level during the ramp: p95 latency of the clients' requests. */
  p95SloMs: number;
  /** How often replicas and the autoscaler are sampled for the timeline. */
  sampleEveryMs: number;
}

/** How `mes conformance run --platform local` starts its platform for these suites. */
export interface LocalPlatformSettings {
  replicas: number;
  autoscaler: Partial<AutoscalerConfig> & Pick<AutoscalerConfig, 'minReplicas' | 'maxReplicas' | 'target'>;
  analysis: Partial<RolloutAnalysisConfig>;
  /** Every replica's extra environment (pool size, shutdown delay). */
  env: Record<string, string>;
}

export interface ResilienceConfig {
  profile: 'short' | 'full';
  /** N: the replicas the platform keeps. Default: the replicas ready and in rotation when the run starts. */
  replicas?: number;
  load: LoadSettings;
  failover: FailoverSettings;
  upgrade: UpgradeSettings;
  scaling: ScalingSettings;
  /** What the upgrade suite rolls out. On Kubernetes set `image` on each (registry/mes:0.2.0, and two faulty builds). */
  releases: { good: ReleaseSpec; faultyReadiness: ReleaseSpec; faulty5xx: ReleaseSpec };
  local: LocalPlatformSettings;
  /** Overrides of the diagnosis suite's own profile settings (DIAGNOSIS_PROFILES in its file). */
  diagnosis?: Partial<DiagnosisSettings>;
}

export type ResilienceProfile = ResilienceConfig['profile'];

/** Overrides: every settings object may be given in part. */
export type ResilienceOverrides = Partial<{ [K in keyof ResilienceConfig]: ResilienceConfig[K] extends object ? Partial<ResilienceConfig[K]> : ResilienceConfig[K] }>;

const RELEASES: ResilienceConfig['releases'] = {
  good: { name: 'B' },
  faultyReadiness: { name: 'C-unready', env: { MES_CHAOS_READINESS: 'fail' } },
  faulty5xx: { name: 'C-5xx', env: { MES_CHAOS_HTTP_500_RATE: '0.5' } },
};

const LOAD: LoadSettings = { timeoutMs: 10_000, writeShare: 0.2, maxInFlight: 256 };

/**
 * Rates stay below the autoscaler's target per replica during failover and upgrade (so N holds
 * still while they measure; the balancer's health checks add about 2 req/s per replica to the
 * metric), and the scaling ramp goes well above it. A reference replica is ready 1-3 s after it
 * starts; the short profile's bounds leave room for a busy 2-core CI machine. The clause
 * thresholds (99.9 %, one minute) are the same in both profiles.
 */
export const RESILIENCE_PROFILES: Record<ResilienceProfile, ResilienceConfig> = {
  short: {
    profile: 'short',
    load: LOAD,
    failover: { rate: 12, baselineMs: 3000, windowMs: 12_000, replacementBoundMs: 30_000, minAvailability: 0.999 },
    upgrade: {
      rate: 15,
      baselineMs: 1500,
      maxFailureWindowMs: 60_000,
      analysis: { readinessTimeoutMs: 10_000, windowMs: 3000, maxErrorRate: 0.05, minRequests: 8 },
      recoveryBoundMs: 30_000,
    },
    scaling: {
      rampUp: [
        { rate: 15, holdMs: 2000 },
        { rate: 40, holdMs: 4000 },
      ],
      idleRate: 2,
      scaleOutBoundMs: 30_000,
      scaleInBoundMs: 30_000,
      p95SloMs: 2000,
      sampleEveryMs: 500,
    },
    releases: RELEASES,
    local: {
      replicas: 2,
      autoscaler: { minReplicas: 2, maxReplicas: 3, metric: 'mes_http_request_duration_seconds_count', target: 15, tolerance: 0.1, scaleDownStabilizationMs: 5000, syncPeriodMs: 1000 },
      analysis: { readinessTimeoutMs: 10_000, windowMs: 3000, maxErrorRate: 0.05, minRequests: 8 },
      env: { MES_DB_POOL_SIZE: '5', MES_SHUTDOWN_DELAY_MS: '500', MES_LOG_LEVEL: 'warn' },
    },
  },
  full: {
    profile: 'full',
    load: LOAD,
    failover: { rate: 50, baselineMs: 30_000, windowMs: 300_000, replacementBoundMs: 60_000, minAvailability: 0.999 },
    upgrade: {
      rate: 50,
      baselineMs: 30_000,
      maxFailureWindowMs: 60_000,
      analysis: { readinessTimeoutMs: 60_000, windowMs: 30_000, maxErrorRate: 0.05, minRequests: 50 },
      recoveryBoundMs: 120_000,
    },
    scaling: {
      rampUp: [
        { rate: 25, holdMs: 30_000 },
        { rate: 75, holdMs: 30_000 },
        { rate: 150, holdMs: 60_000 },
      ],
      idleRate: 5,
      scaleOutBoundMs: 120_000,
      scaleInBoundMs: 420_000,
      p95SloMs: 500,
      sampleEveryMs: 2000,
    },
    releases: RELEASES,
    local: {
      replicas: 3,
      autoscaler: { minReplicas: 3, maxReplicas: 6, metric: 'mes_http_request_duration_seconds_count', target: 25, tolerance: 0.1, scaleDownStabilizationMs: 300_000, syncPeriodMs: 15_000 },
      analysis: { readinessTimeoutMs: 60_000, windowMs: 30_000, maxErrorRate: 0.05, minRequests: 50 },
      env: { MES_DB_POOL_SIZE: '10', MES_SHUTDOWN_DELAY_MS: '2000' },
    },
  },
};

/** The profile's settings with the overrides merged in, one level deep. */
export function resolveResilience(profile: ResilienceProfile = 'short', overrides: ResilienceOverrides = {}): ResilienceConfig {
  const base = RESILIENCE_PROFILES[profile];
  if (!base) throw new Error(`no resilience profile ${profile}; profiles: ${Object.keys(RESILIENCE_PROFILES).join(', ')}`);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    const b = (base as unknown as Record<string, unknown>)[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' ? { ...(b as object), ...v } : v;
  }
  out.profile = profile;
  return out as unknown as ResilienceConfig;
}
