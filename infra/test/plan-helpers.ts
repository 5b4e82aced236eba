import type { InfraConfig } from '../src/config.js';
import type { Plan, PlannedResource } from '../src/mocks.js';
import { encryptedStorageClasses } from '../src/program.js';
import { evaluatePolicies } from '../src/policy/rules.js';

/** The planned resources of a Pulumi type (kind for Kubernetes: 'Deployment'). */
export function ofType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type || (r.type.startsWith('kubernetes:') && r.type.endsWith(`:${type}`)));
}

/** The one Kubernetes object of a kind and name. */
export function object(plan: Plan, kind: string, name: string): Record<string, any> {
  const found = ofType(plan, kind).filter((r) => r.inputs.metadata?.name === name);
  if (found.length !== 1) throw new Error(`${found.length} ${kind} named ${name} in the plan: ${plan.resources.map((r) => `${r.type} ${r.inputs.metadata?.name ?? r.name}`).join(', ')}`);
  return found[0].inputs;
}

/** The policy pack's verdict on a plan. */
export function violations(plan: Plan, config: InfraConfig) {
  return evaluatePolicies(plan.resources.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, props: r.inputs })), { encryptedStorageClasses: encryptedStorageClasses(config) });
}
