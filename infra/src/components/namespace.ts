import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { labels } from './common.js';

export interface MesNamespaceArgs {
  name: string;
  /** Extra labels, e.g. the edge site's. */
  labels?: Record<string, string>;
}

/**
 * A namespace that denies by default: the restricted Pod Security Standard is enforced, and no pod
 * sends or receives anything until a component's NetworkPolicy allows it (DNS aside). Every
 * component of the MES lives in one of these.
 */
export class MesNamespace extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: MesNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mes:infra:Namespace', name, {}, opts);
    const child = { parent: this };
    const namespace = new k8s.core.v1.Namespace(
      name,
      {
        metadata: {
          name: args.name,
          labels: {
            ...labels('namespace'),
            ...args.labels,
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'latest',
          },
        },
      },
      child,
    );
    this.name = namespace.metadata.name;
    const metadata = (policy: string) => ({ name: policy, namespace: this.name, labels: labels('network-policy') });
    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      { metadata: metadata('default-deny'), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
      child,
    );
    // Every pod resolves names through the cluster DNS (kube-system), and nothing else by default.
    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow-dns`,
      {
        metadata: metadata('allow-dns'),
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
          ],
        },
      },
      child,
    );
    this.registerOutputs({ name: this.name });
  }
}
