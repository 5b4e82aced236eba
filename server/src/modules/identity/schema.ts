import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';

const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9._@-]+$', description: 'Login name, unique within the tenant' });
const Password = Type.String({ minLength: 10, maxLength: 200, description: 'At least 10 characters' });
const Grant = Type.String({ pattern: '^(\\*|[a-z]+:(\\*|[a-z]+))$', description: 'A permission such as inventory:read, a module wildcard sales:*, or *' });

export const UserSchema = Type.Object(
  {
    id: Uuid(),
    username: Type.String(),
    displayName: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
    platformAdmin: Type.Boolean(),
    roles: Type.Array(Type.String()),
    version: Type.Integer(),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  },
  { $id: 'User' },
);
export type User = Static<typeof UserSchema>;
export const UserPageSchema = Page(Type.Ref(UserSchema), 'UserPage');

export const CreateUserBody = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    password: Type.Optional(Password),
    roles: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { default: [], maxItems: 50, description: 'Role names; none by default' })),
  },
  { additionalProperties: false },
);
export type CreateUserInput = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read; a stale one is refused with 409' }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 320 }), Type.Null()])),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
    password: Type.Optional(Password),
    roles: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type UpdateUserInput = Static<typeof UpdateUserBody>;

export const RoleSchema = Type.Object(
  { id: Uuid(), name: Type.String(), description: Type.String(), permissions: Type.Array(Type.String()), builtin: Type.Boolean() },
  { $id: 'Role' },
);
export type Role = Static<typeof RoleSchema>;
export const RoleListSchema = Type.Object({ items: Type.Array(Type.Ref(RoleSchema)) }, { $id: 'RoleList' });

export const ApiKeySchema = Type.Object(
  {
    id: Uuid(),
    name: Type.String(),
    userId: Uuid(),
    username: Type.String(),
    permissions: Type.Array(Type.String()),
    expiresAt: Type.Union([Timestamp(), Type.Null()]),
    revokedAt: Type.Union([Timestamp(), Type.Null()]),
    createdAt: Timestamp(),
  },
  { $id: 'ApiKey' },
);
export type ApiKey = Static<typeof ApiKeySchema>;
export const ApiKeyPageSchema = Page(Type.Ref(ApiKeySchema), 'ApiKeyPage');

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    permissions: Type.Optional(Type.Array(Grant, { minItems: 1, maxItems: 100, default: ['*'], description: "Scopes; default ['*']. The key can never do more than its user" })),
    expiresAt: Type.Optional(Timestamp('When the key stops working; omit for no expiry')),
    userId: Type.Optional(Uuid('Whose key this is; defaults to the caller')),
  },
  { additionalProperties: false },
);
export type CreateApiKeyInput = Static<typeof CreateApiKeyBody>;

export const CreatedApiKeySchema = Type.Object(
  { apiKey: Type.Ref(ApiKeySchema), key: Type.String({ description: 'The secret key. Shown once; store it now.' }) },
  { $id: 'CreatedApiKey' },
);
export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;

export const LoginBody = Type.Object(
  { tenant: Type.String({ minLength: 1, maxLength: 63, description: 'Tenant slug' }), username: Username, password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type LoginInput = Static<typeof LoginBody>;
export const TokenSchema = Type.Object(
  { token: Type.String(), tokenType: Type.Literal('Bearer'), expiresAt: Timestamp() },
  { $id: 'Token' },
);

export const MeSchema = Type.Object(
  {
    tenant: Type.Object({ id: Uuid(), slug: Type.String(), plan: Type.String() }),
    user: Type.Object({ id: Uuid(), username: Type.String(), platformAdmin: Type.Boolean() }),
    via: Type.Union([Type.Literal('api_key'), Type.Literal('token')]),
    keyId: Type.Union([Uuid(), Type.Null()]),
    permissions: Type.Array(Type.String(), { description: 'What the roles grant' }),
    keyScopes: Type.Union([Type.Array(Type.String()), Type.Null()]),
  },
  { $id: 'Me' },
);
