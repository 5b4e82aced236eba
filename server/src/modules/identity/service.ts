import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { can, type Principal } from '../../platform/auth.js';
import { formatApiKey, hashPassword, hashSecret, newApiKeySecret } from '../../platform/credentials.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { BUILTIN_ROLES, PLATFORM_PERMISSIONS, TENANT_PERMISSIONS, isKnownGrant } from '../../platform/permissions.js';
import * as repo from './repo.js';
import type { CreateApiKeyInput, CreateUserInput, CreatedApiKey, UpdateUserInput, User } from './schema.js';

async function roleIdsFor(tx: Sql, tenantId: string, names: string[]): Promise<string[]> {
  const roles = await repo.listRoles(tx, tenantId);
  const errors: FieldError[] = [];
  const ids = names.map((name, i) => {
    const role = roles.find((r) => r.name === name);
    if (!role) errors.push(fieldError(`roles[${i}]`, 'UNKNOWN_ROLE', `no role "${name}"; known roles: ${roles.map((r) => r.name).join(', ')}`));
    return role?.id ?? '';
  });
  if (errors.length) throw unprocessable('UNKNOWN_ROLE', 'some roles do not exist in this tenant', errors);
  return ids;
}

export async function createUser(tx: Sql, tenantId: string, input: CreateUserInput, opts: { platformAdmin?: boolean; id?: string } = {}): Promise<User> {
  const roleIds = await roleIdsFor(tx, tenantId, input.roles ?? []);
  if (await usernameTaken(tx, tenantId, input.username)) {
    throw conflict('USERNAME_TAKEN', `a user named ${input.username} already exists`, { errors: [fieldError('username', 'TAKEN', 'is already in use')] });
  }
  const id = await repo.insertUser(tx, {
    id: opts.id,
    tenantId,
    username: input.username,
    displayName: input.displayName,
    email: input.email ?? null,
    passwordHash: input.password ? await hashPassword(input.password) : null,
    platformAdmin: opts.platformAdmin ?? false,
  });
  await repo.setUserRoles(tx, tenantId, id, roleIds);
  return (await repo.findUser(tx, tenantId, id))!;
}

async function usernameTaken(tx: Sql, tenantId: string, username: string): Promise<boolean> {
  const { rows } = await tx.query('SELECT 1 FROM users WHERE tenant_id = $1 AND username = $2', [tenantId, username]);
  return rows.length > 0;
}

export async function updateUser(tx: Sql, tenantId: string, id: string, input: UpdateUserInput): Promise<User> {
  const current = await repo.findUser(tx, tenantId, id);
  if (!current) throw notFound('user', id);
  const roleIds = input.roles ? await roleIdsFor(tx, tenantId, input.roles) : undefined;
  const updated = await repo.updateUser(tx, tenantId, id, input.version, {
    displayName: input.displayName,
    email: input.email,
    status: input.status,
    passwordHash: input.password ? await hashPassword(input.password) : undefined,
  });
  if (!updated) {
    throw conflict('VERSION_CONFLICT', `user ${id} is at version ${current.version}, not ${input.version}; read it again and reapply your change`, {
      currentVersion: current.version,
    });
  }
  if (roleIds) await repo.setUserRoles(tx, tenantId, id, roleIds);
  return (await repo.findUser(tx, tenantId, id))!;
}

/** Every concrete permission a grant stands for. */
function expand(grant: string): string[] {
  const all = [...TENANT_PERMISSIONS, ...PLATFORM_PERMISSIONS];
  if (grant === '*') return [...TENANT_PERMISSIONS];
  if (grant.endsWith(':*')) return all.filter((p) => p.startsWith(grant.slice(0, -1)));
  return [grant];
}

/**
 * Issues a key. The scopes must be known and within what the caller holds, so nobody can mint a
 * key that does more than they can, even for another user.
 */
export async function createApiKey(tx: Sql, caller: Principal, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const errors: FieldError[] = [];
  const permissions = input.permissions ?? ['*'];
  permissions.forEach((grant, i) => {
    if (!isKnownGrant(grant)) errors.push(fieldError(`permissions[${i}]`, 'UNKNOWN_PERMISSION', `${grant} is not a permission of this server`));
    else if (!expand(grant).every((p) => can(caller, p))) errors.push(fieldError(`permissions[${i}]`, 'EXCEEDS_CALLER', `you do not hold all of ${grant}`));
  });
  if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) errors.push(fieldError('expiresAt', 'IN_THE_PAST', 'must be in the future'));
  // Past 9999 (or a leap second JavaScript cannot read) the stored time has no RFC 3339 form to answer with.
  else if (input.expiresAt && !(Date.parse(input.expiresAt) < Date.UTC(10000, 0, 1))) errors.push(fieldError('expiresAt', 'OUT_OF_RANGE', 'must be a time before the year 10000, without a leap second'));
  const userId = input.userId ?? caller.userId;
  if (userId !== caller.userId && !can(caller, 'users:write')) errors.push(fieldError('userId', 'NOT_ALLOWED', 'creating keys for other users needs users:write'));
  if (errors.length) throw unprocessable('API_KEY_REFUSED', 'the key cannot be issued as asked', errors);
  const owner = await repo.findUser(tx, caller.tenantId, userId);
  if (!owner) throw unprocessable('API_KEY_REFUSED', 'the key cannot be issued as asked', [fieldError('userId', 'UNKNOWN_USER', `no user ${userId} in this tenant`)]);
  return issueKey(tx, caller.tenantId, userId, input.name, permissions, input.expiresAt ?? null);
}

async function issueKey(tx: Sql, tenantId: string, userId: string, name: string, permissions: string[], expiresAt: string | null): Promise<CreatedApiKey> {
  const id = randomUUID();
  const secret = newApiKeySecret();
  await repo.insertApiKey(tx, { id, tenantId, userId, name, secretHash: hashSecret(secret), permissions, expiresAt });
  return { apiKey: (await repo.findApiKey(tx, tenantId, id))!, key: formatApiKey(tenantId, id, secret) };
}

export async function revokeApiKey(tx: Sql, tenantId: string, id: string) {
  if (!(await repo.findApiKey(tx, tenantId, id))) throw notFound('API key', id);
  await repo.revokeApiKey(tx, tenantId, id);
  return (await repo.findApiKey(tx, tenantId, id))!;
}

export interface TenantAdmin {
  username: string;
  displayName: string;
  password?: string;
  platformAdmin: boolean;
}

/** A new tenant's built-in roles, its first admin and that admin's API key. */
export async function provisionTenantIdentity(tx: Sql, tenantId: string, admin: TenantAdmin): Promise<{ user: User; key: CreatedApiKey }> {
  for (const role of BUILTIN_ROLES) await repo.insertRole(tx, tenantId, { ...role, builtin: true });
  const user = await createUser(tx, tenantId, { username: admin.username, displayName: admin.displayName, password: admin.password, roles: ['admin'] }, {
    platformAdmin: admin.platformAdmin,
  });
  const scopes = admin.platformAdmin ? ['*', ...PLATFORM_PERMISSIONS] : ['*'];
  const key = await issueKey(tx, tenantId, user.id, `${admin.username} (initial)`, scopes, null);
  return { user, key };
}

/**
 * A tenant that arrived from another instance (a tenant restore) keeps its users, roles and keys,
 * but platform administration is the receiving instance's to grant: the flag is cleared.
 * Returns how many users had it.
 */
export async function demoteArrivedPlatformAdmins(tx: Sql, tenantId: string): Promise<number> {
  return repo.demotePlatformAdmins(tx, tenantId);
}

/**
 * A new key for the tenant's first admin (with `platform`, its first platform admin, and the
 * platform permissions), after a restore from a backup without secrets, whose keys and passwords
 * do not work: the one way back in, shown once.
 */
export async function issueRecoveryKey(tx: Sql, tenantId: string, platform = false): Promise<(CreatedApiKey & { username: string }) | undefined> {
  const admin = await repo.firstAdmin(tx, tenantId, platform);
  if (!admin) return undefined;
  const scopes = platform ? ['*', ...PLATFORM_PERMISSIONS] : ['*'];
  return { ...(await issueKey(tx, tenantId, admin.id, 'recovery key (restored without secrets)', scopes, null)), username: admin.username };
}

/** How many active users and roles the tenant has set up (go-live readiness, S1-7.2). */
export const countUsersAndRoles = (tx: Sql, tenantId: string) => repo.countUsersAndRoles(tx, tenantId);
