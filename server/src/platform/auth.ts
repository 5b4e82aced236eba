import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { DatabaseUnavailableError, poolSaturated, type Database } from './db.js';
import { looksLikeApiKey, parseApiKey, secretMatches } from './credentials.js';
import { forbidden, unauthenticated } from './errors.js';
import { PLATFORM_PERMISSIONS, grants } from './permissions.js';

/** Who is calling: always one user of one tenant, through an API key or a login token. */
export interface Principal {
  tenantId: string;
  tenantSlug: string;
  planCode: string;
  userId: string;
  username: string;
  via: 'api_key' | 'token';
  keyId?: string;
  platformAdmin: boolean;
  /** What the user's roles grant (plus platform permissions for platform admins). */
  permissions: string[];
  /** What the API key narrows that to; absent for login tokens. */
  keyScopes?: string[];
}

export function can(p: Principal, permission: string): boolean {
  return grants(p.permissions, permission) && (!p.keyScopes || grants(p.keyScopes, permission));
}

/** How the audit log names the caller. */
export function actorId(p: Principal): string {
  return p.via === 'api_key' ? `${p.username}/key:${p.keyId}` : p.username;
}

export function requirePermission(p: Principal, permission: string): void {
  if (!can(p, permission)) {
    throw forbidden('PERMISSION_DENIED', `this ${p.via === 'api_key' ? 'API key' : 'user'} lacks the permission ${permission}`, {
      permission,
    });
  }
}

/** A login token's user as the database has it now: status, roles, tenant state and plan. */
interface CachedUser {
  principal: Principal;
  active: boolean;
  loadedAt: number;
}

interface UserRow {
  username: string;
  user_status: string;
  is_platform_admin: boolean;
  tenant_slug: string;
  tenant_status: string;
  plan_code: string;
  role_permissions: string[];
}

interface CachedKey {
  principal: Principal;
  secretHash: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  active: boolean;
  loadedAt: number;
}

interface KeyRow {
  secret_hash: string;
  key_permissions: string[];
  expires_at: Date | null;
  revoked_at: Date | null;
  user_id: string;
  username: string;
  user_status: string;
  is_platform_admin: boolean;
  tenant_slug: string;
  tenant_status: string;
  plan_code: string;
  role_permissions: string[];
}

export const USER_PERMISSIONS_SQL = `coalesce((SELECT array_agg(DISTINCT p) FROM user_roles ur JOIN roles r ON r.id = ur.role_id,
  unnest(r.permissions) p WHERE ur.user_id = u.id), '{}')`;

const JWT_ISSUER = 'mes';

/** How long a verified key outlives its cache entry while the database cannot answer. */
const STALE_KEY_MAX_MS = 15 * 60_000;

/**
 * Verifies bearer credentials. Verified API keys, and the users behind login tokens, are cached
 * for a few seconds so that a request costs no extra database round trip; a revocation, a user's
 * change (status, roles) or a tenant's (status, plan) clears the entries in this process at once
 * and reaches other replicas when their entry expires (keyCacheTtlMs). A login token proves who
 * the caller is; what they may do (and whether they may still act at all) is read like a key's.
 */
export class Authenticator {
  private readonly keys = new Map<string, CachedKey>();
  private readonly users = new Map<string, CachedUser>();

  constructor(
    private readonly db: Database,
    private readonly jwtSecret: Uint8Array,
    private readonly opts: { keyCacheTtlMs: number; tokenTtlSeconds: number },
  ) {}

  async authenticate(header: string | undefined): Promise<Principal> {
    if (!header) throw unauthenticated('AUTH_MISSING', 'send credentials as "Authorization: Bearer <api key or token>"');
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) throw unauthenticated('AUTH_MALFORMED', 'the Authorization header must read "Bearer <api key or token>"');
    return looksLikeApiKey(m[1]) ? this.fromApiKey(m[1]) : this.fromToken(m[1]);
  }

  forgetKey(keyId: string): void {
    this.keys.delete(keyId);
  }

  /** Forgets every cached key and token user of a tenant (its plan, status, users or roles changed). */
  forgetTenant(tenantId: string): void {
    for (const [id, k] of this.keys) if (k.principal.tenantId === tenantId) this.keys.delete(id);
    for (const [id, u] of this.users) if (u.principal.tenantId === tenantId) this.users.delete(id);
  }

  async issueToken(p: Principal): Promise<{ token: string; expiresAt: string }> {
    const exp = Math.floor(Date.now() / 1000) + this.opts.tokenTtlSeconds;
    // The token names the tenant and the user; permissions and state are read when it is used.
    const token = await new SignJWT({ tid: p.tenantId, ten: p.tenantSlug, usr: p.username })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(JWT_ISSUER)
      .setSubject(p.userId)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(this.jwtSecret);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  private async fromApiKey(token: string): Promise<Principal> {
    const parsed = parseApiKey(token);
    if (!parsed) throw unauthenticated('AUTH_MALFORMED', 'the API key is not in the mes_<tenant>_<key>_<secret> format');
    let cached = this.keys.get(parsed.keyId);
    if (!cached || Date.now() - cached.loadedAt > this.opts.keyCacheTtlMs) cached = await this.reloadKey(parsed.tenantId, parsed.keyId, cached);
    if (!cached || cached.principal.tenantId !== parsed.tenantId || !secretMatches(parsed.secret, cached.secretHash)) {
      throw unauthenticated('AUTH_INVALID', 'the API key is not valid');
    }
    if (cached.revokedAt) throw unauthenticated('AUTH_REVOKED', `the API key was revoked at ${cached.revokedAt.toISOString()}; create a new one`);
    if (cached.expiresAt && cached.expiresAt.getTime() <= Date.now()) {
      throw unauthenticated('AUTH_EXPIRED', `the API key expired at ${cached.expiresAt.toISOString()}; create a new one`);
    }
    if (!cached.active) throw unauthenticated('AUTH_DISABLED', 'the user or tenant behind this API key is disabled');
    return cached.principal;
  }

  /**
   * Re-reads a key whose cache entry expired. While the database cannot answer (down, or every
   * pooled connection held) a key verified within STALE_KEY_MAX_MS stays valid, so an operator can
   * still reach /v1/diagnostics to learn what is wrong (S1-5.3.6); revocations then take effect
   * when the database is back. A key never verified is refused with the database's 503.
   */
  private async reloadKey(tenantId: string, keyId: string, cached: CachedKey | undefined): Promise<CachedKey | undefined> {
    const stale = cached && Date.now() - cached.loadedAt < STALE_KEY_MAX_MS ? cached : undefined;
    if (stale && poolSaturated(this.db.stats())) return stale;
    try {
      const loaded = await this.loadKey(tenantId, keyId);
      if (loaded) this.keys.set(keyId, loaded);
      return loaded;
    } catch (err) {
      if (stale && err instanceof DatabaseUnavailableError) return stale;
      throw err;
    }
  }

  private async loadKey(tenantId: string, keyId: string): Promise<CachedKey | undefined> {
    const rows = await this.db.transaction({ tenantId }, async (tx) =>
      (
        await tx.query<KeyRow>(
          `SELECT k.secret_hash, k.permissions AS key_permissions, k.expires_at, k.revoked_at,
                  u.id AS user_id, u.username, u.status AS user_status, u.is_platform_admin,
                  t.slug AS tenant_slug, t.status AS tenant_status, t.plan_code,
                  ${USER_PERMISSIONS_SQL} AS role_permissions
             FROM api_keys k JOIN users u ON u.id = k.user_id JOIN tenants t ON t.id = k.tenant_id
            WHERE k.id = $1`,
          [keyId],
        )
      ).rows,
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      secretHash: r.secret_hash,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
      active: r.user_status === 'active' && r.tenant_status === 'active',
      loadedAt: Date.now(),
      principal: {
        tenantId,
        tenantSlug: r.tenant_slug,
        planCode: r.plan_code,
        userId: r.user_id,
        username: r.username,
        via: 'api_key',
        keyId,
        platformAdmin: r.is_platform_admin,
        permissions: withPlatform(r.role_permissions, r.is_platform_admin),
        keyScopes: r.key_permissions,
      },
    };
  }

  private async fromToken(token: string): Promise<Principal> {
    let tenantId: string;
    let userId: string;
    try {
      const { payload } = await jwtVerify(token, this.jwtSecret, { issuer: JWT_ISSUER, algorithms: ['HS256'] });
      tenantId = String(payload.tid);
      userId = String(payload.sub);
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthenticated('AUTH_EXPIRED', 'the login token has expired; log in again');
      throw unauthenticated('AUTH_INVALID', 'the login token is not valid');
    }
    let cached = this.users.get(userId);
    if (!cached || cached.principal.tenantId !== tenantId || Date.now() - cached.loadedAt > this.opts.keyCacheTtlMs) {
      cached = await this.reloadUser(tenantId, userId, cached);
    }
    if (!cached) throw unauthenticated('AUTH_INVALID', 'the login token is not valid');
    if (!cached.active) throw unauthenticated('AUTH_DISABLED', 'the user or tenant behind this login token is disabled');
    return cached.principal;
  }

  /** Like reloadKey: a user verified within STALE_KEY_MAX_MS stays valid while the database cannot answer. */
  private async reloadUser(tenantId: string, userId: string, cached: CachedUser | undefined): Promise<CachedUser | undefined> {
    const stale = cached && cached.principal.tenantId === tenantId && Date.now() - cached.loadedAt < STALE_KEY_MAX_MS ? cached : undefined;
    if (stale && poolSaturated(this.db.stats())) return stale;
    try {
      const loaded = await this.loadUser(tenantId, userId);
      if (loaded) this.users.set(userId, loaded);
      else this.users.delete(userId);
      return loaded;
    } catch (err) {
      if (stale && err instanceof DatabaseUnavailableError) return stale;
      throw err;
    }
  }

  private async loadUser(tenantId: string, userId: string): Promise<CachedUser | undefined> {
    const rows = await this.db.transaction({ tenantId }, async (tx) =>
      (
        await tx.query<UserRow>(
          `SELECT u.username, u.status AS user_status, u.is_platform_admin, t.slug AS tenant_slug, t.status AS tenant_status, t.plan_code,
                  ${USER_PERMISSIONS_SQL} AS role_permissions
             FROM users u JOIN tenants t ON t.id = u.tenant_id
            WHERE u.tenant_id = $1 AND u.id = $2`,
          [tenantId, userId],
        )
      ).rows,
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      active: r.user_status === 'active' && r.tenant_status === 'active',
      loadedAt: Date.now(),
      principal: {
        tenantId, tenantSlug: r.tenant_slug, planCode: r.plan_code, userId, username: r.username, via: 'token',
        platformAdmin: r.is_platform_admin, permissions: withPlatform(r.role_permissions, r.is_platform_admin),
      },
    };
  }
}

export function withPlatform(rolePermissions: string[], platformAdmin: boolean): string[] {
  return platformAdmin ? [...new Set([...rolePermissions, ...PLATFORM_PERMISSIONS])] : rolePermissions;
}
