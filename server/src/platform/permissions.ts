/**
 * Permissions are `<module>:<action>`. Roles hold them, API keys narrow them. `*` grants every
 * tenant permission and `<module>:*` every action of a module; platform permissions come only
 * from being a platform admin, never from a wildcard.
 */

export const PLATFORM_PERMISSIONS = ['tenants:read', 'tenants:write', 'backups:read', 'backups:write'] as const;

export const TENANT_PERMISSIONS = [
  'users:read',
  'users:write',
  'roles:read',
  'apikeys:read',
  'apikeys:write',
  'audit:read',
  'diagnostics:read',
  'masterdata:read',
  'masterdata:write',
  'inventory:read',
  'inventory:write',
  'inventory:post',
  'inventory:export',
  'settings:read',
  'settings:write',
  'events:read',
  'sales:read',
  'sales:write',
  'sales:approve',
  // Warehouse work on sales: outbounds (create, scan, post) and returns.
  'sales:ship',
  'purchasing:read',
  'purchasing:write',
  'purchasing:approve',
  'purchasing:receive',
  // Quality (S1-5.4.5): inspect records inspections and results (and purchasing's incoming gate);
  // write keeps standards, plans and defect codes and disposes of lots; review overturns judgements.
  'quality:inspect',
  'quality:read',
  'quality:write',
  'quality:review',
  // Production (S1-5.4.4): engineering data and orders; approve releases BOMs and routings and
  // approves orders where the tenant asks for it.
  'production:read',
  'production:write',
  'production:approve',
  // Equipment (S1-5.4.6) and edge gateways (S1-4.2.3): command writes setpoints to devices (S1-5.2.4).
  'equipment:read',
  'equipment:write',
  'equipment:command',
  // Data import (S1-7.3-a): upload and run import jobs; each sheet also needs its module's write permission.
  'imports:read',
  'imports:write',
  // Go-live cutover (S1-7.3): plan, run (freeze, clean trial data, reconcile), roll back, verify.
  'cutovers:read',
  'cutovers:write',
] as const;

export type Permission = (typeof PLATFORM_PERMISSIONS)[number] | (typeof TENANT_PERMISSIONS)[number];

const platformSet = new Set<string>(PLATFORM_PERMISSIONS);
const known = new Set<string>([...PLATFORM_PERMISSIONS, ...TENANT_PERMISSIONS]);

/** The roles every tenant starts with. */
export const BUILTIN_ROLES: { name: string; description: string; permissions: string[] }[] = [
  { name: 'admin', description: 'Everything within the tenant', permissions: ['*'] },
  { name: 'viewer', description: 'Read everything within the tenant', permissions: TENANT_PERMISSIONS.filter((p) => p.endsWith(':read')) },
];

export function isKnownGrant(grant: string): boolean {
  if (grant === '*') return true;
  if (grant.endsWith(':*')) return [...known].some((p) => p.startsWith(grant.slice(0, -1)));
  return known.has(grant);
}

/** Does this list of grants include `permission`? */
export function grants(held: readonly string[], permission: string): boolean {
  if (platformSet.has(permission)) return held.includes(permission);
  const module = permission.split(':')[0];
  return held.some((g) => g === permission || g === '*' || g === `${module}:*`);
}
