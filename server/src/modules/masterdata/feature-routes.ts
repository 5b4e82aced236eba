import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, Page, PageQuery, Timestamp, Uuid, problems } from '../../platform/schemas.js';
import { createFeature, findFeature, listFeatures, updateFeature } from './features.js';

const Code = (description: string) => Type.String({ pattern: '^[A-Z0-9_-]{1,32}$', description });
const Name = Type.String({ minLength: 1, maxLength: 200 });

const FeatureValueSchema = Type.Object({ code: Code('Value code: 1 to 32 of A-Z 0-9 _ -'), name: Name }, { additionalProperties: false });
const FeatureValues = Type.Array(FeatureValueSchema, { minItems: 1, maxItems: 200, description: 'The values a variant may take; codes unique within the feature' });

export const FeatureSchema = Type.Object(
  {
    id: Uuid(),
    code: Type.String(),
    name: Type.String(),
    values: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
    createdAt: Timestamp(),
  },
  { $id: 'Feature' },
);
export const FeatureListSchema = Page(Type.Ref(FeatureSchema), 'FeatureList');

export const CreateFeatureBody = Type.Object(
  { code: Code('Feature code, unique in the tenant: 1 to 32 of A-Z 0-9 _ -'), name: Name, values: FeatureValues },
  { additionalProperties: false },
);

export const UpdateFeatureBody = Type.Object(
  { name: Type.Optional(Name), values: Type.Optional(FeatureValues) },
  { additionalProperties: false, description: 'Values replace the list; a value variants carry cannot be removed' },
);

export function featureRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [FeatureSchema, FeatureListSchema]) app.addSchema(s);
  const tags = ['masterdata'];

  app.get('/v1/features', {
    config: { permission: 'masterdata:read' },
    schema: {
      operationId: 'listFeatures', tags, summary: 'List variant features, by code', querystring: PageQuery,
      response: { 200: Type.Ref(FeatureListSchema), ...problems() },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.code);
    const rows = await read(db, req, (tx) => listFeatures(tx, principalOf(req).tenantId, limit, after?.[0]));
    return pageOf(rows, limit, (f) => [f.code], (f) => f);
  });

  app.post('/v1/features', {
    config: { permission: 'masterdata:write' },
    schema: {
      operationId: 'createFeature', tags, summary: 'Define a variant feature and its values (S1-5.4.3-d)', body: CreateFeatureBody,
      response: { 201: Type.Ref(FeatureSchema), ...problems(409, 422) },
    },
  }, async (req, reply) =>
    mutate(db, req, reply, (tx) => createFeature(tx, principalOf(req).tenantId, req.body), { status: 201, resource: (f) => `feature/${f.id}` }));

  app.get('/v1/features/:id', {
    config: { permission: 'masterdata:read' },
    schema: {
      operationId: 'getFeature', tags, summary: 'Get a variant feature', params: IdParams,
      response: { 200: Type.Ref(FeatureSchema), ...problems(404) },
    },
  }, async (req) => {
    const feature = await read(db, req, (tx) => findFeature(tx, principalOf(req).tenantId, req.params.id));
    if (!feature) throw notFound('feature', req.params.id);
    return feature;
  });

  app.patch('/v1/features/:id', {
    config: { permission: 'masterdata:write' },
    schema: {
      operationId: 'updateFeature', tags, summary: 'Rename a feature or replace its values; values variants carry cannot be removed',
      params: IdParams, body: UpdateFeatureBody,
      response: { 200: Type.Ref(FeatureSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) =>
    mutate(db, req, reply, (tx) => updateFeature(tx, principalOf(req).tenantId, req.params.id, req.body), { resource: (f) => `feature/${f.id}` }));
}
