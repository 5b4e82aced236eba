import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { principalOf, read } from '../../platform/request.js';
import { Timestamp, Uuid, problems } from '../../platform/schemas.js';

const EventSchema = Type.Object(
  {
    seq: Type.Integer({ description: "Position in the tenant's event stream; resume with after=seq" }),
    type: Type.String({ description: '<aggregate>.<what happened>, e.g. sales_order.approved' }),
    aggregateType: Type.String(),
    aggregateId: Uuid(),
    payload: Type.Record(Type.String(), Type.Unknown()),
    occurredAt: Timestamp(),
  },
  { $id: 'OutboxEvent' },
);
const EventPageSchema = Type.Object(
  { items: Type.Array(Type.Ref(EventSchema)), lastSeq: Type.Integer({ description: 'Pass as after to read on; unchanged when nothing new' }) },
  { $id: 'OutboxEventPage' },
);
const EventQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Events after this seq' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  type: Type.Optional(Type.String({ maxLength: 100, description: 'Exact type, or a prefix ending in * (sales_order.*)' })),
  aggregateId: Type.Optional(Uuid()),
});

/**
 * The tenant's event stream, read from the transactional outbox (S1-5.3.5-a): every state change of
 * a business document, in commit order. A consumer keeps lastSeq and asks for what came after it.
 */
export function eventRoutes(app: MesApp, { db }: AppContext): void {
  app.addSchema(EventSchema);
  app.addSchema(EventPageSchema);
  app.get('/v1/events', {
    config: { permission: 'events:read' },
    schema: { operationId: 'listEvents', tags: ['events'], summary: 'Business events in commit order', querystring: EventQuery, response: { 200: Type.Ref(EventPageSchema), ...problems() } },
  }, async (req) => {
    const { after = 0, limit = 100, type, aggregateId } = req.query;
    const pattern = type === undefined ? null : type.endsWith('*') ? `${type.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%` : type.replace(/[\\%_]/g, '\\$&');
    const { rows } = await read(db, req, (tx) => tx.query<{ seq: string; event_type: string; aggregate_type: string; aggregate_id: string; payload: Record<string, unknown>; occurred_at: Date }>(
      `SELECT seq, event_type, aggregate_type, aggregate_id, payload, occurred_at FROM outbox_events
        WHERE tenant_id = $1 AND seq > $2 AND ($3::text IS NULL OR event_type LIKE $3) AND ($4::uuid IS NULL OR aggregate_id = $4)
        ORDER BY seq LIMIT $5`,
      [principalOf(req).tenantId, after, pattern, aggregateId ?? null, limit],
    ));
    const items = rows.map((r) => ({ seq: Number(r.seq), type: r.event_type, aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, payload: r.payload, occurredAt: r.occurred_at.toISOString() }));
    return { items, lastSeq: items.at(-1)?.seq ?? after };
  });
}
