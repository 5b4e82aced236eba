// Per module: the package index would make the compiler read all of Alibaba Cloud's 2,000 declaration files.
import * as kms from '@pulumi/alicloud/kms/index.js';
import * as rds from '@pulumi/alicloud/rds/index.js';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { isPinnedImage, type DatabaseConfig } from '../config.js';
import { checkArgs, DATABASE_CLIENT_LABEL, denyByDefault, DNS_EGRESS, labels, type DatabaseEndpoint } from './common.js';

/** Secret values the database needs; absent ones are expected to exist in the namespace already. */
export interface DatabaseSecrets {
  /** external: the PostgreSQL URL. */
  url?: pulumi.Input<string>;
  /** alicloud-rds: the privileged account's password. */
  password?: pulumi.Input<string>;
  /** cloudnativepg: the object store's credentials for backups. */
  backupAccessKeyId?: pulumi.Input<string>;
  backupSecretAccessKey?: pulumi.Input<string>;
}

export interface MesDatabaseArgs {
  namespace: pulumi.Input<string>;
  config: DatabaseConfig;
  secrets?: DatabaseSecrets;
  /** alicloud-rds: the VPC it goes into (the managed cluster's). */
  network?: { vpcId: pulumi.Input<string>; vswitchIds: pulumi.Input<string>[]; cidrs: string[] };
}

export const CNPG_CLUSTER = 'mes-db';
const DATABASE_SECRET = 'mes-database';
const BACKUP_SECRET = 'mes-db-backup-s3';
const POSTGRES_PORT = 5432;

/**
 * How the API reaches the database of a configuration: which Secret key holds the URL, and where
 * the connections go. Pure, so the platform can deploy alone against a database made elsewhere.
 */
export function databaseEndpoint(config: DatabaseConfig, vswitchCidrs: string[] = []): DatabaseEndpoint {
  switch (config.kind) {
    case 'external':
      return { secretName: DATABASE_SECRET, secretKey: 'url', peers: config.cidrs.map((cidr) => ({ ipBlock: { cidr } })), port: config.port };
    case 'cloudnativepg':
      // CloudNativePG writes <cluster>-app with the owner's connection URI.
      return { secretName: `${CNPG_CLUSTER}-app`, secretKey: 'uri', peers: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': CNPG_CLUSTER } } }], port: POSTGRES_PORT };
    case 'alicloud-rds':
      return { secretName: DATABASE_SECRET, secretKey: 'url', peers: vswitchCidrs.map((cidr) => ({ ipBlock: { cidr } })), port: POSTGRES_PORT };
  }
}

/**
 * The MES database, one of: an external PostgreSQL (its URL in a Secret); an in-cluster
 * CloudNativePG Cluster (3 instances, a synchronous replica, encrypted volumes, scheduled
 * encrypted backups to an S3-compatible store); or an Alibaba Cloud RDS for PostgreSQL in the
 * cluster's VPC (KMS-encrypted disks, SSL, no public endpoint, only the vSwitches allowed).
 */
export class MesDatabase extends pulumi.ComponentResource {
  readonly endpoint: DatabaseEndpoint;
  /** The Secrets this database needs that the stack did not create (render lists them). */
  readonly expectedSecrets: Array<{ name: string; keys: string[] }> = [];

  constructor(name: string, args: MesDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mes:infra:Database', name, {}, opts);
    const c = args.config;
    checkArgs('MesDatabase', [
      c.kind === 'alicloud-rds' && !args.network && 'alicloud-rds needs network {vpcId, vswitchIds, cidrs}: the managed cluster\'s VPC',
      c.kind === 'alicloud-rds' && !!args.network && !args.network.cidrs.length && 'network.cidrs is empty: nothing could reach the database',
      c.kind === 'cloudnativepg' && !isPinnedImage(c.imageName) && `imageName "${c.imageName}" is not pinned`,
      c.kind === 'cloudnativepg' && c.instances < 1 && 'instances must be ≥ 1',
    ]);
    this.endpoint = databaseEndpoint(c, args.network?.cidrs);
    const secrets = args.secrets ?? {};
    if (c.kind === 'external') this.external(name, args.namespace, secrets.url);
    else if (c.kind === 'cloudnativepg') this.cloudNativePg(name, args.namespace, c, secrets);
    else this.rds(name, args.namespace, c, args.network!, secrets.password);
    this.registerOutputs({ secretName: this.endpoint.secretName, secretKey: this.endpoint.secretKey });
  }

  private secret(name: string, namespace: pulumi.Input<string>, secretName: string, data: Record<string, pulumi.Input<string> | undefined>, type = 'Opaque'): void {
    const values = Object.values(data);
    if (values.some((v) => v === undefined)) {
      this.expectedSecrets.push({ name: secretName, keys: Object.keys(data) });
      return;
    }
    new k8s.core.v1.Secret(
      name,
      { metadata: { name: secretName, namespace, labels: labels('database') }, type, stringData: pulumi.secret(data as Record<string, pulumi.Input<string>>) },
      { parent: this },
    );
  }

  private external(name: string, namespace: pulumi.Input<string>, url: pulumi.Input<string> | undefined): void {
    this.secret(`${name}-url`, namespace, DATABASE_SECRET, { url });
  }

  private cloudNativePg(name: string, namespace: pulumi.Input<string>, c: Extract<DatabaseConfig, { kind: 'cloudnativepg' }>, secrets: DatabaseSecrets): void {
    const child = { parent: this };
    this.secret(`${name}-backup-credentials`, namespace, BACKUP_SECRET, { ACCESS_KEY_ID: secrets.backupAccessKeyId, ACCESS_SECRET_KEY: secrets.backupSecretAccessKey });
    const resources = c.resources ?? { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } };
    const meta = (objectName: string) => ({ name: objectName, namespace, labels: labels('database') });
    const cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: meta(CNPG_CLUSTER),
        spec: {
          instances: c.instances,
          imageName: c.imageName,
          // A commit waits for one standby (CloudNativePG ≥ 1.24): no acknowledged write is lost
          // when the primary fails over.
          ...(c.instances > 1 ? { postgresql: { synchronous: { method: 'any', number: 1 } } } : {}),
          primaryUpdateStrategy: 'unsupervised',
          enablePDB: true,
          affinity: { enablePodAntiAffinity: true, topologyKey: 'kubernetes.io/hostname', podAntiAffinityType: 'preferred' },
          storage: { size: c.storageSize, storageClass: c.storageClass },
          walStorage: { size: c.storageSize, storageClass: c.storageClass },
          resources,
          bootstrap: { initdb: { database: 'mes', owner: 'mes' } },
          // The server's migrations create mes_app and grant it to their user unless both are
          // already so: the operator does both, since the owner may not create roles.
          managed: {
            roles: [
              { name: 'mes_app', ensure: 'present', login: false, superuser: false, createdb: false, createrole: false, bypassrls: false },
              { name: 'mes', ensure: 'present', login: true, inRoles: ['mes_app'] },
            ],
          },
          backup: {
            retentionPolicy: c.backup.retention,
            barmanObjectStore: {
              destinationPath: c.backup.destinationPath,
              ...(c.backup.endpointUrl ? { endpointURL: c.backup.endpointUrl } : {}),
              s3Credentials: { accessKeyId: { name: BACKUP_SECRET, key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: BACKUP_SECRET, key: 'ACCESS_SECRET_KEY' } },
              wal: { compression: 'gzip', encryption: 'AES256' },
              data: { compression: 'gzip', encryption: 'AES256' },
            },
          },
        },
      },
      child,
    );
    new k8s.apiextensions.CustomResource(
      `${name}-scheduled-backup`,
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'ScheduledBackup',
        metadata: meta(`${CNPG_CLUSTER}-daily`),
        spec: { schedule: c.backup.schedule, immediate: true, backupOwnerReference: 'self', method: 'barmanObjectStore', cluster: { name: cluster.metadata.name } },
      },
      child,
    );
    const instances = { podSelector: { matchLabels: { 'cnpg.io/cluster': CNPG_CLUSTER } } };
    denyByDefault(`${name}-default-deny`, meta('mes-db-default-deny'), instances.podSelector, child);
    const operator = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.operatorNamespace } } };
    new k8s.networking.v1.NetworkPolicy(
      `${name}-ingress`,
      {
        metadata: meta('mes-db-ingress'),
        spec: {
          podSelector: instances.podSelector,
          policyTypes: ['Ingress'],
          ingress: [
            // Only the API and the migration Job, and the other instances (replication).
            { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mes', [DATABASE_CLIENT_LABEL]: 'true' } } }, instances], ports: [{ protocol: 'TCP', port: POSTGRES_PORT }] },
            // The operator: status (8000) and its own connections.
            { from: [operator], ports: [{ protocol: 'TCP', port: 8000 }, { protocol: 'TCP', port: POSTGRES_PORT }] },
            { from: [instances], ports: [{ protocol: 'TCP', port: 8000 }] },
          ],
        },
      },
      child,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-egress`,
      {
        metadata: meta('mes-db-egress'),
        spec: {
          podSelector: instances.podSelector,
          policyTypes: ['Egress'],
          egress: [
            { to: [instances], ports: [{ protocol: 'TCP', port: POSTGRES_PORT }, { protocol: 'TCP', port: 8000 }] },
            // The instance manager watches the Kubernetes API; backups go to the object store.
            { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] },
            DNS_EGRESS,
          ],
        },
      },
      child,
    );
  }

  private rds(name: string, namespace: pulumi.Input<string>, c: Extract<DatabaseConfig, { kind: 'alicloud-rds' }>, network: NonNullable<MesDatabaseArgs['network']>, password: pulumi.Input<string> | undefined): void {
    const child = { parent: this };
    const key = new kms.Key(`${name}-key`, { description: 'mes database disk encryption', pendingWindowInDays: 7, status: 'Enabled' }, child);
    const instance = new rds.Instance(
      `${name}-rds`,
      {
        engine: 'PostgreSQL',
        engineVersion: c.engineVersion,
        instanceType: c.instanceType,
        instanceStorage: c.storageGb,
        dbInstanceStorageType: 'cloud_essd',
        category: 'HighAvailability',
        instanceChargeType: 'Postpaid',
        // The primary's vSwitch; RDS places the high-availability standby itself.
        vswitchId: network.vswitchIds[0],
        // Reachable from the cluster's vSwitches only; no public connection string is ever made.
        securityIps: network.cidrs,
        encryptionKey: key.id,
        sslAction: 'Open',
        deletionProtection: true,
        instanceName: 'mes',
        tags: { app: 'mes' },
      },
      child,
    );
    new rds.BackupPolicy(`${name}-backup`, { instanceId: instance.id, backupRetentionPeriod: c.backupRetentionDays, preferredBackupPeriods: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'], preferredBackupTime: '02:00Z-03:00Z', logBackupRetentionPeriod: c.backupRetentionDays }, child);
    new rds.Database(`${name}-database`, { instanceId: instance.id, dataBaseName: 'mes' }, child);
    if (password === undefined) {
      this.expectedSecrets.push({ name: DATABASE_SECRET, keys: ['url'] });
      return;
    }
    // The privileged account owns the schema and may create the mes_app role the migrations need.
    const account = new rds.RdsAccount(`${name}-account`, { dbInstanceId: instance.id, accountName: 'mes', accountPassword: password, accountType: 'Super' }, child);
    const url = pulumi.interpolate`postgres://${account.accountName}:${pulumi.output(password).apply(encodeURIComponent)}@${instance.connectionString}:${instance.port}/mes?sslmode=require`;
    this.secret(`${name}-url`, namespace, DATABASE_SECRET, { url });
  }
}
