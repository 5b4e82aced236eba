import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { CreatedApiKeySchema, UserSchema } from '../identity/schema.js';

export const SLUG_PATTERN = '^[a-z][a-z0-9-]{1,62}$';
const Slug = Type.String({ pattern: SLUG_PATTERN, description: 'Lower-case letters, digits and dashes; starts with a letter' });
const PlanCode = Type.String({ minLength: 1, maxLength: 40, description: 'A plan code from GET /v1/plans' });

export const TenantSchema = Type.Object(
  {
    id: Uuid(),
    slug: Type.String(),
    name: Type.String(),
    plan: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]),
    version: Type.Integer(),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  },
  { $id: 'Tenant' },
);
export type Tenant = Static<typeof TenantSchema>;
export const TenantPageSchema = Page(Type.Ref(TenantSchema), 'TenantPage');

export const CreateTenantBody = Type.Object(
  {
    slug: Slug,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    plan: Type.Optional(PlanCode),
    admin: Type.Optional(
      Type.Object(
        {
          username: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9._@-]+$' })),
          displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          password: Type.Optional(Type.String({ minLength: 10, maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CreateTenantInput = Static<typeof CreateTenantBody>;

export const CreatedTenantSchema = Type.Object(
  { tenant: Type.Ref(TenantSchema), admin: Type.Ref(UserSchema), apiKey: Type.Ref(CreatedApiKeySchema) },
  { $id: 'CreatedTenant' },
);
export type CreatedTenant = Static<typeof CreatedTenantSchema>;

export const UpdateTenantBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    plan: Type.Optional(PlanCode),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])),
  },
  { additionalProperties: false },
);
export type UpdateTenantInput = Static<typeof UpdateTenantBody>;

export const PlanSchema = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    requestsPerSecond: Type.Union([Type.Integer(), Type.Null()], { description: 'null: no limit' }),
    burst: Type.Union([Type.Integer(), Type.Null()]),
    maxConcurrent: Type.Union([Type.Integer(), Type.Null()]),
  },
  { $id: 'Plan' },
);
export const PlanListSchema = Type.Object({ items: Type.Array(Type.Ref(PlanSchema)) }, { $id: 'PlanList' });
