/**
 * Flexible deployment (S1-6.1-a: public, private and hybrid deployment, fast deployment on
 * different cloud platforms; S1-5.3.1-a/b/c). The deployment is code (@mes/infra): this suite runs
 * that code for each target under Pulumi's mocks, with no cloud account, cluster or running MES,
 * and proves that every target's plan is complete (what the MES needs to run there is all in it),
 * passes the Kubernetes schemas and the policy pack, and that each service component deploys on
 * its own. A plan that cannot be made, misses a piece or breaks a policy fails the clause.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { InfraConfig, PlanAssessment, PlannedResource, ResolvedSecrets, Target } from '@mes/infra';
import type { Check, CheckContext, Suite, SuitePlan } from '../types.js';

const CLAUSES = ['S1-6.1-a'];
const TARGETS: Target[] = ['public', 'private', 'hybrid'];

type Infra = typeof import('@mes/infra');

/** What a plan must hold, by name: every entry a test over its resources. */
type Need = [what: string, holds: (resources: PlannedResource[]) => boolean];

const kind = (r: PlannedResource) => r.type.split(':').pop();
const has = (pred: (r: PlannedResource) => boolean) => (resources: PlannedResource[]) => resources.some(pred);
const k8s = (k: string, pred: (r: PlannedResource) => boolean = () => true) => has((r) => r.type.startsWith('kubernetes:') && kind(r) === k && pred(r));
const containers = (r: PlannedResource): Array<Record<string, any>> => r.inputs.spec?.template?.spec?.containers ?? [];

/** The MES core on Kubernetes: the API behind TLS, scaled, protected, migrated, fenced. */
const PLATFORM: Need[] = [
  ['the API Deployment probing /readyz and /healthz', k8s('Deployment', (r) => containers(r).some((c) => c.readinessProbe?.httpGet?.path === '/readyz' && c.livenessProbe?.httpGet?.path === '/healthz'))],
  ['a Service', k8s('Service')],
  ['an Ingress with TLS', k8s('Ingress', (r) => (r.inputs.spec?.tls ?? []).length > 0)],
  ['an autoscaling/v2 HorizontalPodAutoscaler', k8s('HorizontalPodAutoscaler', (r) => r.inputs.apiVersion === 'autoscaling/v2')],
  ['a PodDisruptionBudget', k8s('PodDisruptionBudget')],
  ['the migration Job (mes db migrate)', k8s('Job', (r) => containers(r).some((c) => (c.args ?? []).join(' ').startsWith('db migrate')))],
  ['a NetworkPolicy that denies the API pods everything by default', k8s('NetworkPolicy', (r) => (r.inputs.spec?.policyTypes ?? []).length === 2 && !r.inputs.spec?.ingress && !r.inputs.spec?.egress && JSON.stringify(r.inputs.spec?.podSelector ?? {}).includes('server'))],
];

const DATABASE: Record<InfraConfig['database']['kind'], Need[]> = {
  'alicloud-rds': [['a managed PostgreSQL (Alibaba Cloud RDS)', has((r) => r.type === 'alicloud:rds/instance:Instance' && r.inputs.engine === 'PostgreSQL')], ['the database URL Secret', k8s('Secret')]],
  cloudnativepg: [['a replicated in-cluster PostgreSQL (CloudNativePG, ≥ 3 instances)', k8s('Cluster', (r) => r.inputs.apiVersion?.startsWith('postgresql.cnpg.io/') && r.inputs.spec?.instances >= 3)], ['scheduled backups', k8s('ScheduledBackup')]],
  external: [['the database URL Secret', k8s('Secret')]],
};

const CLUSTER: Need[] = [
  ['a managed Kubernetes cluster', has((r) => r.type === 'alicloud:cs/managedKubernetes:ManagedKubernetes')],
  ['its worker nodes', has((r) => r.type === 'alicloud:cs/nodePool:NodePool')],
];

const EDGE: Need[] = [
  ['an edge gateway (a Deployment running `mes edge run`, or a box installed over SSH)', has((r) => (kind(r) === 'Deployment' && containers(r).some((c) => (c.args ?? []).join(' ').startsWith('edge run'))) || r.type === 'command:remote:Command')],
];

/** What marks a component's own resources: present when it deploys, absent when another deploys alone. */
const MARKS: Record<string, (r: PlannedResource) => boolean> = {
  cluster: (r) => r.type === 'alicloud:cs/managedKubernetes:ManagedKubernetes',
  database: (r) => r.type === 'alicloud:rds/instance:Instance' || (kind(r) === 'Cluster' && r.type.startsWith('kubernetes:postgresql.cnpg.io')) || (kind(r) === 'Secret' && r.inputs.metadata?.name === 'mes-database'),
  platform: (r) => kind(r) === 'Deployment' && r.inputs.metadata?.name === 'mes',
  edge: (r) => (kind(r) === 'Deployment' && r.inputs.metadata?.name === 'mes-edge-gateway') || r.type === 'command:remote:Command',
};

function needsOf(config: InfraConfig, components: string[]): Need[] {
  return [
    ...(components.includes('cluster') ? CLUSTER : []),
    ...(components.includes('database') ? DATABASE[config.database.kind] : []),
    ...(components.includes('platform') ? PLATFORM : []),
    ...(components.includes('edge') ? EDGE : []),
  ];
}

/**
 * Secret inputs the plans need (a gateway's signing key, an SSH key, passwords): made fresh for
 * each run, so the plans hold every resource a real deployment creates, edge boxes included.
 */
export function planSecrets(config: InfraConfig): ResolvedSecrets {
  const pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const word = () => randomBytes(18).toString('base64url');
  return {
    databaseUrl: `postgres://mes:${word()}@db.internal:5432/mes`,
    databasePassword: word(),
    backupAccessKeyId: word(),
    backupSecretAccessKey: word(),
    edge: Object.fromEntries(config.edgeSites.map((s) => [s.name, { gatewayKey: pem(), sshPrivateKey: pem() }])),
  };
}

/** The suite over the given stack configurations (default: the reference one of each target). */
export function deploymentSuiteFor(configs?: Partial<Record<Target, InfraConfig>>): Suite {
  return {
    id: 'deployment',
    title: 'Flexible deployment: public, private and hybrid plans, each component alone',
    proves: CLAUSES,
    async prepare(): Promise<SuitePlan> {
      // Loaded only when the suite runs: the Pulumi SDK is heavy and the other suites do not need it.
      const infra: Infra = await import('@mes/infra');
      const resolved = Object.fromEntries(TARGETS.map((t) => [t, configs?.[t] ?? infra.exampleConfig(t)])) as Record<Target, InfraConfig>;
      return { checks: [...TARGETS.map((t) => targetCheck(infra, t, resolved[t])), aloneCheck(infra, resolved)] };
    },
  };
}

export const deploymentSuite = deploymentSuiteFor();

function assertClean(ctx: CheckContext, label: string, a: PlanAssessment): void {
  ctx.assert(a.violations.length === 0, `${label}: the policy pack refuses the plan: ${a.violations.slice(0, 5).map((v) => `${v.policy}: ${v.message}`).join('; ')}`);
  ctx.assert(a.schema.errors.length === 0, `${label}: objects the Kubernetes API would reject: ${a.schema.errors.slice(0, 5).map((e) => `${e.object}: ${e.message}`).join('; ')}`);
}

function targetCheck(infra: Infra, target: Target, config: InfraConfig): Check {
  return {
    id: `deployment/${target}`,
    title: `S1-6.1-a: the ${target} target's plan is complete, schema-valid and policy-clean`,
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      ctx.assert(config.target === target, `the ${target} configuration targets ${config.target}`);
      const components = infra.componentsOf(config);
      const a = await infra.assessConfig(config, planSecrets(config), { edgeBoxes: true, stack: `conformance-${target}` });
      ctx.record('components', components);
      ctx.record('resources', a.plan.resources.filter((r) => r.custom).length);
      ctx.record('kubernetesObjects', { total: a.objects.length, schemaValidated: a.schema.validated, noSchema: a.schema.unchecked });
      for (const [what, holds] of needsOf(config, components)) ctx.assert(holds(a.plan.resources), `${target}: the plan lacks ${what}`);
      if (target === 'public') ctx.assert(components.includes('cluster') && config.database.kind === 'alicloud-rds', 'public: a managed cluster and a managed database');
      if (target === 'private') ctx.assert(!components.includes('cluster') && config.database.kind !== 'alicloud-rds', 'private: no cloud-managed resources');
      if (target === 'hybrid') ctx.assert(components.includes('edge') && config.edgeSites.length > 0, 'hybrid: at least one edge site');
      assertClean(ctx, target, a);
    },
  };
}

function aloneCheck(infra: Infra, configs: Record<Target, InfraConfig>): Check {
  return {
    id: 'deployment/components-alone',
    title: 'S1-6.1-a S1-5.3.1-c: each service component (cluster, database, platform, edge) deploys on its own, complete and policy-clean',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const tried: string[] = [];
      for (const target of TARGETS) {
        const config = configs[target];
        for (const component of infra.componentsOf(config)) {
          const alone = { ...config, components: [component] } as InfraConfig;
          const label = `${target} ${component} alone`;
          const a = await infra.assessConfig(alone, planSecrets(alone), { edgeBoxes: true, stack: `conformance-${target}-${component}` });
          for (const [what, holds] of needsOf(alone, [component])) ctx.assert(holds(a.plan.resources), `${label}: the plan lacks ${what}`);
          for (const other of Object.keys(MARKS).filter((c) => c !== component)) {
            ctx.assert(!a.plan.resources.some(MARKS[other]), `${label}: the plan also deploys the ${other} component`);
          }
          assertClean(ctx, label, a);
          tried.push(label);
        }
      }
      ctx.record('components', tried);
    },
  };
}
