import { Type } from '@sinclair/typebox';
import { releaseAdmission, type AppContext, type MesApp } from '../../app.js';
import { principalOf, read } from '../../platform/request.js';
import { Timestamp, Uuid, problems } from '../../platform/schemas.js';
import { filterOf, listEvents, typePattern } from './repo.js';
import { eventStreamsOf, streamStart } from './stream.js';

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
const TypeFilter = Type.String({ maxLength: 100, description: 'Exact type, or a prefix ending in * (sales_order.*)' });
const EventQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Events after this seq' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  type: Type.Optional(TypeFilter),
  aggregateId: Type.Optional(Uuid()),
});
const StreamQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Start after this seq; default: the Last-Event-ID header, else only events from now on' })),
  type: Type.Optional(TypeFilter),
});

/**
 * The tenant's event stream, read from the transactional outbox (S1-5.3.5-a): every state change of
 * a business document, in commit order. A consumer keeps lastSeq and asks for what came after it.
 */
export function eventRoutes(app: MesApp, ctx: AppContext): void {
  const { db } = ctx;
  app.addSchema(EventSchema);
  app.addSchema(EventPageSchema);
  app.get('/v1/events', {
    config: { permission: 'events:read' },
    schema: { operationId: 'listEvents', tags: ['events'], summary: 'Business events in commit order', querystring: EventQuery, response: { 200: Type.Ref(EventPageSchema), ...problems() } },
  }, async (req) => {
    const { after = 0, limit = 100, type, aggregateId } = req.query;
    const items = await read(db, req, (tx) => listEvents(tx, principalOf(req).tenantId, after, filterOf(typePattern(type)), aggregateId ?? null, limit));
    return { items, lastSeq: items.at(-1)?.seq ?? after };
  });

  const streams = eventStreamsOf(app, ctx);

  app.get('/v1/events/stream', {
    config: { permission: 'events:read' },
    schema: {
      operationId: 'streamEvents',
      tags: ['events'],
      summary: 'Business events as they commit, as Server-Sent Events',
      description:
        'A text/event-stream: each event is `id: <seq>` and `data: <OutboxEvent JSON>`; comment lines every heartbeat. Resume with the Last-Event-ID header (or after=). ' +
        'The stream ends when the credentials expire or lose events:read (an `error` event carries the problem), and when the server shuts down; reconnect then.',
      querystring: StreamQuery,
      headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 20 })) }),
      response: { 200: { description: 'The event stream', content: { 'text/event-stream': { schema: Type.String() } } }, ...problems() },
    },
  }, async (req, reply) => {
    const after = streamStart(req, req.query.after);
    // A stream lasts hours: it must not hold one of the tenant plan's concurrent-request slots.
    releaseAdmission(req);
    await streams.serve(req, reply, { tenantId: principalOf(req).tenantId, after, filter: filterOf(typePattern(req.query.type)), permission: 'events:read' });
  });
}
