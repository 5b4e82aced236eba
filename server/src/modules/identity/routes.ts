import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, PageQuery, problems } from '../../platform/schemas.js';
import { login } from './login.js';
import * as repo from './repo.js';
import {
  ApiKeyPageSchema, ApiKeySchema, CreateApiKeyBody, CreateUserBody, CreatedApiKeySchema, LoginBody, MeSchema, RoleListSchema,
  RoleSchema, TokenSchema, UpdateUserBody, UserPageSchema, UserSchema,
} from './schema.js';
import * as service from './service.js';

export function identityRoutes(app: MesApp, ctx: AppContext): void {
  const { db, auth } = ctx;
  for (const s of [UserSchema, UserPageSchema, RoleSchema, RoleListSchema, ApiKeySchema, ApiKeyPageSchema, CreatedApiKeySchema, TokenSchema, MeSchema]) app.addSchema(s);
  const tags = ['identity'];

  app.post('/v1/auth/login', {
    config: { public: true },
    schema: {
      operationId: 'login', tags, summary: 'Exchange a username and password for a short-lived token', security: [],
      body: LoginBody, response: { 200: Type.Ref(TokenSchema), ...problems(401, 429) },
    },
  }, async (req) => login(ctx, req, req.body));

  app.get('/v1/me', {
    schema: { operationId: 'getMe', tags, summary: 'Who the credentials belong to and what they may do', response: { 200: Type.Ref(MeSchema), ...problems() } },
  }, async (req) => {
    const p = principalOf(req);
    return {
      tenant: { id: p.tenantId, slug: p.tenantSlug, plan: p.planCode },
      user: { id: p.userId, username: p.username, platformAdmin: p.platformAdmin },
      via: p.via,
      keyId: p.keyId ?? null,
      permissions: p.permissions,
      keyScopes: p.keyScopes ?? null,
    };
  });

  app.get('/v1/users', {
    config: { permission: 'users:read' },
    schema: { operationId: 'listUsers', tags, summary: 'List users of the tenant', querystring: PageQuery, response: { 200: Type.Ref(UserPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listUsers(tx, principalOf(req).tenantId, limit, after));
    return pageOf(rows, limit, (u) => [u.createdAt, u.id], (u) => u);
  });

  app.post('/v1/users', {
    config: { permission: 'users:write' },
    schema: { operationId: 'createUser', tags, summary: 'Create a user', body: CreateUserBody, response: { 201: Type.Ref(UserSchema), ...problems(409, 422) } },
  }, async (req, reply) =>
    mutate(db, req, reply, (tx) => service.createUser(tx, principalOf(req).tenantId, req.body), { status: 201, resource: (u) => `user/${u.id}` }));

  app.get('/v1/users/:id', {
    config: { permission: 'users:read' },
    schema: { operationId: 'getUser', tags, summary: 'Get a user', params: IdParams, response: { 200: Type.Ref(UserSchema), ...problems(404) } },
  }, async (req) => {
    const user = await read(db, req, (tx) => repo.findUser(tx, principalOf(req).tenantId, req.params.id));
    if (!user) throw notFound('user', req.params.id);
    return user;
  });

  app.patch('/v1/users/:id', {
    config: { permission: 'users:write' },
    schema: {
      operationId: 'updateUser', tags, summary: 'Change a user (optimistic concurrency on version)', params: IdParams, body: UpdateUserBody,
      response: { 200: Type.Ref(UserSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => {
    const user = await mutate(db, req, reply, (tx) => service.updateUser(tx, principalOf(req).tenantId, req.params.id, req.body), { resource: (u) => `user/${u.id}` });
    // Role or status changes alter what this user's keys may do.
    auth.forgetTenant(principalOf(req).tenantId);
    return user;
  });

  app.get('/v1/roles', {
    config: { permission: 'roles:read' },
    schema: { operationId: 'listRoles', tags, summary: 'List roles and their permissions', response: { 200: Type.Ref(RoleListSchema), ...problems() } },
  }, async (req) => ({ items: await read(db, req, (tx) => repo.listRoles(tx, principalOf(req).tenantId)) }));

  app.get('/v1/api-keys', {
    config: { permission: 'apikeys:read' },
    schema: { operationId: 'listApiKeys', tags, summary: 'List API keys (never their secrets)', querystring: PageQuery, response: { 200: Type.Ref(ApiKeyPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listApiKeys(tx, principalOf(req).tenantId, limit, after));
    return pageOf(rows, limit, (k) => [k.createdAt, k.id], (k) => k);
  });

  app.post('/v1/api-keys', {
    config: { permission: 'apikeys:write' },
    schema: {
      operationId: 'createApiKey', tags, summary: 'Issue an API key; its secret is in this response only', body: CreateApiKeyBody,
      response: { 201: Type.Ref(CreatedApiKeySchema), ...problems(422) },
    },
  }, async (req, reply) =>
    mutate(db, req, reply, (tx) =>
      service.createApiKey(tx, principalOf(req), req.body), { status: 201, resource: (k) => `api-key/${k.apiKey.id}`, details: (k) => ({ permissions: k.apiKey.permissions }), oneTimeSecret: true }));

  app.get('/v1/api-keys/:id', {
    config: { permission: 'apikeys:read' },
    schema: { operationId: 'getApiKey', tags, summary: 'Get an API key', params: IdParams, response: { 200: Type.Ref(ApiKeySchema), ...problems(404) } },
  }, async (req) => {
    const key = await read(db, req, (tx) => repo.findApiKey(tx, principalOf(req).tenantId, req.params.id));
    if (!key) throw notFound('API key', req.params.id);
    return key;
  });

  app.post('/v1/api-keys/:id/revoke', {
    config: { permission: 'apikeys:write' },
    schema: { operationId: 'revokeApiKey', tags, summary: 'Revoke an API key at once', params: IdParams, response: { 200: Type.Ref(ApiKeySchema), ...problems(404) } },
  }, async (req, reply) => {
    const key = await mutate(db, req, reply, (tx) => service.revokeApiKey(tx, principalOf(req).tenantId, req.params.id), { resource: (k) => `api-key/${k.id}` });
    auth.forgetKey(key.id);
    return key;
  });
}
