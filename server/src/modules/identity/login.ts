/**
 * POST /v1/auth/login: a password for a short-lived token, behind the login throttle (per source
 * address and per account, platform/login-throttle.ts). Every failed attempt that reached a
 * password check is audited in the tenant's chain (who was claimed, why it failed, from where),
 * never with the password; throttled attempts are counted, not audited, like plan limits.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app.js';
import { appendAudit } from '../../platform/audit.js';
import { withPlatform } from '../../platform/auth.js';
import { verifyPassword } from '../../platform/credentials.js';
import { MesProblem, unauthenticated } from '../../platform/errors.js';
import * as repo from './repo.js';
import type { LoginInput } from './schema.js';

type Failure = 'UNKNOWN_USER' | 'WRONG_PASSWORD' | 'USER_DISABLED' | 'TENANT_SUSPENDED';

export async function login(ctx: Pick<AppContext, 'db' | 'auth' | 'loginThrottle' | 'metrics'>, req: FastifyRequest, input: LoginInput) {
  const { db, auth, loginThrottle, metrics } = ctx;
  const { tenant, username, password } = input;
  const account = `${tenant}\u0000${username}`;
  try {
    loginThrottle.admit(req.ip, account);
  } catch (err) {
    if (err instanceof MesProblem) metrics.rejections.inc({ code: err.code });
    throw err;
  }
  const tenantId = (await db.query<{ id: string | null }>('SELECT mes_tenant_id_by_slug($1) AS id', [tenant])).rows[0]?.id;
  const user = tenantId ? await db.transaction({ tenantId }, (tx) => repo.findLoginUser(tx, tenantId, username)) : undefined;
  // An unknown user is checked against a throwaway hash: the answer takes as long either way.
  const ok = await loginThrottle.check(() => {
    metrics.loginChecks.inc();
    return verifyPassword(password, user?.password_hash ?? null);
  });
  const failure: Failure | undefined = !user ? 'UNKNOWN_USER' : !ok ? 'WRONG_PASSWORD' : user.status !== 'active' ? 'USER_DISABLED' : user.tenant_status !== 'active' ? 'TENANT_SUSPENDED' : undefined;
  if (failure || !tenantId || !user) {
    loginThrottle.failed(account);
    if (tenantId) await auditFailure(ctx, req, tenantId, username, failure ?? 'UNKNOWN_USER');
    else req.log.info({ tenant, username, source: req.ip }, 'login refused: no such tenant');
    throw unauthenticated('AUTH_INVALID', 'tenant, username or password is wrong');
  }
  loginThrottle.succeeded(account);
  const issued = await auth.issueToken({
    tenantId, tenantSlug: user.slug, planCode: user.plan_code, userId: user.id, username, via: 'token',
    platformAdmin: user.is_platform_admin, permissions: withPlatform(user.permissions, user.is_platform_admin),
  });
  return { ...issued, tokenType: 'Bearer' as const };
}

async function auditFailure(ctx: Pick<AppContext, 'db'>, req: FastifyRequest, tenantId: string, username: string, reason: Failure): Promise<void> {
  try {
    await ctx.db.transaction({ tenantId }, (tx) =>
      appendAudit(tx, {
        tenantId, actorType: 'anonymous', actorId: username, action: 'login', resource: 'auth/login', outcome: 'rejected', statusCode: 401,
        requestId: req.id, traceId: req.traceId, details: { username, reason, source: req.ip },
      }),
    );
  } catch (err) {
    req.log.error({ err }, 'could not write the audit record of a failed login');
  }
}
