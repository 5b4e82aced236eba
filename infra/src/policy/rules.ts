/**
 * The MES policy rules as pure functions of a resource's type and properties (or of the whole
 * stack). The policy pack (policies.ts) hands them to Pulumi for `preview`/`up`; `mes infra
 * render` and the S1-6.1-a check run the same functions on a plan made under mocks.
 */
import { isPinnedImage } from '../config.js';

export interface PolicyResource {
  /** Pulumi type token, e.g. kubernetes:apps/v1:Deployment. */
  type: string;
  name: string;
  props: Record<string, any>;
  urn?: string;
}

export interface PolicyConfig {
  /** Storage classes known to encrypt at rest. */
  encryptedStorageClasses: string[];
}

export interface ResourceRule {
  name: string;
  description: string;
  /** Violation messages; empty when the resource passes. */
  check(resource: PolicyResource, config: PolicyConfig): string[];
}

export interface StackViolation {
  resource?: PolicyResource;
  message: string;
}

export interface StackRule {
  name: string;
  description: string;
  check(resources: PolicyResource[], config: PolicyConfig): StackViolation[];
}

export interface Violation {
  policy: string;
  resource?: string;
  message: string;
}

const K8S = 'kubernetes:';
const CNPG_CLUSTER = 'kubernetes:postgresql.cnpg.io/v1:Cluster';
const WORKLOADS = ['apps/v1:Deployment', 'apps/v1:StatefulSet', 'apps/v1:DaemonSet', 'apps/v1:ReplicaSet', 'core/v1:Pod', 'batch/v1:Job', 'batch/v1:CronJob'].map((t) => K8S + t);
const LONG_RUNNING = ['apps/v1:Deployment', 'apps/v1:StatefulSet', 'apps/v1:DaemonSet', 'apps/v1:ReplicaSet', 'core/v1:Pod'].map((t) => K8S + t);

/** The pod spec inside a workload's properties. */
export function podSpecOf(r: PolicyResource): Record<string, any> | undefined {
  const p = r.props;
  if (r.type === `${K8S}core/v1:Pod`) return p.spec;
  if (r.type === `${K8S}batch/v1:CronJob`) return p.spec?.jobTemplate?.spec?.template?.spec;
  return p.spec?.template?.spec;
}

function podLabelsOf(r: PolicyResource): Record<string, string> {
  return (r.type === `${K8S}core/v1:Pod` ? r.props.metadata?.labels : r.props.spec?.template?.metadata?.labels) ?? {};
}

const kindOf = (r: PolicyResource) => r.type.split(':').pop()!;
const namespaceOf = (r: PolicyResource): string => r.props.metadata?.namespace ?? '(default)';
const label = (r: PolicyResource) => `${kindOf(r)} ${r.props.metadata?.name ?? r.name}`;
const containersOf = (spec: Record<string, any> | undefined) => [
  ...((spec?.containers ?? []) as Array<Record<string, any>>).map((c) => ({ c, init: false })),
  ...((spec?.initContainers ?? []) as Array<Record<string, any>>).map((c) => ({ c, init: true })),
];

function missingResources(resources: Record<string, any> | undefined): string[] {
  const need = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];
  return need.filter((path) => {
    const [group, name] = path.split('.');
    return resources?.[group]?.[name] === undefined || resources?.[group]?.[name] === '';
  });
}

export const containersHaveResourcesAndProbes: ResourceRule = {
  name: 'containers-have-resources-and-probes',
  description: 'Every container requests and limits CPU and memory; every long-running container has readiness and liveness probes.',
  check(r) {
    if (r.type === CNPG_CLUSTER) {
      const missing = missingResources(r.props.spec?.resources);
      return missing.length ? [`${label(r)}: spec.resources lacks ${missing.join(', ')}`] : [];
    }
    if (!WORKLOADS.includes(r.type)) return [];
    const problems: string[] = [];
    for (const { c, init } of containersOf(podSpecOf(r))) {
      const missing = missingResources(c.resources);
      if (missing.length) problems.push(`${label(r)}: container ${c.name} lacks resources ${missing.join(', ')}`);
      if (!init && LONG_RUNNING.includes(r.type)) {
        if (!c.readinessProbe) problems.push(`${label(r)}: container ${c.name} has no readinessProbe`);
        if (!c.livenessProbe) problems.push(`${label(r)}: container ${c.name} has no livenessProbe`);
      }
    }
    return problems;
  },
};

export const imagesPinned: ResourceRule = {
  name: 'images-pinned',
  description: 'Every image names a version tag other than latest, or a digest.',
  check(r) {
    if (r.type === CNPG_CLUSTER) {
      const image = r.props.spec?.imageName;
      return image !== undefined && !isPinnedImage(image) ? [`${label(r)}: imageName "${image}" is not pinned`] : [];
    }
    if (!WORKLOADS.includes(r.type)) return [];
    return containersOf(podSpecOf(r))
      .filter(({ c }) => typeof c.image !== 'string' || !isPinnedImage(c.image))
      .map(({ c }) => `${label(r)}: container ${c.name} image "${c.image}" is not pinned (use a version tag, not latest, or a @sha256 digest)`);
  },
};

const DATABASE_PORTS = [5432, 3306, 1433, 1521, 27017, 6379];
const OPEN = ['0.0.0.0/0', '0.0.0.0', '::/0'];

function selectsDatabase(selector: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  return 'cnpg.io/cluster' in selector || selector['app.kubernetes.io/component'] === 'database';
}

export const databaseNotPublic: ResourceRule = {
  name: 'database-not-public',
  description: 'No database is reachable from outside: no public endpoint, no open allow-list, no LoadBalancer or NodePort in front of it.',
  check(r) {
    const p = r.props;
    switch (r.type) {
      case 'alicloud:rds/instance:Instance': {
        const open = ((p.securityIps ?? []) as string[]).filter((ip) => OPEN.includes(ip));
        const problems = open.length ? [`RDS instance ${r.name}: securityIps allows ${open.join(', ')} (the whole Internet)`] : [];
        if (!p.securityIps?.length) problems.push(`RDS instance ${r.name}: give securityIps (the cluster's vSwitch CIDRs)`);
        return problems;
      }
      case 'alicloud:rds/connection:Connection':
      case 'alicloud:rds/dbProxyPublic:DbProxyPublic':
        return [`${r.type.split(':').pop()} ${r.name}: a public connection string makes the database reachable from the Internet`];
      case `${K8S}core/v1:Service`: {
        const exposed = p.spec?.type === 'LoadBalancer' || p.spec?.type === 'NodePort' || (p.spec?.externalIPs ?? []).length > 0;
        const database = selectsDatabase(p.spec?.selector) || ((p.spec?.ports ?? []) as Array<{ port: number }>).some((port) => DATABASE_PORTS.includes(port.port));
        return exposed && database ? [`${label(r)}: a ${p.spec?.type ?? 'Service'} in front of a database makes it reachable from outside the cluster`] : [];
      }
      case CNPG_CLUSTER: {
        const services = (p.spec?.managed?.services?.additional ?? []) as Array<{ serviceTemplate?: { spec?: { type?: string } } }>;
        return services
          .map((s) => s.serviceTemplate?.spec?.type ?? '')
          .filter((type) => type === 'LoadBalancer' || type === 'NodePort')
          .map((type) => `${label(r)}: an additional ${type} service exposes the database`);
      }
      case `${K8S}networking.k8s.io/v1:NetworkPolicy`: {
        if (!selectsDatabase(p.spec?.podSelector?.matchLabels)) return [];
        const rules = (p.spec?.ingress ?? []) as Array<{ from?: Array<{ ipBlock?: { cidr: string } }> }>;
        return rules.some((rule) => !rule.from || rule.from.some((f) => OPEN.includes(f.ipBlock?.cidr ?? '')))
          ? [`${label(r)}: admits connections to the database from any address`]
          : [];
      }
      default:
        return [];
    }
  },
};

export const storageEncrypted: ResourceRule = {
  name: 'storage-encrypted',
  description: 'Volumes, database disks, backups and cluster secrets are encrypted at rest.',
  check(r, config) {
    const p = r.props;
    const encryptedClass = (cls: string | undefined, what: string) =>
      !cls ? [`${label(r)}: ${what} names no storage class (the cluster default may not encrypt): use one of ${config.encryptedStorageClasses.join(', ') || '(none declared)'}`]
        : !config.encryptedStorageClasses.includes(cls) ? [`${label(r)}: ${what} uses storage class "${cls}", not declared encrypted (${config.encryptedStorageClasses.join(', ') || 'none declared'})`]
          : [];
    switch (r.type) {
      case `${K8S}core/v1:PersistentVolumeClaim`:
        return encryptedClass(p.spec?.storageClassName, 'the claim');
      case `${K8S}apps/v1:StatefulSet`:
        return ((p.spec?.volumeClaimTemplates ?? []) as Array<Record<string, any>>).flatMap((t) => encryptedClass(t.spec?.storageClassName, `volume claim template ${t.metadata?.name}`));
      case `${K8S}storage.k8s.io/v1:StorageClass`:
        return p.parameters?.encrypted === 'true' ? [] : [`${label(r)}: parameters.encrypted is not "true"`];
      case CNPG_CLUSTER: {
        const problems = [...encryptedClass(p.spec?.storage?.storageClass, 'spec.storage'), ...(p.spec?.walStorage ? encryptedClass(p.spec.walStorage.storageClass, 'spec.walStorage') : [])];
        const store = p.spec?.backup?.barmanObjectStore;
        if (store && (!store.data?.encryption || !store.wal?.encryption)) problems.push(`${label(r)}: backups are not encrypted (barmanObjectStore.data.encryption and wal.encryption)`);
        return problems;
      }
      case 'alicloud:rds/instance:Instance':
        return !p.encryptionKey || p.encryptionKey === 'disabled' ? [`RDS instance ${r.name}: no encryptionKey, its disks are not encrypted`] : [];
      case 'alicloud:cs/nodePool:NodePool': {
        const problems = p.systemDiskEncrypted === true ? [] : [`node pool ${r.name}: systemDiskEncrypted is not true`];
        for (const disk of (p.dataDisks ?? []) as Array<{ encrypted?: string }>) if (disk.encrypted !== 'true') problems.push(`node pool ${r.name}: a data disk is not encrypted`);
        return problems;
      }
      case 'alicloud:cs/managedKubernetes:ManagedKubernetes':
        return p.encryptionProviderKey ? [] : [`managed cluster ${r.name}: no encryptionProviderKey, Secrets are stored unencrypted`];
      default:
        return [];
    }
  },
};

const SECRET_NAME = /(password|passwd|secret|token|private[-_]?key|credential|api[-_]?key)/i;
const SECRET_VALUE = [
  { re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a private key' },
  { re: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, what: 'a URL with a password' },
  { re: /\bmes_[0-9a-f]{32}_[0-9a-f]{32}_\S+/, what: 'an MES API key' },
];

function secretInValue(value: string): string | undefined {
  const hit = SECRET_VALUE.find((s) => s.re.test(value));
  if (hit) return hit.what;
  try {
    const parsed: unknown = JSON.parse(value);
    const keys: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, inner] of Object.entries(v)) {
        if (SECRET_NAME.test(k) && typeof inner === 'string' && inner !== '') keys.push(k);
        walk(inner);
      }
    };
    walk(parsed);
    return keys.length ? `a value under "${keys[0]}"` : undefined;
  } catch {
    return undefined;
  }
}

export const noSecretsInConfigMaps: ResourceRule = {
  name: 'no-secrets-in-configmaps',
  description: 'Passwords, keys, tokens and credentials go into Secrets, never into plain ConfigMaps.',
  check(r) {
    if (r.type !== `${K8S}core/v1:ConfigMap`) return [];
    const problems: string[] = [];
    for (const [key, value] of Object.entries({ ...(r.props.data ?? {}), ...(r.props.binaryData ?? {}) })) {
      if (SECRET_NAME.test(key)) problems.push(`${label(r)}: key "${key}" looks like a secret: put it in a Secret`);
      const found = typeof value === 'string' ? secretInValue(value) : undefined;
      if (found) problems.push(`${label(r)}: key "${key}" holds ${found}: put it in a Secret`);
    }
    return problems;
  },
};

export const pdbWhenReplicated: StackRule = {
  name: 'pdb-when-replicated',
  description: 'A workload with more than one replica has a PodDisruptionBudget selecting its pods.',
  check(resources) {
    const pdbs = resources.filter((r) => r.type === `${K8S}policy/v1:PodDisruptionBudget`);
    const hpas = resources.filter((r) => r.type === `${K8S}autoscaling/v2:HorizontalPodAutoscaler`);
    const violations: StackViolation[] = [];
    for (const r of resources) {
      if (r.type === CNPG_CLUSTER) {
        if ((r.props.spec?.instances ?? 1) > 1 && r.props.spec?.enablePDB === false) violations.push({ resource: r, message: `${label(r)}: ${r.props.spec.instances} instances with enablePDB false` });
        continue;
      }
      if (r.type !== `${K8S}apps/v1:Deployment` && r.type !== `${K8S}apps/v1:StatefulSet`) continue;
      const name = r.props.metadata?.name;
      const hpa = hpas.find((h) => namespaceOf(h) === namespaceOf(r) && h.props.spec?.scaleTargetRef?.name === name);
      const replicas = Math.max(r.props.spec?.replicas ?? 1, hpa?.props.spec?.minReplicas ?? 0);
      if (replicas <= 1) continue;
      const labels = podLabelsOf(r);
      if (!pdbs.some((pdb) => namespaceOf(pdb) === namespaceOf(r) && pdb.props.spec?.selector !== undefined && selects(pdb.props.spec.selector, labels))) {
        violations.push({ resource: r, message: `${label(r)} in ${namespaceOf(r)}: ${replicas} replicas and no PodDisruptionBudget selects its pods` });
      }
    }
    return violations;
  },
};

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** Whether a label selector (matchLabels and matchExpressions, as Kubernetes reads them) selects these labels. */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    switch (e.operator) {
      case 'In':
        return e.values?.includes(labels[e.key]) ?? false;
      case 'NotIn':
        return !(e.values ?? []).includes(labels[e.key]);
      case 'Exists':
        return e.key in labels;
      case 'DoesNotExist':
        return !(e.key in labels);
      default:
        return false;
    }
  });
  return byLabel && byExpression;
}

/** The labels of the pods a workload runs (a CloudNativePG cluster's instances carry cnpg.io/cluster). */
function podsOf(r: PolicyResource): Record<string, string> {
  if (r.type === CNPG_CLUSTER) return { ...(r.props.spec?.inheritedMetadata?.labels ?? {}), 'cnpg.io/cluster': r.props.metadata?.name };
  if (r.type === `${K8S}batch/v1:CronJob`) return r.props.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  return podLabelsOf(r);
}

export const networkPolicyPresent: StackRule = {
  name: 'network-policy-present',
  description: 'Every workload\'s pods are denied by default: a NetworkPolicy in their namespace selects them for Ingress and Egress and allows nothing; other policies open what they need.',
  check(resources) {
    const denying = resources.filter((r) => {
      if (r.type !== `${K8S}networking.k8s.io/v1:NetworkPolicy`) return false;
      const s = r.props.spec ?? {};
      const types: string[] = s.policyTypes ?? [];
      return types.includes('Ingress') && types.includes('Egress') && !(s.ingress ?? []).length && !(s.egress ?? []).length;
    });
    return resources
      .filter((r) => WORKLOADS.includes(r.type) || r.type === CNPG_CLUSTER)
      .filter((r) => !denying.some((p) => namespaceOf(p) === namespaceOf(r) && selects(p.props.spec?.podSelector, podsOf(r))))
      .map((r) => ({ resource: r, message: `${label(r)} in ${namespaceOf(r)}: no default-deny NetworkPolicy (policyTypes Ingress and Egress, no rules) selects its pods` }));
  },
};

export const RESOURCE_RULES: ResourceRule[] = [containersHaveResourcesAndProbes, imagesPinned, databaseNotPublic, storageEncrypted, noSecretsInConfigMaps];
export const STACK_RULES: StackRule[] = [pdbWhenReplicated, networkPolicyPresent];

/** Every rule over every resource: what the pack would report as mandatory violations. */
export function evaluatePolicies(resources: PolicyResource[], config: PolicyConfig): Violation[] {
  const violations: Violation[] = [];
  for (const rule of RESOURCE_RULES) for (const r of resources) for (const message of rule.check(r, config)) violations.push({ policy: rule.name, resource: `${r.type}::${r.name}`, message });
  for (const rule of STACK_RULES) for (const v of rule.check(resources, config)) violations.push({ policy: rule.name, ...(v.resource ? { resource: `${v.resource.type}::${v.resource.name}` } : {}), message: v.message });
  return violations;
}
