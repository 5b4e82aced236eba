/**
 * Every component and target run under pulumi.runtime.setMocks (planWithMocks): the resources
 * created and their key properties, each component on its own, and clear errors for bad arguments.
 */
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComponentArgsError } from '../src/components/common.js';
import { MesDatabase } from '../src/components/database.js';
import { MesEdgeBox } from '../src/components/edge-box.js';
import { EDGE_CONTRACT } from '../src/components/edge-contract.js';
import { MesPlatform, REQUEST_RATE_METRIC } from '../src/components/platform.js';
import { CONFORMANCE_ROLE_RULES } from '../src/components/rbac.js';
import { planWithMocks, type Plan } from '../src/mocks.js';
import { mesProgram, type ResolvedSecrets, type StackOutputs } from '../src/program.js';
import { example } from './helpers.js';
import { object, ofType, violations } from './plan-helpers.js';

const key = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const secrets: ResolvedSecrets = {
  databaseUrl: 'postgres://mes:s3cret@db.factory.example.com:5432/mes',
  databasePassword: 'p@ss word',
  backupAccessKeyId: 'AKID',
  backupSecretAccessKey: 'backup-secret',
  edge: { 'plant-a': { gatewayKey: key }, 'plant-b': { gatewayKey: key, sshPrivateKey: key } },
};
const plans: Record<string, Plan> = {};

beforeAll(async () => {
  for (const target of ['private', 'public', 'hybrid'] as const) plans[target] = await planWithMocks(mesProgram(example(target), secrets), { stack: target });
});

describe('MesPlatform', () => {
  it('S1-6.1-a: the API Deployment: probes on /readyz and /healthz, requests and limits, non-root read-only, spread, drain inside the grace period', () => {
    const d = object(plans.private, 'Deployment', 'mes');
    const pod = d.spec.template.spec;
    const c = pod.containers[0];
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect([c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path, c.startupProbe.httpGet.path]).toEqual(['/readyz', '/healthz', '/healthz']);
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(pod.topologySpreadConstraints.map((t: { topologyKey: string }) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    const env = Object.fromEntries(c.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({ MES_HOST: '0.0.0.0', MES_PORT: '8080', MES_DATABASE_URL: { secretKeyRef: { name: 'mes-db-app', key: 'uri' } } });
    const stopMs = c.lifecycle.preStop.sleep.seconds * 1000 + Number(env.MES_SHUTDOWN_DELAY_MS) + Number(env.MES_SHUTDOWN_TIMEOUT_MS);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(stopMs + 5000);
    expect(c.args).toEqual(['up']);
  });

  it('S1-6.1-a: migrations run as a Job named after the release, before the rollout (the pod template refers to it)', () => {
    const job = object(plans.private, 'Job', 'mes-migrate-0-1-0');
    const c = job.spec.template.spec.containers[0];
    expect(c.args).toEqual(['db', 'migrate', '--json']);
    expect(c.env[0]).toEqual({ name: 'MES_DATABASE_URL', valueFrom: { secretKeyRef: { name: 'mes-db-app', key: 'uri' } } });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(object(plans.private, 'Deployment', 'mes').spec.template.metadata.annotations['mes.dev/migrated-by']).toBe('mes-migrate-0-1-0');
  });

  it('S1-6.1-c: an HPA v2 on the request rate and CPU, a PDB, a Service and an Ingress with TLS', () => {
    const hpa = object(plans.private, 'HorizontalPodAutoscaler', 'mes');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10, scaleTargetRef: { kind: 'Deployment', name: 'mes' } });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Pods', pods: { metric: { name: REQUEST_RATE_METRIC }, target: { type: 'AverageValue', averageValue: '50' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    const labels = object(plans.private, 'Deployment', 'mes').spec.template.metadata.labels;
    expect(labels).toMatchObject(object(plans.private, 'PodDisruptionBudget', 'mes').spec.selector.matchLabels);
    expect(object(plans.private, 'PodDisruptionBudget', 'mes').spec.maxUnavailable).toBe(1);
    expect(labels).toMatchObject(object(plans.private, 'Service', 'mes').spec.selector);
    const ingress = object(plans.private, 'Ingress', 'mes');
    expect(ingress.spec.tls).toEqual([{ hosts: ['mes.factory.example.com'], secretName: 'mes-tls' }]);
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'mes', port: { name: 'http' } });
  });

  it('S1-5.3.10: NetworkPolicies: deny by default, ingress to the API port only, the API to the database only', async () => {
    const base = example('private');
    const alone = example('private', { manageNamespace: false, components: ['platform'], platform: { ...base.platform, ingress: { ...base.platform.ingress, fromCidrs: ['10.0.0.0/28'] } } });
    const platformAlone = await planWithMocks(mesProgram(alone), { stack: 'no-namespace' });
    expect(object(platformAlone, 'NetworkPolicy', 'mes-api-ingress').spec.ingress[0].from.at(-1)).toEqual({ ipBlock: { cidr: '10.0.0.0/28' } });
    expect(object(plans.private, 'NetworkPolicy', 'mes-default-deny').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mes' }, matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['server', 'migration'] }] },
      policyTypes: ['Ingress', 'Egress'],
    });
    expect(object(plans.private, 'NetworkPolicy', 'mes-db-default-deny').spec).toEqual({ podSelector: { matchLabels: { 'cnpg.io/cluster': 'mes-db' } }, policyTypes: ['Ingress', 'Egress'] });
    const ingress = object(plans.private, 'NetworkPolicy', 'mes-api-ingress').spec;
    expect(ingress.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    const egress = object(plans.private, 'NetworkPolicy', 'mes-database-egress').spec;
    expect(egress.policyTypes).toEqual(['Egress']);
    expect(egress.egress[0]).toEqual({ to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'mes-db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(egress.egress.slice(1)).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }]);
    const publicEgress = object(plans.public, 'NetworkPolicy', 'mes-database-egress').spec.egress[0].to;
    // Another stack of the environment made the namespace: this one fences its own pods all the same.
    expect(ofType(platformAlone, 'Namespace')).toEqual([]);
    expect(violations(platformAlone, alone)).toEqual([]);
    expect(publicEgress).toEqual([{ ipBlock: { cidr: '10.10.1.0/24' } }, { ipBlock: { cidr: '10.10.2.0/24' } }]);
  });

  it('the conformance runner\'s Role holds exactly the Kubernetes driver\'s verbs, bound to its own ServiceAccount', () => {
    expect(object(plans.private, 'Role', 'mes-conformance').rules).toEqual(CONFORMANCE_ROLE_RULES);
    expect(object(plans.private, 'RoleBinding', 'mes-conformance').subjects).toEqual([{ kind: 'ServiceAccount', name: 'mes-conformance', namespace: 'mes' }]);
    expect(object(plans.private, 'ServiceAccount', 'mes').automountServiceAccountToken).toBe(false);
  });

  it('bad arguments fail with the component and every problem named', async () => {
    const database = { secretName: 'db', secretKey: 'url', peers: [], port: 5432 };
    const attempt = planWithMocks(async () => {
      new MesPlatform('p', { namespace: 'mes', image: 'mes:latest', release: 'x', replicas: 0, autoscaling: { minReplicas: 4, maxReplicas: 2, cpuUtilization: 70, requestsPerSecond: 5 }, ingress: { host: 'mes.example.com', tlsSecret: '' }, database });
      return {};
    });
    const err = await attempt.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ComponentArgsError);
    expect((err as ComponentArgsError).problems).toEqual([
      'image "mes:latest" is not pinned: use a version tag (not latest) or a @sha256 digest',
      'replicas must be a whole number ≥ 1, got 0',
      'autoscaling.minReplicas 4 is above maxReplicas 2',
      'ingress.tlsSecret is required: the API is served over TLS only',
      'database.peers is empty: the API could not reach its database through the NetworkPolicy',
    ]);
  });
});

describe('MesDatabase', () => {
  it('S1-5.3.7: CloudNativePG: 3 instances, a synchronous replica, encrypted volumes, the mes_app role, daily encrypted backups to the object store', () => {
    const cluster = object(plans.private, 'Cluster', 'mes-db');
    expect(cluster.spec).toMatchObject({
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.6',
      postgresql: { synchronous: { method: 'any', number: 1 } },
      enablePDB: true,
      storage: { size: '50Gi', storageClass: 'encrypted-ssd' },
      bootstrap: { initdb: { database: 'mes', owner: 'mes' } },
    });
    expect(cluster.spec.managed.roles).toContainEqual(expect.objectContaining({ name: 'mes', inRoles: ['mes_app'] }));
    expect(cluster.spec.backup.barmanObjectStore).toMatchObject({ destinationPath: 's3://mes-backups/factory-dc', data: { encryption: 'AES256' }, wal: { encryption: 'AES256' } });
    expect(object(plans.private, 'ScheduledBackup', 'mes-db-daily').spec).toMatchObject({ schedule: '0 0 2 * * *', cluster: { name: 'mes-db' } });
    expect(object(plans.private, 'Secret', 'mes-db-backup-s3').stringData).toEqual({ ACCESS_KEY_ID: 'AKID', ACCESS_SECRET_KEY: 'backup-secret' });
    const dbIngress = object(plans.private, 'NetworkPolicy', 'mes-db-ingress').spec.ingress[0].from;
    expect(dbIngress[0]).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mes', 'mes.dev/database-client': 'true' } } });
  });

  it('S1-5.3.1-a: Alibaba Cloud RDS: KMS-encrypted disks, SSL, only the cluster\'s vSwitches, no public endpoint, the URL in a Secret', () => {
    const [rds] = ofType(plans.public, 'alicloud:rds/instance:Instance');
    expect(rds.inputs).toMatchObject({ engine: 'PostgreSQL', category: 'HighAvailability', sslAction: 'Open', deletionProtection: true, securityIps: ['10.10.1.0/24', '10.10.2.0/24'], encryptionKey: 'database-key-id' });
    expect(ofType(plans.public, 'alicloud:rds/connection:Connection')).toEqual([]);
    expect(ofType(plans.public, 'alicloud:rds/rdsAccount:RdsAccount')[0].inputs).toMatchObject({ accountName: 'mes', accountType: 'Super', accountPassword: 'p@ss word' });
    expect(object(plans.public, 'Secret', 'mes-database').stringData.url).toBe('postgres://mes:p%40ss%20word@mes.pg.rds.internal:5432/mes?sslmode=require');
  });

  it('an external database: its URL in a Secret, the API allowed to its CIDRs only', async () => {
    const plan = await planWithMocks(async () => {
      new MesDatabase('db', { namespace: 'mes', config: { kind: 'external', cidrs: ['10.0.5.0/24'], port: 5433 }, secrets: { url: secrets.databaseUrl } });
      return {};
    });
    expect(object(plan, 'Secret', 'mes-database').stringData).toEqual({ url: secrets.databaseUrl });
    const err = await planWithMocks(async () => {
      new MesDatabase('db', { namespace: 'mes', config: { kind: 'alicloud-rds', engineVersion: '16.0', instanceType: 'pg.n2.2c.2m', storageGb: 100, backupRetentionDays: 30 } });
      return {};
    }).then(() => undefined, (e: Error) => e.message);
    expect(err).toBe('MesDatabase: alicloud-rds needs network {vpcId, vswitchIds, cidrs}: the managed cluster\'s VPC');
  });
});

describe('the public target\'s managed cluster', () => {
  it('S1-5.3.1-a: ACK with KMS-encrypted Secrets, nodes on encrypted disks over two zones, an encrypted storage class, the kubeconfig as a secret output', () => {
    const [ack] = ofType(plans.public, 'alicloud:cs/managedKubernetes:ManagedKubernetes');
    expect(ack.inputs).toMatchObject({ clusterSpec: 'ack.pro.small', encryptionProviderKey: 'cluster-key-id', slbInternetEnabled: false, vswitchIds: ['vsw-bp1mesa00000000000000', 'vsw-bp1mesb00000000000000'] });
    expect(ofType(plans.public, 'alicloud:cs/nodePool:NodePool')[0].inputs).toMatchObject({ systemDiskEncrypted: true, systemDiskKmsKey: 'cluster-key-id', desiredSize: '3' });
    expect(object(plans.public, 'StorageClass', 'mes-essd-encrypted').parameters).toMatchObject({ encrypted: 'true' });
    expect((plans.public.outputs as unknown as StackOutputs).kubeconfig).toContain('kind: Config');
  });
});

describe('MesEdgeSite and MesEdgeBox', () => {
  it('S2-5.1.2: the gateway on the site\'s nodes: journal on a PVC, device map in a ConfigMap, signing key in a Secret, all at the contract\'s paths', () => {
    const plan = plans.hybrid;
    const gateway = object(plan, 'Deployment', 'mes-edge-gateway');
    const pod = gateway.spec.template.spec;
    expect(gateway.metadata.namespace).toBe('mes-edge-plant-a');
    expect(gateway.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(pod.nodeSelector).toEqual({ 'mes.dev/site': 'plant-a' });
    expect(pod.containers[0].args).toEqual(['edge', 'run', '--config', '/etc/mes-edge/gateway.json']);
    expect(pod.containers[0].ports).toEqual([{ name: 'http', containerPort: 9464 }]);
    expect(pod.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual([EDGE_CONTRACT.configFile, EDGE_CONTRACT.keyDir, EDGE_CONTRACT.dataDir, '/tmp']);
    expect(EDGE_CONTRACT.journalDir.startsWith(`${EDGE_CONTRACT.dataDir}/`)).toBe(true);
    expect(object(plan, 'PersistentVolumeClaim', 'mes-edge-journal').spec).toMatchObject({ storageClassName: 'local-encrypted', resources: { requests: { storage: '20Gi' } } });
    const config = JSON.parse(object(plan, 'ConfigMap', 'mes-edge-gateway').data['gateway.json']);
    expect(config).toEqual({
      gatewayId: '7c9e6679-7425-40de-944b-e07fc1f90ae7.plant-a-gw1',
      cloudUrl: 'https://mes.example.com',
      keyFile: '/etc/mes-edge/keys/gateway.pem',
      journalDir: '/var/lib/mes-edge/journal',
      brokerUrl: 'mqtts://mes-edge-mqtt:8883',
      devices: example('hybrid').edgeSites[0].devices,
    });
    expect(object(plan, 'Secret', 'mes-edge-gateway-key').stringData).toEqual({ 'gateway.pem': key });
  });

  it('S2-5.1.2: the site broker: Mosquitto with TLS on 8883, reachable from the gateway and the device network only', () => {
    const plan = plans.hybrid;
    expect(object(plan, 'ConfigMap', 'mes-edge-mqtt').data['mosquitto.conf']).toContain('listener 8883');
    expect(object(plan, 'Service', 'mes-edge-mqtt').spec).toMatchObject({ type: 'LoadBalancer', loadBalancerSourceRanges: ['192.168.10.0/24'], ports: [{ port: 8883 }] });
    expect(object(plan, 'NetworkPolicy', 'mes-edge-mqtt').spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mes', 'app.kubernetes.io/component': 'edge-gateway', 'mes.dev/site': 'plant-a' } } },
      { ipBlock: { cidr: '192.168.10.0/24' } },
    ]);
  });

  it('S2-5.1.2: a bare box over SSH: the key and configuration written 0600 from stdin, the pinned package, a systemd unit enabled', () => {
    const commands = Object.fromEntries(ofType(plans.hybrid, 'command:remote:Command').map((c) => [c.name, c.inputs]));
    expect(Object.keys(commands).sort()).toEqual(['edge-plant-b-config', 'edge-plant-b-key', 'edge-plant-b-mosquitto', 'edge-plant-b-package', 'edge-plant-b-prepare', 'edge-plant-b-unit']);
    expect(commands['edge-plant-b-key'].create).toContain('install -m 0600 -o mes-edge -g mes-edge /dev/stdin /etc/mes-edge/keys/gateway.pem');
    expect(commands['edge-plant-b-key'].stdin).toBe(key);
    expect(commands['edge-plant-b-key'].create).not.toContain('PRIVATE KEY');
    expect(JSON.parse(commands['edge-plant-b-config'].stdin)).toMatchObject({ gatewayId: '7c9e6679-7425-40de-944b-e07fc1f90ae7.plant-b-gw1', brokerUrl: 'mqtt://127.0.0.1:1883', keyFile: EDGE_CONTRACT.keyFile });
    expect(commands['edge-plant-b-config'].create).toContain('install -m 0600 -o mes-edge -g mes-edge /dev/stdin /etc/mes-edge/gateway.json');
    expect(commands['edge-plant-b-package'].create).toContain('npm install -g --prefix /opt/mes/');
    expect(commands['edge-plant-b-package'].create).toContain('--registry https://npm.factory.example.com @mes/cli@0.1.0');
    expect(commands['edge-plant-b-prepare'].create).toContain('useradd --system --uid 10002');
    expect(commands['edge-plant-b-prepare'].create).toContain('install -d -m 0750 -o mes-edge -g mes-edge /var/lib/mes-edge\n');
    expect(commands['edge-plant-b-unit'].stdin).toContain('ExecStart=/usr/local/bin/mes edge run --config /etc/mes-edge/gateway.json');
    expect(commands['edge-plant-b-unit'].stdin).toContain('ReadWritePaths=/var/lib/mes-edge');
    expect(commands['edge-plant-b-unit'].create).toContain('systemctl enable mes-edge.service');
    expect(commands['edge-plant-b-unit'].delete).toContain('systemctl disable --now mes-edge.service');
    expect(commands['edge-plant-b-unit'].connection).toMatchObject({ host: '10.20.0.15', user: 'ops', port: 22, privateKey: key });
  });

  it('a box with an unpinned package is refused, naming it', async () => {
    const err = await planWithMocks(async () => {
      new MesEdgeBox('b', { site: 's', gatewayId: 'g', cloudUrl: 'https://mes.example.com', devices: [], ssh: { host: 'h', port: 22, user: 'u', privateKey: key }, gatewayKey: key, package: { npm: '@mes/cli' }, mqtt: { tls: false } });
      return {};
    }).then(() => undefined, (e: Error) => e.message);
    expect(err).toBe('MesEdgeBox: package.npm "@mes/cli" is not pinned to an exact version');
  });
});

describe('targets and components', () => {
  it('S1-5.3.1-b: the public, private and hybrid targets plan complete and policy-clean', () => {
    const kinds = (plan: Plan) => new Set(plan.resources.map((r) => r.type.split(':').pop()));
    for (const target of ['public', 'private', 'hybrid'] as const) {
      expect(violations(plans[target], example(target)), target).toEqual([]);
      for (const kind of ['Namespace', 'Deployment', 'Service', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'Job', 'Role']) expect(kinds(plans[target]), `${target} ${kind}`).toContain(kind);
    }
    expect(kinds(plans.public)).toContain('ManagedKubernetes');
    expect(kinds(plans.private)).toContain('Cluster');
    expect(kinds(plans.hybrid)).toContain('PersistentVolumeClaim');
  });

  it('S1-5.3.1-c: each component deploys alone, policy-clean, referencing what the others make', async () => {
    const alone = async (target: 'public' | 'private' | 'hybrid', component: string) => {
      const config = example(target, { components: [component] });
      const plan = await planWithMocks(mesProgram(config, secrets), { stack: `${target}-${component}` });
      expect(violations(plan, config), `${target} ${component}`).toEqual([]);
      return { plan, outputs: plan.outputs as unknown as StackOutputs, kinds: new Set(plan.resources.map((r) => r.type.split(':').pop())) };
    };
    const platform = await alone('private', 'platform');
    expect(platform.kinds).toContain('Deployment');
    expect(platform.kinds).not.toContain('Cluster');
    expect(platform.outputs.expectedSecrets).toContainEqual({ namespace: 'mes', name: 'mes-db-app', keys: ['uri'] });
    const database = await alone('private', 'database');
    expect(database.kinds).toContain('Cluster');
    expect(database.kinds).not.toContain('Deployment');
    const edge = await alone('hybrid', 'edge');
    expect([...edge.kinds].filter((k) => k === 'Cluster' || k === 'HorizontalPodAutoscaler')).toEqual([]);
    expect(ofType(edge.plan, 'Deployment').map((d) => d.inputs.metadata.name).sort()).toEqual(['mes-edge-gateway', 'mes-edge-mqtt']);
    const cluster = await alone('public', 'cluster');
    expect([...cluster.kinds].sort()).toEqual(['AckCluster', 'Key', 'ManagedKubernetes', 'NodePool', 'Stack', 'StorageClass', 'alicloud', 'kubernetes']);
  });
});
