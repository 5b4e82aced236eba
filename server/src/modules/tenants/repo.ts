import type { Sql } from '../../platform/db.js';
import type { Tenant } from './schema.js';

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  plan_code: string;
  status: 'active' | 'suspended';
  version: number;
  created_at: Date;
  updated_at: Date;
}

const toTenant = (r: TenantRow): Tenant => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  plan: r.plan_code,
  status: r.status,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const SELECT = 'SELECT id, slug, name, plan_code, status, version, created_at, updated_at FROM tenants';

export async function findTenant(tx: Sql, id: string): Promise<Tenant | undefined> {
  const { rows } = await tx.query<TenantRow>(`${SELECT} WHERE id = $1`, [id]);
  return rows[0] && toTenant(rows[0]);
}

export async function listTenants(tx: Sql, limit: number, after?: [string, string]): Promise<Tenant[]> {
  const { rows } = await tx.query<TenantRow>(
    `${SELECT} WHERE ($1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid)) ORDER BY created_at, id LIMIT $3`,
    [after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  return rows.map(toTenant);
}

export async function findTenantBySlug(tx: Sql, slug: string): Promise<Tenant | undefined> {
  const { rows } = await tx.query<TenantRow>(`${SELECT} WHERE slug = $1`, [slug]);
  return rows[0] && toTenant(rows[0]);
}

export async function slugTaken(tx: Sql, slug: string): Promise<boolean> {
  return (await tx.query('SELECT 1 FROM tenants WHERE slug = $1', [slug])).rows.length > 0;
}

export async function insertTenant(tx: Sql, t: { id: string; slug: string; name: string; plan: string }): Promise<void> {
  await tx.query('INSERT INTO tenants (id, slug, name, plan_code) VALUES ($1, $2, $3, $4)', [t.id, t.slug, t.name, t.plan]);
}

export async function updateTenant(tx: Sql, id: string, version: number, set: { name?: string; plan?: string; status?: string }): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE tenants SET name = coalesce($3, name), plan_code = coalesce($4, plan_code), status = coalesce($5, status),
            version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2`,
    [id, version, set.name ?? null, set.plan ?? null, set.status ?? null],
  );
  return rowCount === 1;
}

export async function planExists(tx: Sql, code: string): Promise<boolean> {
  return (await tx.query('SELECT 1 FROM plans WHERE code = $1', [code])).rows.length > 0;
}

export async function listPlans(tx: Sql) {
  const { rows } = await tx.query<{ code: string; name: string; requests_per_second: number | null; burst: number | null; max_concurrent: number | null }>(
    'SELECT code, name, requests_per_second, burst, max_concurrent FROM plans ORDER BY coalesce(requests_per_second, 2147483647)',
  );
  return rows.map((r) => ({ code: r.code, name: r.name, requestsPerSecond: r.requests_per_second, burst: r.burst, maxConcurrent: r.max_concurrent }));
}
