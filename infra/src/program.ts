/**
 * The Pulumi program of a stack: the components its target needs (or the ones `components`
 * names, each deployable on its own), wired to their providers. `mes infra up` runs it through the
 * Automation API; `mes infra render` and the tests run it under mocks.
 */
// Per module: the package index would make the compiler read all of Alibaba Cloud's 2,000 declaration files.
import { Provider as AlicloudProvider } from '@pulumi/alicloud/provider.js';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { componentsOf, releaseOf, type EdgeSiteConfig, type InfraConfig } from './config.js';
import { ACK_ENCRYPTED_STORAGE_CLASS, MesAckCluster } from './components/cluster.js';
import { databaseEndpoint, MesDatabase } from './components/database.js';
import { MesEdgeBox } from './components/edge-box.js';
import { MesEdgeSite } from './components/edge-site.js';
import { MesNamespace } from './components/namespace.js';
import { MesPlatform } from './components/platform.js';

/** Secret values, read by `mes infra` from the sources the configuration names; absent: referenced only. */
export interface ResolvedSecrets {
  databaseUrl?: string;
  databasePassword?: string;
  backupAccessKeyId?: string;
  backupSecretAccessKey?: string;
  edge?: Record<string, { gatewayKey?: string; sshPrivateKey?: string }>;
}

export interface ExpectedSecret {
  namespace: string;
  name: string;
  keys: string[];
}

/** What a stack exports: what `mes conformance run --stack` and the runbooks read. */
export interface StackOutputs {
  target: InfraConfig['target'];
  components: string[];
  namespace: string;
  deployment?: string;
  url?: string;
  release: string;
  /** public: the managed cluster's kubeconfig (secret). */
  kubeconfig?: string;
  /** private/hybrid: the kubeconfig file and context the stack deployed with. */
  kubeconfigPath?: string;
  context?: string;
  conformanceServiceAccount?: string;
  migrationJob?: string;
  database: { kind: string; secretName: string; secretKey: string };
  edgeSites: Array<{ name: string; mode: string; namespace?: string; host?: string; brokerUrl: string }>;
  /** Secrets the stack references but did not create: they must exist before the pods start. */
  expectedSecrets: ExpectedSecret[];
}

export interface ProgramOptions {
  /**
   * Install the systemd edge boxes (default). `mes infra render` leaves them out: they are
   * commands over SSH, not Kubernetes objects, and need the SSH and signing keys.
   */
  edgeBoxes?: boolean;
}

export function mesProgram(config: InfraConfig, secrets: ResolvedSecrets = {}, opts: ProgramOptions = {}): () => Promise<Record<string, unknown>> {
  return async () => buildStack(config, secrets, opts.edgeBoxes ?? true) as unknown as Record<string, unknown>;
}

/** Encrypted storage classes of a configuration: the declared ones and the managed cluster's. */
export function encryptedStorageClasses(config: InfraConfig): string[] {
  return [...config.encryptedStorageClasses, ...(config.cluster ? [ACK_ENCRYPTED_STORAGE_CLASS] : [])];
}

function buildStack(config: InfraConfig, secrets: ResolvedSecrets, edgeBoxes: boolean): pulumi.Output<StackOutputs> {
  const components = componentsOf(config);
  const release = releaseOf(config.platform);
  const aliProvider = config.cluster ? new AlicloudProvider('alicloud', { region: config.cluster.region }) : undefined;
  let kubeconfig: pulumi.Output<string> | undefined;
  let core: k8s.Provider;
  if (components.includes('cluster')) {
    const cluster = new MesAckCluster('cluster', { config: config.cluster! }, { providers: { alicloud: aliProvider! } });
    core = cluster.provider;
    kubeconfig = cluster.kubeconfig;
  } else {
    core = kubernetesProvider('core', config.kubernetes);
  }
  const providers = { kubernetes: core, ...(aliProvider ? { alicloud: aliProvider } : {}) };
  const expectedSecrets: ExpectedSecret[] = [];
  const inCore = components.some((c) => c === 'database' || c === 'platform');
  const namespace = inCore && config.manageNamespace ? new MesNamespace('namespace', { name: config.namespace }, { provider: core }) : undefined;
  const nsOpts = { providers, dependsOn: namespace ? [namespace] : [] };

  let endpoint = databaseEndpoint(config.database, config.cluster?.vswitchCidrs);
  if (components.includes('database')) {
    const database = new MesDatabase(
      'database',
      {
        namespace: config.namespace,
        config: config.database,
        secrets: { url: secrets.databaseUrl, password: secrets.databasePassword, backupAccessKeyId: secrets.backupAccessKeyId, backupSecretAccessKey: secrets.backupSecretAccessKey },
        ...(config.cluster ? { network: { vpcId: config.cluster.vpcId, vswitchIds: config.cluster.vswitchIds, cidrs: config.cluster.vswitchCidrs } } : {}),
      },
      nsOpts,
    );
    endpoint = database.endpoint;
    expectedSecrets.push(...database.expectedSecrets.map((s) => ({ namespace: config.namespace, ...s })));
  }

  let platform: MesPlatform | undefined;
  if (components.includes('platform')) {
    const p = config.platform;
    platform = new MesPlatform(
      'platform',
      {
        namespace: config.namespace,
        image: p.image,
        release,
        replicas: p.autoscaling?.minReplicas ?? p.replicas,
        ...(p.autoscaling ? { autoscaling: p.autoscaling } : {}),
        ...(p.resources ? { resources: p.resources } : {}),
        dbPoolSize: p.dbPoolSize,
        logLevel: p.logLevel,
        ingress: p.ingress,
        database: endpoint,
      },
      nsOpts,
    );
    // The API reads its database URL from this Secret; without the database component here, it must exist.
    if (!components.includes('database')) expectedSecrets.push({ namespace: config.namespace, name: endpoint.secretName, keys: [endpoint.secretKey] });
    expectedSecrets.push({ namespace: config.namespace, name: p.ingress.tlsSecret, keys: ['tls.crt', 'tls.key'] });
  }

  const edgeSites: StackOutputs['edgeSites'] = [];
  if (components.includes('edge')) {
    for (const site of config.edgeSites) {
      if (site.mode === 'systemd' && !edgeBoxes) continue;
      edgeSites.push(edgeSite(config, site, core, secrets.edge?.[site.name] ?? {}, expectedSecrets));
    }
  }

  const outputs = {
    target: config.target,
    components,
    namespace: config.namespace,
    release,
    ...(platform ? { deployment: platform.deploymentName, url: platform.url, conformanceServiceAccount: platform.conformanceServiceAccount, migrationJob: platform.migrationJobName } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(!kubeconfig && config.kubernetes?.kubeconfig ? { kubeconfigPath: config.kubernetes.kubeconfig } : {}),
    ...(!kubeconfig && config.kubernetes?.context ? { context: config.kubernetes.context } : {}),
    database: { kind: config.database.kind, secretName: endpoint.secretName, secretKey: endpoint.secretKey },
    edgeSites,
    expectedSecrets,
  };
  return pulumi.output(outputs) as unknown as pulumi.Output<StackOutputs>;
}

function edgeSite(config: InfraConfig, site: EdgeSiteConfig, core: k8s.Provider, secrets: { gatewayKey?: string; sshPrivateKey?: string }, expected: ExpectedSecret[]): StackOutputs['edgeSites'][number] {
  const cloudUrl = site.cloudUrl ?? `https://${config.platform.ingress.host}`;
  const name = `edge-${site.name}`;
  if (site.mode === 'systemd') {
    const box = new MesEdgeBox(name, {
      site: site.name,
      gatewayId: site.gatewayId,
      cloudUrl,
      devices: site.devices,
      ssh: { host: site.ssh!.host, port: site.ssh!.port, user: site.ssh!.user, privateKey: secretOrFail(secrets.sshPrivateKey, `edgeSites ${site.name}: ssh.privateKey`), ...(site.ssh!.hostKey ? { hostKey: site.ssh!.hostKey } : {}) },
      gatewayKey: secretOrFail(secrets.gatewayKey, `edgeSites ${site.name}: gatewayKey`),
      package: site.package!,
      ...(site.node ? { node: site.node } : {}),
      mqtt: { tls: site.mqtt.tls },
    });
    return { name: site.name, mode: site.mode, host: site.ssh!.host, brokerUrl: box.brokerUrl };
  }
  const provider = site.kubernetes ? kubernetesProvider(`${name}-kubernetes`, site.kubernetes) : core;
  const namespace = `mes-edge-${site.name}`;
  const ns = new MesNamespace(`${name}-namespace`, { name: namespace, labels: { 'mes.dev/site': site.name } }, { provider });
  const component = new MesEdgeSite(
    name,
    {
      namespace,
      site: site.name,
      gatewayId: site.gatewayId,
      cloudUrl,
      devices: site.devices,
      image: config.platform.image,
      ...(site.nodeSelector ? { nodeSelector: site.nodeSelector } : {}),
      ...(secrets.gatewayKey !== undefined ? { gatewayKey: secrets.gatewayKey } : {}),
      journal: { size: site.journal.size, storageClass: site.journal.storageClass! },
      mqtt: site.mqtt,
      ...(site.resources ? { resources: site.resources } : {}),
    },
    { provider, dependsOn: [ns] },
  );
  expected.push(...component.expectedSecrets.map((s) => ({ namespace, ...s })));
  return { name: site.name, mode: site.mode, namespace, brokerUrl: component.brokerUrl };
}

function kubernetesProvider(name: string, k: InfraConfig['kubernetes']): k8s.Provider {
  return new k8s.Provider(name, { ...(k?.kubeconfig ? { kubeconfig: k.kubeconfig } : {}), ...(k?.context ? { context: k.context } : {}) });
}

/** A bare box cannot be installed without its SSH key and signing key: say which is missing. */
function secretOrFail(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`${what} has no value: the box is installed over SSH by \`mes infra up\`, which reads it from the source the configuration names`);
  return value;
}
