import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, PageQuery, problems } from '../../platform/schemas.js';
import * as repo from './repo.js';
import { CreateTenantBody, CreatedTenantSchema, PlanListSchema, PlanSchema, TenantPageSchema, TenantSchema, UpdateTenantBody } from './schema.js';
import * as service from './service.js';

export function tenantRoutes(app: MesApp, { db, auth, limiter }: AppContext): void {
  for (const s of [TenantSchema, TenantPageSchema, CreatedTenantSchema, PlanSchema, PlanListSchema]) app.addSchema(s);
  const tags = ['tenants'];

  app.get('/v1/plans', {
    schema: { operationId: 'listPlans', tags, summary: 'Service plans and their limits', response: { 200: Type.Ref(PlanListSchema), ...problems() } },
  }, async (req) => ({ items: await read(db, req, repo.listPlans) }));

  app.get('/v1/tenants', {
    config: { permission: 'tenants:read', platform: true },
    schema: { operationId: 'listTenants', tags, summary: 'List tenants (platform admin)', querystring: PageQuery, response: { 200: Type.Ref(TenantPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listTenants(tx, limit, after));
    return pageOf(rows, limit, (t) => [t.createdAt, t.id], (t) => t);
  });

  app.post('/v1/tenants', {
    config: { permission: 'tenants:write', platform: true },
    schema: {
      operationId: 'createTenant', tags, summary: 'Create a tenant with an admin user and API key (platform admin)', body: CreateTenantBody,
      response: { 201: Type.Ref(CreatedTenantSchema), ...problems(409, 422) },
    },
  }, async (req, reply) =>
    mutate(db, req, reply, (tx) =>
      service.createTenant(tx, req.body, { createdBy: principalOf(req).username }), { status: 201, resource: (t) => `tenant/${t.tenant.id}`, oneTimeSecret: true }));

  app.get('/v1/tenants/:id', {
    config: { permission: 'tenants:read', platform: true },
    schema: { operationId: 'getTenant', tags, summary: 'Get a tenant (platform admin)', params: IdParams, response: { 200: Type.Ref(TenantSchema), ...problems(404) } },
  }, async (req) => {
    const tenant = await read(db, req, (tx) => repo.findTenant(tx, req.params.id));
    if (!tenant) throw notFound('tenant', req.params.id);
    return tenant;
  });

  app.patch('/v1/tenants/:id', {
    config: { permission: 'tenants:write', platform: true },
    schema: {
      operationId: 'updateTenant', tags, summary: 'Rename, change plan or suspend a tenant; a plan change applies at once', params: IdParams,
      body: UpdateTenantBody, response: { 200: Type.Ref(TenantSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => {
    const tenant = await mutate(db, req, reply, (tx) =>
      service.updateTenant(tx, req.params.id, req.body), { resource: (t) => `tenant/${t.id}`, details: (t) => ({ plan: t.plan, status: t.status }) });
    limiter.forget(tenant.id);
    auth.forgetTenant(tenant.id);
    return tenant;
  });
}
