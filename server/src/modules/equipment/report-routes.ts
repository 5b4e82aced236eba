import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import { capacityReport } from './capacity.js';
import { orderEnergy } from './energy.js';
import { intactRate } from './fleet.js';
import * as notify from './notify.js';
import { series } from './rollups.js';
import { AlarmNoticesSchema, AlarmRoutesBody, AlarmRoutesSchema, CapacityReportQuery, CapacityReportSchema, FleetPeriodQuery, IntactRateSchema, OrderEnergySchema, SeriesQuery, SeriesSchema } from './schema.js';

/**
 * Reports over the rollups (S1-5.4.6-f status and energy reports over long periods), energy per
 * production order, and the alarm notification routes and notices (S1-5.4.6-d).
 */
export function reportRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [SeriesSchema, AlarmRoutesSchema, AlarmNoticesSchema, OrderEnergySchema, IntactRateSchema, CapacityReportSchema]) app.addSchema(s);
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

  app.get('/v1/equipment-alarm-routes', {
    config: readPerm,
    schema: { operationId: 'getEquipmentAlarmRoutes', tags, summary: 'Who is told of alarms by e-mail, per grade and rule kind, level by level', response: { 200: Type.Ref(AlarmRoutesSchema), ...problems() } },
  }, async (req) => read(db, req, (tx) => notify.getRoutes(tx, tenant(req))));

  app.put('/v1/equipment-alarm-routes', {
    config: { permission: 'equipment:write' },
    schema: {
      operationId: 'putEquipmentAlarmRoutes', tags, summary: 'Replace the alarm notification routes (levels 1, 2, 3 … per grade; audited)',
      body: AlarmRoutesBody, response: { 200: Type.Ref(AlarmRoutesSchema), ...problems(422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => notify.putRoutes(tx, tenant(req), req.body.routes), {
    resource: () => 'equipment-alarm-routes', details: (r) => ({ routes: r.routes.length }),
  }));

  app.get('/v1/equipment-alarms/:id/notices', {
    config: readPerm,
    schema: {
      operationId: 'listEquipmentAlarmNotices', tags, summary: 'The e-mails sent (or failed) for an alarm, with level and recipients',
      params: IdParams, response: { 200: Type.Ref(AlarmNoticesSchema), ...problems(404) },
    },
  }, async (req) => read(db, req, (tx) => notify.listNotices(tx, tenant(req), req.params.id)));

  app.get('/v1/production-orders/:id/energy', {
    config: readPerm,
    schema: {
      operationId: 'getProductionOrderEnergy', tags,
      summary: "Energy per production order: the machines' meters over the intervals its operations ran on them (work reports and operation events)",
      params: IdParams, response: { 200: Type.Ref(OrderEnergySchema), ...problems(404) },
    },
  }, async (req) => read(db, req, (tx) => orderEnergy(tx, tenant(req), req.params.id)));

  app.get('/v1/equipment-intact-rate', {
    config: readPerm,
    schema: {
      operationId: 'getEquipmentIntactRate', tags,
      summary: 'Intact rate (完好率) over [from, to) per active machine and for the fleet (all, or a workshop or work centre): machine time not down, and machines not down at the end',
      querystring: FleetPeriodQuery, response: { 200: Type.Ref(IntactRateSchema), ...problems(400) },
    },
  }, async (req) => read(db, req, (tx) => intactRate(tx, tenant(req), req.query)));

  app.get('/v1/equipment-capacity', {
    config: readPerm,
    schema: {
      operationId: 'getEquipmentCapacity', tags,
      summary: 'Capacity report over whole days: per machine and work centre the available hours of the plant calendar, the run hours and utilisation',
      querystring: CapacityReportQuery, response: { 200: Type.Ref(CapacityReportSchema), ...problems(400) },
    },
  }, async (req) => read(db, req, (tx) => capacityReport(tx, tenant(req), req.query)));
}
