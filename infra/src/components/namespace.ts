import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { labels } from './common.js';

export interface MesNamespaceArgs {
  name: string;
  /** Extra labels, e.g. the edge site's. */
  labels?: Record<string, string>;
}

/**
 * A namespace with the restricted Pod Security Standard enforced. Each component fences its own
 * pods (denyByDefault), so components deploy on their own, from one stack or several, into it.
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
    this.registerOutputs({ name: this.name });
  }
}
