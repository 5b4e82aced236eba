import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import { whoOf } from './common.js';
import * as kitting from './kitting.js';
import {
  FirmBody, FirmResultSchema, KittingBody, KittingSchema, MaterialPlanningSchema, MrpRunListQuery, MrpRunPageSchema, MrpRunQuery, MrpRunSchema, MrpRunSummarySchema, AppliedScheduleSchema,
  PutMaterialPlanningBody, RunMrpBody, ScheduleBody, ScheduleSchema,
} from './mrp-schema.js';
import * as runs from './mrp-runs.js';
import * as scheduling from './scheduling.js';

/** Planning (S1-5.4.4-k, S1-5.4.1-f, S1-5.4.2-f): planning parameters, MRP runs and firming, kitting and allocation, scheduling. */
export function planningRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [MaterialPlanningSchema, MrpRunSummarySchema, MrpRunPageSchema, MrpRunSchema, FirmResultSchema, KittingSchema, ScheduleSchema, AppliedScheduleSchema]) app.addSchema(s);
  const tags = ['production'];
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  const who = (req: FastifyRequest) => whoOf(principalOf(req));
  const readPerm = { permission: 'production:read' };
  const writePerm = { permission: 'production:write' };

  app.get('/v1/materials/:id/planning', {
    config: readPerm,
    schema: { operationId: 'getMaterialPlanning', tags, summary: 'How MRP plans a material: make or buy, lead time, lot sizing', params: IdParams, response: { 200: Type.Ref(MaterialPlanningSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => runs.getPlanning(tx, tenant(req), req.params.id)));

  app.put('/v1/materials/:id/planning', {
    config: writePerm,
    schema: {
      operationId: 'putMaterialPlanning', tags, summary: 'Set how MRP plans a material (version 0 the first time): procurement, lead time days, lot sizing lot_for_lot / fixed / min_multiple',
      params: IdParams, body: PutMaterialPlanningBody, response: { 200: Type.Ref(MaterialPlanningSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => runs.putPlanning(tx, who(req), req.params.id, req.body), { resource: (p) => `material-planning/${p.materialId}`, details: (p) => ({ version: p.version, lotSizing: p.lotSizing }) }));

  app.get('/v1/mrp-runs', {
    config: readPerm,
    schema: { operationId: 'listMrpRuns', tags, summary: 'MRP runs, newest first', querystring: MrpRunListQuery, response: { 200: Type.Ref(MrpRunPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const rows = await read(db, req, (tx) => runs.listRuns(tx, tenant(req), { limit, after: decodeCursor(req.query.cursor, CURSOR.createdAtId) }));
    return pageOf(rows, limit, (r) => [r.createdAt, r.id], (r) => r);
  });

  app.post('/v1/mrp-runs', {
    config: writePerm,
    schema: {
      operationId: 'runMrp', tags,
      summary: 'Run MRP: demand from open sales order lines (MTO), tasks given here and safety-stock shortfalls, netted level by level; planned production orders and purchase suggestions, pegged to their demand',
      body: RunMrpBody, response: { 201: Type.Ref(MrpRunSchema), ...problems(422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => runs.runMrp(tx, who(req), req.body), { status: 201, resource: (r) => `mrp-run/${r.id}`, details: (r) => ({ docNo: r.docNo, planned: r.plannedCount, resultDigest: r.resultDigest }) }));

  app.get('/v1/mrp-runs/:id', {
    config: readPerm,
    schema: { operationId: 'getMrpRun', tags, summary: 'An MRP run: its inputs, netting per material, planned orders with their pegs', params: IdParams, querystring: MrpRunQuery, response: { 200: Type.Ref(MrpRunSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => runs.getRun(tx, tenant(req), req.params.id, req.query)));

  app.post('/v1/mrp-runs/:id/firm', {
    config: writePerm,
    schema: {
      operationId: 'firmMrpPlannedOrders', tags, summary: 'Firm planned orders of a run: make → production orders, buy → purchase orders per preferred supplier (S1-5.4.2-f); each once',
      params: IdParams, body: FirmBody, response: { 200: Type.Ref(FirmResultSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => runs.firm(tx, who(req), req.params.id, req.body.lineNos), {
    resource: () => `mrp-run/${req.params.id}`, details: (r) => ({ productionOrders: r.productionOrders.map((o) => o.docNo), purchaseOrders: r.purchaseOrders.map((o) => o.docNo) }),
  }));

  app.post('/v1/production-kitting', {
    config: { ...readPerm, readOnly: true },
    schema: {
      operationId: 'getProductionKitting', tags, summary: 'Kitting (齐套) of released orders: per component required vs allocated and free stock, kit rate, shortages, earliest kit date; changes nothing',
      body: KittingBody, response: { 200: Type.Ref(KittingSchema), ...problems(422) },
    },
  }, async (req) => read(db, req, (tx) => kitting.kitting(tx, tenant(req), req.body.orderIds)));

  app.post('/v1/production-kitting/allocate', {
    config: writePerm,
    schema: {
      operationId: 'allocateProductionKitting', tags, summary: 'Allocate free stock to the orders\' components in the order given (never more than the balance, even in parallel); the kitting after it',
      body: KittingBody, response: { 200: Type.Ref(KittingSchema), ...problems(422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => kitting.allocate(tx, who(req), req.body.orderIds), {
    resource: (k) => `production-kitting/${k.orders.map((o) => o.docNo).join(',')}`, details: (k) => ({ shortages: k.shortages.length }),
  }));

  app.post('/v1/production-scheduling', {
    config: { ...readPerm, readOnly: true },
    schema: {
      operationId: 'scheduleProduction', tags,
      summary: "Finite-capacity schedule of released orders' operations on their work centres' calendars (day buckets), forward from a day or backward from the due date; overloads reported; changes nothing",
      body: ScheduleBody, response: { 200: Type.Ref(ScheduleSchema), ...problems(422) },
    },
  }, async (req) => read(db, req, (tx) => scheduling.schedule(tx, tenant(req), req.body)));

  app.post('/v1/production-scheduling/apply', {
    config: { permission: 'production:write' },
    schema: {
      operationId: 'applyProductionSchedule', tags,
      summary: "The same schedule, written: each fully placed operation's planned start and finish (shift resolution), each fully placed order's planned start and finish dates",
      body: ScheduleBody, response: { 200: Type.Ref(AppliedScheduleSchema), ...problems(409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => scheduling.applySchedule(tx, who(req), req.body), {
    resource: () => 'production-schedule', details: (r) => ({ direction: r.direction, from: r.from, orders: r.applied.orders, operations: r.applied.operations }),
  }));
}
