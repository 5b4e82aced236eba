import { randomUUID } from 'node:crypto';
import type { Database } from './platform/db.js';
import { createTenant } from './modules/tenants/service.js';

export interface BootstrapResult {
  /** True when this call created the first tenant and admin. */
  created: boolean;
  tenant: string;
  /** The platform admin's API key: returned once, on the start that created it, and never logged. */
  apiKey?: string;
}

export const DEFAULT_TENANT = 'default';

/** On an empty database: the tenant `default` and its admin, who is also the platform admin. */
export async function bootstrap(db: Database): Promise<BootstrapResult> {
  const id = randomUUID();
  try {
    return await db.transaction({ tenantId: id, platform: true }, async (tx) => {
      const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
      if (rows[0].n > 0) return { created: false, tenant: DEFAULT_TENANT };
      const made = await createTenant(tx, { slug: DEFAULT_TENANT, name: 'Default tenant', plan: 'standard' }, { createdBy: 'bootstrap', platformAdmin: true, id });
      return { created: true, tenant: DEFAULT_TENANT, apiKey: made.apiKey.key };
    });
  } catch (err) {
    // Another replica bootstrapped the same empty database a moment earlier: the unique index
    // fires (23505), or the tenants module reports the slug it found taken.
    const code = (err as { code?: string }).code;
    if (code === '23505' || code === 'TENANT_SLUG_TAKEN') return { created: false, tenant: DEFAULT_TENANT };
    throw err;
  }
}
