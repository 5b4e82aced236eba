import type { Sql } from '../../platform/db.js';
import { USER_PERMISSIONS_SQL } from '../../platform/auth.js';
import type { ApiKey, Role, User } from './schema.js';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  status: 'active' | 'disabled';
  is_platform_admin: boolean;
  roles: string[];
  version: number;
  created_at: Date;
  updated_at: Date;
}

const USER_SELECT = `SELECT u.id, u.username, u.display_name, u.email, u.status, u.is_platform_admin, u.version, u.created_at, u.updated_at,
  coalesce((SELECT array_agg(r.name ORDER BY r.name) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id), '{}') AS roles
  FROM users u`;

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  email: r.email,
  status: r.status,
  platformAdmin: r.is_platform_admin,
  roles: r.roles,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export async function findUser(tx: Sql, tenantId: string, id: string): Promise<User | undefined> {
  const { rows } = await tx.query<UserRow>(`${USER_SELECT} WHERE u.tenant_id = $1 AND u.id = $2`, [tenantId, id]);
  return rows[0] && toUser(rows[0]);
}

export async function listUsers(tx: Sql, tenantId: string, limit: number, after?: [string, string]) {
  const { rows } = await tx.query<UserRow>(
    `${USER_SELECT} WHERE u.tenant_id = $4 AND ($1::timestamptz IS NULL OR (u.created_at, u.id) > ($1::timestamptz, $2::uuid)) ORDER BY u.created_at, u.id LIMIT $3`,
    [after?.[0] ?? null, after?.[1] ?? null, limit + 1, tenantId],
  );
  return rows.map(toUser);
}

export async function insertUser(
  tx: Sql,
  u: { id?: string; tenantId: string; username: string; displayName: string; email: string | null; passwordHash: string | null; platformAdmin: boolean },
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO users (id, tenant_id, username, display_name, email, password_hash, is_platform_admin)
     VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7) RETURNING id`,
    [u.id ?? null, u.tenantId, u.username, u.displayName, u.email, u.passwordHash, u.platformAdmin],
  );
  return rows[0].id;
}

/** Applies the changed fields if the version still matches; returns false on a stale version. */
export async function updateUser(
  tx: Sql,
  tenantId: string,
  id: string,
  version: number,
  set: { displayName?: string; email?: string | null; status?: string; passwordHash?: string },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE users SET
       display_name = coalesce($3, display_name),
       email = CASE WHEN $4::boolean THEN $5 ELSE email END,
       status = coalesce($6, status),
       password_hash = coalesce($7, password_hash),
       version = version + 1, updated_at = now()
     WHERE id = $1 AND version = $2 AND tenant_id = $8`,
    [id, version, set.displayName ?? null, set.email !== undefined, set.email ?? null, set.status ?? null, set.passwordHash ?? null, tenantId],
  );
  return rowCount === 1;
}

export async function setUserRoles(tx: Sql, tenantId: string, userId: string, roleIds: string[]): Promise<void> {
  await tx.query('DELETE FROM user_roles WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId]);
  if (roleIds.length) {
    await tx.query('INSERT INTO user_roles (tenant_id, user_id, role_id) SELECT $1, $2, unnest($3::uuid[])', [tenantId, userId, roleIds]);
  }
}

export async function userPermissions(tx: Sql, tenantId: string, userId: string): Promise<{ permissions: string[]; platformAdmin: boolean } | undefined> {
  const { rows } = await tx.query<{ permissions: string[]; is_platform_admin: boolean }>(
    `SELECT ${USER_PERMISSIONS_SQL} AS permissions, u.is_platform_admin FROM users u WHERE u.tenant_id = $1 AND u.id = $2`,
    [tenantId, userId],
  );
  return rows[0] && { permissions: rows[0].permissions, platformAdmin: rows[0].is_platform_admin };
}

export async function findLoginUser(tx: Sql, tenantId: string, username: string) {
  const { rows } = await tx.query<{ id: string; password_hash: string | null; status: string; is_platform_admin: boolean; permissions: string[]; slug: string; plan_code: string; tenant_status: string }>(
    `SELECT u.id, u.password_hash, u.status, u.is_platform_admin, ${USER_PERMISSIONS_SQL} AS permissions, t.slug, t.plan_code, t.status AS tenant_status
       FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.tenant_id = $1 AND u.username = $2`,
    [tenantId, username],
  );
  return rows[0];
}

interface RoleRow {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  builtin: boolean;
}

export async function listRoles(tx: Sql, tenantId: string): Promise<Role[]> {
  const { rows } = await tx.query<RoleRow>('SELECT id, name, description, permissions, builtin FROM roles WHERE tenant_id = $1 ORDER BY name', [tenantId]);
  return rows;
}

export async function insertRole(tx: Sql, tenantId: string, r: { name: string; description: string; permissions: string[]; builtin: boolean }) {
  await tx.query('INSERT INTO roles (tenant_id, name, description, permissions, builtin) VALUES ($1, $2, $3, $4, $5)', [
    tenantId, r.name, r.description, r.permissions, r.builtin,
  ]);
}

interface ApiKeyRow {
  id: string;
  name: string;
  user_id: string;
  username: string;
  permissions: string[];
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

const KEY_SELECT = `SELECT k.id, k.name, k.user_id, u.username, k.permissions, k.expires_at, k.revoked_at, k.created_at
  FROM api_keys k JOIN users u ON u.id = k.user_id`;

const toApiKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  userId: r.user_id,
  username: r.username,
  permissions: r.permissions,
  expiresAt: r.expires_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export async function findApiKey(tx: Sql, tenantId: string, id: string): Promise<ApiKey | undefined> {
  const { rows } = await tx.query<ApiKeyRow>(`${KEY_SELECT} WHERE k.tenant_id = $1 AND k.id = $2`, [tenantId, id]);
  return rows[0] && toApiKey(rows[0]);
}

export async function listApiKeys(tx: Sql, tenantId: string, limit: number, after?: [string, string]) {
  const { rows } = await tx.query<ApiKeyRow>(
    `${KEY_SELECT} WHERE k.tenant_id = $4 AND ($1::timestamptz IS NULL OR (k.created_at, k.id) > ($1::timestamptz, $2::uuid)) ORDER BY k.created_at, k.id LIMIT $3`,
    [after?.[0] ?? null, after?.[1] ?? null, limit + 1, tenantId],
  );
  return rows.map(toApiKey);
}

export async function insertApiKey(
  tx: Sql,
  k: { id: string; tenantId: string; userId: string; name: string; secretHash: string; permissions: string[]; expiresAt: string | null },
): Promise<void> {
  await tx.query(
    'INSERT INTO api_keys (id, tenant_id, user_id, name, secret_hash, permissions, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [k.id, k.tenantId, k.userId, k.name, k.secretHash, k.permissions, k.expiresAt],
  );
}

export async function revokeApiKey(tx: Sql, tenantId: string, id: string): Promise<void> {
  await tx.query('UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
}

/** Clears the platform-admin flag of a tenant's users; returns how many had it. */
export async function demotePlatformAdmins(tx: Sql, tenantId: string): Promise<number> {
  return (await tx.query('UPDATE users SET is_platform_admin = false WHERE tenant_id = $1 AND is_platform_admin', [tenantId])).rowCount;
}

/** The first active user (by username) holding the built-in admin role, or the platform-admin flag. */
export async function firstAdmin(tx: Sql, tenantId: string, platform: boolean): Promise<{ id: string; username: string } | undefined> {
  const { rows } = await tx.query<{ id: string; username: string }>(
    platform
      ? `SELECT id, username FROM users WHERE tenant_id = $1 AND status = 'active' AND is_platform_admin ORDER BY username LIMIT 1`
      : `SELECT u.id, u.username FROM users u JOIN user_roles ur ON ur.tenant_id = u.tenant_id AND ur.user_id = u.id
           JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
          WHERE u.tenant_id = $1 AND u.status = 'active' AND r.builtin AND r.name = 'admin' ORDER BY u.username LIMIT 1`,
    [tenantId],
  );
  return rows[0];
}

/** Active users and roles of a tenant (the cutover's readiness check). */
export async function countUsersAndRoles(tx: Sql, tenantId: string): Promise<{ users: number; roles: number }> {
  const { rows } = await tx.query<{ users: number; roles: number }>(
    `SELECT (SELECT count(*)::int FROM users WHERE tenant_id = $1 AND status = 'active') AS users,
            (SELECT count(*)::int FROM roles WHERE tenant_id = $1) AS roles`,
    [tenantId],
  );
  return rows[0];
}
