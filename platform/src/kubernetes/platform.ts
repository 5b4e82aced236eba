/**
 * The Kubernetes driver: the platform is one Deployment (its pods are the replicas), the Service or
 * Ingress in front of it (the URL), and its HorizontalPodAutoscaler. The driver only asks the API
 * server; it starts nothing, so close() only ends its watches.
 */
import { KubeConfig, type V1Deployment, type V1Pod, type V1PodTemplateSpec } from '@kubernetes/client-node';
import {
  PlatformError,
  type AutoscalerState,
  type Platform,
  type ReleaseSpec,
  type Replica,
  type RolloutAnalysisConfig,
  type RolloutResult,
} from '../types.js';
import { Cluster } from './cluster.js';
import {
  FAILED_REVISIONS_ANNOTATION,
  RELEASE_ANNOTATION,
  deploymentTemplate,
  failedRevisions,
  mesContainer,
  ownedReplicaSets,
  revisionOf,
  rolledOut,
  selectorQuery,
  templateRelease,
  toAutoscalerState,
  toReplica,
  toScalingEvents,
} from './objects.js';
import { sleep } from '../loopback.js';
import { followRollout, type FollowOutcome } from './rollout.js';

export interface KubernetesPlatformOptions {
  /** Kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeconfig?: string;
  /** Kubeconfig context; default: the current one. */
  context?: string;
  namespace: string;
  deployment: string;
  /** The MES container in the pod template; default: the first. */
  container?: string;
  /** The Service/Ingress URL clients and suites use. */
  url: string;
  /** The HPA's name; default: the Deployment's. */
  hpa?: string;
  /** How often state is read while waiting (and while a rollout's watch is quiet); default 2 s. */
  pollIntervalMs?: number;
  /** Longest a rollout or an undo may take before it is given up; default 10 min (Kubernetes' progress deadline). */
  rolloutTimeoutMs?: number;
}

/** Analysis defaults sized for pods, which start slower than local processes. */
const DEFAULT_ANALYSIS: RolloutAnalysisConfig = {
  readinessTimeoutMs: 120_000,
  windowMs: 30_000,
  maxErrorRate: 0.05,
  minRequests: 20,
};

function loadKubeConfig(options: KubernetesPlatformOptions): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
  else kubeConfig.loadFromDefault();
  if (options.context) kubeConfig.setCurrentContext(options.context);
  return kubeConfig;
}

export class KubernetesPlatform implements Platform {
  readonly kind = 'kubernetes' as const;
  readonly url: string;
  private readonly cluster: Cluster;
  private readonly name: string;
  private readonly hpaName: string;
  private readonly pollIntervalMs: number;
  private readonly rolloutTimeoutMs: number;
  /** Watches of rollouts in progress, ended by close(). */
  private readonly watches = new Set<AbortController>();

  constructor(
    private readonly options: KubernetesPlatformOptions,
    kubeConfig: KubeConfig = loadKubeConfig(options),
  ) {
    this.url = options.url;
    this.cluster = new Cluster(kubeConfig, options.namespace);
    this.name = options.deployment;
    this.hpaName = options.hpa ?? options.deployment;
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.rolloutTimeoutMs = options.rolloutTimeoutMs ?? 600_000;
  }

  /** A driver on an already loaded KubeConfig (tests point one at a loopback API server). */
  static fromKubeConfig(kubeConfig: KubeConfig, options: Omit<KubernetesPlatformOptions, 'kubeconfig' | 'context'>): KubernetesPlatform {
    return new KubernetesPlatform(options, kubeConfig);
  }

  async release(): Promise<string> {
    const deployment = await this.cluster.readDeployment(this.name);
    return templateRelease(deployment.spec?.template, this.options.container);
  }

  async replicas(): Promise<Replica[]> {
    const { pods } = await this.snapshot();
    return pods.map((pod) => toReplica(pod, this.options.container));
  }

  async kill(replicaId: string): Promise<void> {
    await this.cluster.deletePodNow(replicaId);
  }

  async scale(replicas: number, timeoutMs = this.rolloutTimeoutMs): Promise<void> {
    await this.cluster.patchScale(this.name, replicas);
    await this.until(timeoutMs, `${replicas} ready, updated and available replicas`, async () => {
      const deployment = await this.cluster.readDeployment(this.name);
      return deployment.spec?.replicas === replicas && rolledOut(deployment);
    });
  }

  async waitReady(count: number, timeoutMs: number): Promise<void> {
    await this.until(timeoutMs, `${count} ready replicas of the current release`, async () => {
      const { deployment, pods } = await this.snapshot();
      const current = templateRelease(deployment.spec?.template, this.options.container);
      const ready = pods.map((pod) => toReplica(pod, this.options.container)).filter((r) => r.inRotation && r.release === current);
      return ready.length >= count;
    });
  }

  async upgrade(release: ReleaseSpec, analysis: Partial<RolloutAnalysisConfig> = {}): Promise<RolloutResult> {
    if (!release.image) {
      throw new PlatformError('NO_IMAGE', `release "${release.name}" has no image: the Kubernetes driver rolls out container images`);
    }
    const startedAt = new Date();
    const before = await this.cluster.readDeployment(this.name);
    const container = mesContainer(before.spec?.template?.spec?.containers, this.options.container)?.name;
    if (!container) {
      throw new PlatformError('NO_CONTAINER', `deployment "${this.name}" has no container "${this.options.container ?? '(first)'}"`);
    }
    const from = templateRelease(before.spec?.template, this.options.container);
    const patched = await this.cluster.patchRelease(this.name, {
      container,
      image: release.image,
      ...(release.env ? { env: release.env } : {}),
      release: release.name,
      annotation: RELEASE_ANNOTATION,
    });
    const rollout = await this.follow(patched, startedAt, { ...DEFAULT_ANALYSIS, ...analysis });
    const result = { from, to: release.name, startedAt: startedAt.toISOString(), analysis: rollout.samples };
    if (!rollout.failure) {
      return { ...result, outcome: 'completed', durationMs: Date.now() - startedAt.getTime(), minReadyDuringRollout: rollout.minReady };
    }
    // Back to the revision that ran before this upgrade, whatever revision the failed one got; if
    // its ReplicaSet is gone (revisionHistoryLimit 0), to the template read before patching.
    const undo = await this.undoTo(revisionOf(before), { fallback: before.spec?.template, failedAfter: revisionOf(before) });
    return {
      ...result,
      outcome: 'rolled_back',
      reason: rollout.failure,
      durationMs: Date.now() - startedAt.getTime(),
      minReadyDuringRollout: Math.min(rollout.minReady, undo.minReady),
    };
  }

  /**
   * `kubectl rollout undo`: back to the template of the ReplicaSet with the previous revision,
   * passing over revisions the driver rolled back as failed (FAILED_REVISIONS_ANNOTATION).
   */
  async rollback(): Promise<RolloutResult> {
    const startedAt = new Date();
    const deployment = await this.cluster.readDeployment(this.name);
    const from = templateRelease(deployment.spec?.template, this.options.container);
    const failed = failedRevisions(deployment);
    const previous = (await this.history(deployment))
      .filter((rs) => revisionOf(rs) < revisionOf(deployment) && !failed.includes(revisionOf(rs)))
      .pop();
    if (!previous) {
      throw new PlatformError('NO_PREVIOUS_REVISION', `deployment "${this.name}" has no revision before ${revisionOf(deployment)} to roll back to`);
    }
    const undo = await this.undoTo(revisionOf(previous));
    return {
      outcome: 'rolled_back',
      from,
      to: templateRelease(previous.spec?.template, this.options.container),
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      analysis: [],
      minReadyDuringRollout: undo.minReady,
    };
  }

  async autoscaler(): Promise<AutoscalerState | undefined> {
    const hpa = await this.cluster.readAutoscaler(this.hpaName);
    if (!hpa) return undefined;
    const events = await this.cluster.listRescaleEvents(this.hpaName);
    return toAutoscalerState(hpa, toScalingEvents(events, hpa.spec?.minReplicas ?? 1));
  }

  async close(): Promise<void> {
    for (const watch of this.watches) watch.abort();
    this.watches.clear();
  }

  private async snapshot(): Promise<{ deployment: V1Deployment; pods: V1Pod[] }> {
    const deployment = await this.cluster.readDeployment(this.name);
    const pods = await this.cluster.listPods(selectorQuery(deployment.spec?.selector));
    return { deployment, pods };
  }

  /** The Deployment's ReplicaSets (its revision history), oldest first. */
  private async history(deployment: V1Deployment) {
    return ownedReplicaSets(deployment, await this.cluster.listReplicaSets(selectorQuery(deployment.spec?.selector)));
  }

  /** Puts the template of `revision`'s ReplicaSet back and follows that rollout out (no analysis: it ran before). */
  /**
   * Puts the template of `revision`'s ReplicaSet back (or `fallback` when that ReplicaSet is gone).
   * After a failed upgrade (`failedAfter`: the revision before it), the revision the controller
   * gave the failed template is recorded as failed on the Deployment in the same patch.
   */
  private async undoTo(revision: number, failure: { fallback?: V1PodTemplateSpec | undefined; failedAfter?: number } = {}): Promise<FollowOutcome> {
    const deployment = await this.cluster.readDeployment(this.name);
    const target = (await this.history(deployment)).find((rs) => revisionOf(rs) === revision);
    const template = target ? deploymentTemplate(target) : failure.fallback;
    if (!template) {
      throw new PlatformError('NO_PREVIOUS_REVISION', `deployment "${this.name}" has no ReplicaSet of revision ${revision} to roll back to`);
    }
    const failedRevision = revisionOf(deployment);
    const markFailed = failure.failedAfter !== undefined && failedRevision > failure.failedAfter;
    const annotations: Record<string, string> = markFailed
      ? { [FAILED_REVISIONS_ANNOTATION]: [...failedRevisions(deployment), failedRevision].join(',') }
      : {};
    const patched = await this.cluster.replaceTemplate(this.name, template, annotations);
    const undo = await this.follow(patched, new Date());
    if (undo.failure) {
      throw new PlatformError('ROLLBACK_FAILED', `undo to revision ${revision} did not complete: ${undo.failure}`);
    }
    return undo;
  }

  private follow(patched: V1Deployment, startedAt: Date, analysis?: RolloutAnalysisConfig): Promise<FollowOutcome> {
    const options = {
      pollIntervalMs: this.pollIntervalMs,
      deadline: startedAt.getTime() + this.rolloutTimeoutMs,
      timeoutMs: this.rolloutTimeoutMs,
      ...(this.options.container ? { container: this.options.container } : {}),
      ...(analysis ? { analysis } : {}),
    };
    return followRollout(this.cluster, patched, options, this.watches);
  }

  /** Polls `reached` until it holds, bounded by timeoutMs. */
  private async until(timeoutMs: number, what: string, reached: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await reached()) return;
      if (Date.now() >= deadline) throw new PlatformError('TIMEOUT', `${what} not reached within ${timeoutMs} ms`);
      await sleep(Math.min(this.pollIntervalMs, Math.max(0, deadline - Date.now())));
    }
  }
}
