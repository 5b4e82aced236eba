import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import {
  BomListQuery, BomPageSchema, BomSchema, BomSummarySchema, CreateBomBody, ExplosionQuery, ExplosionSchema, UpdateBomBody, WhereUsedQuery, WhereUsedSchema,
} from './bom-schema.js';
import * as boms from './boms.js';
import { VersionBody, whoOf } from './common.js';
import { drawingRoutes } from './drawing-routes.js';
import { executionRoutes } from './execution-routes.js';
import * as explosion from './explosion.js';
import { orderRoutes } from './order-routes.js';
import { planningRoutes } from './mrp-routes.js';
import { progressRoutes } from './progress-routes.js';
import { CreateRoutingBody, RoutingListQuery, RoutingPageSchema, RoutingSchema, RoutingSummarySchema, UpdateRoutingBody } from './routing-schema.js';
import * as routings from './routings.js';

/** Production (S1-5.4.4): engineering data (BOMs, routings, drawings), production orders and their execution. */
export function productionRoutes(app: MesApp, ctx: AppContext): void {
  engineeringRoutes(app, ctx);
  drawingRoutes(app, ctx);
  orderRoutes(app, ctx);
  executionRoutes(app, ctx);
  planningRoutes(app, ctx);
  progressRoutes(app, ctx);
}

function engineeringRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [BomSchema, BomSummarySchema, BomPageSchema, ExplosionSchema, WhereUsedSchema, RoutingSchema, RoutingSummarySchema, RoutingPageSchema]) app.addSchema(s);
  const tags = ['production'];
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  const who = (req: FastifyRequest) => whoOf(principalOf(req));
  const readPerm = { permission: 'production:read' };
  const writePerm = { permission: 'production:write' };
  const approvePerm = { permission: 'production:approve' };
  const newestFirst = <T extends { createdAt: string; id: string }>(rows: T[], limit: number) => pageOf(rows, limit, (d) => [d.createdAt, d.id], (d) => d);
  const after = (cursor: string | undefined) => decodeCursor(cursor, CURSOR.createdAtId);

  // ------------------------------------------------------------ routings (S1-5.4.4-c)
  app.get('/v1/routings', {
    config: readPerm,
    schema: { operationId: 'listRoutings', tags, summary: 'Routing revisions, newest first', querystring: RoutingListQuery, response: { 200: Type.Ref(RoutingPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    return newestFirst(await read(db, req, (tx) => routings.listRoutings(tx, tenant(req), { ...req.query, limit, after: after(req.query.cursor) })), limit);
  });

  app.post('/v1/routings', {
    config: writePerm,
    schema: {
      operationId: 'createRouting', tags, summary: 'A draft revision of a routing (a new routing with its first): operations, work centres, standard times, inspection points',
      body: CreateRoutingBody, response: { 201: Type.Ref(RoutingSchema), ...problems(409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => routings.createRouting(tx, who(req), req.body), { status: 201, resource: (r) => `routing/${r.id}`, details: (r) => ({ code: r.code, revision: r.revision }) }));

  app.get('/v1/routings/:id', {
    config: readPerm,
    schema: { operationId: 'getRouting', tags, summary: 'A routing revision with its operations', params: IdParams, response: { 200: Type.Ref(RoutingSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => routings.getRouting(tx, tenant(req), req.params.id)));

  app.patch('/v1/routings/:id', {
    config: writePerm,
    schema: { operationId: 'updateRouting', tags, summary: 'Change a draft revision (409 RELEASED_IMMUTABLE once released)', params: IdParams, body: UpdateRoutingBody, response: { 200: Type.Ref(RoutingSchema), ...problems(404, 409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => routings.updateRouting(tx, who(req), req.params.id, req.body), { resource: (r) => `routing/${r.id}`, details: (r) => ({ version: r.version }) }));

  app.post('/v1/routings/:id/release', {
    config: approvePerm,
    schema: { operationId: 'releaseRouting', tags, summary: 'Release a draft revision; the revision in force becomes obsolete from its effective date', params: IdParams, body: VersionBody, response: { 200: Type.Ref(RoutingSchema), ...problems(404, 409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => routings.releaseRouting(tx, who(req), req.params.id, req.body.version), { resource: (r) => `routing/${r.id}`, details: (r) => ({ revision: r.revision }) }));

  // ------------------------------------------------------------ BOMs (S1-5.4.4-b)
  app.get('/v1/boms', {
    config: readPerm,
    schema: { operationId: 'listBoms', tags, summary: 'BOM revisions, newest first; by product, type and status', querystring: BomListQuery, response: { 200: Type.Ref(BomPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    return newestFirst(await read(db, req, (tx) => boms.listBoms(tx, tenant(req), { ...req.query, limit, after: after(req.query.cursor) })), limit);
  });

  app.post('/v1/boms', {
    config: writePerm,
    schema: {
      operationId: 'createBom', tags, summary: "A draft revision of a product's BOM of a type (engineering, process, manufacturing, sales); a cycle is refused with its path",
      body: CreateBomBody, response: { 201: Type.Ref(BomSchema), ...problems(409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => boms.createBom(tx, who(req), req.body), { status: 201, resource: (b) => `bom/${b.id}`, details: (b) => ({ materialCode: b.materialCode, type: b.type, revision: b.revision }) }));

  app.get('/v1/boms/:id', {
    config: readPerm,
    schema: { operationId: 'getBom', tags, summary: 'A BOM revision with its lines', params: IdParams, response: { 200: Type.Ref(BomSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => boms.getBom(tx, tenant(req), req.params.id)));

  app.patch('/v1/boms/:id', {
    config: writePerm,
    schema: { operationId: 'updateBom', tags, summary: 'Change a draft revision (409 RELEASED_IMMUTABLE once released)', params: IdParams, body: UpdateBomBody, response: { 200: Type.Ref(BomSchema), ...problems(404, 409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => boms.updateBom(tx, who(req), req.params.id, req.body), { resource: (b) => `bom/${b.id}`, details: (b) => ({ version: b.version }) }));

  app.post('/v1/boms/:id/release', {
    config: approvePerm,
    schema: { operationId: 'releaseBom', tags, summary: 'Release a draft revision; the revision in force becomes obsolete from its effective date', params: IdParams, body: VersionBody, response: { 200: Type.Ref(BomSchema), ...problems(404, 409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => boms.releaseBom(tx, who(req), req.params.id, req.body.version), { resource: (b) => `bom/${b.id}`, details: (b) => ({ revision: b.revision }) }));

  app.get('/v1/materials/:id/bom-explosion', {
    config: readPerm,
    schema: {
      operationId: 'explodeBom', tags, summary: "A product's multi-level BOM explosion as of a date: phantoms blown through, scrap applied, exact quantities, totals per material",
      params: IdParams, querystring: ExplosionQuery, response: { 200: Type.Ref(ExplosionSchema), ...problems(404, 422) },
    },
  }, async (req) => read(db, req, (tx) => explosion.explodeMaterial(tx, tenant(req), req.params.id, req.query)));

  app.get('/v1/materials/:id/where-used', {
    config: readPerm,
    schema: { operationId: 'getBomWhereUsed', tags, summary: 'Every product whose BOM in effect uses the material, at every level up', params: IdParams, querystring: WhereUsedQuery, response: { 200: Type.Ref(WhereUsedSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => explosion.whereUsed(tx, tenant(req), req.params.id, req.query)));
}

