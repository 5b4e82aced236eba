import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, PageQuery, problems } from '../../platform/schemas.js';
import * as repo from './repo.js';
import { CutoverPageSchema, CutoverSchema, CutoverStepSchema, CutoverSummarySchema, PlanCutoverBody, RunStepBody, StepParams } from './schema.js';
import * as cutovers from './service.js';
import { renderReports, summarise } from './summary.js';

/**
 * Go-live cutover (S1-7.2, S1-7.3): plan, run its steps, roll back, verify. Every route is the
 * cutover's own, so it works while the tenant is frozen (platform/freeze.ts); docs/cutover.md.
 */
export function cutoverRoutes(app: MesApp, ctx: AppContext): void {
  const { db } = ctx;
  for (const s of [CutoverStepSchema, CutoverSchema, CutoverPageSchema, CutoverSummarySchema]) app.addSchema(s);
  const tags = ['cutovers'];
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  const cc: cutovers.CutoverContext = { db, freeze: ctx.freeze, forgetCredentials: (t) => ctx.auth.forgetTenant(t), leaseMs: ctx.config.cutoverStepLeaseMs };
  const own = 'own' as const;

  app.post('/v1/cutovers', {
    config: { permission: 'cutovers:write', cutover: own },
    schema: {
      operationId: 'planCutover', tags, summary: 'Plan a go-live cutover: its ordered steps and the readiness checks, each with its state',
      body: PlanCutoverBody, response: { 201: Type.Ref(CutoverSchema), ...problems(409) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => cutovers.planCutover(tx, principalOf(req), req.body.note), {
    status: 201, resource: (c) => `cutover/${c.id}`, details: (c) => ({ checks: Object.fromEntries(c.checks.map((x) => [x.key, x.state])) }),
  }));

  app.get('/v1/cutovers', {
    config: { permission: 'cutovers:read' },
    schema: { operationId: 'listCutovers', tags, summary: 'The tenant\'s cutovers, newest first', querystring: PageQuery, response: { 200: Type.Ref(CutoverPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listCutovers(tx, tenant(req), limit, after as [string, string] | undefined));
    return pageOf(rows, limit, (c) => [c.createdAt, c.id], (c) => c);
  });

  app.get('/v1/cutovers/:id', {
    config: { permission: 'cutovers:read' },
    schema: { operationId: 'getCutover', tags, summary: 'A cutover with every step and check: state, who, when, duration, result', params: IdParams, response: { 200: Type.Ref(CutoverSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => cutovers.getCutover(tx, tenant(req), req.params.id)));

  app.post('/v1/cutovers/:id/checks', {
    config: { permission: 'cutovers:write', cutover: own },
    schema: { operationId: 'checkCutoverReadiness', tags, summary: 'Run the readiness checks (S1-7.2) again', params: IdParams, response: { 200: Type.Ref(CutoverSchema), ...problems(404) } },
  }, async (req, reply) => mutate(db, req, reply, async (tx) => {
    await cutovers.getCutover(tx, tenant(req), req.params.id, true);
    await cutovers.checkReadiness(tx, principalOf(req), req.params.id);
    return cutovers.getCutover(tx, tenant(req), req.params.id);
  }, { resource: (c) => `cutover/${c.id}` }));

  app.post('/v1/cutovers/:id/steps/:step', {
    config: { permission: 'cutovers:write', cutover: own },
    schema: {
      operationId: 'runCutoverStep', tags,
      summary: 'Run the next step of a cutover (freeze, backup, clean, the three import steps with the jobs the client ran, reconcile with its differences, unfreeze); a failed step leaves the cutover failed and frozen',
      params: StepParams, body: RunStepBody, response: { 200: Type.Ref(CutoverSchema), ...problems(404, 409) },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const { id, step } = req.params;
    const c = await db.transaction({ tenantId: p.tenantId }, (tx) => cutovers.startStep(tx, p, id, step, cc.leaseMs));
    const outcome = await cutovers.executeStep(cc, p, c, step, req.body);
    return mutate(db, req, reply, (tx) => cutovers.finishStep(tx, p, id, step, outcome), {
      resource: () => `cutover/${id}/steps/${step}`, details: () => ({ state: outcome.state, ...(outcome.result.error ? { error: outcome.result.error } : {}) }),
    });
  });

  app.post('/v1/cutovers/:id/rollback', {
    config: { permission: 'cutovers:write', cutover: own },
    schema: {
      operationId: 'rollbackCutover', tags,
      summary: 'Roll an open cutover back: the tenant\'s rows as at the backup point (the audit chain, events and import jobs stay), then unfreeze',
      params: IdParams, response: { 200: Type.Ref(CutoverSchema), ...problems(404, 409) },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const result = await cutovers.rollback(cc, p, req.params.id);
    return mutate(db, req, reply, (tx) => cutovers.finishRollback(tx, p, req.params.id, result), { resource: (c) => `cutover/${c.id}`, details: () => result });
  });

  app.get('/v1/cutovers/:id/summary', {
    config: { permission: 'cutovers:read' },
    schema: {
      operationId: 'getCutoverSummary', tags,
      summary: 'Verify after go-live (S1-7.3-b) and the go-live summary (S1-7.3-c): write error rate, latency, ledger invariant, reconciliation, reports rendered, readiness',
      params: IdParams, response: { 200: Type.Ref(CutoverSummarySchema), ...problems(404) },
    },
  }, async (req) => {
    const render = async (path: string) => {
      const res = await app.inject({ method: 'GET', url: path, headers: { authorization: req.headers.authorization ?? '' } });
      return { status: res.statusCode, bytes: res.rawPayload.length };
    };
    const c = await read(db, req, (tx) => cutovers.getCutover(tx, tenant(req), req.params.id));
    const reports = await renderReports(c, render);
    return read(db, req, (tx) => summarise(tx, tenant(req), c, ctx.metrics, reports));
  });
}
