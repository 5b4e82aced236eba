import type { Sql } from '../../platform/db.js';

export interface RequestRow {
  id: string; drawing_id: string; drawing_code: string; inspection_id: string; defect_code: string; reason: string; state: 'requested' | 'accepted' | 'done' | 'rejected';
  revision_at_request: number; done_revision: number | null; decision_note: string; requested_by: string; requested_at: Date; decided_by: string | null;
  decided_at: Date | null; version: number;
}

const SELECT = `SELECT q.id, q.drawing_id, d.code AS drawing_code, q.inspection_id, q.defect_code, q.reason, q.state, q.revision_at_request, q.done_revision,
    q.decision_note, q.requested_by, q.requested_at, q.decided_by, q.decided_at, q.version
  FROM drawing_revision_requests q JOIN drawings d ON d.tenant_id = q.tenant_id AND d.id = q.drawing_id`;

export async function insertRequest(tx: Sql, tenantId: string, r: { drawingId: string; inspectionId: string; defectCode: string; reason: string; revisionAtRequest: number; requestedBy: string }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO drawing_revision_requests (tenant_id, drawing_id, inspection_id, defect_code, reason, revision_at_request, requested_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [tenantId, r.drawingId, r.inspectionId, r.defectCode, r.reason, r.revisionAtRequest, r.requestedBy],
  );
  return rows[0].id;
}

export async function findRequest(tx: Sql, tenantId: string, id: string, lock = false): Promise<RequestRow | undefined> {
  const { rows } = await tx.query<RequestRow>(`${SELECT} WHERE q.tenant_id = $1 AND q.id = $2${lock ? ' FOR UPDATE OF q' : ''}`, [tenantId, id]);
  return rows[0];
}

/** Requests of a drawing or of an inspection, oldest first. */
export async function listRequests(tx: Sql, tenantId: string, by: { drawingId?: string; inspectionId?: string }): Promise<RequestRow[]> {
  const { rows } = await tx.query<RequestRow>(
    `${SELECT} WHERE q.tenant_id = $1 AND ($2::uuid IS NULL OR q.drawing_id = $2) AND ($3::uuid IS NULL OR q.inspection_id = $3) ORDER BY q.requested_at, q.id`,
    [tenantId, by.drawingId ?? null, by.inspectionId ?? null],
  );
  return rows;
}

export async function decide(tx: Sql, tenantId: string, id: string, d: { state: string; note: string; by: string; doneRevision: number | null }): Promise<void> {
  await tx.query(
    `UPDATE drawing_revision_requests SET state = $3, decision_note = $4, decided_by = $5, decided_at = now(), done_revision = $6, version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, d.state, d.note, d.by, d.doneRevision],
  );
}
