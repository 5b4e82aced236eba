import { Type } from '@sinclair/typebox';
import { releaseAdmission, type AppContext, type MesApp } from '../../app.js';
import { principalOf, read } from '../../platform/request.js';
import { problems } from '../../platform/schemas.js';
import { typePattern } from '../events/repo.js';
import { eventStreamsOf, streamStart } from '../events/stream.js';
import { progress, workshopOf } from './progress.js';
import { FeedQuery, OrderProgressSchema, ProgressQuery, ProgressSchema } from './progress-schema.js';

/**
 * What changes a board: an order entering, leaving or starting on the floor, every operation
 * event (start, pause, resume, end, report, dispatch) and every receipt.
 */
export const FEED_TYPES = [
  'production_order.released', 'production_order.scheduled', 'production_order.started', 'production_order.completed', 'production_order.closed', 'production_order.cancelled',
  'production_operation.*', 'production_receipt.posted',
];

/** Live shop-floor data (S1-5.4.4-l, S1-4.3.6): the progress board and its feed. */
export function progressRoutes(app: MesApp, ctx: AppContext): void {
  app.addSchema(OrderProgressSchema);
  app.addSchema(ProgressSchema);
  const { db } = ctx;
  const tags = ['production'];
  const streams = eventStreamsOf(app, ctx);
  const patterns = FEED_TYPES.map((t) => typePattern(t)!);

  app.get('/v1/production-progress', {
    config: { permission: 'production:read' },
    schema: {
      operationId: 'getProductionProgress', tags,
      summary: 'Shop-floor progress per workshop, work centre and open order: planned against good, scrap and pending inspection; operations running with station and operator; late orders',
      description: 'One consistent read; `lastSeq` is where GET /v1/production-progress/feed continues from, so a board misses no change and sees none twice.',
      querystring: ProgressQuery, response: { 200: Type.Ref(ProgressSchema), ...problems(422) },
    },
  }, async (req) => read(db, req, (tx) => progress(tx, principalOf(req).tenantId, req.query)));

  app.get('/v1/production-progress/feed', {
    config: { permission: 'production:read' },
    schema: {
      operationId: 'streamProductionFeed', tags,
      summary: 'Shop-floor changes as they commit, as Server-Sent Events (for e-kanban boards)',
      description:
        `The tenant's outbox events of types ${FEED_TYPES.join(', ')}, optionally of one workshop, in the same frames as GET /v1/events/stream: ` +
        '`id: <seq>` and `data: <OutboxEvent JSON>`, heartbeat comments, resume with Last-Event-ID or after=. Ends with an `error` event when the credentials expire or lose production:read.',
      querystring: FeedQuery,
      headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 20 })) }),
      response: { 200: { description: 'The feed', content: { 'text/event-stream': { schema: Type.String() } } }, ...problems(422) },
    },
  }, async (req, reply) => {
    const tenantId = principalOf(req).tenantId;
    const after = streamStart(req, req.query.after);
    const workshopId = req.query.workshopId ? await read(db, req, (tx) => workshopOf(tx, tenantId, { workshopId: req.query.workshopId })) : null;
    // A board stays connected for a shift: it must not hold one of the tenant plan's concurrent-request slots.
    releaseAdmission(req);
    await streams.serve(req, reply, { tenantId, after, filter: { patterns, ...(workshopId ? { payload: { workshopId } } : {}) }, permission: 'production:read' });
  });
}
