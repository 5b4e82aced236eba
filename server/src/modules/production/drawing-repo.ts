import type { Sql } from '../../platform/db.js';
import type { DrawingListQuery } from './drawing-schema.js';
import type { DrawingType } from './sniff.js';

export interface DrawingRow {
  id: string; code: string; name: string; kind: 'product' | 'machining' | 'inspection'; material_id: string | null; routing_id: string | null;
  routing_code: string | null; operation_seq: number | null; inspection_ref: string | null; current_revision: number; version: number; created_by: string;
  created_at: Date; updated_at: Date;
}

export interface RevisionRow {
  drawing_id: string; revision: number; file_name: string; content_type: DrawingType; size_bytes: number; sha256: string; note: string; uploaded_by: string;
  uploaded_at: Date;
}

const SELECT = `SELECT d.id, d.code, d.name, d.kind, d.material_id, d.routing_id, r.code AS routing_code, d.operation_seq, d.inspection_ref, d.current_revision,
    d.version, d.created_by, d.created_at, d.updated_at
  FROM drawings d LEFT JOIN routings r ON r.tenant_id = d.tenant_id AND r.id = d.routing_id`;
const REVISION = 'drawing_id, revision, file_name, content_type, size_bytes, sha256, note, uploaded_by, uploaded_at';

export async function codeTaken(tx: Sql, tenantId: string, code: string): Promise<boolean> {
  return (await tx.query('SELECT 1 FROM drawings WHERE tenant_id = $1 AND code = $2', [tenantId, code])).rows.length > 0;
}

export async function insertDrawing(tx: Sql, tenantId: string, d: { code: string; name: string; kind: string; materialId: string | null; routingId: string | null; operationSeq: number | null; inspectionRef: string | null; createdBy: string }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO drawings (tenant_id, code, name, kind, material_id, routing_id, operation_seq, inspection_ref, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [tenantId, d.code, d.name, d.kind, d.materialId, d.routingId, d.operationSeq, d.inspectionRef, d.createdBy],
  );
  return rows[0].id;
}

export async function findDrawing(tx: Sql, tenantId: string, id: string, lock = false): Promise<DrawingRow | undefined> {
  if (lock) await tx.query('SELECT 1 FROM drawings WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
  const { rows } = await tx.query<DrawingRow>(`${SELECT} WHERE d.tenant_id = $1 AND d.id = $2`, [tenantId, id]);
  return rows[0];
}

export async function revisions(tx: Sql, tenantId: string, drawingIds: string[], currentOnly = false): Promise<RevisionRow[]> {
  const { rows } = await tx.query<RevisionRow>(
    `SELECT ${REVISION} FROM drawing_revisions v
      WHERE tenant_id = $1 AND drawing_id = ANY($2::uuid[])
        ${currentOnly ? 'AND revision = (SELECT current_revision FROM drawings d WHERE d.tenant_id = v.tenant_id AND d.id = v.drawing_id)' : ''}
      ORDER BY drawing_id, revision DESC`,
    [tenantId, drawingIds],
  );
  return rows;
}

export async function listDrawings(tx: Sql, tenantId: string, q: DrawingListQuery & { limit: number; after?: string }): Promise<DrawingRow[]> {
  const { rows } = await tx.query<DrawingRow>(
    `${SELECT} WHERE d.tenant_id = $1 AND ($2::text IS NULL OR d.code > $2) AND ($3::text IS NULL OR d.kind = $3) AND ($4::uuid IS NULL OR d.material_id = $4)
        AND ($5::text IS NULL OR r.code = $5) AND ($6::int IS NULL OR d.operation_seq = $6) AND ($7::text IS NULL OR d.inspection_ref = $7)
      ORDER BY d.code LIMIT $8`,
    [tenantId, q.after ?? null, q.kind ?? null, q.materialId ?? null, q.routingCode ?? null, q.operationSeq ?? null, q.inspectionRef ?? null, q.limit + 1],
  );
  return rows;
}

/** Adds a revision under the drawing's row lock (the caller holds it) and makes it current. */
export async function insertRevision(tx: Sql, tenantId: string, r: Omit<RevisionRow, 'uploaded_at'> & { content: Buffer }): Promise<void> {
  await tx.query(
    `INSERT INTO drawing_revisions (tenant_id, drawing_id, revision, file_name, content_type, size_bytes, sha256, content, note, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [tenantId, r.drawing_id, r.revision, r.file_name, r.content_type, r.size_bytes, r.sha256, r.content, r.note, r.uploaded_by],
  );
  await tx.query('UPDATE drawings SET current_revision = $3, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, r.drawing_id, r.revision]);
}

/** One revision with its bytes. */
export async function content(tx: Sql, tenantId: string, drawingId: string, revision: number): Promise<(RevisionRow & { content: Buffer }) | undefined> {
  const { rows } = await tx.query<RevisionRow & { content: Uint8Array }>(
    `SELECT ${REVISION}, content FROM drawing_revisions WHERE tenant_id = $1 AND drawing_id = $2 AND revision = $3`,
    [tenantId, drawingId, revision],
  );
  const r = rows[0];
  return r && { ...r, content: Buffer.from(r.content.buffer, r.content.byteOffset, r.content.byteLength) };
}

/** Whether any version of a routing has an operation with this number. */
export async function routingHasOperation(tx: Sql, tenantId: string, routingId: string, seq: number): Promise<boolean> {
  return (await tx.query(
    'SELECT 1 FROM routing_operations o JOIN routing_versions v ON v.tenant_id = o.tenant_id AND v.id = o.version_id WHERE o.tenant_id = $1 AND v.routing_id = $2 AND o.seq = $3 LIMIT 1',
    [tenantId, routingId, seq],
  )).rows.length > 0;
}
