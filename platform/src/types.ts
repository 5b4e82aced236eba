/**
 * The platform a running MES is deployed on, as the resilience suites (S1-6.1-c/d/f/g) and the
 * operators' commands see it: replicas behind one front URL, that can be killed, scaled, upgraded
 * and rolled back, with an autoscaler whose state can be read. Two drivers implement it: `local`
 * (server processes behind a balancer on this machine) and `kubernetes` (a Deployment, its pods,
 * its HPA). The suites only ever use this interface, so a verdict means the same on both.
 */

/** A release: what a replica runs. On Kubernetes the image; locally a server entry and its environment. */
export interface ReleaseSpec {
  /** Shown in replica lists, rollout results and evidence: "A", "0.2.0", "faulty-readiness". */
  name: string;
  /** Kubernetes: the container image (registry/mes:0.2.0). */
  image?: string;
  /** Local: the script node runs (default: @mes/server's dist/main.js). */
  entry?: string;
  /** Extra environment: locally for the replica process; on Kubernetes merged into the container's env. */
  env?: Record<string, string>;
}

export type ReplicaPhase = 'starting' | 'ready' | 'unready' | 'draining' | 'exited';

export interface Replica {
  /** Stable for the replica's life: "r3" locally, the pod name on Kubernetes. */
  id: string;
  release: string;
  phase: ReplicaPhase;
  /** Whether the front currently routes to it (health checks passed, not draining). */
  inRotation: boolean;
  startedAt: string;
  /** Local only. */
  pid?: number;
  /** Where the replica itself listens (local: http://127.0.0.1:port). */
  url?: string;
}

/** How a rollout judges the new release (Argo Rollouts' analysis, in small). */
export interface RolloutAnalysisConfig {
  /** A new replica that is not ready within this long fails the rollout. */
  readinessTimeoutMs: number;
  /** After each new replica joins the rotation, its responses are watched this long. */
  windowMs: number;
  /** 5xx share of the new replicas' responses above which the rollout is aborted (0.05 = 5 %). */
  maxErrorRate: number;
  /** Fewer responses than this in the window: the error rate is not judged (not enough data). */
  minRequests: number;
}

export interface AnalysisSample {
  at: string;
  replica: string;
  requests: number;
  errors: number;
  errorRate: number;
  verdict: 'pass' | 'fail' | 'inconclusive';
}

export interface RolloutResult {
  outcome: 'completed' | 'rolled_back';
  from: string;
  to: string;
  startedAt: string;
  durationMs: number;
  /** Why the rollout was aborted: "readiness: r5 not ready within 20000 ms", "error rate 0.31 > 0.05". */
  reason?: string;
  analysis: AnalysisSample[];
  /** The fewest ready replicas in rotation at any moment of the rollout (never below the target). */
  minReadyDuringRollout: number;
}

export interface AutoscalerConfig {
  minReplicas: number;
  maxReplicas: number;
  /** The metric averaged over ready replicas, e.g. mes_http_requests_in_flight. */
  metric: string;
  /** Target average value per replica. */
  target: number;
  /** HPA's tolerance: no change while |ratio − 1| ≤ tolerance (Kubernetes default 0.1). */
  tolerance: number;
  /** Scale-down stabilisation: the highest recommendation over this window wins (Kubernetes default 300 s). */
  scaleDownStabilizationMs: number;
  /** How often the metric is read (Kubernetes default 15 s). */
  syncPeriodMs: number;
}

export interface ScalingEvent {
  at: string;
  from: number;
  to: number;
  metricValue: number;
  reason: string;
}

export interface AutoscalerState {
  config: AutoscalerConfig;
  currentReplicas: number;
  desiredReplicas: number;
  /** The last averaged metric value, null before the first reading. */
  currentMetric: number | null;
  lastScaleAt?: string;
  events: ScalingEvent[];
}

export interface Platform {
  readonly kind: 'local' | 'kubernetes';
  /** The URL clients use: the local balancer, or the Service/Ingress in front of the Deployment. */
  readonly url: string;
  /** The release the replicas run now (after a completed rollout, the new one). */
  release(): Promise<string>;
  replicas(): Promise<Replica[]>;
  /** Kill without grace (SIGKILL; a pod deleted with grace period 0). The platform replaces it. */
  kill(replicaId: string): Promise<void>;
  /** Set the desired replica count and wait until that many are ready, or throw after timeoutMs. */
  scale(replicas: number, timeoutMs?: number): Promise<void>;
  /** Wait until `count` replicas of the current release are ready and in rotation. */
  waitReady(count: number, timeoutMs: number): Promise<void>;
  /** Rolling upgrade (surge one, never below the target ready); rolls back by itself when analysis fails. */
  upgrade(release: ReleaseSpec, analysis?: Partial<RolloutAnalysisConfig>): Promise<RolloutResult>;
  /** Return to the previous release (kubectl rollout undo). */
  rollback(): Promise<RolloutResult>;
  /** The autoscaler's state, or undefined when none is configured. */
  autoscaler(): Promise<AutoscalerState | undefined>;
  /**
   * Fault injection, local driver only: the replica's event loop is blocked for `ms` (by the chaos
   * agent every local replica loads; see local/chaos-agent.ts). Undefined on drivers that cannot.
   */
  blockEventLoop?(replicaId: string, ms: number): Promise<void>;
  /** Stop what this driver started (local: every replica and the balancer; kubernetes: nothing). */
  close(): Promise<void>;
}

export class PlatformError extends Error {
  override name = 'PlatformError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
