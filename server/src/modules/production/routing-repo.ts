import type { Sql } from '../../platform/db.js';
import type { Routing, RoutingListQuery } from './routing-schema.js';

export async function findHeaderByCode(tx: Sql, tenantId: string, code: string): Promise<{ id: string; name: string } | undefined> {
  const { rows } = await tx.query<{ id: string; name: string }>('SELECT id, name FROM routings WHERE tenant_id = $1 AND code = $2', [tenantId, code]);
  return rows[0];
}

/** Which of these routing codes exist, in one query. */
export async function existingCodes(tx: Sql, tenantId: string, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const { rows } = await tx.query<{ code: string }>('SELECT code FROM routings WHERE tenant_id = $1 AND code = ANY($2::text[])', [tenantId, codes]);
  return new Set(rows.map((r) => r.code));
}

export async function insertHeader(tx: Sql, tenantId: string, code: string, name: string): Promise<string> {
  const { rows } = await tx.query<{ id: string }>('INSERT INTO routings (tenant_id, code, name) VALUES ($1, $2, $3) RETURNING id', [tenantId, code, name]);
  return rows[0].id;
}

export async function renameHeader(tx: Sql, tenantId: string, id: string, name: string): Promise<void> {
  await tx.query('UPDATE routings SET name = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, id, name]);
}

export interface NewOperation {
  seq: number;
  name: string;
  description: string;
  workCentreId: string;
  setupMinutes: string;
  runMinutes: string;
  queueMinutes: string;
  moveMinutes: string;
  inspectionPoint: boolean;
  inspectionText: string;
  inspectionRef: string | null;
  alternates: { priority: number; workCentreId: string; setupMinutes: string | null; runMinutes: string | null }[];
}

/** Replaces a draft's operations (the database refuses it for a version that is not a draft). */
export async function replaceOperations(tx: Sql, tenantId: string, versionId: string, ops: NewOperation[]): Promise<void> {
  await tx.query('DELETE FROM routing_operations WHERE tenant_id = $1 AND version_id = $2', [tenantId, versionId]);
  if (!ops.length) return;
  await tx.query(
    `INSERT INTO routing_operations (tenant_id, version_id, seq, name, description, work_centre_id, setup_minutes, run_minutes, queue_minutes, move_minutes,
                                     inspection_point, inspection_text, inspection_ref)
     SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[], $6::uuid[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::boolean[], $12::text[], $13::text[])`,
    [tenantId, versionId, ops.map((o) => o.seq), ops.map((o) => o.name), ops.map((o) => o.description), ops.map((o) => o.workCentreId), ops.map((o) => o.setupMinutes),
      ops.map((o) => o.runMinutes), ops.map((o) => o.queueMinutes), ops.map((o) => o.moveMinutes), ops.map((o) => o.inspectionPoint), ops.map((o) => o.inspectionText),
      ops.map((o) => o.inspectionRef)],
  );
  const alternates = ops.flatMap((o) => o.alternates.map((a) => ({ ...a, seq: o.seq })));
  if (!alternates.length) return;
  await tx.query(
    `INSERT INTO routing_operation_alternates (tenant_id, version_id, seq, priority, work_centre_id, setup_minutes, run_minutes)
     SELECT $1, $2, * FROM unnest($3::int[], $4::smallint[], $5::uuid[], $6::numeric[], $7::numeric[])`,
    [tenantId, versionId, alternates.map((a) => a.seq), alternates.map((a) => a.priority), alternates.map((a) => a.workCentreId), alternates.map((a) => a.setupMinutes),
      alternates.map((a) => a.runMinutes)],
  );
}

export interface VersionRow {
  id: string; routing_id: string; code: string; name: string; revision: number; status: Routing['status']; effective_from: string; effective_to: string | null;
  remark: string; version: number; created_by: string; released_by: string | null; released_at: Date | null; obsoleted_at: Date | null; created_at: Date;
  updated_at: Date; operation_count: number;
}

const SELECT = `SELECT v.id, v.routing_id, r.code, r.name, v.revision, v.status, v.effective_from::text, v.effective_to::text, v.remark, v.version, v.created_by,
    v.released_by, v.released_at, v.obsoleted_at, v.created_at, v.updated_at,
    (SELECT count(*) FROM routing_operations o WHERE o.tenant_id = v.tenant_id AND o.version_id = v.id)::int AS operation_count
  FROM routing_versions v JOIN routings r ON r.tenant_id = v.tenant_id AND r.id = v.routing_id`;

export interface OperationRow {
  seq: number; name: string; description: string; work_centre_id: string; setup_minutes: string; run_minutes: string; queue_minutes: string; move_minutes: string;
  inspection_point: boolean; inspection_text: string; inspection_ref: string | null;
}
export interface AlternateRow { seq: number; priority: number; work_centre_id: string; setup_minutes: string | null; run_minutes: string | null }

export async function findVersion(tx: Sql, tenantId: string, id: string): Promise<{ head: VersionRow; operations: OperationRow[]; alternates: AlternateRow[] } | undefined> {
  const { rows } = await tx.query<VersionRow>(`${SELECT} WHERE v.tenant_id = $1 AND v.id = $2`, [tenantId, id]);
  if (!rows[0]) return undefined;
  const operations = await tx.query<OperationRow>(
    `SELECT seq, name, description, work_centre_id, setup_minutes::text, run_minutes::text, queue_minutes::text, move_minutes::text, inspection_point,
            inspection_text, inspection_ref
       FROM routing_operations WHERE tenant_id = $1 AND version_id = $2 ORDER BY seq`,
    [tenantId, id],
  );
  const alternates = await tx.query<AlternateRow>(
    'SELECT seq, priority, work_centre_id, setup_minutes::text, run_minutes::text FROM routing_operation_alternates WHERE tenant_id = $1 AND version_id = $2 ORDER BY seq, priority',
    [tenantId, id],
  );
  return { head: rows[0], operations: operations.rows, alternates: alternates.rows };
}

export async function listVersions(tx: Sql, tenantId: string, q: RoutingListQuery & { limit: number; after?: [string, string] }): Promise<VersionRow[]> {
  const { rows } = await tx.query<VersionRow>(
    `${SELECT} WHERE v.tenant_id = $1 AND ($2::timestamptz IS NULL OR (v.created_at, v.id) < ($2::timestamptz, $3::uuid))
        AND ($4::text IS NULL OR r.code = $4) AND ($5::text IS NULL OR v.status = $5)
        AND ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM routing_operations o WHERE o.tenant_id = v.tenant_id AND o.version_id = v.id AND o.work_centre_id = $6))
      ORDER BY v.created_at DESC, v.id DESC LIMIT $7`,
    [tenantId, q.after?.[0] ?? null, q.after?.[1] ?? null, q.code ?? null, q.status ?? null, q.workCentreId ?? null, q.limit + 1],
  );
  return rows;
}

/** The version of a routing in effect on a date (released, or obsolete within its window). */
export async function effectiveVersion(tx: Sql, tenantId: string, code: string, date: string) {
  const { rows } = await tx.query<{ id: string; revision: number; status: Routing['status'] }>(
    `SELECT v.id, v.revision, v.status FROM routing_versions v JOIN routings r ON r.tenant_id = v.tenant_id AND r.id = v.routing_id
      WHERE v.tenant_id = $1 AND r.code = $2 AND v.status <> 'draft' AND v.effective_from <= $3::date AND (v.effective_to IS NULL OR v.effective_to > $3::date)
      ORDER BY v.effective_from DESC LIMIT 1`,
    [tenantId, code, date],
  );
  return rows[0];
}
