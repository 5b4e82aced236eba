/**
 * `mes infra render`: the Kubernetes objects a stack's components would create, for kubectl and
 * GitOps users, made by running the same component code under Pulumi's mocks. Each object is
 * validated against the Kubernetes OpenAPI schema (kubernetes-models) and the whole plan against
 * the policy rules before anything is written.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { componentsOf, type InfraConfig } from './config.js';
import { planWithMocks, type Plan, type PlannedResource } from './mocks.js';
import { encryptedStorageClasses, mesProgram, type ExpectedSecret, type ResolvedSecrets, type StackOutputs } from './program.js';
import { evaluatePolicies, type Violation } from './policy/rules.js';
import { validateObject } from './schemas.js';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface RenderResult {
  target: InfraConfig['target'];
  components: string[];
  /** Files written (relative to the output directory), or that would be. */
  files: Array<{ path: string; objects: number }>;
  objects: number;
  /** Cloud resources (not Kubernetes objects) the stack also creates: `mes infra up` makes them. */
  cloudResources: Array<{ type: string; name: string }>;
  /** Edge sites installed over SSH (systemd): not rendered, `mes infra up` installs them. */
  edgeBoxes: string[];
  /** Secrets the objects reference: create them before applying (never rendered). */
  expectedSecrets: ExpectedSecret[];
  schema: { validated: number; errors: Array<{ object: string; message: string }>; unchecked: string[] };
  violations: Violation[];
  ok: boolean;
  written: boolean;
}

/** The plan of a configuration under mocks, with nothing but the references to its secrets. */
export function planConfig(config: InfraConfig, secrets: ResolvedSecrets = {}, opts: { edgeBoxes?: boolean; stack?: string } = {}): Promise<Plan> {
  return planWithMocks(mesProgram(config, secrets, { edgeBoxes: opts.edgeBoxes ?? false }), { stack: opts.stack ?? config.target });
}

/** The Kubernetes objects of a plan, in a stable order; Secrets never (their values stay out of files). */
export function kubernetesObjects(plan: Plan): KubernetesObject[] {
  return plan.resources
    .filter((r) => r.custom && r.type.startsWith('kubernetes:') && r.inputs.kind !== 'Secret')
    .map((r) => toObject(r))
    .sort((a, b) => fileOf(a).localeCompare(fileOf(b)) || KIND_ORDER(a.kind) - KIND_ORDER(b.kind) || a.metadata.name.localeCompare(b.metadata.name));
}

export interface PlanAssessment {
  plan: Plan;
  objects: KubernetesObject[];
  schema: RenderResult['schema'];
  violations: Violation[];
}

/** A configuration's plan under mocks, its objects checked against the schemas and the policy rules. */
export async function assessConfig(config: InfraConfig, secrets: ResolvedSecrets = {}, opts: { edgeBoxes?: boolean; stack?: string } = {}): Promise<PlanAssessment> {
  const plan = await planConfig(config, secrets, opts);
  const objects = kubernetesObjects(plan);
  const errors: RenderResult['schema']['errors'] = [];
  const unchecked = new Set<string>();
  let validated = 0;
  for (const o of objects) {
    const result = validateObject(o);
    if (result === 'no-schema') unchecked.add(`${o.apiVersion}/${o.kind}`);
    else if (result.length) errors.push(...result.map((message) => ({ object: `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`, message })));
    else validated++;
  }
  const violations = evaluatePolicies(
    plan.resources.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, props: r.inputs })),
    { encryptedStorageClasses: encryptedStorageClasses(config) },
  );
  return { plan, objects, schema: { validated, errors, unchecked: [...unchecked].sort() }, violations };
}

export async function renderManifests(config: InfraConfig, opts: { outDir?: string } = {}): Promise<RenderResult> {
  const { plan, objects, schema, violations } = await assessConfig(config);
  const outputs = plan.outputs as unknown as StackOutputs;
  const files = groupIntoFiles(objects);
  const ok = schema.errors.length === 0 && violations.length === 0;
  if (ok && opts.outDir) writeFiles(opts.outDir, files);
  return {
    target: config.target,
    components: componentsOf(config),
    files: [...files].map(([file, objs]) => ({ path: file, objects: objs.length })).filter((f) => f.objects > 0),
    objects: objects.length,
    cloudResources: plan.resources.filter((r) => r.custom && !r.type.startsWith('kubernetes:') && !r.type.startsWith('pulumi:providers:')).map((r) => ({ type: r.type, name: r.name })),
    edgeBoxes: componentsOf(config).includes('edge') ? config.edgeSites.filter((s) => s.mode === 'systemd').map((s) => s.name) : [],
    expectedSecrets: outputs.expectedSecrets ?? [],
    schema,
    violations,
    ok,
    written: ok && !!opts.outDir,
  };
}

function toObject(r: PlannedResource): KubernetesObject {
  const { apiVersion, kind, metadata, ...rest } = r.inputs;
  return { apiVersion, kind, metadata, ...rest } as KubernetesObject;
}

const FILES: Record<string, string> = {
  Namespace: 'namespace.yaml',
  NetworkPolicy: 'network-policies.yaml',
  ServiceAccount: 'rbac.yaml',
  Role: 'rbac.yaml',
  RoleBinding: 'rbac.yaml',
  ClusterRole: 'rbac.yaml',
  ClusterRoleBinding: 'rbac.yaml',
  Deployment: 'deployment.yaml',
  StatefulSet: 'deployment.yaml',
  DaemonSet: 'deployment.yaml',
  Service: 'service.yaml',
  Ingress: 'ingress.yaml',
  HorizontalPodAutoscaler: 'hpa.yaml',
  PodDisruptionBudget: 'pdb.yaml',
  Job: 'migration-job.yaml',
  ConfigMap: 'configmaps.yaml',
  PersistentVolumeClaim: 'volumes.yaml',
  StorageClass: 'storage-classes.yaml',
};
const KINDS = Object.keys(FILES);
const KIND_ORDER = (kind: string) => (KINDS.includes(kind) ? KINDS.indexOf(kind) : KINDS.length);

/** <namespace>/<file>; cluster-scoped objects under cluster/; CloudNativePG objects in database.yaml. */
function fileOf(o: KubernetesObject): string {
  const dir = o.kind === 'Namespace' ? o.metadata.name : (o.metadata.namespace ?? 'cluster');
  const file = o.apiVersion.startsWith('postgresql.cnpg.io/') ? 'database.yaml' : (FILES[o.kind] ?? `${o.kind.toLowerCase()}.yaml`);
  return `${dir}/${file}`;
}

function groupIntoFiles(objects: KubernetesObject[]): Map<string, KubernetesObject[]> {
  const files = new Map<string, KubernetesObject[]>();
  for (const o of objects) files.set(fileOf(o), [...(files.get(fileOf(o)) ?? []), o]);
  // A kustomization per directory: `kubectl apply -k <dir>` and GitOps tools take it as it is.
  const dirs = new Map<string, string[]>();
  for (const file of files.keys()) dirs.set(path.dirname(file), [...(dirs.get(path.dirname(file)) ?? []), path.basename(file)]);
  for (const [dir, names] of dirs) {
    files.set(`${dir}/kustomization.yaml`, [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: names.sort((a, b) => (a === 'namespace.yaml' ? -1 : b === 'namespace.yaml' ? 1 : a.localeCompare(b))) } as unknown as KubernetesObject]);
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

export const RENDER_HEADER = '# Generated by `mes infra render` from the @mes/infra components; do not edit: change the stack configuration and render again.\n';

/** The YAML of one file: its objects as documents. */
export function fileText(objects: KubernetesObject[]): string {
  return RENDER_HEADER + objects.map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1, quotingType: '"' })).join('---\n');
}

function writeFiles(outDir: string, files: Map<string, KubernetesObject[]>): void {
  // Only the directories this render owns are replaced: nothing else in outDir is touched.
  for (const dir of new Set([...files.keys()].map((f) => path.dirname(f)))) rmSync(path.join(outDir, dir), { recursive: true, force: true });
  for (const [file, objects] of files) {
    mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
    writeFileSync(path.join(outDir, file), fileText(objects));
  }
}
