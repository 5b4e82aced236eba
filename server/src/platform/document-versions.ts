import { Type, type Static } from '@sinclair/typebox';
import type { Sql } from './db.js';
import { Timestamp } from './schemas.js';

/**
 * The versions of an approved business document (sales order, purchase order). Version n is the
 * document as it stood when it became version n, whole, so history needs no replaying of changes.
 */
export const DocumentVersionSchema = Type.Object(
  {
    version: Type.Integer(),
    reason: Type.String(),
    changedBy: Type.String(),
    changedAt: Timestamp(),
    snapshot: Type.Unknown({ description: 'The document as the API showed it at that version' }),
  },
  { $id: 'DocumentVersion' },
);
export type DocumentVersion = Static<typeof DocumentVersionSchema>;

export const DocumentVersionListSchema = Type.Object({ items: Type.Array(Type.Ref(DocumentVersionSchema)) }, { $id: 'DocumentVersionList' });

export async function recordVersion(
  tx: Sql,
  tenantId: string,
  doc: { type: string; id: string; version: number },
  snapshot: unknown,
  changedBy: string,
  reason = '',
): Promise<void> {
  await tx.query(
    `INSERT INTO document_versions (tenant_id, doc_type, doc_id, version, reason, snapshot, changed_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [tenantId, doc.type, doc.id, doc.version, reason, JSON.stringify(snapshot), changedBy],
  );
}

export async function listVersions(tx: Sql, tenantId: string, docType: string, docId: string): Promise<DocumentVersion[]> {
  const { rows } = await tx.query<{ version: number; reason: string; changed_by: string; changed_at: Date; snapshot: unknown }>(
    `SELECT version, reason, changed_by, changed_at, snapshot FROM document_versions
      WHERE tenant_id = $1 AND doc_type = $2 AND doc_id = $3 ORDER BY version`,
    [tenantId, docType, docId],
  );
  return rows.map((r) => ({ version: r.version, reason: r.reason, changedBy: r.changed_by, changedAt: r.changed_at.toISOString(), snapshot: r.snapshot }));
}
