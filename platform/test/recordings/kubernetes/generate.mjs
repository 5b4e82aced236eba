// Writes the API exchanges the Kubernetes driver tests replay (see README.md in this folder).
// Run: node platform/test/recordings/kubernetes/generate.mjs — the JSON files are committed, so
// a change to an exchange shows up as a diff of the recording, not only of this script.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const NS = 'mes-staging';
const DEPLOY_UID = '5f0c6c7e-2b8a-4d52-9f0e-4c1f9d2b7a11';
const SELECTOR = { 'app.kubernetes.io/name': 'mes', 'app.kubernetes.io/component': 'server' };
const SELECTOR_QUERY = 'app.kubernetes.io/name=mes,app.kubernetes.io/component=server';
const T0 = Date.parse('2026-11-21T10:00:00Z');
const at = (s) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

const RELEASES = {
  A: { image: 'registry.example.com/mes/server:0.1.0', hash: '6b7f9c8d4' },
  B: { image: 'registry.example.com/mes/server:0.2.0', hash: '7c5d8f6b9' },
  C: { image: 'registry.example.com/mes/server:0.3.0-faulty', hash: '84f6d9c7b' },
};
let rv = 481200;
const resourceVersion = () => String(++rv);

function container(release) {
  return {
    name: 'mes',
    image: RELEASES[release].image,
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: [
      { name: 'MES_PORT', value: '8080' },
      { name: 'MES_SHUTDOWN_DELAY_MS', value: '5000' },
      { name: 'MES_DATABASE_URL', valueFrom: { secretKeyRef: { name: 'mes-database', key: 'url' } } },
    ],
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    livenessProbe: {
      httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
      timeoutSeconds: 2, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
    },
    readinessProbe: {
      httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' },
      timeoutSeconds: 2, periodSeconds: 2, successThreshold: 1, failureThreshold: 2,
    },
    lifecycle: { preStop: { sleep: { seconds: 5 } } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

function template(release, hash) {
  return {
    metadata: {
      creationTimestamp: null,
      labels: hash ? { ...SELECTOR, 'pod-template-hash': hash } : { ...SELECTOR },
      annotations: { 'mes.dev/release': release },
    },
    spec: {
      containers: [container(release)],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 35,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'mes',
      serviceAccount: 'mes',
      securityContext: {},
      schedulerName: 'default-scheduler',
    },
  };
}

function condition(type, status, reason, message, s) {
  return { type, status, lastUpdateTime: at(s), lastTransitionTime: at(s), reason, message };
}

/** A Deployment as `kubectl get deployment mes -o json` shows it. */
function deployment({ release, revision, generation, observed = generation, replicas = 3, updated = replicas, ready = replicas, available = ready, total = replicas, progressing, s = 0 }) {
  const unavailable = Math.max(0, total - available);
  const rsName = `mes-${RELEASES[release].hash}`;
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name: 'mes', namespace: NS, uid: DEPLOY_UID, resourceVersion: resourceVersion(), generation,
      creationTimestamp: at(-86400), labels: { ...SELECTOR },
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...SELECTOR } },
      template: template(release),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      minReadySeconds: 0, revisionHistoryLimit: 10, progressDeadlineSeconds: 120,
    },
    status: {
      observedGeneration: observed, replicas: total, updatedReplicas: updated, readyReplicas: ready,
      availableReplicas: available, ...(unavailable ? { unavailableReplicas: unavailable } : {}),
      conditions: [
        available >= replicas
          ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', s)
          : condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', s),
        progressing ?? condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, s),
      ],
    },
  };
}

function replicaSet(release, revision, replicas) {
  const hash = RELEASES[release].hash;
  return {
    metadata: {
      name: `mes-${hash}`, namespace: NS, uid: `a1b2c3d4-0000-4000-8000-00000000000${revision}`,
      resourceVersion: resourceVersion(), generation: revision, creationTimestamp: at(-3600 * (6 - revision)),
      labels: { ...SELECTOR, 'pod-template-hash': hash },
      annotations: {
        'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4',
        'deployment.kubernetes.io/revision': String(revision),
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'mes', uid: DEPLOY_UID, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...SELECTOR, 'pod-template-hash': hash } },
      template: template(release, hash),
    },
    status: { replicas, fullyLabeledReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: revision },
  };
}

function replicaSetList(...items) {
  return { kind: 'ReplicaSetList', apiVersion: 'apps/v1', metadata: { resourceVersion: resourceVersion() }, items };
}

/**
 * A pod of `release` in one of the states the driver tells apart: ready, starting (container
 * creating), unready (running, readiness failing since), terminating (deletionTimestamp set).
 */
function pod(release, suffix, state, ip) {
  const hash = RELEASES[release].hash;
  const name = `mes-${hash}-${suffix}`;
  const created = 0;
  const ready = state === 'ready';
  const running = state !== 'starting';
  const readyChanged = state === 'unready' ? 300 : ready ? 8 : created;
  const podConditions = [
    { type: 'PodReadyToStartContainers', status: running ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at(created + 3) },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: at(created) },
    { type: 'Ready', status: ready || state === 'terminating' ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at(readyChanged), ...(ready ? {} : state === 'terminating' ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [mes]' }) },
    { type: 'ContainersReady', status: ready || state === 'terminating' ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at(readyChanged) },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at(created) },
  ];
  return {
    metadata: {
      name, generateName: `mes-${hash}-`, namespace: NS, uid: `c0ffee00-0000-4000-8000-${suffix.padStart(12, '0')}`,
      resourceVersion: resourceVersion(), creationTimestamp: at(created),
      ...(state === 'terminating' ? { deletionTimestamp: at(400), deletionGracePeriodSeconds: 35 } : {}),
      labels: { ...SELECTOR, 'pod-template-hash': hash },
      annotations: { 'mes.dev/release': release },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `mes-${hash}`, uid: 'a1b2c3d4-0000-4000-8000-000000000000', controller: true, blockOwnerDeletion: true }],
    },
    spec: { ...template(release).spec, nodeName: 'node-2', priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority' },
    status: {
      phase: running ? 'Running' : 'Pending',
      conditions: podConditions,
      hostIP: '10.0.0.12', hostIPs: [{ ip: '10.0.0.12' }],
      ...(running ? { podIP: ip, podIPs: [{ ip }] } : {}),
      startTime: at(created),
      containerStatuses: [{
        name: 'mes',
        state: running ? { running: { startedAt: at(created + 4) } } : { waiting: { reason: 'ContainerCreating' } },
        lastState: {}, ready: ready || state === 'terminating', restartCount: 0,
        image: RELEASES[release].image,
        imageID: running ? `${RELEASES[release].image.split(':')[0]}@sha256:${hash.padEnd(64, '0')}` : '',
        ...(running ? { containerID: `containerd://${hash.padEnd(64, 'f')}` } : {}),
        started: running,
      }],
      qosClass: 'Burstable',
    },
  };
}

function podList(...items) {
  return { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: resourceVersion() }, items };
}

/**
 * prom-client text of a replica that answered `ok` 2xx and `failed` 5xx API requests, besides the
 * kubelet's probes and earlier /metrics reads (which the analysis must leave out).
 */
function metrics(ok, failed) {
  const series = [
    ['GET', '/readyz', '200', 150],
    ['GET', '/healthz', '200', 30],
    ['GET', '/metrics', '200', 4],
    ['GET', '/v1/items', '200', Math.round(ok * 0.7)],
    ['POST', '/v1/stock-movements', '201', ok - Math.round(ok * 0.7)],
    ...(failed ? [['GET', '/v1/items', '500', Math.round(failed * 0.8)], ['POST', '/v1/stock-movements', '503', failed - Math.round(failed * 0.8)]] : []),
  ];
  const lines = [
    '# HELP mes_http_requests_in_flight Requests being served',
    '# TYPE mes_http_requests_in_flight gauge',
    'mes_http_requests_in_flight 2',
    '# HELP mes_http_request_duration_seconds HTTP request duration by method, route and status',
    '# TYPE mes_http_request_duration_seconds histogram',
  ];
  for (const [method, route, status, count] of series) {
    const labels = `method="${method}",route="${route}",status="${status}"`;
    for (const le of ['0.005', '0.05', '0.5', '+Inf']) {
      lines.push(`mes_http_request_duration_seconds_bucket{le="${le}",${labels}} ${le === '0.005' ? Math.floor(count / 3) : count}`);
    }
    lines.push(`mes_http_request_duration_seconds_sum{${labels}} ${(count * 0.012).toFixed(3)}`);
    lines.push(`mes_http_request_duration_seconds_count{${labels}} ${count}`);
  }
  lines.push('# HELP mes_db_pool_total Connections in the pool', '# TYPE mes_db_pool_total gauge', 'mes_db_pool_total 10');
  return lines.join('\n') + '\n';
}

function status(code, reason, message, details) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

const paths = {
  deployment: `/apis/apps/v1/namespaces/${NS}/deployments/mes`,
  deployments: `/apis/apps/v1/namespaces/${NS}/deployments`,
  scale: `/apis/apps/v1/namespaces/${NS}/deployments/mes/scale`,
  replicaSets: `/apis/apps/v1/namespaces/${NS}/replicasets`,
  pods: `/api/v1/namespaces/${NS}/pods`,
  pod: (name) => `/api/v1/namespaces/${NS}/pods/${name}`,
  proxy: (name) => `/api/v1/namespaces/${NS}/pods/${name}:8080/proxy/metrics`,
  hpa: `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/mes`,
  events: `/api/v1/namespaces/${NS}/events`,
};
const json = (method, path, body, extra = {}) => ({ method, path, query: {}, status: 200, body, ...extra });
const watch = (events, hold = false) => ({
  method: 'GET', path: paths.deployments, query: { watch: 'true', fieldSelector: 'metadata.name=mes' }, status: 200, events, ...(hold ? { hold } : {}),
});
const podsOf = (release, body) => json('GET', paths.pods, body, { query: { labelSelector: `${SELECTOR_QUERY},pod-template-hash=${RELEASES[release].hash}` } });

function write(name, description, exchanges) {
  writeFileSync(join(here, `${name}.json`), JSON.stringify({ description, namespace: NS, exchanges }, null, 2) + '\n');
}

// --- replicas(), release(), kill() -------------------------------------------------------------
write('replicas', 'A Deployment of 3 at release B mid-way: one ready pod, one starting, one whose readiness fails, one terminating.', [
  json('GET', paths.deployment, deployment({ release: 'B', revision: 4, generation: 7, ready: 2, available: 2, total: 4 })),
  json('GET', paths.pods, podList(
    pod('B', 'x7k2p', 'ready', '10.244.1.17'),
    pod('B', 'q9v4m', 'starting'),
    pod('B', 'h3r8t', 'unready', '10.244.2.9'),
    pod('A', 'w2n6c', 'terminating', '10.244.1.5'),
  ), { query: { labelSelector: SELECTOR_QUERY } }),
]);

write('kill', 'DELETE of a pod with gracePeriodSeconds=0: the API server returns the deleted Pod (the pod store returns deleted objects).', [
  json('DELETE', paths.pod('mes-7c5d8f6b9-x7k2p'), { kind: 'Pod', apiVersion: 'v1', ...pod('B', 'x7k2p', 'terminating', '10.244.1.17') }, { query: { gracePeriodSeconds: '0' } }),
]);

// --- scale() -----------------------------------------------------------------------------------
write('scale', 'Scale subresource patched 2 -> 3; the Deployment reports 2 then 3 ready replicas.', [
  json('PATCH', paths.scale, {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: 'mes', namespace: NS, uid: DEPLOY_UID, resourceVersion: resourceVersion(), creationTimestamp: at(-86400) },
    spec: { replicas: 3 }, status: { replicas: 2, selector: SELECTOR_QUERY },
  }),
  json('GET', paths.deployment, deployment({ release: 'B', revision: 4, generation: 8, replicas: 3, updated: 3, ready: 2, total: 3 })),
  json('GET', paths.deployment, deployment({ release: 'B', revision: 4, generation: 8, replicas: 3 })),
]);

// --- upgrade() completes ----------------------------------------------------------------------
write('upgrade-completes', 'Rolling upgrade A (revision 3) -> B (revision 4), surge 1: the watch shows ready never below 3; the new pods serve without 5xx.', [
  json('GET', paths.deployment, deployment({ release: 'A', revision: 3, generation: 6 })),
  json('PATCH', paths.deployment, deployment({ release: 'B', revision: 3, generation: 7, observed: 6 })),
  watch([
    { afterMs: 0, type: 'ADDED', object: deployment({ release: 'B', revision: 4, generation: 7, updated: 1, ready: 3, total: 4, progressing: condition('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "mes-7c5d8f6b9" is progressing.', 10) }) },
    { afterMs: 30, type: 'MODIFIED', object: deployment({ release: 'B', revision: 4, generation: 7, updated: 2, ready: 3, total: 4, progressing: condition('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "mes-7c5d8f6b9" is progressing.', 20) }) },
    { afterMs: 30, type: 'MODIFIED', object: deployment({ release: 'B', revision: 4, generation: 7, s: 30 }) },
  ], true),
  json('GET', paths.replicaSets, replicaSetList(replicaSet('A', 3, 0), replicaSet('B', 4, 3)), { query: { labelSelector: SELECTOR_QUERY } }),
  // Repeated list calls get the next recorded answer (the last one repeats): the new pods come up one by one.
  podsOf('B', podList(pod('B', 'x7k2p', 'ready', '10.244.1.17'))),
  podsOf('B', podList(pod('B', 'x7k2p', 'ready', '10.244.1.17'), pod('B', 'm4d8s', 'ready', '10.244.2.21'))),
  podsOf('B', podList(pod('B', 'x7k2p', 'ready', '10.244.1.17'), pod('B', 'm4d8s', 'ready', '10.244.2.21'), pod('B', 'p6f1z', 'ready', '10.244.1.30'))),
  json('GET', paths.proxy('mes-7c5d8f6b9-x7k2p'), metrics(240, 0)),
  json('GET', paths.proxy('mes-7c5d8f6b9-m4d8s'), metrics(180, 1)),
  json('GET', paths.proxy('mes-7c5d8f6b9-p6f1z'), metrics(90, 0)),
]);

// --- upgrade() stalls, undo -------------------------------------------------------------------
// The undo after a failed upgrade: the Deployment read again, its template replaced by revision's, watched out.
// (The ReplicaSet list of the scenario serves both the analysis and the undo.)
const undoTo = (release, revision, generation) => [
  json('GET', paths.deployment, deployment({ release: 'C', revision: revision + 1, generation: generation - 1, updated: 1, ready: 3, total: 4 })),
  json('PATCH', paths.deployment, deployment({ release, revision: revision + 1, generation, observed: generation - 1, updated: 0, ready: 3, total: 4 })),
  watch([
    { afterMs: 0, type: 'ADDED', object: deployment({ release, revision: revision + 2, generation, updated: 3, ready: 3, total: 4 }) },
    { afterMs: 30, type: 'MODIFIED', object: deployment({ release, revision: revision + 2, generation }) },
  ], true),
];
write('upgrade-stalled', 'Upgrade B (revision 4) -> C: the new pod never passes /readyz and the controller reports ProgressDeadlineExceeded; undo to revision 4 (B).', [
  json('GET', paths.deployment, deployment({ release: 'B', revision: 4, generation: 7 })),
  json('PATCH', paths.deployment, deployment({ release: 'C', revision: 4, generation: 8, observed: 7 })),
  watch([
    { afterMs: 0, type: 'ADDED', object: deployment({ release: 'C', revision: 5, generation: 8, updated: 1, ready: 3, available: 3, total: 4, progressing: condition('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "mes-84f6d9c7b" is progressing.', 10) }) },
    { afterMs: 40, type: 'MODIFIED', object: deployment({ release: 'C', revision: 5, generation: 8, updated: 1, ready: 3, available: 3, total: 4, progressing: { type: 'Progressing', status: 'False', lastUpdateTime: at(130), lastTransitionTime: at(130), reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "mes-84f6d9c7b" has timed out progressing.' } }) },
  ], true),
  json('GET', paths.replicaSets, replicaSetList(replicaSet('A', 3, 0), replicaSet('B', 4, 3), replicaSet('C', 5, 1)), { query: { labelSelector: SELECTOR_QUERY } }),
  podsOf('C', podList(pod('C', 'b5t9k', 'starting'))),
  ...undoTo('B', 4, 9),
]);

write('upgrade-readiness', 'Upgrade B (revision 4) -> C: the new pod runs but never becomes ready within readinessTimeoutMs; undo to revision 4 (B).', [
  json('GET', paths.deployment, deployment({ release: 'B', revision: 4, generation: 7 })),
  json('PATCH', paths.deployment, deployment({ release: 'C', revision: 4, generation: 8, observed: 7 })),
  watch([
    { afterMs: 0, type: 'ADDED', object: deployment({ release: 'C', revision: 5, generation: 8, updated: 1, ready: 3, available: 3, total: 4, progressing: condition('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "mes-84f6d9c7b" is progressing.', 10) }) },
  ], true),
  json('GET', paths.replicaSets, replicaSetList(replicaSet('A', 3, 0), replicaSet('B', 4, 3), replicaSet('C', 5, 1)), { query: { labelSelector: SELECTOR_QUERY } }),
  podsOf('C', podList(pod('C', 'b5t9k', 'unready', '10.244.2.40'))),
  ...undoTo('B', 4, 9),
]);

write('upgrade-error-rate', 'Upgrade B (revision 4) -> C: the new pod is ready but answers 5xx (24 of 100 in its /metrics, read through the pod proxy); undo to revision 4 (B).', [
  json('GET', paths.deployment, deployment({ release: 'B', revision: 4, generation: 7 })),
  json('PATCH', paths.deployment, deployment({ release: 'C', revision: 4, generation: 8, observed: 7 })),
  watch([
    { afterMs: 0, type: 'ADDED', object: deployment({ release: 'C', revision: 5, generation: 8, updated: 1, ready: 4, available: 4, total: 4 }) },
  ], true),
  json('GET', paths.replicaSets, replicaSetList(replicaSet('A', 3, 0), replicaSet('B', 4, 3), replicaSet('C', 5, 1)), { query: { labelSelector: SELECTOR_QUERY } }),
  podsOf('C', podList(pod('C', 'b5t9k', 'ready', '10.244.2.40'))),
  json('GET', paths.proxy('mes-84f6d9c7b-b5t9k'), metrics(76, 24)),
  ...undoTo('B', 4, 9),
]);

// --- rollback() ---------------------------------------------------------------------------------
write('rollback', 'kubectl rollout undo of B (revision 4) to A (revision 3); the watch closes at once, so the driver polls the Deployment to the end.', [
  json('GET', paths.deployment, deployment({ release: 'B', revision: 4, generation: 7 })),
  json('GET', paths.replicaSets, replicaSetList(replicaSet('A', 3, 0), replicaSet('B', 4, 3)), { query: { labelSelector: SELECTOR_QUERY } }),
  json('GET', paths.deployment, deployment({ release: 'B', revision: 4, generation: 7 })),
  json('PATCH', paths.deployment, deployment({ release: 'A', revision: 4, generation: 8, observed: 7 })),
  watch([]),
  json('GET', paths.deployment, deployment({ release: 'A', revision: 5, generation: 8, updated: 2, ready: 3, total: 4 })),
  json('GET', paths.deployment, deployment({ release: 'A', revision: 5, generation: 8 })),
]);

// --- autoscaler() -------------------------------------------------------------------------------
const event = (suffix, size, reason, s) => ({
  metadata: { name: `mes.18${suffix}`, namespace: NS, uid: `e0e0e0e0-0000-4000-8000-0000000000${suffix}`, resourceVersion: resourceVersion(), creationTimestamp: at(s) },
  involvedObject: { kind: 'HorizontalPodAutoscaler', namespace: NS, name: 'mes', uid: '9d3e1f20-7a6b-4c8d-8e9f-0a1b2c3d4e5f', apiVersion: 'autoscaling/v2', resourceVersion: '480001' },
  reason: 'SuccessfulRescale',
  message: `New size: ${size}; reason: ${reason}`,
  source: { component: 'horizontal-pod-autoscaler' },
  firstTimestamp: at(s), lastTimestamp: at(s), count: 1, type: 'Normal', eventTime: null,
  reportingComponent: 'horizontal-pod-autoscaler', reportingInstance: '',
});
write('autoscaler', 'An autoscaling/v2 HPA on the pods metric mes_http_requests_in_flight (target 5 per pod), scaled 2 -> 4 -> 3, and its SuccessfulRescale events.', [
  json('GET', paths.hpa, {
    kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2',
    metadata: { name: 'mes', namespace: NS, uid: '9d3e1f20-7a6b-4c8d-8e9f-0a1b2c3d4e5f', resourceVersion: resourceVersion(), creationTimestamp: at(-86400) },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'mes', apiVersion: 'apps/v1' },
      minReplicas: 2, maxReplicas: 10,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'mes_http_requests_in_flight' }, target: { type: 'AverageValue', averageValue: '5' } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 120, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      },
    },
    status: {
      lastScaleTime: at(420), currentReplicas: 3, desiredReplicas: 3,
      currentMetrics: [{ type: 'Pods', pods: { metric: { name: 'mes_http_requests_in_flight' }, current: { averageValue: '4500m' } } }],
      conditions: [
        { type: 'AbleToScale', status: 'True', lastTransitionTime: at(-86000), reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
        { type: 'ScalingActive', status: 'True', lastTransitionTime: at(-86000), reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from pods metric mes_http_requests_in_flight' },
        { type: 'ScalingLimited', status: 'False', lastTransitionTime: at(-86000), reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' },
      ],
    },
  }),
  json('GET', paths.events, {
    kind: 'EventList', apiVersion: 'v1', metadata: { resourceVersion: resourceVersion() },
    items: [
      event('02', 3, 'All metrics below target', 420),
      event('01', 4, 'pods metric mes_http_requests_in_flight above target', 60),
    ],
  }, { query: { fieldSelector: 'involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=mes,reason=SuccessfulRescale' } }),
]);

write('autoscaler-none', 'No HPA for the Deployment: 404 NotFound.', [
  json('GET', paths.hpa, status(404, 'NotFound', 'horizontalpodautoscalers.autoscaling "mes" not found', { name: 'mes', group: 'autoscaling', kind: 'horizontalpodautoscalers' }), { status: 404 }),
]);

// --- API errors ---------------------------------------------------------------------------------
write('forbidden', 'A service account without "delete" on pods.', [
  json('DELETE', paths.pod('mes-7c5d8f6b9-x7k2p'), status(403, 'Forbidden',
    'pods "mes-7c5d8f6b9-x7k2p" is forbidden: User "system:serviceaccount:mes-staging:mes-conformance" cannot delete resource "pods" in API group "" in the namespace "mes-staging"',
    { name: 'mes-7c5d8f6b9-x7k2p', kind: 'pods' }), { status: 403, query: { gracePeriodSeconds: '0' } }),
]);

write('not-found', 'A Deployment name that does not exist in the namespace.', [
  json('GET', `/apis/apps/v1/namespaces/${NS}/deployments/mes-typo`, status(404, 'NotFound', 'deployments.apps "mes-typo" not found', { name: 'mes-typo', group: 'apps', kind: 'deployments' }), { status: 404 }),
]);
