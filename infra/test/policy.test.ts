/**
 * Every policy rule against a resource that passes and one that violates it; the rules through
 * @pulumi/policy's own validateResource/validateStack; and the pack as the Pulumi engine runs it
 * (infra/policy-pack served over gRPC, asked to analyze a resource).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mesPolicies, resourcePolicies, stackPolicies } from '../src/policy/policies.js';
import {
  containersHaveResourcesAndProbes,
  databaseNotPublic,
  imagesPinned,
  networkPolicyPresent,
  noSecretsInConfigMaps,
  pdbWhenReplicated,
  storageEncrypted,
  type PolicyResource,
} from '../src/policy/rules.js';

const config = { encryptedStorageClasses: ['encrypted-ssd'] };
const k8s = (type: string, props: Record<string, any>): PolicyResource => ({ type: `kubernetes:${type}`, name: props.metadata?.name ?? 'r', props });
const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } };
const probe = { httpGet: { path: '/healthz', port: 8080 } };
const container = (over: Record<string, unknown> = {}) => ({ name: 'mes', image: 'registry.example.com/mes/server:0.1.0', resources, readinessProbe: probe, livenessProbe: probe, ...over });
const deployment = (over: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
  k8s('apps/v1:Deployment', { metadata: { name: 'mes', namespace: 'mes' }, spec: { replicas: 3, selector: { matchLabels: { app: 'mes' } }, template: { metadata: { labels: { app: 'mes', tier: 'api' } }, spec: { containers: [container(over)] } }, ...spec } });
const check = (rule: { check(r: PolicyResource, c: typeof config): string[] }, r: PolicyResource) => rule.check(r, config);

describe('policy rules: one resource that passes, one that violates', () => {
  it('containers-have-resources-and-probes', () => {
    expect(check(containersHaveResourcesAndProbes, deployment())).toEqual([]);
    expect(check(containersHaveResourcesAndProbes, deployment({ resources: { requests: { cpu: '100m' } }, livenessProbe: undefined }))).toEqual([
      'Deployment mes: container mes lacks resources requests.memory, limits.cpu, limits.memory',
      'Deployment mes: container mes has no livenessProbe',
    ]);
    const job = k8s('batch/v1:Job', { metadata: { name: 'migrate' }, spec: { template: { spec: { containers: [{ name: 'm', image: 'x:1', resources }] } } } });
    expect(check(containersHaveResourcesAndProbes, job)).toEqual([]);
    const cluster = k8s('postgresql.cnpg.io/v1:Cluster', { metadata: { name: 'db' }, spec: { resources: { requests: { cpu: '1' } } } });
    expect(check(containersHaveResourcesAndProbes, cluster)).toEqual(['Cluster db: spec.resources lacks requests.memory, limits.cpu, limits.memory']);
  });

  it('images-pinned', () => {
    expect(check(imagesPinned, deployment({ image: `registry.example.com/mes/server@sha256:${'0'.repeat(64)}` }))).toEqual([]);
    expect(check(imagesPinned, deployment({ image: 'registry.example.com/mes/server:latest' }))).toEqual([
      'Deployment mes: container mes image "registry.example.com/mes/server:latest" is not pinned (use a version tag, not latest, or a @sha256 digest)',
    ]);
    expect(check(imagesPinned, deployment({ image: 'registry.example.com:5000/mes/server' }))).toHaveLength(1);
    expect(check(imagesPinned, k8s('postgresql.cnpg.io/v1:Cluster', { metadata: { name: 'db' }, spec: { imageName: 'ghcr.io/cloudnative-pg/postgresql' } }))).toEqual(['Cluster db: imageName "ghcr.io/cloudnative-pg/postgresql" is not pinned']);
  });

  it('database-not-public', () => {
    const rds = (securityIps: string[]): PolicyResource => ({ type: 'alicloud:rds/instance:Instance', name: 'db', props: { securityIps, encryptionKey: 'k' } });
    expect(check(databaseNotPublic, rds(['10.10.1.0/24']))).toEqual([]);
    expect(check(databaseNotPublic, rds(['10.10.1.0/24', '0.0.0.0/0']))).toEqual(['RDS instance db: securityIps allows 0.0.0.0/0 (the whole Internet)']);
    expect(check(databaseNotPublic, { type: 'alicloud:rds/connection:Connection', name: 'public', props: {} })).toHaveLength(1);
    const service = (type: string) => k8s('core/v1:Service', { metadata: { name: 'pg' }, spec: { type, selector: { 'cnpg.io/cluster': 'mes-db' }, ports: [{ port: 5432 }] } });
    expect(check(databaseNotPublic, service('ClusterIP'))).toEqual([]);
    expect(check(databaseNotPublic, service('LoadBalancer'))).toEqual(['Service pg: a LoadBalancer in front of a database makes it reachable from outside the cluster']);
    const mqtt = k8s('core/v1:Service', { metadata: { name: 'mqtt' }, spec: { type: 'LoadBalancer', selector: { app: 'mosquitto' }, ports: [{ port: 8883 }] } });
    expect(check(databaseNotPublic, mqtt)).toEqual([]);
    const policy = (from?: unknown[]) => k8s('networking.k8s.io/v1:NetworkPolicy', { metadata: { name: 'db' }, spec: { podSelector: { matchLabels: { 'cnpg.io/cluster': 'mes-db' } }, ingress: [{ ...(from ? { from } : {}), ports: [{ port: 5432 }] }] } });
    expect(check(databaseNotPublic, policy([{ podSelector: { matchLabels: { app: 'mes' } } }]))).toEqual([]);
    expect(check(databaseNotPublic, policy())).toEqual(['NetworkPolicy db: admits connections to the database from any address']);
  });

  it('storage-encrypted', () => {
    const pvc = (storageClassName?: string) => k8s('core/v1:PersistentVolumeClaim', { metadata: { name: 'journal' }, spec: { ...(storageClassName ? { storageClassName } : {}) } });
    expect(check(storageEncrypted, pvc('encrypted-ssd'))).toEqual([]);
    expect(check(storageEncrypted, pvc('standard'))).toEqual(['PersistentVolumeClaim journal: the claim uses storage class "standard", not declared encrypted (encrypted-ssd)']);
    expect(check(storageEncrypted, pvc())).toEqual([expect.stringContaining('names no storage class')]);
    const cluster = (encryption?: string) => k8s('postgresql.cnpg.io/v1:Cluster', { metadata: { name: 'db' }, spec: { storage: { storageClass: 'encrypted-ssd' }, backup: { barmanObjectStore: { data: { encryption }, wal: { encryption } } } } });
    expect(check(storageEncrypted, cluster('AES256'))).toEqual([]);
    expect(check(storageEncrypted, cluster())).toEqual(['Cluster db: backups are not encrypted (barmanObjectStore.data.encryption and wal.encryption)']);
    expect(check(storageEncrypted, { type: 'alicloud:rds/instance:Instance', name: 'db', props: { encryptionKey: 'disabled' } })).toEqual(['RDS instance db: no encryptionKey, its disks are not encrypted']);
    expect(check(storageEncrypted, { type: 'alicloud:cs/nodePool:NodePool', name: 'nodes', props: { systemDiskEncrypted: true } })).toEqual([]);
    expect(check(storageEncrypted, { type: 'alicloud:cs/nodePool:NodePool', name: 'nodes', props: {} })).toEqual(['node pool nodes: systemDiskEncrypted is not true']);
    expect(check(storageEncrypted, k8s('storage.k8s.io/v1:StorageClass', { metadata: { name: 'fast' }, parameters: { type: 'cloud_essd' } }))).toEqual(['StorageClass fast: parameters.encrypted is not "true"']);
  });

  it('no-secrets-in-configmaps', () => {
    const cm = (data: Record<string, string>) => k8s('core/v1:ConfigMap', { metadata: { name: 'cfg' }, data });
    expect(check(noSecretsInConfigMaps, cm({ 'gateway.json': JSON.stringify({ keyFile: '/etc/mes-edge/keys/gateway.pem', cloudUrl: 'https://mes.example.com' }) }))).toEqual([]);
    expect(check(noSecretsInConfigMaps, cm({ DB_PASSWORD: 'x' }))).toEqual(['ConfigMap cfg: key "DB_PASSWORD" looks like a secret: put it in a Secret']);
    expect(check(noSecretsInConfigMaps, cm({ url: 'postgres://mes:hunter2@db:5432/mes' }))).toEqual(['ConfigMap cfg: key "url" holds a URL with a password: put it in a Secret']);
    expect(check(noSecretsInConfigMaps, cm({ 'key.pem': '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----' }))).toEqual(['ConfigMap cfg: key "key.pem" holds a private key: put it in a Secret']);
    expect(check(noSecretsInConfigMaps, cm({ 'gateway.json': JSON.stringify({ devices: [{ device: 'PLC-1', connection: { password: 'abc' } }] }) }))).toEqual(['ConfigMap cfg: key "gateway.json" holds a value under "password": put it in a Secret']);
  });

  it('pdb-when-replicated', () => {
    const pdb = (matchLabels: Record<string, string>) => k8s('policy/v1:PodDisruptionBudget', { metadata: { name: 'mes', namespace: 'mes' }, spec: { maxUnavailable: 1, selector: { matchLabels } } });
    expect(pdbWhenReplicated.check([deployment(), pdb({ app: 'mes' })], config)).toEqual([]);
    expect(pdbWhenReplicated.check([deployment(), pdb({ app: 'other' })], config).map((v) => v.message)).toEqual(['Deployment mes in mes: 3 replicas and no PodDisruptionBudget selects its pods']);
    expect(pdbWhenReplicated.check([deployment({}, { replicas: 1 })], config)).toEqual([]);
    const hpa = k8s('autoscaling/v2:HorizontalPodAutoscaler', { metadata: { name: 'mes', namespace: 'mes' }, spec: { scaleTargetRef: { name: 'mes' }, minReplicas: 2 } });
    expect(pdbWhenReplicated.check([deployment({}, { replicas: 1 }), hpa], config)).toHaveLength(1);
  });

  it('network-policy-present', () => {
    const policy = (podSelector: Record<string, unknown>, rules: Record<string, unknown> = {}) => k8s('networking.k8s.io/v1:NetworkPolicy', { metadata: { name: 'p', namespace: 'mes' }, spec: { podSelector, policyTypes: ['Ingress', 'Egress'], ...rules } });
    const violation = ['Deployment mes in mes: no default-deny NetworkPolicy (policyTypes Ingress and Egress, no rules) selects its pods'];
    expect(networkPolicyPresent.check([deployment(), policy({})], config)).toEqual([]);
    expect(networkPolicyPresent.check([deployment(), policy({ matchLabels: { app: 'mes' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'worker'] }] })], config)).toEqual([]);
    expect(networkPolicyPresent.check([deployment(), policy({ matchLabels: { app: 'mes' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['api'] }] })], config).map((v) => v.message)).toEqual(violation);
    expect(networkPolicyPresent.check([deployment(), policy({}, { ingress: [{}], egress: [{}] })], config).map((v) => v.message)).toEqual(violation);
    const cluster = k8s('postgresql.cnpg.io/v1:Cluster', { metadata: { name: 'mes-db', namespace: 'mes' }, spec: { instances: 3 } });
    expect(networkPolicyPresent.check([cluster, policy({ matchLabels: { 'cnpg.io/cluster': 'mes-db' } })], config)).toEqual([]);
    expect(networkPolicyPresent.check([cluster], config)).toHaveLength(1);
  });
});

describe('the rules as @pulumi/policy policies', () => {
  it('validateResource and validateStack report what the rules find, as mandatory violations with the pack configuration', async () => {
    expect(mesPolicies.map((p) => [p.name, p.enforcementLevel])).toEqual([
      ['containers-have-resources-and-probes', 'mandatory'],
      ['images-pinned', 'mandatory'],
      ['database-not-public', 'mandatory'],
      ['storage-encrypted', 'mandatory'],
      ['no-secrets-in-configmaps', 'mandatory'],
      ['pdb-when-replicated', 'mandatory'],
      ['network-policy-present', 'mandatory'],
    ]);
    const reported: string[] = [];
    const report = (message: string) => reported.push(message);
    const storage = resourcePolicies.find((p) => p.name === 'storage-encrypted')!;
    const args = (r: PolicyResource, classes: string[]) => ({ ...r, urn: `urn:pulumi:s::mes::${r.type}::${r.name}`, getConfig: () => ({ encryptedStorageClasses: classes }) }) as never;
    const pvc = k8s('core/v1:PersistentVolumeClaim', { metadata: { name: 'journal' }, spec: { storageClassName: 'local-encrypted' } });
    await (storage.validateResource as (a: unknown, r: typeof report) => void)(args(pvc, ['local-encrypted']), report);
    expect(reported).toEqual([]);
    await (storage.validateResource as (a: unknown, r: typeof report) => void)(args(pvc, []), report);
    expect(reported).toEqual(['PersistentVolumeClaim journal: the claim uses storage class "local-encrypted", not declared encrypted (none declared)']);
    const network = stackPolicies.find((p) => p.name === 'network-policy-present')!;
    const urns: Array<string | undefined> = [];
    await network.validateStack({ resources: [{ ...deployment(), urn: 'urn:d' }], getConfig: () => ({}) } as never, (m: string, urn?: string) => urns.push(urn) && reported.push(m));
    expect(reported[1]).toBe('Deployment mes in mes: no default-deny NetworkPolicy (policyTypes Ingress and Egress, no rules) selects its pods');
    expect(urns).toEqual(['urn:d']);
  });
});

describe('the policy pack as the Pulumi engine runs it', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  it('serves the MES policies over the analyzer protocol and reports a violation of a resource it is asked about', async () => {
    const packDir = fileURLToPath(new URL('../policy-pack', import.meta.url));
    // What the engine's policy host does: require the pack directory, call its export, read the port.
    const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(packDir)})()`], { cwd: packDir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (d) => resolve(String(d).trim()));
      child.once('exit', (code) => reject(new Error(`the pack exited ${code}: ${stderr}`)));
    });
    const require = createRequire(import.meta.url);
    const grpc = require('@grpc/grpc-js');
    const services = require('@pulumi/pulumi/proto/analyzer_grpc_pb.js');
    const messages = require('@pulumi/pulumi/proto/analyzer_pb.js');
    const { Struct } = require('google-protobuf/google/protobuf/struct_pb.js');
    const { Empty } = require('google-protobuf/google/protobuf/empty_pb.js');
    const client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const call = <T>(method: string, request: unknown) => new Promise<T>((resolve, reject) => client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
    try {
      const info = await call<{ getPoliciesList(): Array<{ getName(): string }>; getName(): string }>('getAnalyzerInfo', new Empty());
      expect(info.getName()).toBe('mes-policies');
      expect(info.getPoliciesList().map((p) => p.getName())).toEqual(mesPolicies.map((p) => p.name));
      const request = new messages.AnalyzeRequest();
      const bad = deployment({ image: 'registry.example.com/mes/server:latest' });
      request.setType(bad.type);
      request.setName('platform-deployment');
      request.setUrn('urn:pulumi:prod::mes::kubernetes:apps/v1:Deployment::platform-deployment');
      request.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(bad.props))));
      request.setOptions(new messages.AnalyzerResourceOptions());
      const response = await call<{ getDiagnosticsList(): Array<{ getPolicyname(): string; getMessage(): string }> }>('analyze', request);
      expect(response.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getMessage()])).toEqual([
        ['images-pinned', expect.stringContaining('image "registry.example.com/mes/server:latest" is not pinned')],
      ]);
    } finally {
      client.close();
    }
  });
});
