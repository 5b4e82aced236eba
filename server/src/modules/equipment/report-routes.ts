import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import { series } from './rollups.js';
import { SeriesQuery, SeriesSchema } from './schema.js';

/** Reports over the rollups (S1-5.4.6-f status and energy reports over long periods). */
export function reportRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [SeriesSchema]) app.addSchema(s);
  const tags = ['equipment'];
  const readPerm = { permission: 'equipment:read' };
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;

  app.get('/v1/equipment/:id/series', {
    config: readPerm,
    schema: {
      operationId: 'getEquipmentSeries', tags,
      summary: 'A number point over [from, to) in 1-minute or 1-hour buckets (count, min, max, avg, last) from the rollups; auto: minutes up to two days',
      params: IdParams, querystring: SeriesQuery, response: { 200: Type.Ref(SeriesSchema), ...problems(404, 422) },
    },
  }, async (req) => read(db, req, (tx) => series(tx, tenant(req), req.params.id, req.query.point, req.query.from, req.query.to, req.query.resolution)));
}
