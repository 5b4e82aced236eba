/**
 * What the conformance runner's Kubernetes driver (platform/src/kubernetes/cluster.ts) may do in
 * the MES namespace, and nothing more: one rule per API call it makes. platform/test/kubernetes.test.ts
 * checks that the rendered Role grants exactly the verbs the driver was seen to use.
 */
export const CONFORMANCE_ROLE_RULES = [
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'watch', 'patch'] }, // read, follow a rollout, set the image / undo the template
  { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] }, // scale
  { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['list'] }, // revision history: the new ReplicaSet, the one to undo to
  { apiGroups: [''], resources: ['pods'], verbs: ['list', 'delete'] }, // replicas; kill (grace period 0)
  { apiGroups: [''], resources: ['pods/proxy'], verbs: ['get'] }, // the new pods' /metrics during rollout analysis
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get'] },
  { apiGroups: [''], resources: ['events'], verbs: ['list'] }, // the HPA's SuccessfulRescale events
];

export const CONFORMANCE_SERVICE_ACCOUNT = 'mes-conformance';
