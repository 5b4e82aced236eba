/**
 * SQL of engineering versions, shared by BOMs (boms / bom_versions) and routings (routings /
 * routing_versions): their life cycle is the same, their content differs (bom-repo, routing-repo).
 */
import type { Sql } from '../../platform/db.js';
import type { VersionStatus } from './common.js';

export type Kind = 'bom' | 'routing';
const TABLES: Record<Kind, { header: string; versions: string; fk: string }> = {
  bom: { header: 'boms', versions: 'bom_versions', fk: 'bom_id' },
  routing: { header: 'routings', versions: 'routing_versions', fk: 'routing_id' },
};

export interface VersionRow {
  id: string;
  header_id: string;
  revision: number;
  status: VersionStatus;
  effective_from: string;
  effective_to: string | null;
  version: number;
}

/** Locks the header: creating a draft and releasing queue per BOM or routing. */
export async function lockHeader(tx: Sql, tenantId: string, kind: Kind, headerId: string): Promise<void> {
  await tx.query(`SELECT 1 FROM ${TABLES[kind].header} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, headerId]);
}

export async function versionsOf(tx: Sql, tenantId: string, kind: Kind, headerId: string): Promise<VersionRow[]> {
  const t = TABLES[kind];
  const { rows } = await tx.query<VersionRow>(
    `SELECT id, ${t.fk} AS header_id, revision, status, effective_from::text, effective_to::text, version FROM ${t.versions}
      WHERE tenant_id = $1 AND ${t.fk} = $2 ORDER BY revision`,
    [tenantId, headerId],
  );
  return rows;
}

export async function findVersionRow(tx: Sql, tenantId: string, kind: Kind, id: string, lock = false): Promise<VersionRow | undefined> {
  const t = TABLES[kind];
  const { rows } = await tx.query<VersionRow>(
    `SELECT id, ${t.fk} AS header_id, revision, status, effective_from::text, effective_to::text, version FROM ${t.versions}
      WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  );
  return rows[0];
}

export async function insertVersion(tx: Sql, tenantId: string, kind: Kind, v: { headerId: string; revision: number; effectiveFrom: string; effectiveTo: string | null; remark: string; createdBy: string }): Promise<string> {
  const t = TABLES[kind];
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO ${t.versions} (tenant_id, ${t.fk}, revision, effective_from, effective_to, remark, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [tenantId, v.headerId, v.revision, v.effectiveFrom, v.effectiveTo, v.remark, v.createdBy],
  );
  return rows[0].id;
}

/** A draft's header fields; effectiveTo undefined keeps it, null clears it. */
export async function updateDraft(tx: Sql, tenantId: string, kind: Kind, id: string, set: { effectiveFrom?: string; effectiveTo?: string | null; remark?: string }): Promise<void> {
  await tx.query(
    `UPDATE ${TABLES[kind].versions} SET effective_from = coalesce($3::date, effective_from), effective_to = CASE WHEN $4::boolean THEN $5::date ELSE effective_to END,
            remark = coalesce($6, remark), version = version + 1, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, set.effectiveFrom ?? null, set.effectiveTo !== undefined, set.effectiveTo ?? null, set.remark ?? null],
  );
}

export async function markReleased(tx: Sql, tenantId: string, kind: Kind, id: string, actor: string): Promise<void> {
  await tx.query(
    `UPDATE ${TABLES[kind].versions} SET status = 'released', released_by = $3, released_at = now(), version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, actor],
  );
}

/** The superseded version stays the truth for dates before `until`. */
export async function markObsolete(tx: Sql, tenantId: string, kind: Kind, id: string, until: string): Promise<void> {
  await tx.query(
    `UPDATE ${TABLES[kind].versions} SET status = 'obsolete', obsoleted_at = now(), version = version + 1, updated_at = now(),
            effective_to = CASE WHEN effective_to IS NULL OR effective_to > $3::date THEN $3::date ELSE effective_to END
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, until],
  );
}

export interface VersionInfo {
  id: string;
  revision: number;
  status: VersionStatus;
  effective_from: string;
  effective_to: string | null;
  /** BOM: the product; routing: null. */
  material_id: string | null;
  /** BOM: its type; routing: its code. */
  label: string;
}

/** What documents show of the versions they refer to, for many at once. */
export async function describeVersions(tx: Sql, tenantId: string, kind: Kind, ids: string[]): Promise<Map<string, VersionInfo>> {
  const extra = kind === 'bom' ? 'h.material_id, h.bom_type AS label' : 'NULL::uuid AS material_id, h.code AS label';
  const t = TABLES[kind];
  const { rows } = await tx.query<VersionInfo>(
    `SELECT v.id, v.revision, v.status, v.effective_from::text, v.effective_to::text, ${extra}
       FROM ${t.versions} v JOIN ${t.header} h ON h.tenant_id = v.tenant_id AND h.id = v.${t.fk}
      WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[])`,
    [tenantId, [...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
