/**
 * The server's grant rule (server/src/platform/permissions.ts), to hide what a user may not do:
 * `*` grants every tenant permission, `<module>:*` every action of a module; platform permissions
 * (tenants:*) only by name. The API enforces it anyway; hiding only spares people a refusal.
 */
const PLATFORM = new Set(['tenants:read', 'tenants:write']);

export function grants(held: readonly string[], permission: string): boolean {
  if (PLATFORM.has(permission)) return held.includes(permission);
  const module = permission.split(':')[0];
  return held.some((g) => g === permission || g === '*' || g === `${module}:*`);
}

/** What a login token or an API key may do: the roles' grants, narrowed by the key's scopes. */
export function can(me: { permissions: string[]; keyScopes: string[] | null } | undefined, permission: string | undefined): boolean {
  if (!permission) return true;
  if (!me) return false;
  return grants(me.permissions, permission) && (me.keyScopes === null || grants(me.keyScopes, permission));
}
