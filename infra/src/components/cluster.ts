// Per module: the package index would make the compiler read all of Alibaba Cloud's 2,000 declaration files.
import * as cs from '@pulumi/alicloud/cs/index.js';
import * as kms from '@pulumi/alicloud/kms/index.js';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { InfraConfig } from '../config.js';
import { checkArgs, labels } from './common.js';

export type ClusterConfig = NonNullable<InfraConfig['cluster']>;

/** The storage class the managed cluster offers for volumes encrypted with the stack's KMS key. */
export const ACK_ENCRYPTED_STORAGE_CLASS = 'mes-essd-encrypted';

/**
 * A managed Kubernetes cluster on Alibaba Cloud (ACK Pro) for the public target: Secrets encrypted
 * with a KMS key, nodes on encrypted system disks spread over the given vSwitches (zones), an
 * encrypted disk storage class, and a kubeconfig for the Kubernetes provider.
 */
export class MesAckCluster extends pulumi.ComponentResource {
  readonly clusterId: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly encryptedStorageClass = ACK_ENCRYPTED_STORAGE_CLASS;

  constructor(name: string, args: { config: ClusterConfig }, opts?: pulumi.ComponentResourceOptions) {
    super('mes:infra:AckCluster', name, {}, opts);
    const c = args.config;
    checkArgs('MesAckCluster', [
      c.vswitchIds.length < 2 && 'vswitchIds: give at least two (one per zone) so nodes and the database survive a zone',
      c.nodeCount < 2 && 'nodeCount must be ≥ 2',
    ]);
    const child = { parent: this };
    const key = new kms.Key(`${name}-key`, { description: 'mes cluster: Secrets and disks', pendingWindowInDays: 7, status: 'Enabled' }, child);
    const cluster = new cs.ManagedKubernetes(
      `${name}-ack`,
      {
        name: 'mes',
        clusterSpec: 'ack.pro.small',
        ...(c.kubernetesVersion ? { version: c.kubernetesVersion } : {}),
        vswitchIds: c.vswitchIds,
        podCidr: c.podCidr,
        serviceCidr: c.serviceCidr,
        newNatGateway: true,
        slbInternetEnabled: c.publicApiServer,
        encryptionProviderKey: key.id,
        deletionProtection: true,
        tags: { app: 'mes' },
      },
      child,
    );
    new cs.NodePool(
      `${name}-nodes`,
      {
        clusterId: cluster.id,
        nodePoolName: 'mes',
        vswitchIds: c.vswitchIds,
        instanceTypes: c.nodeInstanceTypes,
        desiredSize: String(c.nodeCount),
        systemDiskCategory: 'cloud_essd',
        systemDiskSize: 120,
        systemDiskEncrypted: true,
        systemDiskKmsKey: key.id,
        tags: { app: 'mes' },
      },
      child,
    );
    this.clusterId = cluster.id;
    this.kubeconfig = pulumi.secret(cs.getClusterCredentialOutput({ clusterId: cluster.id }, child).kubeConfig);
    this.provider = new k8s.Provider(`${name}-kubernetes`, { kubeconfig: this.kubeconfig }, child);
    new k8s.storage.v1.StorageClass(
      `${name}-encrypted-disk`,
      {
        metadata: { name: ACK_ENCRYPTED_STORAGE_CLASS, labels: labels('storage') },
        provisioner: 'diskplugin.csi.alibabacloud.com',
        parameters: { type: 'cloud_essd', encrypted: 'true', kmsKeyId: key.id },
        reclaimPolicy: 'Retain',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      },
      { ...child, provider: this.provider },
    );
    this.registerOutputs({ clusterId: this.clusterId, kubeconfig: this.kubeconfig });
  }
}
