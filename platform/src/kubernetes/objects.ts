/**
 * Pure readings of Kubernetes objects in the platform's language: a pod is a Replica, a Deployment
 * has a release and a rollout state, an HPA is an AutoscalerState. The objects come either from the
 * typed client (dates as Date) or raw from a watch stream (dates as strings), so every reader here
 * accepts both.
 */
import type {
  CoreV1Event,
  V1Container,
  V1Deployment,
  V1LabelSelector,
  V1Pod,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V2HorizontalPodAutoscaler,
  V2MetricSpec,
  V2MetricStatus,
} from '@kubernetes/client-node';
import type { AutoscalerState, Replica, ReplicaPhase, ScalingEvent } from '../types.js';

/** The pod-template annotation that names the release ("B"), so replica lists speak release names, not image digests. */
export const RELEASE_ANNOTATION = 'mes.dev/release';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Added by the Deployment controller to every ReplicaSet's template; never part of the Deployment's own template. */
export const TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Kubernetes' own defaults where the HPA object leaves them implicit (kube-controller-manager flags). */
const HPA_TOLERANCE = 0.1;
const HPA_SCALE_DOWN_WINDOW_S = 300;
const HPA_SYNC_PERIOD_MS = 15_000;

type Timestamp = Date | string | undefined | null;

export function isoTime(value: Timestamp): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The label selector as the `labelSelector` query parameter kubectl would send. */
export function selectorQuery(selector: V1LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const expr of selector?.matchExpressions ?? []) {
    const values = (expr.values ?? []).join(',');
    if (expr.operator === 'In') parts.push(`${expr.key} in (${values})`);
    else if (expr.operator === 'NotIn') parts.push(`${expr.key} notin (${values})`);
    else if (expr.operator === 'Exists') parts.push(expr.key);
    else if (expr.operator === 'DoesNotExist') parts.push(`!${expr.key}`);
  }
  return parts.join(',');
}

/** The MES container of a pod template: the named one, or the first. */
export function mesContainer(containers: V1Container[] | undefined, name?: string): V1Container | undefined {
  if (!containers?.length) return undefined;
  return name ? containers.find((c) => c.name === name) : containers[0];
}

/** The release a template runs: its release annotation, else the container image. */
export function templateRelease(template: V1PodTemplateSpec | undefined, container?: string): string {
  const annotated = template?.metadata?.annotations?.[RELEASE_ANNOTATION];
  return annotated ?? mesContainer(template?.spec?.containers, container)?.image ?? 'unknown';
}

export function revisionOf(object: V1Deployment | V1ReplicaSet): number {
  return Number(object.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0);
}

/**
 * A rollout is done when the controller has seen the latest spec and every replica runs it and is
 * available: the conditions `kubectl rollout status` waits for.
 */
export function rolledOut(deployment: V1Deployment): boolean {
  const wanted = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  return (
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) &&
    (status.updatedReplicas ?? 0) === wanted &&
    (status.replicas ?? 0) === wanted &&
    (status.readyReplicas ?? 0) === wanted &&
    (status.availableReplicas ?? 0) === wanted
  );
}

/** The controller's verdict that the rollout stalled (spec.progressDeadlineSeconds passed without progress). */
export function progressDeadlineExceeded(deployment: V1Deployment): string | undefined {
  const progressing = deployment.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return `progress deadline exceeded: ${progressing.message ?? 'no progress'}`;
  }
  return undefined;
}

/** The ReplicaSets the Deployment owns (kubectl rollout history's rows), oldest revision first. */
export function ownedReplicaSets(deployment: V1Deployment, replicaSets: V1ReplicaSet[]): V1ReplicaSet[] {
  const uid = deployment.metadata?.uid;
  return replicaSets
    .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.uid === uid))
    .sort((a, b) => revisionOf(a) - revisionOf(b));
}

/** A ReplicaSet's template as the Deployment's template: the controller-added hash label removed. */
export function deploymentTemplate(replicaSet: V1ReplicaSet): V1PodTemplateSpec {
  const template = structuredClone(replicaSet.spec?.template ?? {}) as V1PodTemplateSpec;
  if (template.metadata?.labels) delete template.metadata.labels[TEMPLATE_HASH_LABEL];
  return template;
}

export function podReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * A pod's phase in the platform's words. "starting" and "unready" differ by whether the pod's Ready
 * condition changed after its container started: a fresh container has only the creation-time False.
 */
export function podPhase(pod: V1Pod, container?: string): ReplicaPhase {
  if (pod.metadata?.deletionTimestamp) return 'draining';
  const status = pod.status?.containerStatuses?.find((s) => s.name === mesContainer(pod.spec?.containers, container)?.name);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || status?.state?.terminated) return 'exited';
  if (podReady(pod)) return 'ready';
  const running = status?.state?.running?.startedAt;
  if (!running) return 'starting';
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const changedAt = isoTime(ready?.lastTransitionTime);
  const startedAt = isoTime(running);
  return changedAt && startedAt && changedAt > startedAt ? 'unready' : 'starting';
}

export function podRelease(pod: V1Pod, container?: string): string {
  return templateRelease({ metadata: pod.metadata, spec: pod.spec }, container);
}

export function toReplica(pod: V1Pod, container?: string): Replica {
  const phase = podPhase(pod, container);
  const port = mesContainer(pod.spec?.containers, container)?.ports?.[0]?.containerPort;
  return {
    id: pod.metadata?.name ?? '',
    release: podRelease(pod, container),
    phase,
    inRotation: phase === 'ready',
    startedAt: isoTime(pod.status?.startTime) ?? isoTime(pod.metadata?.creationTimestamp) ?? '',
    ...(pod.status?.podIP && port ? { url: `http://${pod.status.podIP}:${port}` } : {}),
  };
}

/** A Kubernetes quantity ("250m", "2", "1k", "1Mi") as a number. */
export function quantity(value: string | number | undefined): number | null {
  if (value === undefined) return null;
  if (typeof value === 'number') return value;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return null;
  const suffixes: Record<string, number> = {
    '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
  };
  const factor = suffixes[match[2]];
  return factor === undefined ? null : Number(match[1]) * factor;
}

interface MetricReading {
  name: string;
  value: number | null;
}

/** Name and target of a metric spec: pods/object/external by metric name, resource by resource name. */
function metricTarget(spec: V2MetricSpec): MetricReading {
  const source = spec.pods ?? spec.object ?? spec.external;
  if (source) {
    const t = source.target;
    return { name: source.metric.name, value: quantity(t.averageValue ?? t.value) };
  }
  const resource = spec.resource ?? spec.containerResource;
  const t = resource?.target;
  return { name: resource?.name ?? spec.type, value: t?.averageUtilization ?? quantity(t?.averageValue ?? t?.value) };
}

function metricCurrent(status: V2MetricStatus | undefined): number | null {
  if (!status) return null;
  const source = status.pods ?? status.object ?? status.external;
  if (source) return quantity(source.current.averageValue ?? source.current.value);
  const c = (status.resource ?? status.containerResource)?.current;
  return c?.averageUtilization ?? quantity(c?.averageValue ?? c?.value);
}

/**
 * An HPA as the platform's AutoscalerState. Tolerance and sync period are controller flags the HPA
 * object cannot show: Kubernetes' defaults are reported.
 */
export function toAutoscalerState(hpa: V2HorizontalPodAutoscaler, events: ScalingEvent[]): AutoscalerState {
  const first = hpa.spec?.metrics?.[0];
  const target = first ? metricTarget(first) : { name: 'cpu', value: 80 };
  const windowS = hpa.spec?.behavior?.scaleDown?.stabilizationWindowSeconds ?? HPA_SCALE_DOWN_WINDOW_S;
  const lastScaleAt = isoTime(hpa.status?.lastScaleTime);
  return {
    config: {
      minReplicas: hpa.spec?.minReplicas ?? 1,
      maxReplicas: hpa.spec?.maxReplicas ?? 1,
      metric: target.name,
      target: target.value ?? 0,
      tolerance: HPA_TOLERANCE,
      scaleDownStabilizationMs: windowS * 1000,
      syncPeriodMs: HPA_SYNC_PERIOD_MS,
    },
    currentReplicas: hpa.status?.currentReplicas ?? 0,
    desiredReplicas: hpa.status?.desiredReplicas ?? 0,
    currentMetric: metricCurrent(hpa.status?.currentMetrics?.[0]),
    ...(lastScaleAt ? { lastScaleAt } : {}),
    events,
  };
}

/**
 * SuccessfulRescale events ("New size: 4; reason: pods metric … above target") as ScalingEvents,
 * oldest first. An event carries only the new size: `from` is the previous event's size (the HPA's
 * minReplicas for the oldest one Kubernetes still keeps), and the metric value is not in it (NaN).
 */
export function toScalingEvents(events: CoreV1Event[], minReplicas: number): ScalingEvent[] {
  const timed = events
    .map((e) => ({ event: e, at: isoTime(e.lastTimestamp) ?? isoTime(e.eventTime) ?? isoTime(e.metadata?.creationTimestamp) ?? '' }))
    .sort((a, b) => a.at.localeCompare(b.at));
  let previous = minReplicas;
  const result: ScalingEvent[] = [];
  for (const { event, at } of timed) {
    const message = event.message ?? '';
    const size = /New size: (\d+)/.exec(message);
    if (!size) continue;
    const to = Number(size[1]);
    result.push({ at, from: previous, to, metricValue: Number.NaN, reason: /reason: (.*)$/.exec(message)?.[1] ?? message });
    previous = to;
  }
  return result;
}
