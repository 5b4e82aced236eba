import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { actorId } from '../../platform/auth.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import * as alarms from './alarms.js';
import { gatewayRoutes } from './gateway-routes.js';
import * as gateways from './gateways.js';
import { indicators } from './indicators.js';
import * as master from './master.js';
import { reportRoutes } from './report-routes.js';
import {
  AcknowledgeBody, AlarmListQuery, AlarmPageSchema, AlarmSchema, CommandBody, CommandSchema, CreateEquipmentBody, EquipmentListQuery, EquipmentPageSchema,
  EquipmentSchema, EquipmentStatusSchema, EquipmentSummarySchema, IndicatorsSchema, PeriodQuery, StateHistorySchema, UpdateEquipmentBody,
} from './schema.js';
import { getStatus, stateHistory } from './status.js';

/** Equipment (S1-5.4.6): the master, status, state history, alarms, indicators and commands; gateways and ingest in gateway-routes.ts. */
export function equipmentRoutes(app: MesApp, ctx: AppContext): void {
  const { db } = ctx;
  for (const s of [EquipmentSchema, EquipmentSummarySchema, EquipmentPageSchema, EquipmentStatusSchema, StateHistorySchema, AlarmSchema, AlarmPageSchema, IndicatorsSchema, CommandSchema]) app.addSchema(s);
  const tags = ['equipment'];
  const readPerm = { permission: 'equipment:read' };
  const writePerm = { permission: 'equipment:write' };
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;

  app.get('/v1/equipment', {
    config: readPerm,
    schema: { operationId: 'listEquipment', tags, summary: 'Equipment, by code', querystring: EquipmentListQuery, response: { 200: Type.Ref(EquipmentPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const after = decodeCursor(req.query.cursor, CURSOR.code)?.[0];
    const rows = await read(db, req, (tx) => master.listEquipment(tx, tenant(req), { limit, after, workshopId: req.query.workshopId, status: req.query.status }));
    return pageOf(rows, limit, (r) => [r.code], (r) => r);
  });

  app.post('/v1/equipment', {
    config: writePerm,
    schema: {
      operationId: 'createEquipment', tags, summary: 'A machine: identity, place in the plant model, points with running standards, alarm rules, available time, target output (S1-5.4.6-a)',
      body: CreateEquipmentBody, response: { 201: Type.Ref(EquipmentSchema), ...problems(409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => master.createEquipment(tx, tenant(req), req.body), { status: 201, resource: (e) => `equipment/${e.id}`, details: (e) => ({ code: e.code }) }));

  app.get('/v1/equipment/:id', {
    config: readPerm,
    schema: { operationId: 'getEquipment', tags, summary: 'A machine with its points and alarm rules', params: IdParams, response: { 200: Type.Ref(EquipmentSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => master.getEquipment(tx, tenant(req), req.params.id)));

  app.patch('/v1/equipment/:id', {
    config: writePerm,
    schema: {
      operationId: 'updateEquipment', tags, summary: 'Change a machine (optimistic concurrency on version); points and alarm rules, when given, replace the old ones',
      params: IdParams, body: UpdateEquipmentBody, response: { 200: Type.Ref(EquipmentSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => master.updateEquipment(tx, tenant(req), req.params.id, req.body), { resource: (e) => `equipment/${e.id}`, details: (e) => ({ version: e.version }) }));

  app.get('/v1/equipment/:id/status', {
    config: readPerm,
    schema: {
      operationId: 'getEquipmentStatus', tags, summary: 'Current state and the newest reading of every point against its running standard (S1-5.4.6-b)',
      params: IdParams, response: { 200: Type.Ref(EquipmentStatusSchema), ...problems(404) },
    },
  }, async (req) => read(db, req, (tx) => getStatus(tx, tenant(req), req.params.id)));

  app.get('/v1/equipment/:id/states', {
    config: readPerm,
    schema: {
      operationId: 'getEquipmentStates', tags, summary: 'State history over [from, to) with run, idle, down and setup durations (S1-5.4.6-c)',
      params: IdParams, querystring: PeriodQuery, response: { 200: Type.Ref(StateHistorySchema), ...problems(404) },
    },
  }, async (req) => read(db, req, (tx) => stateHistory(tx, tenant(req), req.params.id, req.query.from, req.query.to)));

  app.get('/v1/equipment/:id/indicators', {
    config: readPerm,
    schema: {
      operationId: 'getEquipmentIndicators', tags, summary: 'Availability, performance, OEE, MTBF, MTTR and failure rate over [from, to) (S1-5.4.6-f)',
      params: IdParams, querystring: PeriodQuery, response: { 200: Type.Ref(IndicatorsSchema), ...problems(404) },
    },
  }, async (req) => read(db, req, (tx) => indicators(tx, tenant(req), req.params.id, req.query.from, req.query.to)));

  app.post('/v1/equipment/:id/commands', {
    config: { permission: 'equipment:command' },
    schema: {
      operationId: 'sendDeviceCommand', tags, summary: 'Write a setpoint to a writable point through the machine\'s gateway (S1-5.2.4); the result arrives with a later heartbeat',
      params: IdParams, body: CommandBody, response: { 201: Type.Ref(CommandSchema), ...problems(404, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => gateways.issueCommand(tx, tenant(req), req.params.id, req.body, actorId(principalOf(req))), {
    status: 201, resource: (c) => `device-command/${c.id}`, details: (c) => ({ equipmentId: c.equipmentId, point: c.point, value: c.value }),
  }));

  app.get('/v1/device-commands/:id', {
    config: readPerm,
    schema: { operationId: 'getDeviceCommand', tags, summary: 'A command to a device and its result', params: IdParams, response: { 200: Type.Ref(CommandSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => gateways.getCommand(tx, tenant(req), req.params.id)));

  app.get('/v1/equipment-alarms', {
    config: readPerm,
    schema: { operationId: 'listEquipmentAlarms', tags, summary: 'Alarms, newest first (S1-5.4.6-d)', querystring: AlarmListQuery, response: { 200: Type.Ref(AlarmPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => alarms.listAlarms(tx, tenant(req), { limit, after, equipmentId: req.query.equipmentId, active: req.query.active, grade: req.query.grade }));
    return pageOf(rows, limit, (r) => [r.created_at.toISOString(), r.id], alarms.toAlarm);
  });

  app.get('/v1/equipment-alarms/:id', {
    config: readPerm,
    schema: { operationId: 'getEquipmentAlarm', tags, summary: 'An alarm', params: IdParams, response: { 200: Type.Ref(AlarmSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => alarms.getAlarm(tx, tenant(req), req.params.id)));

  app.post('/v1/equipment-alarms/:id/acknowledge', {
    config: writePerm,
    schema: {
      operationId: 'acknowledgeEquipmentAlarm', tags, summary: 'Acknowledge an alarm (once; audited)',
      params: IdParams, body: AcknowledgeBody, response: { 200: Type.Ref(AlarmSchema), ...problems(404, 409) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => alarms.acknowledge(tx, tenant(req), req.params.id, actorId(principalOf(req)), req.body.note), {
    resource: (a) => `equipment-alarm/${a.id}`, details: (a) => ({ code: a.code, equipmentId: a.equipmentId }),
  }));

  gatewayRoutes(app, ctx);
  reportRoutes(app, ctx);
}
