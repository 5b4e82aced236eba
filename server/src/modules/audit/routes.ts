import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { AUDIT_COLUMNS, toAuditRecord, verifyChain } from '../../platform/audit.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { principalOf, read } from '../../platform/request.js';
import { problems } from '../../platform/schemas.js';
import { AuditListQuery, AuditPageSchema, AuditRecordSchema, ChainVerdictSchema } from './schema.js';

export function auditRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [AuditRecordSchema, AuditPageSchema, ChainVerdictSchema]) app.addSchema(s);
  const tags = ['audit'];

  app.get('/v1/audit', {
    config: { permission: 'audit:read' },
    schema: {
      operationId: 'listAuditRecords', tags, summary: "The tenant's audit trail, oldest first, with each record's chain hash",
      querystring: AuditListQuery, response: { 200: Type.Ref(AuditPageSchema), ...problems() },
    },
  }, async (req) => {
    const q = req.query;
    const limit = q.limit ?? 100;
    const after = decodeCursor(q.cursor, CURSOR.seq)?.[0] ?? 0;
    const tenantId = principalOf(req).tenantId;
    const rows = await read(db, req, async (tx) =>
      (
        await tx.query(
          `SELECT ${AUDIT_COLUMNS} FROM audit_log
            WHERE tenant_id = $1 AND seq > $2 AND ($3::text IS NULL OR action = $3) AND ($4::text IS NULL OR outcome = $4)
              AND ($5::text IS NULL OR left(actor_id, length($5)) = $5) AND ($6::timestamptz IS NULL OR occurred_at >= $6)
            ORDER BY seq LIMIT $7`,
          [tenantId, after, q.action ?? null, q.outcome ?? null, q.actor ?? null, q.since ?? null, limit + 1],
        )
      ).rows.map((r) => toAuditRecord(r as never)),
    );
    return pageOf(rows, limit, (r) => [r.seq], (r) => ({ ...r, occurredAt: r.occurredAt.toISOString() }));
  });

  app.get('/v1/audit/verify', {
    config: { permission: 'audit:read' },
    schema: {
      operationId: 'verifyAuditChain', tags, summary: 'Recompute the hash chain and report the first altered or missing record',
      response: { 200: Type.Ref(ChainVerdictSchema), ...problems() },
    },
  }, async (req) => read(db, req, (tx) => verifyChain(tx, principalOf(req).tenantId)));
}
