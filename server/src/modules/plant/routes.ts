import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import {
  CalendarPageSchema, CalendarSchema, CalendarSummarySchema, CapacityQuery, CapacitySchema, CreateCalendarBody, CreatePlantBody, CreateProductionLineBody,
  CreateStationBody, CreateWorkCentreBody, CreateWorkshopBody, PlantListQuery, PlantPageSchema, PlantSchema, PlantSummarySchema, ProductionLinePageSchema,
  ProductionLineSchema, StationPageSchema, StationSchema, UpdateCalendarBody, UpdateLevelBody, UpdatePlantBody, UpdateStationBody, UpdateWorkCentreBody,
  WorkCentrePageSchema, WorkCentreSchema, WorkshopPageSchema, WorkshopSchema,
} from './schema.js';
import * as service from './service.js';

const PageQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
const listQuery = (...filters: (keyof typeof PlantListQuery.properties)[]) =>
  Type.Object(Object.fromEntries(['limit', 'cursor', 'status', ...filters].map((k) => [k, PlantListQuery.properties[k as keyof typeof PlantListQuery.properties]])), { additionalProperties: false });

/** The plant model (plant → workshop → line → work centre → station) and calendars: master data. */
export function plantRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [CalendarSchema, CalendarSummarySchema, CalendarPageSchema, PlantSchema, PlantSummarySchema, PlantPageSchema, WorkshopSchema, WorkshopPageSchema,
    ProductionLineSchema, ProductionLinePageSchema, WorkCentreSchema, WorkCentrePageSchema, StationSchema, StationPageSchema, CapacitySchema]) app.addSchema(s);
  const tags = ['plant'];
  const readPerm = { permission: 'masterdata:read' };
  const writePerm = { permission: 'masterdata:write' };
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  const byCode = <T extends { code: string }>(rows: T[], limit: number) => pageOf(rows, limit, (r) => [r.code], (r) => r);
  const after = (cursor: string | undefined) => decodeCursor(cursor, CURSOR.code)?.[0];

  // ------------------------------------------------------------ calendars
  app.get('/v1/calendars', {
    config: readPerm,
    schema: { operationId: 'listCalendars', tags, summary: 'Working calendars, by code', querystring: PageQuery, response: { 200: Type.Ref(CalendarPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    return byCode(await read(db, req, (tx) => service.listCalendars(tx, tenant(req), { limit, after: after(req.query.cursor) })), limit);
  });

  app.post('/v1/calendars', {
    config: writePerm,
    schema: { operationId: 'createCalendar', tags, summary: 'A calendar: shifts per weekday and exceptions by date (holidays, make-up days)', body: CreateCalendarBody, response: { 201: Type.Ref(CalendarSchema), ...problems(409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createCalendar(tx, tenant(req), req.body), { status: 201, resource: (c) => `calendar/${c.id}`, details: (c) => ({ code: c.code }) }));

  app.get('/v1/calendars/:id', {
    config: readPerm,
    schema: { operationId: 'getCalendar', tags, summary: 'A calendar with its weekly shifts and exceptions', params: IdParams, response: { 200: Type.Ref(CalendarSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => service.getCalendar(tx, tenant(req), req.params.id)));

  app.patch('/v1/calendars/:id', {
    config: writePerm,
    schema: { operationId: 'updateCalendar', tags, summary: 'Replace the weekly shifts or the exceptions (optimistic concurrency on version)', params: IdParams, body: UpdateCalendarBody, response: { 200: Type.Ref(CalendarSchema), ...problems(404, 409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.updateCalendar(tx, tenant(req), req.params.id, req.body), { resource: (c) => `calendar/${c.id}`, details: (c) => ({ version: c.version }) }));

  // ------------------------------------------------------------ the levels
  const level = <B extends TSchema, U extends TSchema>(o: {
    path: string; kind: 'plant' | 'workshop' | 'line' | 'workCentre' | 'station'; noun: string; plural: string; schema: TSchema; page: TSchema;
    query: TSchema; create: B; update: U; createFn: (tx: any, tenantId: string, body: any) => Promise<{ id: string; code: string }>;
    updateFn: (tx: any, tenantId: string, id: string, body: any) => Promise<{ id: string; version: number }>; getFn?: (tx: any, tenantId: string, id: string) => Promise<unknown>;
    summary: string; resource: string; getSchema?: TSchema;
  }) => {
    const op = o.noun.replace(/(^| )(\w)/g, (_, __, c: string) => c.toUpperCase());
    const ops = o.plural.replace(/(^| )(\w)/g, (_, __, c: string) => c.toUpperCase());
    app.get(o.path, {
      config: readPerm,
      schema: { operationId: `list${ops}`, tags, summary: `${o.plural[0].toUpperCase()}${o.plural.slice(1)}, by code`, querystring: o.query, response: { 200: Type.Ref(o.page), ...problems() } },
    }, async (req) => {
      const q = req.query as Record<string, string | number | undefined>;
      const limit = (q.limit as number | undefined) ?? 100;
      const rows = await read(db, req, (tx) => service.list(tx, tenant(req), o.kind, { ...q, limit, after: after(q.cursor as string | undefined) } as never));
      return byCode(o.kind === 'workCentre' ? (rows as never[]).map(service.publicWorkCentre) : rows as { code: string }[], limit);
    });
    app.post(o.path, {
      config: writePerm,
      schema: { operationId: `create${op}`, tags, summary: o.summary, body: o.create, response: { 201: Type.Ref(o.schema), ...problems(409, 422) } },
    }, async (req, reply) => mutate(db, req, reply, (tx) => o.createFn(tx, tenant(req), req.body), { status: 201, resource: (r) => `${o.resource}/${r.id}`, details: (r) => ({ code: r.code }) }));
    app.get(`${o.path}/:id`, {
      config: readPerm,
      schema: { operationId: `get${op}`, tags, summary: `A ${o.noun}`, params: IdParams, response: { 200: Type.Ref(o.getSchema ?? o.schema), ...problems(404) } },
    }, async (req) => read(db, req, async (tx) => {
      const found = o.getFn ? await o.getFn(tx, tenant(req), (req.params as { id: string }).id) : await service.get(tx, tenant(req), o.kind, (req.params as { id: string }).id);
      return o.kind === 'workCentre' ? service.publicWorkCentre(found as never) : found;
    }));
    app.patch(`${o.path}/:id`, {
      config: writePerm,
      schema: { operationId: `update${op}`, tags, summary: `Change a ${o.noun} (optimistic concurrency on version)`, params: IdParams, body: o.update, response: { 200: Type.Ref(o.schema), ...problems(404, 409, 422) } },
    }, async (req, reply) => mutate(db, req, reply, (tx) => o.updateFn(tx, tenant(req), (req.params as { id: string }).id, req.body), { resource: (r) => `${o.resource}/${r.id}`, details: (r) => ({ version: r.version }) }));
  };

  level({
    path: '/v1/plants', kind: 'plant', noun: 'plant', plural: 'plants', schema: PlantSummarySchema, page: PlantPageSchema, getSchema: PlantSchema, query: listQuery(),
    create: CreatePlantBody, update: UpdatePlantBody, createFn: service.createPlant, updateFn: service.updatePlant, getFn: service.getPlant, resource: 'plant',
    summary: 'A plant with its calendar and time zone',
  });
  level({
    path: '/v1/workshops', kind: 'workshop', noun: 'workshop', plural: 'workshops', schema: WorkshopSchema, page: WorkshopPageSchema, query: listQuery('plantId'),
    create: CreateWorkshopBody, update: UpdateLevelBody, createFn: service.createWorkshop, resource: 'workshop',
    updateFn: (tx, t, id, body) => service.updateWithCalendar(tx, t, 'workshop', id, body), summary: 'A workshop of a plant',
  });
  level({
    path: '/v1/production-lines', kind: 'line', noun: 'production line', plural: 'production lines', schema: ProductionLineSchema, page: ProductionLinePageSchema,
    query: listQuery('workshopId'), create: CreateProductionLineBody, update: UpdateLevelBody, createFn: service.createLine, resource: 'production-line',
    updateFn: (tx, t, id, body) => service.updateWithCalendar(tx, t, 'line', id, body), summary: 'A production line of a workshop',
  });
  level({
    path: '/v1/work-centres', kind: 'workCentre', noun: 'work centre', plural: 'work centres', schema: WorkCentreSchema, page: WorkCentrePageSchema,
    query: listQuery('workshopId', 'lineId'), create: CreateWorkCentreBody, update: UpdateWorkCentreBody, createFn: service.createWorkCentre,
    updateFn: service.updateWorkCentre, resource: 'work-centre', summary: 'A work centre: capacity unit (machine or labour hours), parallel count, efficiency, calendar',
  });
  level({
    path: '/v1/stations', kind: 'station', noun: 'station', plural: 'stations', schema: StationSchema, page: StationPageSchema, query: listQuery('workCentreId'),
    create: CreateStationBody, update: UpdateStationBody, createFn: service.createStation, updateFn: service.updateStation, resource: 'station',
    summary: 'A station (work place) of a work centre',
  });

  app.get('/v1/work-centres/:id/capacity', {
    config: readPerm,
    schema: {
      operationId: 'getWorkCentreCapacity', tags, summary: 'Capacity per day over [from, to]: the shifts worked, minutes and hours × parallel count × efficiency',
      params: IdParams, querystring: CapacityQuery, response: { 200: Type.Ref(CapacitySchema), ...problems(404) },
    },
  }, async (req) => read(db, req, (tx) => service.capacityHours(tx, tenant(req), req.params.id, req.query.from, req.query.to)));
}
