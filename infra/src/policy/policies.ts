/**
 * The rules as @pulumi/policy policies: what the pack in infra/policy-pack serves to the Pulumi
 * engine (`mes infra preview|up` pass it with every run). All mandatory: a violation stops the
 * deployment. Kept apart from the PolicyPack itself, whose constructor starts the analyzer server.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { RESOURCE_RULES, STACK_RULES, type PolicyConfig } from './rules.js';

export const POLICY_PACK_NAME = 'mes-policies';

/** Every rule reads the same setting: the storage classes that encrypt at rest. */
const configSchema: PolicyConfigSchema = {
  properties: { encryptedStorageClasses: { type: 'array', items: { type: 'string' }, default: [] } },
};

const configOf = (args: { getConfig<T extends object>(): T }): PolicyConfig => ({ encryptedStorageClasses: [], ...args.getConfig<Partial<PolicyConfig>>() });

export const resourcePolicies: ResourceValidationPolicy[] = RESOURCE_RULES.map((rule) => ({
  name: rule.name,
  description: rule.description,
  enforcementLevel: 'mandatory',
  configSchema,
  validateResource: (args, reportViolation) => {
    for (const message of rule.check({ type: args.type, name: args.name, props: args.props, urn: args.urn }, configOf(args))) reportViolation(message);
  },
}));

export const stackPolicies: StackValidationPolicy[] = STACK_RULES.map((rule) => ({
  name: rule.name,
  description: rule.description,
  enforcementLevel: 'mandatory',
  configSchema,
  validateStack: (args, reportViolation) => {
    const resources = args.resources.map((r) => ({ type: r.type, name: r.name, props: r.props, urn: r.urn }));
    for (const v of rule.check(resources, configOf(args))) reportViolation(v.message, v.resource?.urn);
  },
}));

export const mesPolicies = [...resourcePolicies, ...stackPolicies];

/** The pack's configuration file (`--policy-pack-config`): the same setting for every rule. */
export function policyPackConfig(config: PolicyConfig): Record<string, { encryptedStorageClasses: string[] }> {
  return Object.fromEntries(mesPolicies.map((p) => [p.name, { encryptedStorageClasses: config.encryptedStorageClasses }]));
}
