/**
 * The stack configuration: one JSON document that says where the MES goes (target), what runs
 * there (components) and how. Validated as a whole before any resource is declared, so a bad
 * configuration fails with every problem named by its path, never half-way through a deployment.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Where a secret value comes from when `mes infra` deploys: never the configuration file itself. */
export const SecretSource = Type.Union([
  Type.Object({ env: Type.String({ minLength: 1, description: 'environment variable holding the value' }) }, { additionalProperties: false }),
  Type.Object({ file: Type.String({ minLength: 1, description: 'file holding the value (relative to the configuration file)' }) }, { additionalProperties: false }),
]);
export type SecretSource = Static<typeof SecretSource>;

const dnsLabel = (extra: { default?: string } = {}) => Type.String({ pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', description: 'a DNS label: lower-case letters, digits and -', ...extra });
const Quantity = Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$', description: 'a Kubernetes quantity such as 250m, 512Mi, 20Gi' });
const Labels = Type.Record(Type.String({ minLength: 1 }), Type.String());
const Cidr = Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$', description: 'an IPv4 CIDR such as 10.0.5.0/24' });

const Resources = Type.Object(
  {
    requests: Type.Object({ cpu: Quantity, memory: Quantity }, { additionalProperties: false }),
    limits: Type.Object({ cpu: Quantity, memory: Quantity }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type Resources = Static<typeof Resources>;

const Kubernetes = Type.Object(
  {
    kubeconfig: Type.Optional(Type.String({ minLength: 1, description: 'kubeconfig file; default: KUBECONFIG or ~/.kube/config' })),
    context: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

const Cluster = Type.Object(
  {
    provider: Type.Literal('alicloud'),
    region: Type.String({ minLength: 1, description: 'e.g. cn-hangzhou' }),
    vpcId: Type.String({ minLength: 1 }),
    /** Where the nodes and the database go: one vSwitch per zone, at least two zones. */
    vswitchIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 2 }),
    /** The vSwitches' CIDRs: the only addresses allowed to reach the database. */
    vswitchCidrs: Type.Array(Cidr, { minItems: 1 }),
    kubernetesVersion: Type.Optional(Type.String()),
    podCidr: Type.String({ default: '172.20.0.0/16' }),
    serviceCidr: Type.String({ default: '172.21.0.0/20' }),
    nodeInstanceTypes: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, default: ['ecs.g7.xlarge'] }),
    nodeCount: Type.Integer({ minimum: 2, default: 3 }),
    /** A public API server endpoint (off by default: reach it from the VPC or a bastion). */
    publicApiServer: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

const Backup = Type.Object(
  {
    /** s3://bucket/path of an S3-compatible object store. */
    destinationPath: Type.String({ pattern: '^s3://[^/]+(/.*)?$' }),
    endpointUrl: Type.Optional(Type.String({ pattern: '^https://' })),
    /** Six-field cron of the base backups (CloudNativePG: seconds first). */
    schedule: Type.String({ default: '0 0 2 * * *' }),
    retention: Type.String({ pattern: '^[0-9]+[dwm]$', default: '30d' }),
    accessKeyId: Type.Optional(SecretSource),
    secretAccessKey: Type.Optional(SecretSource),
  },
  { additionalProperties: false },
);

const ExternalDatabase = Type.Object(
  {
    kind: Type.Literal('external'),
    /** The PostgreSQL URL (postgres://user:password@host:5432/db); absent: the Secret must exist. */
    url: Type.Optional(SecretSource),
    /** Where the database is: the API's only egress besides DNS. */
    cidrs: Type.Array(Cidr, { minItems: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 5432 }),
  },
  { additionalProperties: false },
);

const CloudNativePg = Type.Object(
  {
    kind: Type.Literal('cloudnativepg'),
    instances: Type.Integer({ minimum: 1, default: 3 }),
    imageName: Type.String({ default: 'ghcr.io/cloudnative-pg/postgresql:16.6' }),
    storageSize: Quantity,
    storageClass: Type.String({ minLength: 1 }),
    resources: Type.Optional(Resources),
    operatorNamespace: Type.String({ default: 'cnpg-system' }),
    backup: Backup,
  },
  { additionalProperties: false },
);

const AlicloudRds = Type.Object(
  {
    kind: Type.Literal('alicloud-rds'),
    engineVersion: Type.String({ default: '16.0' }),
    instanceType: Type.String({ default: 'pg.n2.2c.2m' }),
    storageGb: Type.Integer({ minimum: 20, default: 100 }),
    /** The privileged account's password (the URL in the Secret is built from it). */
    password: Type.Optional(SecretSource),
    backupRetentionDays: Type.Integer({ minimum: 7, default: 30 }),
  },
  { additionalProperties: false },
);

const Database = Type.Union([ExternalDatabase, CloudNativePg, AlicloudRds]);
export type DatabaseConfig = Static<typeof Database>;

const Autoscaling = Type.Object(
  {
    minReplicas: Type.Integer({ minimum: 1, default: 2 }),
    maxReplicas: Type.Integer({ minimum: 1, default: 10 }),
    cpuUtilization: Type.Integer({ minimum: 1, maximum: 100, default: 70 }),
    /** Target requests per second per pod (mes_http_requests_per_second from the metrics adapter). */
    requestsPerSecond: Type.Number({ exclusiveMinimum: 0, default: 50 }),
  },
  { additionalProperties: false },
);

const Platform = Type.Object(
  {
    image: Type.String({ minLength: 1, description: 'the MES container image, pinned by tag or digest' }),
    release: Type.Optional(Type.String({ minLength: 1, description: 'release name; default: the image tag' })),
    replicas: Type.Integer({ minimum: 1, default: 3 }),
    autoscaling: Type.Optional(Autoscaling),
    resources: Type.Optional(Resources),
    dbPoolSize: Type.Integer({ minimum: 1, default: 10 }),
    logLevel: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace')], { default: 'info' }),
    ingress: Type.Object(
      {
        host: Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' }),
        tlsSecret: Type.String({ minLength: 1, description: 'Secret of type kubernetes.io/tls (e.g. made by cert-manager)' }),
        className: Type.Optional(Type.String()),
        annotations: Type.Optional(Labels),
        /**
         * Namespaces (of the ingress controller, Prometheus) and CIDRs (the control plane, whose pod
         * proxy the conformance driver reads /metrics through) allowed to reach the API pods; neither
         * given: any source, on the API port only.
         */
        fromNamespaces: Type.Optional(Type.Array(dnsLabel())),
        fromCidrs: Type.Optional(Type.Array(Cidr)),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PlatformConfig = Static<typeof Platform>;

/** An entry of the gateway's device map (docs/edge.md): its equipment code, the rest passed through. */
const Device = Type.Object({ device: Type.String({ minLength: 1 }) }, { additionalProperties: true });

const EdgeSite = Type.Object(
  {
    name: dnsLabel(),
    mode: Type.Union([Type.Literal('kubernetes'), Type.Literal('systemd')]),
    gatewayId: Type.String({ minLength: 1 }),
    /** The MES the gateway forwards to; default https://<platform.ingress.host>. */
    cloudUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    devices: Type.Array(Device),
    /** The gateway's Ed25519 private signing key (PEM); absent: the Secret must exist (kubernetes mode). */
    gatewayKey: Type.Optional(SecretSource),
    mqtt: Type.Object(
      {
        tls: Type.Boolean({ default: false }),
        image: Type.String({ default: 'eclipse-mosquitto:2.0.20' }),
        /** Device networks allowed to publish to the broker. */
        deviceCidrs: Type.Array(Cidr, { default: [] }),
      },
      { additionalProperties: false, default: {} },
    ),
    // kubernetes mode
    kubernetes: Type.Optional(Kubernetes),
    nodeSelector: Type.Optional(Labels),
    workload: Type.Union([Type.Literal('Deployment'), Type.Literal('DaemonSet')], { default: 'Deployment' }),
    journal: Type.Object({ size: Quantity, storageClass: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false, default: { size: '10Gi' } }),
    resources: Type.Optional(Resources),
    // systemd mode
    ssh: Type.Optional(
      Type.Object(
        {
          host: Type.String({ minLength: 1 }),
          port: Type.Integer({ minimum: 1, maximum: 65535, default: 22 }),
          user: Type.String({ minLength: 1 }),
          privateKey: SecretSource,
          /** The box's SSH host key (as in known_hosts); absent: the first connection's key is trusted. */
          hostKey: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    package: Type.Optional(
      Type.Union([
        Type.Object({ npm: Type.String({ minLength: 1, description: 'an exact npm spec such as @mes/cli@0.2.0' }), registry: Type.Optional(Type.String({ pattern: '^https?://' })) }, { additionalProperties: false }),
        Type.Object({ tarball: Type.String({ minLength: 1, description: 'a built mes bundle (.tgz) on this machine' }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }, { additionalProperties: false }),
      ]),
    ),
    node: Type.Optional(Type.Object({ tarballUrl: Type.String({ pattern: '^https://.*\\.tar\\.(gz|xz)$' }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type EdgeSiteConfig = Static<typeof EdgeSite>;

export const TARGETS = ['public', 'private', 'hybrid'] as const;
export type Target = (typeof TARGETS)[number];
export const COMPONENTS = ['cluster', 'database', 'platform', 'edge'] as const;
export type Component = (typeof COMPONENTS)[number];

export const InfraConfigSchema = Type.Object(
  {
    target: Type.Union(TARGETS.map((t) => Type.Literal(t))),
    /** Deploy only these components (each one deploys on its own); default: every one the target has. */
    components: Type.Optional(Type.Array(Type.Union(COMPONENTS.map((c) => Type.Literal(c))), { minItems: 1, uniqueItems: true })),
    namespace: dnsLabel({ default: 'mes' }),
    /** Create the core namespace (false: it exists, made by another stack of this environment or the cluster's owner). */
    manageNamespace: Type.Boolean({ default: true }),
    kubernetes: Type.Optional(Kubernetes),
    cluster: Type.Optional(Cluster),
    database: Database,
    platform: Platform,
    edgeSites: Type.Array(EdgeSite, { default: [] }),
    /** Storage classes that encrypt at rest; every volume must use one. */
    encryptedStorageClasses: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  },
  { additionalProperties: false },
);
export type InfraConfig = Static<typeof InfraConfigSchema>;

export interface ConfigProblem {
  path: string;
  message: string;
}

export class InfraConfigError extends Error {
  readonly code = 'INVALID_INFRA_CONFIG';
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid infrastructure configuration:\n${problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n')}`);
  }
}

/** Defaults applied, shape checked, then the rules that span fields; every problem at once. */
export function validateInfraConfig(raw: unknown): InfraConfig {
  const withDefaults = Value.Default(InfraConfigSchema, structuredClone(raw));
  const shape = shapeProblems(InfraConfigSchema, withDefaults, '');
  if (shape.length) throw new InfraConfigError(dedupe(shape));
  const config = withDefaults as InfraConfig;
  const problems = crossFieldProblems(config);
  if (problems.length) throw new InfraConfigError(problems);
  return config;
}

/** The components a configuration deploys: its `components`, else every one its target has. */
export function componentsOf(config: InfraConfig): Component[] {
  if (config.components) return config.components;
  const all: Component[] = ['database', 'platform'];
  if (config.target === 'public' || config.cluster) all.unshift('cluster');
  if (config.edgeSites.length) all.push('edge');
  return all;
}

/** The release name: given, else the image's tag. */
export function releaseOf(platform: PlatformConfig): string {
  return platform.release ?? imageTag(platform.image) ?? 'unversioned';
}

export function imageTag(image: string): string | undefined {
  if (image.includes('@sha256:')) return image.split('@sha256:')[1].slice(0, 12);
  const last = image.split('/').pop()!;
  return last.includes(':') ? last.split(':').pop() : undefined;
}

/** Pinned: a digest, or a tag other than latest. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = imageTag(image);
  return !!tag && tag !== 'latest';
}

function crossFieldProblems(c: InfraConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (c.target === 'public') {
    if (!c.cluster) add('cluster', 'the public target runs on a managed Kubernetes cluster: give cluster {provider: "alicloud", region, vpcId, vswitchIds, vswitchCidrs}');
    if (c.database.kind !== 'alicloud-rds') add('database.kind', `the public target uses a managed database: "alicloud-rds", not "${c.database.kind}"`);
  }
  if (c.target === 'private') {
    if (c.cluster) add('cluster', 'the private target runs on a cluster you already have (kubernetes.kubeconfig/context); remove cluster or use the public or hybrid target');
    if (c.database.kind === 'alicloud-rds') add('database.kind', 'the private target keeps the database in your data centre: "cloudnativepg" or "external"');
  }
  if (c.target === 'hybrid' && !c.edgeSites.length) add('edgeSites', 'the hybrid target is a cloud core plus at least one edge site');
  if (c.database.kind === 'alicloud-rds' && !c.cluster) add('database.kind', '"alicloud-rds" goes into the managed cluster\'s VPC: give cluster too');
  if (c.components?.includes('cluster') && !c.cluster) add('components', 'the cluster component needs the cluster section');
  if (c.components?.includes('edge') && !c.edgeSites.length) add('components', 'the edge component needs at least one entry in edgeSites');
  if (!isPinnedImage(c.platform.image)) add('platform.image', `"${c.platform.image}" is not pinned: use a version tag (not latest) or a @sha256 digest`);
  const a = c.platform.autoscaling;
  if (a && a.minReplicas > a.maxReplicas) add('platform.autoscaling', `minReplicas ${a.minReplicas} is above maxReplicas ${a.maxReplicas}`);
  if (c.database.kind === 'cloudnativepg') {
    if (!isPinnedImage(c.database.imageName)) add('database.imageName', `"${c.database.imageName}" is not pinned: use a version tag or a digest`);
    if (!c.encryptedStorageClasses.includes(c.database.storageClass)) add('database.storageClass', `"${c.database.storageClass}" is not in encryptedStorageClasses: the database's volumes must be encrypted at rest`);
    const { accessKeyId, secretAccessKey } = c.database.backup;
    if (!accessKeyId !== !secretAccessKey) add('database.backup', 'give both accessKeyId and secretAccessKey, or neither (the Secret mes-db-backup-s3 must then exist)');
  }
  const names = new Set<string>();
  c.edgeSites.forEach((site, i) => {
    const at = `edgeSites.${i}`;
    if (names.has(site.name)) add(`${at}.name`, `two edge sites are named "${site.name}"`);
    names.add(site.name);
    if (!isPinnedImage(site.mqtt.image)) add(`${at}.mqtt.image`, `"${site.mqtt.image}" is not pinned`);
    const codes = site.devices.map((d) => d.device);
    const dup = codes.find((code, j) => codes.indexOf(code) !== j);
    if (dup) add(`${at}.devices`, `device "${dup}" appears twice`);
    if (site.mode === 'systemd') {
      if (!site.ssh) add(`${at}.ssh`, 'a systemd edge box is installed over SSH: give ssh {host, user, privateKey}');
      if (!site.package) add(`${at}.package`, 'a systemd edge box needs the mes package: {npm: "@mes/cli@<version>"} or {tarball, sha256}');
      else if ('npm' in site.package && !/@\d+\.\d+\.\d+[^\s]*$/.test(site.package.npm)) add(`${at}.package.npm`, `"${site.package.npm}" is not pinned: name an exact version, e.g. @mes/cli@0.2.0`);
      if (!site.gatewayKey) add(`${at}.gatewayKey`, 'a systemd edge box needs its signing key: gatewayKey {file} or {env}');
    } else {
      if (site.ssh || site.package || site.node) add(at, 'ssh, package and node are for mode "systemd"; a kubernetes site runs the container image');
      const storageClass = site.journal.storageClass;
      if (!storageClass) add(`${at}.journal.storageClass`, 'name the storage class of the journal volume (one of encryptedStorageClasses)');
      else if (!c.encryptedStorageClasses.includes(storageClass)) add(`${at}.journal.storageClass`, `"${storageClass}" is not in encryptedStorageClasses: the journal must be encrypted at rest`);
    }
  });
  return problems;
}

/**
 * Schema errors by dotted path. A value that matches no member of a union (a database of kind
 * "cloudnativepg" missing its storageClass) is reported against the member it comes closest to,
 * not as "Expected union value".
 */
function shapeProblems(schema: TSchema, value: unknown, base: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const e of Value.Errors(schema, value)) {
    const path = joinPath(base, e.path);
    const members = e.schema.anyOf as TSchema[] | undefined;
    if (members && e.value && typeof e.value === 'object') {
      const member = members.find((m) => discriminatedBy(m, e.value as Record<string, unknown>));
      const candidates = (member ? [member] : members).map((m) => shapeProblems(m, Value.Default(m, structuredClone(e.value)), path));
      const closest = candidates.reduce((best, c) => (c.length < best.length ? c : best));
      if (closest.length) {
        problems.push(...closest);
        continue;
      }
    }
    problems.push({ path, message: shapeMessage(e.schema, e.message) });
  }
  return problems;
}

/** The union member whose literal properties (a database's `kind`) the value carries. */
function discriminatedBy(member: TSchema, value: Record<string, unknown>): boolean {
  const literals = Object.entries((member.properties ?? {}) as Record<string, TSchema>).filter(([, p]) => p.const !== undefined);
  return literals.length > 0 && literals.every(([k, p]) => value[k] === p.const);
}

function joinPath(base: string, pointer: string): string {
  const rest = pointer.replace(/^\//, '').replace(/\//g, '.');
  return [base, rest].filter(Boolean).join('.');
}

function shapeMessage(schema: TSchema, raw: string): string {
  const message = raw === 'Expected required property' ? MISSING : raw;
  if (schema.description) return `${message} (${schema.description})`;
  if (schema.pattern) return `${message} (pattern ${schema.pattern})`;
  return message;
}

/** One problem per path and message; a missing property is reported as missing, not also as mistyped. */
function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const missing = new Set(problems.filter((p) => p.message.startsWith(MISSING)).map((p) => p.path));
  const seen = new Set<string>();
  return problems
    .filter((p) => !missing.has(p.path) || p.message.startsWith(MISSING))
    .filter((p) => !seen.has(`${p.path}|${p.message}`) && seen.add(`${p.path}|${p.message}`));
}

const MISSING = 'is required';
