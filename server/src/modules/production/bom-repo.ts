import type { Sql } from '../../platform/db.js';
import type { BomListQuery, BomType } from './bom-schema.js';

// ---------------------------------------------------------------- headers and versions

export async function findHeader(tx: Sql, tenantId: string, materialId: string, type: BomType): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM boms WHERE tenant_id = $1 AND material_id = $2 AND bom_type = $3', [tenantId, materialId, type]);
  return rows[0]?.id;
}

/** Which products already have a BOM of a type, as `materialId|type`, in one query. */
export async function existingHeaders(tx: Sql, tenantId: string, materialIds: string[]): Promise<Set<string>> {
  if (!materialIds.length) return new Set();
  const { rows } = await tx.query<{ material_id: string; bom_type: string }>('SELECT material_id, bom_type FROM boms WHERE tenant_id = $1 AND material_id = ANY($2::uuid[])', [tenantId, materialIds]);
  return new Set(rows.map((r) => `${r.material_id}|${r.bom_type}`));
}

export async function insertHeader(tx: Sql, tenantId: string, materialId: string, type: BomType): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO boms (tenant_id, material_id, bom_type) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, material_id, bom_type) DO UPDATE SET bom_type = EXCLUDED.bom_type RETURNING id`,
    [tenantId, materialId, type],
  );
  return rows[0].id;
}

export interface NewLine {
  lineNo: number;
  componentId: string;
  quantity: string;
  unit: string;
  baseQuantity: string;
  scrapRate: string;
  operationSeq: number | null;
  optional: boolean;
  phantom: boolean;
  position: string;
  remark: string;
  alternates: { priority: number; componentId: string; quantity: string; unit: string; baseQuantity: string }[];
}

/** Replaces a draft's lines (the database refuses it for a version that is not a draft). */
export async function replaceLines(tx: Sql, tenantId: string, versionId: string, lines: NewLine[]): Promise<void> {
  await tx.query('DELETE FROM bom_lines WHERE tenant_id = $1 AND version_id = $2', [tenantId, versionId]);
  if (!lines.length) return;
  await tx.query(
    `INSERT INTO bom_lines (tenant_id, version_id, line_no, component_id, quantity, unit, base_quantity, scrap_rate, operation_seq, optional, phantom, position, remark)
     SELECT $1, $2, * FROM unnest($3::int[], $4::uuid[], $5::numeric[], $6::text[], $7::numeric[], $8::numeric[], $9::int[], $10::boolean[], $11::boolean[], $12::text[], $13::text[])`,
    [tenantId, versionId, lines.map((l) => l.lineNo), lines.map((l) => l.componentId), lines.map((l) => l.quantity), lines.map((l) => l.unit),
      lines.map((l) => l.baseQuantity), lines.map((l) => l.scrapRate), lines.map((l) => l.operationSeq), lines.map((l) => l.optional), lines.map((l) => l.phantom),
      lines.map((l) => l.position), lines.map((l) => l.remark)],
  );
  const alternates = lines.flatMap((l) => l.alternates.map((a) => ({ ...a, lineNo: l.lineNo })));
  if (!alternates.length) return;
  await tx.query(
    `INSERT INTO bom_line_alternates (tenant_id, version_id, line_no, priority, component_id, quantity, unit, base_quantity)
     SELECT $1, $2, * FROM unnest($3::int[], $4::smallint[], $5::uuid[], $6::numeric[], $7::text[], $8::numeric[])`,
    [tenantId, versionId, alternates.map((a) => a.lineNo), alternates.map((a) => a.priority), alternates.map((a) => a.componentId), alternates.map((a) => a.quantity),
      alternates.map((a) => a.unit), alternates.map((a) => a.baseQuantity)],
  );
}

export interface VersionRow {
  id: string; bom_id: string; material_id: string; bom_type: BomType; revision: number; status: 'draft' | 'released' | 'obsolete'; effective_from: string;
  effective_to: string | null; remark: string; version: number; created_by: string; released_by: string | null; released_at: Date | null;
  obsoleted_at: Date | null; created_at: Date; updated_at: Date; line_count: number;
}

const SELECT = `SELECT v.id, v.bom_id, b.material_id, b.bom_type, v.revision, v.status, v.effective_from::text, v.effective_to::text, v.remark, v.version,
    v.created_by, v.released_by, v.released_at, v.obsoleted_at, v.created_at, v.updated_at,
    (SELECT count(*) FROM bom_lines l WHERE l.tenant_id = v.tenant_id AND l.version_id = v.id)::int AS line_count
  FROM bom_versions v JOIN boms b ON b.tenant_id = v.tenant_id AND b.id = v.bom_id`;

export interface LineRow {
  line_no: number; component_id: string; quantity: string; unit: string; base_quantity: string; scrap_rate: string; operation_seq: number | null;
  optional: boolean; phantom: boolean; position: string; remark: string;
}
export interface AlternateRow { line_no: number; priority: number; component_id: string; quantity: string; unit: string; base_quantity: string }

export async function findVersion(tx: Sql, tenantId: string, id: string): Promise<{ head: VersionRow; lines: LineRow[]; alternates: AlternateRow[] } | undefined> {
  const { rows } = await tx.query<VersionRow>(`${SELECT} WHERE v.tenant_id = $1 AND v.id = $2`, [tenantId, id]);
  if (!rows[0]) return undefined;
  const lines = await tx.query<LineRow>(
    `SELECT line_no, component_id, quantity::text, unit, base_quantity::text, scrap_rate::text, operation_seq, optional, phantom, position, remark
       FROM bom_lines WHERE tenant_id = $1 AND version_id = $2 ORDER BY line_no`,
    [tenantId, id],
  );
  const alternates = await tx.query<AlternateRow>(
    'SELECT line_no, priority, component_id, quantity::text, unit, base_quantity::text FROM bom_line_alternates WHERE tenant_id = $1 AND version_id = $2 ORDER BY line_no, priority',
    [tenantId, id],
  );
  return { head: rows[0], lines: lines.rows, alternates: alternates.rows };
}

export async function listVersions(tx: Sql, tenantId: string, q: BomListQuery & { limit: number; after?: [string, string] }): Promise<VersionRow[]> {
  const { rows } = await tx.query<VersionRow>(
    `${SELECT} WHERE v.tenant_id = $1 AND ($2::timestamptz IS NULL OR (v.created_at, v.id) < ($2::timestamptz, $3::uuid))
        AND ($4::uuid IS NULL OR b.material_id = $4) AND ($5::text IS NULL OR b.bom_type = $5) AND ($6::text IS NULL OR v.status = $6)
      ORDER BY v.created_at DESC, v.id DESC LIMIT $7`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.materialId ?? null, q.type ?? null, q.status ?? null, q.limit + 1],
  );
  return rows;
}

/** The version of a product's BOM of a type in effect on a date (released, or obsolete within its window). */
export async function effectiveVersion(tx: Sql, tenantId: string, materialId: string, type: BomType, date: string) {
  const { rows } = await tx.query<{ id: string; revision: number; status: VersionRow['status'] }>(
    `SELECT v.id, v.revision, v.status FROM bom_versions v JOIN boms b ON b.tenant_id = v.tenant_id AND b.id = v.bom_id
      WHERE v.tenant_id = $1 AND b.material_id = $2 AND b.bom_type = $3 AND v.status <> 'draft'
        AND v.effective_from <= $4::date AND (v.effective_to IS NULL OR v.effective_to > $4::date)
      ORDER BY v.effective_from DESC LIMIT 1`,
    [tenantId, materialId, type, date],
  );
  return rows[0];
}

/** Whether a product has any BOM version of the type (drafts included). */
export async function hasBom(tx: Sql, tenantId: string, materialId: string, type: BomType): Promise<boolean> {
  return (await tx.query('SELECT 1 FROM boms b JOIN bom_versions v ON v.tenant_id = b.tenant_id AND v.bom_id = b.id WHERE b.tenant_id = $1 AND b.material_id = $2 AND b.bom_type = $3 LIMIT 1', [tenantId, materialId, type])).rows.length > 0;
}

// ---------------------------------------------------------------- structure queries (one recursive query each)

/** Versions of each product's BOM of a type in effect on a date: what explosions walk. */
const IN_EFFECT = `in_effect AS (
    SELECT b.material_id, v.id AS version_id, v.revision
      FROM boms b JOIN bom_versions v ON v.tenant_id = b.tenant_id AND v.bom_id = b.id
     WHERE b.tenant_id = $1 AND b.bom_type = $2 AND v.status <> 'draft'
       AND v.effective_from <= $3::date AND (v.effective_to IS NULL OR v.effective_to > $3::date))`;

/** Serialises structure changes of one tenant's BOMs of a type until commit. */
export async function lockStructure(tx: Sql, tenantId: string, type: BomType): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`mes:bom-structure:${tenantId}:${type}`]);
}

/**
 * A path from one of `components` down to `parent` through the BOMs of a type that are drafts or
 * released (alternates included), other than the version being saved: adding the components to
 * `parent` would close it into a cycle. Bounded by depth, and a path never repeats a node.
 */
export async function cyclePath(tx: Sql, tenantId: string, type: BomType, parent: string, components: string[], savingVersionId: string | null, maxDepth: number): Promise<string[] | undefined> {
  const { rows } = await tx.query<{ path: string[] }>(
    `WITH RECURSIVE edges AS (
       SELECT b.material_id AS parent, l.component_id AS child
         FROM boms b JOIN bom_versions v ON v.tenant_id = b.tenant_id AND v.bom_id = b.id
         JOIN bom_lines l ON l.tenant_id = v.tenant_id AND l.version_id = v.id
        WHERE b.tenant_id = $1 AND b.bom_type = $2 AND v.status IN ('draft', 'released') AND v.id IS DISTINCT FROM $3::uuid
       UNION
       SELECT b.material_id, a.component_id
         FROM boms b JOIN bom_versions v ON v.tenant_id = b.tenant_id AND v.bom_id = b.id
         JOIN bom_line_alternates a ON a.tenant_id = v.tenant_id AND a.version_id = v.id
        WHERE b.tenant_id = $1 AND b.bom_type = $2 AND v.status IN ('draft', 'released') AND v.id IS DISTINCT FROM $3::uuid
     ), walk (node, path) AS (
       SELECT c, ARRAY[$4::uuid, c] FROM unnest($5::uuid[]) AS c
       UNION ALL
       SELECT e.child, w.path || e.child
         FROM walk w JOIN edges e ON e.parent = w.node
        WHERE w.node <> $4::uuid AND e.child <> ALL (w.path[2:]) AND cardinality(w.path) <= $6
     )
     SELECT path::text[] AS path FROM walk WHERE node = $4::uuid LIMIT 1`,
    [tenantId, type, savingVersionId, parent, components, maxDepth + 1],
  );
  return rows[0]?.path;
}

export interface ExplodedRow {
  level: number;
  path: string[];
  parent_id: string;
  via: string[];
  version_id: string;
  revision: number;
  line_no: number;
  component_id: string;
  usage: string;
  scrap_rate: string;
  per_unit: string;
  parent_per_unit: string;
  operation_seq: number | null;
  optional: boolean;
  phantom: boolean;
  made: boolean;
  blown_through: boolean;
  at_limit: boolean;
}

/**
 * Every line below a BOM version in one recursive query: lower levels follow the BOMs in effect
 * on `date`; per_unit multiplies usage × (1 + scrap) down the path, exactly (numeric). A phantom
 * with a BOM in effect is blown through: its components take its level and its operation, and the
 * phantom itself is marked blown_through. Depth-first in line order; a path never repeats a node.
 * firstLevel stops below components that are not phantoms (what one order consumes).
 */
export async function explode(tx: Sql, tenantId: string, q: { type: BomType; date: string; rootVersionId: string; rootMaterialId: string; includeOptional: boolean; maxDepth: number; firstLevel: boolean }): Promise<ExplodedRow[]> {
  const { rows } = await tx.query<ExplodedRow>(
    `WITH RECURSIVE ${IN_EFFECT},
     x (depth, level, path, sort_key, parent_id, via, version_id, line_no, component_id, usage, scrap_rate, per_unit, parent_per_unit, operation_seq, optional, phantom) AS (
       SELECT 1, 1, ARRAY[$4::uuid, l.component_id], ARRAY[l.line_no], $4::uuid, '{}'::uuid[], l.version_id, l.line_no, l.component_id, l.base_quantity,
              l.scrap_rate, l.base_quantity * (1 + l.scrap_rate / 100), 1::numeric, l.operation_seq, l.optional, l.phantom
         FROM bom_lines l WHERE l.tenant_id = $1 AND l.version_id = $5 AND ($6 OR NOT l.optional)
       UNION ALL
       SELECT x.depth + 1, x.level + CASE WHEN x.phantom THEN 0 ELSE 1 END, x.path || l.component_id, x.sort_key || l.line_no,
              CASE WHEN x.phantom THEN x.parent_id ELSE x.component_id END,
              CASE WHEN x.phantom THEN x.via || x.component_id ELSE '{}'::uuid[] END,
              l.version_id, l.line_no, l.component_id, l.base_quantity, l.scrap_rate, x.per_unit * l.base_quantity * (1 + l.scrap_rate / 100), x.per_unit,
              CASE WHEN x.phantom THEN coalesce(x.operation_seq, l.operation_seq) ELSE l.operation_seq END, l.optional OR (x.phantom AND x.optional), l.phantom
         FROM x JOIN in_effect e ON e.material_id = x.component_id
         JOIN bom_lines l ON l.tenant_id = $1 AND l.version_id = e.version_id
        WHERE x.depth < $7 AND l.component_id <> ALL (x.path) AND ($6 OR NOT l.optional) AND (x.phantom OR NOT $8)
     )
     SELECT x.level, x.path::text[] AS path, x.parent_id, x.via::text[] AS via, x.version_id, v.revision, x.line_no, x.component_id, x.usage::text,
            x.scrap_rate::text, x.per_unit::text, x.parent_per_unit::text, x.operation_seq, x.optional, x.phantom,
            (e.version_id IS NOT NULL) AS made, (x.phantom AND e.version_id IS NOT NULL) AS blown_through,
            (x.depth >= $7 AND e.version_id IS NOT NULL) AS at_limit
       FROM x
       JOIN bom_versions v ON v.tenant_id = $1 AND v.id = x.version_id
       LEFT JOIN in_effect e ON e.material_id = x.component_id
      ORDER BY x.sort_key`,
    [tenantId, q.type, q.date, q.rootMaterialId, q.rootVersionId, q.includeOptional, q.maxDepth, q.firstLevel],
  );
  return rows;
}

/** Alternates of many BOM lines, with their usage in base units. */
export async function alternatesOf(tx: Sql, tenantId: string, lines: { versionId: string; lineNo: number }[]) {
  if (!lines.length) return [];
  const { rows } = await tx.query<{ version_id: string; line_no: number; priority: number; component_id: string; base_quantity: string }>(
    `SELECT a.version_id, a.line_no, a.priority, a.component_id, a.base_quantity::text
       FROM bom_line_alternates a
       JOIN unnest($2::uuid[], $3::int[]) AS k (v, n) ON k.v = a.version_id AND k.n = a.line_no
      WHERE a.tenant_id = $1 ORDER BY a.priority`,
    [tenantId, lines.map((l) => l.versionId), lines.map((l) => l.lineNo)],
  );
  return rows;
}

export interface WhereUsedRow {
  level: number;
  path: string[];
  material_id: string;
  version_id: string;
  revision: number;
  line_no: number;
  usage: string;
  phantom: boolean;
  per_unit: string;
  at_limit: boolean;
}

/** Every product whose BOM in effect on `date` uses the material, directly or below, in one recursive query. */
export async function whereUsed(tx: Sql, tenantId: string, q: { type: BomType; date: string; materialId: string; maxDepth: number }): Promise<WhereUsedRow[]> {
  const { rows } = await tx.query<WhereUsedRow>(
    `WITH RECURSIVE ${IN_EFFECT},
     w (level, path, material_id, version_id, line_no, usage, phantom, per_unit) AS (
       SELECT 1, ARRAY[$4::uuid, e.material_id], e.material_id, l.version_id, l.line_no, l.base_quantity, l.phantom, l.base_quantity * (1 + l.scrap_rate / 100)
         FROM bom_lines l JOIN in_effect e ON e.version_id = l.version_id
        WHERE l.tenant_id = $1 AND l.component_id = $4
       UNION ALL
       SELECT w.level + 1, w.path || e.material_id, e.material_id, l.version_id, l.line_no, l.base_quantity, l.phantom, w.per_unit * l.base_quantity * (1 + l.scrap_rate / 100)
         FROM w JOIN bom_lines l ON l.tenant_id = $1 AND l.component_id = w.material_id
         JOIN in_effect e ON e.version_id = l.version_id
        WHERE w.level < $5 AND e.material_id <> ALL (w.path)
     )
     SELECT w.level, w.path::text[] AS path, w.material_id, w.version_id, v.revision, w.line_no, w.usage::text, w.phantom,
            w.per_unit::text, (w.level >= $5 AND EXISTS (SELECT 1 FROM bom_lines l2 JOIN in_effect e2 ON e2.version_id = l2.version_id
                                                         WHERE l2.tenant_id = $1 AND l2.component_id = w.material_id)) AS at_limit
       FROM w JOIN bom_versions v ON v.tenant_id = $1 AND v.id = w.version_id`,
    [tenantId, q.type, q.date, q.materialId, q.maxDepth],
  );
  return rows;
}
