import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../platform/audit.js';
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable } from '../../platform/errors.js';
import { inTenant } from '../../platform/tenant-scope.js';
import { provisionTenantIdentity } from '../identity/service.js';
import * as repo from './repo.js';
import type { CreateTenantInput, CreatedTenant, Tenant, UpdateTenantInput } from './schema.js';

async function requirePlan(tx: Sql, plan: string): Promise<void> {
  if (!(await repo.planExists(tx, plan))) {
    throw unprocessable('UNKNOWN_PLAN', `no plan ${plan}; see GET /v1/plans`, [fieldError('plan', 'UNKNOWN_PLAN', `no plan ${plan}`)]);
  }
}

/**
 * Creates a tenant with its built-in roles, an admin user and the admin's API key. Runs in a
 * platform-scoped transaction; the new tenant's own rows are written inside its scope, and its
 * audit chain opens with the creation.
 */
export async function createTenant(
  tx: Sql,
  input: CreateTenantInput,
  opts: { createdBy: string; platformAdmin?: boolean; id?: string } = { createdBy: 'system' },
): Promise<CreatedTenant> {
  const plan = input.plan ?? 'standard';
  await requirePlan(tx, plan);
  if (await repo.slugTaken(tx, input.slug)) {
    throw conflict('TENANT_SLUG_TAKEN', `a tenant with slug ${input.slug} already exists`, { errors: [fieldError('slug', 'TAKEN', 'is already in use')] });
  }
  const id = opts.id ?? randomUUID();
  await repo.insertTenant(tx, { id, slug: input.slug, name: input.name, plan });
  const admin = input.admin ?? {};
  const { user, key } = await inTenant(tx, id, async () => {
    const provisioned = await provisionTenantIdentity(tx, id, {
      username: admin.username ?? 'admin',
      displayName: admin.displayName ?? `${input.name} administrator`,
      password: admin.password,
      platformAdmin: opts.platformAdmin ?? false,
    });
    await appendAudit(tx, {
      tenantId: id, actorType: 'system', actorId: opts.createdBy, action: 'createTenant', resource: `tenant/${id}`,
      outcome: 'success', statusCode: 201, requestId: null, traceId: null, details: { plan, admin: provisioned.user.username },
    });
    return provisioned;
  });
  return { tenant: (await repo.findTenant(tx, id))!, admin: user, apiKey: key };
}

export async function updateTenant(tx: Sql, id: string, input: UpdateTenantInput): Promise<Tenant> {
  const current = await repo.findTenant(tx, id);
  if (!current) throw notFound('tenant', id);
  if (input.plan) await requirePlan(tx, input.plan);
  if (!(await repo.updateTenant(tx, id, input.version, input))) {
    throw conflict('VERSION_CONFLICT', `tenant ${id} is at version ${current.version}, not ${input.version}; read it again and reapply your change`, {
      currentVersion: current.version,
    });
  }
  return (await repo.findTenant(tx, id))!;
}

/** A tenant by slug (platform-scoped transactions see every tenant), or 404. */
export async function tenantBySlug(tx: Sql, slug: string): Promise<Tenant> {
  const tenant = await repo.findTenantBySlug(tx, slug);
  if (!tenant) throw notFound('tenant', slug);
  return tenant;
}

export async function tenantById(tx: Sql, id: string): Promise<Tenant | undefined> {
  return repo.findTenant(tx, id);
}
