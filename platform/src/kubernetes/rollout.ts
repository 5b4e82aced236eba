/**
 * Following a Deployment rollout to its end, and judging it on the way (Argo Rollouts' analysis in
 * small): the controller's own stall verdict, the new ReplicaSet's pods' readiness, and the 5xx
 * share in those pods' own `/metrics`.
 */
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { AnalysisSample, RolloutAnalysisConfig } from '../types.js';
import type { Cluster } from './cluster.js';
import { responseCounts } from './metrics.js';
import {
  TEMPLATE_HASH_LABEL,
  mesContainer,
  ownedReplicaSets,
  podReady,
  progressDeadlineExceeded,
  revisionOf,
  rolledOut,
  selectorQuery,
} from './objects.js';


/**
 * The Deployment as its watch last delivered it. Each `next()` waits for a change or one poll
 * interval; once the watch has ended (server timeout, dropped connection, refused) it reads the
 * Deployment instead, so a rollout is followed to its end either way.
 */
export class DeploymentFeed {
  private latest: V1Deployment;
  private live = true;
  private wake: (() => void) | undefined;
  private controller: AbortController | undefined;

  private constructor(
    private readonly cluster: Cluster,
    private readonly name: string,
    initial: V1Deployment,
  ) {
    this.latest = initial;
  }

  static async open(cluster: Cluster, initial: V1Deployment, watches: Set<AbortController>): Promise<DeploymentFeed> {
    const feed = new DeploymentFeed(cluster, initial.metadata?.name ?? '', initial);
    const onChange = (deployment: V1Deployment) => {
      feed.latest = deployment;
      feed.wake?.();
    };
    const onEnd = () => {
      feed.live = false;
      feed.wake?.();
    };
    feed.controller = await cluster.watchDeployment(feed.name, onChange, onEnd);
    watches.add(feed.controller);
    return feed;
  }

  async next(pollIntervalMs: number): Promise<V1Deployment> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollIntervalMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
    if (!this.live) this.latest = await this.cluster.readDeployment(this.name);
    return this.latest;
  }

  get watching(): boolean {
    return this.live;
  }

  close(watches: Set<AbortController>): void {
    if (this.controller) {
      this.controller.abort();
      watches.delete(this.controller);
    }
  }
}

export interface FollowOptions {
  pollIntervalMs: number;
  deadline: number;
  timeoutMs: number;
  container?: string;
  /** Judge the new pods; without it (an undo) only completion is awaited. */
  analysis?: RolloutAnalysisConfig;
}

/** What a followed rollout came to: a failure reason, or undefined when it completed. */
export interface FollowOutcome {
  failure?: string;
  samples: AnalysisSample[];
  minReady: number;
  /** Whether the rollout was observed through the watch until its end (false: polling took over). */
  watchedToEnd: boolean;
}

/** The analysis state of one rollout: when each new pod was first seen and became ready, which were judged. */
class Analysis {
  readonly samples: AnalysisSample[] = [];
  private readonly seenAt = new Map<string, number>();
  private readonly readyAt = new Map<string, number>();
  private readonly judged = new Set<string>();

  constructor(
    private readonly cluster: Cluster,
    private readonly config: RolloutAnalysisConfig,
    private readonly container: string | undefined,
  ) {}

  /** A failure reason, or undefined; `complete` tells whether every new pod has been judged. */
  async check(deployment: V1Deployment): Promise<{ failure?: string; complete: boolean }> {
    const pods = await this.newPods(deployment);
    if (!pods) return { complete: false };
    const now = Date.now();
    for (const pod of pods) {
      const name = pod.metadata?.name ?? '';
      if (pod.metadata?.deletionTimestamp || this.judged.has(name)) continue;
      if (!this.seenAt.has(name)) this.seenAt.set(name, now);
      if (!podReady(pod)) {
        if (now - (this.seenAt.get(name) ?? now) > this.config.readinessTimeoutMs) {
          return { failure: `readiness: ${name} not ready within ${this.config.readinessTimeoutMs} ms`, complete: false };
        }
        continue;
      }
      if (!this.readyAt.has(name)) this.readyAt.set(name, now);
      if (now - (this.readyAt.get(name) ?? now) < this.config.windowMs) continue;
      const sample = await this.judge(pod);
      this.judged.add(name);
      this.samples.push(sample);
      if (sample.verdict === 'fail') {
        return { failure: `error rate ${sample.errorRate.toFixed(3)} > ${this.config.maxErrorRate} on ${name}`, complete: false };
      }
    }
    const wanted = deployment.spec?.replicas ?? 1;
    return { complete: this.judged.size >= wanted };
  }

  /**
   * The pods of the Deployment's newest ReplicaSet, or undefined while the controller has not yet
   * observed the new template (its revision annotation still names the old ReplicaSet).
   */
  private async newPods(deployment: V1Deployment): Promise<V1Pod[] | undefined> {
    if ((deployment.status?.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0)) return undefined;
    const selector = selectorQuery(deployment.spec?.selector);
    const replicaSets = ownedReplicaSets(deployment, await this.cluster.listReplicaSets(selector));
    const newest = replicaSets.find((rs) => revisionOf(rs) === revisionOf(deployment));
    const hash = newest?.metadata?.labels?.[TEMPLATE_HASH_LABEL];
    if (!hash) return undefined;
    return this.cluster.listPods(`${selector},${TEMPLATE_HASH_LABEL}=${hash}`);
  }

  /** A new pod is fresh, so its counters since start are exactly what it served in the rollout. */
  private async judge(pod: V1Pod): Promise<AnalysisSample> {
    const port = mesContainer(pod.spec?.containers, this.container)?.ports?.[0]?.containerPort;
    const { requests, errors } = responseCounts(await this.cluster.podMetrics(pod.metadata?.name ?? '', port));
    const errorRate = requests > 0 ? errors / requests : 0;
    const verdict =
      requests < this.config.minRequests ? 'inconclusive' : errorRate > this.config.maxErrorRate ? 'fail' : 'pass';
    return { at: new Date().toISOString(), replica: pod.metadata?.name ?? '', requests, errors, errorRate, verdict };
  }
}

/**
 * Follows a rollout from the Deployment the patch returned until it is rolled out, stalls, fails
 * analysis or passes its deadline.
 */
export async function followRollout(
  cluster: Cluster,
  patched: V1Deployment,
  options: FollowOptions,
  watches: Set<AbortController>,
): Promise<FollowOutcome> {
  const analysis = options.analysis ? new Analysis(cluster, options.analysis, options.container) : undefined;
  const feed = await DeploymentFeed.open(cluster, patched, watches);
  let minReady = Number.POSITIVE_INFINITY;
  const outcome = (failure?: string): FollowOutcome => ({
    ...(failure ? { failure } : {}),
    samples: analysis?.samples ?? [],
    minReady: Number.isFinite(minReady) ? minReady : 0,
    watchedToEnd: feed.watching,
  });
  try {
    let deployment = patched;
    for (;;) {
      minReady = Math.min(minReady, deployment.status?.readyReplicas ?? 0);
      const observed = (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
      const stalled = observed && analysis ? progressDeadlineExceeded(deployment) : undefined;
      if (stalled) return outcome(stalled);
      const judged = analysis ? await analysis.check(deployment) : { complete: true };
      if (judged.failure) return outcome(judged.failure);
      if (rolledOut(deployment) && judged.complete) return outcome();
      if (Date.now() > options.deadline) return outcome(`rollout not complete within ${options.timeoutMs} ms`);
      deployment = await feed.next(options.pollIntervalMs);
    }
  } finally {
    feed.close(watches);
  }
}
