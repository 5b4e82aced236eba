/**
 * The Kubernetes API calls the driver makes, one method each, and nothing else: the list of methods
 * here is the list of RBAC rules in deploy/kubernetes/mes/rbac.yaml. Every failure becomes a
 * PlatformError that says what to fix (the missing RBAC verb, the object that does not exist).
 */
import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  FetchError,
  KubeConfig,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type CoreV1Event,
  type V1Deployment,
  type V1Pod,
  type V1PodTemplateSpec,
  type V1ReplicaSet,
  type V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { PlatformError } from '../types.js';

/** One RBAC rule: the verb on the resource an API call needs. */
interface Access {
  verb: string;
  resource: string;
  name?: string;
}

export class Cluster {
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private readonly autoscaling: AutoscalingV2Api;

  constructor(
    private readonly kubeConfig: KubeConfig,
    readonly namespace: string,
  ) {
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.autoscaling = kubeConfig.makeApiClient(AutoscalingV2Api);
  }

  get server(): string {
    return this.kubeConfig.getCurrentCluster()?.server ?? '(no cluster)';
  }

  readDeployment(name: string): Promise<V1Deployment> {
    return this.call({ verb: 'get', resource: 'deployments', name }, () =>
      this.apps.readNamespacedDeployment({ name, namespace: this.namespace }),
    );
  }

  async listPods(labelSelector: string): Promise<V1Pod[]> {
    const list = await this.call({ verb: 'list', resource: 'pods' }, () =>
      this.core.listNamespacedPod({ namespace: this.namespace, labelSelector }),
    );
    return list.items;
  }

  async listReplicaSets(labelSelector: string): Promise<V1ReplicaSet[]> {
    const list = await this.call({ verb: 'list', resource: 'replicasets' }, () =>
      this.apps.listNamespacedReplicaSet({ namespace: this.namespace, labelSelector }),
    );
    return list.items;
  }

  /** Grace period 0: the kubelet kills the container at once (SIGKILL), like kill -9 locally. */
  async deletePodNow(name: string): Promise<void> {
    await this.call({ verb: 'delete', resource: 'pods', name }, () =>
      this.core.deleteNamespacedPod({ name, namespace: this.namespace, gracePeriodSeconds: 0 }),
    );
  }

  /** The scale subresource, so an HPA or a GitOps tool owning spec.replicas sees an ordinary scale. */
  async patchScale(name: string, replicas: number): Promise<void> {
    await this.call({ verb: 'patch', resource: 'deployments/scale', name }, () =>
      this.apps.patchNamespacedDeploymentScale(
        { name, namespace: this.namespace, body: { spec: { replicas } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
  }

  /**
   * A strategic merge patch of the pod template: containers merge by name and env entries by
   * name, so only the MES container's image and the given variables change (`kubectl set image`
   * and `kubectl set env` in one revision).
   */
  patchRelease(name: string, change: { container: string; image: string; env?: Record<string, string>; release: string; annotation: string }): Promise<V1Deployment> {
    const env = Object.entries(change.env ?? {}).map(([key, value]) => ({ name: key, value }));
    const container = { name: change.container, image: change.image, ...(env.length ? { env } : {}) };
    const body = {
      spec: { template: { metadata: { annotations: { [change.annotation]: change.release } }, spec: { containers: [container] } } },
    };
    return this.call({ verb: 'patch', resource: 'deployments', name }, () =>
      this.apps.patchNamespacedDeployment(
        { name, namespace: this.namespace, body },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
  }

  /**
   * Replaces the whole pod template (a JSON patch, as `kubectl rollout undo` does): a merge would
   * keep whatever the newer template added, and the undo would not be exact. `annotations` are set
   * on the Deployment itself in the same patch.
   */
  replaceTemplate(name: string, template: V1PodTemplateSpec, annotations: Record<string, string> = {}): Promise<V1Deployment> {
    const body = [
      { op: 'replace', path: '/spec/template', value: template },
      // JSON pointer: "/" in an annotation key is written "~1".
      ...Object.entries(annotations).map(([key, value]) => ({ op: 'add', path: `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, value })),
    ];
    return this.call({ verb: 'patch', resource: 'deployments', name }, () =>
      this.apps.patchNamespacedDeployment(
        { name, namespace: this.namespace, body },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      ),
    );
  }

  /** GET /metrics of a pod through the API server's pod proxy (`pods/proxy` get); no route to the pod needed. */
  podMetrics(pod: string, port: number | undefined): Promise<string> {
    const name = port ? `${pod}:${port}` : pod;
    return this.call({ verb: 'get', resource: 'pods/proxy', name: pod }, () =>
      this.core.connectGetNamespacedPodProxyWithPath({ name, namespace: this.namespace, path: 'metrics' }),
    );
  }

  /** The HPA, or undefined when the Deployment has none. */
  async readAutoscaler(name: string): Promise<V2HorizontalPodAutoscaler | undefined> {
    try {
      return await this.call({ verb: 'get', resource: 'horizontalpodautoscalers', name }, () =>
        this.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace: this.namespace }),
      );
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  async listRescaleEvents(hpa: string): Promise<CoreV1Event[]> {
    const fieldSelector = `involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=${hpa},reason=SuccessfulRescale`;
    const list = await this.call({ verb: 'list', resource: 'events' }, () =>
      this.core.listNamespacedEvent({ namespace: this.namespace, fieldSelector }),
    );
    return list.items;
  }

  /**
   * Watches one Deployment (a list watch narrowed by field selector, which RBAC grants with the
   * `watch` verb). `onEnd` is called once when the stream ends, fails or is refused.
   */
  async watchDeployment(
    name: string,
    onChange: (deployment: V1Deployment) => void,
    onEnd: (error: unknown) => void,
  ): Promise<AbortController> {
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(this.namespace)}/deployments`;
    return new Watch(this.kubeConfig).watch(
      path,
      { fieldSelector: `metadata.name=${name}` },
      (type, object) => {
        if (type === 'ADDED' || type === 'MODIFIED') onChange(object as V1Deployment);
      },
      onEnd,
    );
  }

  private async call<T>(access: Access, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.explain(access, error);
    }
  }

  private explain(access: Access, error: unknown): PlatformError {
    const target = `${access.resource}${access.name ? ` "${access.name}"` : ''} in namespace "${this.namespace}"`;
    if (error instanceof FetchError) {
      return new PlatformError('KUBERNETES_UNREACHABLE', `cannot reach the Kubernetes API at ${this.server} (${access.verb} ${target}): ${error.message}`);
    }
    if (!(error instanceof ApiException)) {
      const reason = error instanceof Error ? error.message : String(error);
      return new PlatformError('KUBERNETES_API', `${access.verb} ${target} failed: ${reason}`);
    }
    const status = statusMessage(error.body);
    if (error.code === 403) {
      return new PlatformError(
        'FORBIDDEN',
        `RBAC: the driver may not "${access.verb}" ${target}; grant verb "${access.verb}" on resource "${access.resource}" ` +
          `(see deploy/kubernetes/mes/rbac.yaml). API server: ${status}`,
      );
    }
    if (error.code === 404) {
      return new PlatformError('NOT_FOUND', `${target} not found (check --namespace, --deployment and the kubeconfig context). API server: ${status}`);
    }
    if (error.code === 401) {
      return new PlatformError('UNAUTHORIZED', `the Kubernetes API at ${this.server} rejected the kubeconfig's credentials: ${status}`);
    }
    return new PlatformError('KUBERNETES_API', `${access.verb} ${target} failed with HTTP ${error.code}: ${status}`);
  }
}

/** The `message` of a metav1.Status body (the client hands the body over as text). */
function statusMessage(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  try {
    const parsed = JSON.parse(text) as { message?: string };
    return parsed.message ?? text;
  } catch {
    return text;
  }
}
