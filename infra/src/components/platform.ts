import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { isPinnedImage, type Resources } from '../config.js';
import { checkArgs, containerSecurity, DATABASE_CLIENT_LABEL, DEFAULT_RESOURCES, denyByDefault, DNS_EGRESS, kubeName, labels, podSecurity, selector, type DatabaseEndpoint } from './common.js';
import { CONFORMANCE_ROLE_RULES, CONFORMANCE_SERVICE_ACCOUNT } from './rbac.js';

export interface MesPlatformArgs {
  namespace: pulumi.Input<string>;
  /** The MES container image (entrypoint `mes`), pinned by tag or digest. */
  image: string;
  /** The release name the conformance driver reports (pod annotation mes.dev/release). */
  release: string;
  /** Pods before the autoscaler acts; with autoscaling, its minReplicas. */
  replicas: number;
  autoscaling?: { minReplicas: number; maxReplicas: number; cpuUtilization: number; requestsPerSecond: number };
  resources?: Resources;
  dbPoolSize?: number;
  logLevel?: string;
  ingress: { host: string; tlsSecret: string; className?: string; annotations?: Record<string, string>; fromNamespaces?: string[]; fromCidrs?: string[] };
  database: DatabaseEndpoint;
  /** How a pod stops; the grace period is derived from it. Defaults: 3 s, 5 s, 10 s. */
  shutdown?: { preStopSeconds: number; delayMs: number; timeoutMs: number };
}

export const HTTP_PORT = 8080;
/** The custom metric the HPA follows: a metrics adapter derives it from mes_http_request_duration_seconds_count (docs/infra.md). */
export const REQUEST_RATE_METRIC = 'mes_http_requests_per_second';
const DEFAULT_SHUTDOWN = { preStopSeconds: 3, delayMs: 5000, timeoutMs: 10_000 };

/** preStop + readiness-off delay + drain bound, plus 5 s for the process to exit; never below 30 s. */
export function terminationGraceSeconds(s: { preStopSeconds: number; delayMs: number; timeoutMs: number }): number {
  return Math.max(30, Math.ceil(s.preStopSeconds + (s.delayMs + s.timeoutMs) / 1000 + 5));
}

/**
 * The MES core on Kubernetes: the API Deployment and everything around it (Service, Ingress with
 * TLS, HPA, PodDisruptionBudget, NetworkPolicies), the Job that migrates the database before each
 * rollout, and the ServiceAccounts and Role the conformance runner needs. The database is
 * referenced, not created (MesDatabase makes it), so the platform deploys on its own.
 */
export class MesPlatform extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly deploymentName: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  readonly migrationJobName: pulumi.Output<string>;
  readonly conformanceServiceAccount: pulumi.Output<string>;

  constructor(name: string, args: MesPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mes:infra:Platform', name, {}, opts);
    const shutdown = args.shutdown ?? DEFAULT_SHUTDOWN;
    const a = args.autoscaling;
    checkArgs('MesPlatform', [
      !isPinnedImage(args.image) && `image "${args.image}" is not pinned: use a version tag (not latest) or a @sha256 digest`,
      !(Number.isInteger(args.replicas) && args.replicas >= 1) && `replicas must be a whole number ≥ 1, got ${args.replicas}`,
      !!a && a.minReplicas > a.maxReplicas && `autoscaling.minReplicas ${a.minReplicas} is above maxReplicas ${a.maxReplicas}`,
      !args.ingress.host && 'ingress.host is required',
      !args.ingress.tlsSecret && 'ingress.tlsSecret is required: the API is served over TLS only',
      !args.database.secretName && 'database.secretName is required',
      !args.database.peers.length && 'database.peers is empty: the API could not reach its database through the NetworkPolicy',
    ]);
    const child = { parent: this };
    const ns = args.namespace;
    const resources = args.resources ?? DEFAULT_RESOURCES;
    const meta = (objectName: string, component = 'server') => ({ name: objectName, namespace: ns, labels: labels(component, { 'app.kubernetes.io/version': args.release }) });
    const databaseUrl = { name: 'MES_DATABASE_URL', valueFrom: { secretKeyRef: { name: args.database.secretName, key: args.database.secretKey } } };
    const tmp = { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } };

    const serverAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta('mes'), automountServiceAccountToken: false }, child);

    // Migrations run once per release, before the Deployment changes: the Job is named after the
    // release, Pulumi waits for it to complete, and the pod template refers to it.
    const migration = new k8s.batch.v1.Job(
      `${name}-migrate`,
      {
        metadata: { ...meta(kubeName(`mes-migrate-${args.release}`), 'migration'), annotations: { 'pulumi.com/replaceUnready': 'true' } },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 600,
          template: {
            metadata: { labels: { ...selector('migration'), [DATABASE_CLIENT_LABEL]: 'true' } },
            spec: {
              restartPolicy: 'Never',
              serviceAccountName: serverAccount.metadata.name,
              automountServiceAccountToken: false,
              securityContext: podSecurity(),
              containers: [
                {
                  name: 'migrate',
                  image: args.image,
                  args: ['db', 'migrate', '--json'],
                  env: [databaseUrl, { name: 'HOME', value: '/tmp' }],
                  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
                  securityContext: containerSecurity,
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                },
              ],
              volumes: [tmp],
            },
          },
        },
      },
      { ...child, customTimeouts: { create: '10m', update: '10m' } },
    );

    const podLabels = { ...selector('server'), [DATABASE_CLIENT_LABEL]: 'true', 'app.kubernetes.io/version': args.release };
    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: meta('mes'),
        spec: {
          replicas: args.replicas,
          revisionHistoryLimit: 10, // the ReplicaSets `rollout undo` (and the driver's rollback) return to
          progressDeadlineSeconds: 120, // what the upgrade suite's stall detection waits for
          selector: { matchLabels: selector('server') },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: {
              labels: podLabels,
              annotations: {
                'mes.dev/release': args.release,
                'mes.dev/migrated-by': migration.metadata.name,
                'prometheus.io/scrape': 'true',
                'prometheus.io/port': String(HTTP_PORT),
                'prometheus.io/path': '/metrics',
              },
            },
            spec: {
              serviceAccountName: serverAccount.metadata.name,
              automountServiceAccountToken: false,
              securityContext: podSecurity(),
              terminationGracePeriodSeconds: terminationGraceSeconds(shutdown),
              topologySpreadConstraints: [
                { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector('server') } },
                { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector('server') } },
              ],
              containers: [
                {
                  name: 'mes',
                  image: args.image,
                  args: ['up'],
                  ports: [{ name: 'http', containerPort: HTTP_PORT }], // the driver reads /metrics on the first port
                  env: [
                    { name: 'MES_HOST', value: '0.0.0.0' }, // the server's default is loopback only
                    { name: 'MES_PORT', value: String(HTTP_PORT) },
                    databaseUrl,
                    { name: 'MES_DB_POOL_SIZE', value: String(args.dbPoolSize ?? 10) },
                    { name: 'MES_SHUTDOWN_DELAY_MS', value: String(shutdown.delayMs) },
                    { name: 'MES_SHUTDOWN_TIMEOUT_MS', value: String(shutdown.timeoutMs) },
                    { name: 'MES_LOG_LEVEL', value: args.logLevel ?? 'info' },
                    { name: 'HOME', value: '/tmp' },
                  ],
                  // Up within 60 s, or restarted; then out of the Service while /readyz is 503
                  // (database down, shutting down), restarted only when /healthz stops answering.
                  startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 },
                  readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 2 },
                  livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
                  // Endpoints stop routing during the pause; then the server's own drain (readiness
                  // 503 for MES_SHUTDOWN_DELAY_MS, in-flight requests for up to MES_SHUTDOWN_TIMEOUT_MS).
                  lifecycle: { preStop: { sleep: { seconds: shutdown.preStopSeconds } } },
                  resources,
                  securityContext: containerSecurity,
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                },
              ],
              volumes: [tmp],
            },
          },
        },
      },
      // The HPA owns the replica count once it exists; a later `up` must not reset it.
      { ...child, dependsOn: [migration], ignoreChanges: a ? ['spec.replicas'] : [] },
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      { metadata: meta('mes'), spec: { type: 'ClusterIP', selector: selector('server'), ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
      child,
    );

    new k8s.networking.v1.Ingress(
      `${name}-ingress`,
      {
        metadata: { ...meta('mes'), annotations: args.ingress.annotations ?? {} },
        spec: {
          ...(args.ingress.className ? { ingressClassName: args.ingress.className } : {}),
          tls: [{ hosts: [args.ingress.host], secretName: args.ingress.tlsSecret }],
          rules: [{ host: args.ingress.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service.metadata.name, port: { name: 'http' } } } }] } }],
        },
      },
      child,
    );

    if (a) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        {
          metadata: meta('mes'),
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name },
            minReplicas: a.minReplicas,
            maxReplicas: a.maxReplicas,
            // The conformance driver reports the first metric as the autoscaler's.
            metrics: [
              { type: 'Pods', pods: { metric: { name: REQUEST_RATE_METRIC }, target: { type: 'AverageValue', averageValue: String(a.requestsPerSecond) } } },
              { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.cpuUtilization } } },
            ],
            behavior: {
              scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
              scaleDown: { stabilizationWindowSeconds: 120, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
            },
          },
        },
        child,
      );
    }

    // Voluntary disruptions (node drains) keep all but one pod, the floor a rolling upgrade keeps.
    new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata: meta('mes'), spec: { maxUnavailable: 1, selector: { matchLabels: selector('server') } } }, child);

    // The server and migration pods: nothing in or out but what the policies below allow.
    denyByDefault(
      `${name}-default-deny`,
      meta('mes-default-deny', 'network-policy'),
      { matchLabels: { 'app.kubernetes.io/name': 'mes' }, matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['server', 'migration'] }] },
      child,
    );
    const sources = [
      ...(args.ingress.fromNamespaces ?? []).map((n) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } })),
      ...(args.ingress.fromCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
    ];
    const from = sources.length ? sources : undefined;
    new k8s.networking.v1.NetworkPolicy(
      `${name}-api-ingress`,
      {
        metadata: meta('mes-api-ingress', 'network-policy'),
        spec: {
          podSelector: { matchLabels: selector('server') },
          policyTypes: ['Ingress'],
          ingress: [{ ...(from ? { from } : {}), ports: [{ protocol: 'TCP', port: HTTP_PORT }] }],
        },
      },
      child,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-database-egress`,
      {
        metadata: meta('mes-database-egress', 'network-policy'),
        spec: {
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mes', [DATABASE_CLIENT_LABEL]: 'true' } },
          policyTypes: ['Egress'],
          egress: [{ to: args.database.peers, ports: [{ protocol: 'TCP', port: args.database.port }] }, DNS_EGRESS],
        },
      },
      child,
    );

    // `mes` runs the pods and has no API rights; `mes-conformance` is the runner's identity.
    const conformance = new k8s.core.v1.ServiceAccount(`${name}-conformance-sa`, { metadata: meta(CONFORMANCE_SERVICE_ACCOUNT, 'conformance') }, child);
    const role = new k8s.rbac.v1.Role(`${name}-conformance-role`, { metadata: meta(CONFORMANCE_SERVICE_ACCOUNT, 'conformance'), rules: CONFORMANCE_ROLE_RULES }, child);
    new k8s.rbac.v1.RoleBinding(
      `${name}-conformance-binding`,
      {
        metadata: meta(CONFORMANCE_SERVICE_ACCOUNT, 'conformance'),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
        subjects: [{ kind: 'ServiceAccount', name: conformance.metadata.name, namespace: ns }],
      },
      child,
    );

    this.namespace = pulumi.output(ns);
    this.deploymentName = deployment.metadata.name;
    this.serviceName = service.metadata.name;
    this.url = pulumi.output(`https://${args.ingress.host}`);
    this.migrationJobName = migration.metadata.name;
    this.conformanceServiceAccount = conformance.metadata.name;
    this.registerOutputs({
      namespace: this.namespace,
      deploymentName: this.deploymentName,
      serviceName: this.serviceName,
      url: this.url,
      migrationJobName: this.migrationJobName,
      conformanceServiceAccount: this.conformanceServiceAccount,
    });
  }
}
