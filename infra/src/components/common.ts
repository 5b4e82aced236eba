/**
 * What every MES workload shares: labels, the restricted security context, resource defaults, and
 * how a component names the database it talks to.
 */
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { Resources } from '../config.js';

export type Input<T> = pulumi.Input<T>;
type NetworkPolicyPeer = k8s.types.input.networking.v1.NetworkPolicyPeer;

/** Labels of every object; `component` tells the server, the migration, the database and the edge apart. */
export function labels(component: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'app.kubernetes.io/name': 'mes', 'app.kubernetes.io/component': component, 'app.kubernetes.io/part-of': 'mes', 'app.kubernetes.io/managed-by': 'pulumi', ...extra };
}

/** The labels pods are selected by (never changed after creation: a selector is immutable). */
export function selector(component: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'app.kubernetes.io/name': 'mes', 'app.kubernetes.io/component': component, ...extra };
}

/** Pods carrying this label may open connections to the database (the API and the migration Job). */
export const DATABASE_CLIENT_LABEL = 'mes.dev/database-client';

/** The pod side of the restricted Pod Security Standard. */
export const podSecurity = (uid = 10001): k8s.types.input.core.v1.PodSecurityContext => ({
  runAsNonRoot: true,
  runAsUser: uid,
  runAsGroup: uid,
  fsGroup: uid,
  seccompProfile: { type: 'RuntimeDefault' },
});

/** Non-root, read-only root filesystem, no privilege escalation, no capabilities. */
export const containerSecurity: k8s.types.input.core.v1.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

export const DEFAULT_RESOURCES: Resources = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

/**
 * The database as the platform sees it: the Secret key that holds its URL, and who the API may
 * open connections to (a NetworkPolicy peer) on which port. A pure description, so the platform
 * deploys on its own against a database another stack made.
 */
export interface DatabaseEndpoint {
  secretName: string;
  secretKey: string;
  peers: NetworkPolicyPeer[];
  port: number;
}

/** A Kubernetes object name from free text: lower case, [a-z0-9-], at most `max` characters. */
export function kubeName(text: string, max = 63): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '') || 'x';
}

/** Thrown by a component whose arguments are wrong: names the component and every problem. */
export class ComponentArgsError extends Error {
  readonly code = 'INVALID_COMPONENT_ARGS';
  constructor(readonly component: string, readonly problems: string[]) {
    super(`${component}: ${problems.join('; ')}`);
  }
}

/** Throws ComponentArgsError when any check yields a message. */
export function checkArgs(component: string, checks: Array<string | false | undefined>): void {
  const problems = checks.filter((c): c is string => typeof c === 'string');
  if (problems.length) throw new ComponentArgsError(component, problems);
}

/** Pods may resolve names through the cluster DNS (kube-system): part of every egress allow-list. */
export const DNS_EGRESS: k8s.types.input.networking.v1.NetworkPolicyEgressRule = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

/**
 * A NetworkPolicy that selects a component's pods for both directions and allows nothing: they
 * send and receive only what the component's other policies allow.
 */
export function denyByDefault(
  name: string,
  metadata: { name: string; namespace: pulumi.Input<string>; labels: Record<string, string> },
  podSelector: k8s.types.input.meta.v1.LabelSelector,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(name, { metadata, spec: { podSelector, policyTypes: ['Ingress', 'Egress'] } }, opts);
}
