/**
 * Named types for SDK users, all derived from the generated OpenAPI types: when the server's
 * schemas change, `npm run generate -w @mes/sdk` changes these with them.
 */
import type { components, operations } from './generated/openapi.js';

type Schemas = components['schemas'];

export type Tenant = Schemas['Tenant'];
export type TenantPage = Schemas['TenantPage'];
export type CreatedTenant = Schemas['CreatedTenant'];
export type Plan = Schemas['Plan'];
export type PlanList = Schemas['PlanList'];
export type User = Schemas['User'];
export type UserPage = Schemas['UserPage'];
export type Role = Schemas['Role'];
export type RoleList = Schemas['RoleList'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyPage = Schemas['ApiKeyPage'];
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type Token = Schemas['Token'];
export type Me = Schemas['Me'];
export type AuditRecord = Schemas['AuditRecord'];
export type AuditPage = Schemas['AuditPage'];
export type ChainVerdict = Schemas['ChainVerdict'];
export type Diagnostics = Schemas['Diagnostics'];
export type Problem = Schemas['Problem'];
export type FieldError = Schemas['FieldError'];

/** Every operationId of the API. */
export type OperationId = keyof operations;

type JsonContent<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Responses<K extends OperationId> = operations[K]['responses'];

/** The JSON body of an operation's success response (200 or 201). */
export type SuccessOf<K extends OperationId> = JsonContent<Responses<K>[Extract<keyof Responses<K>, 200 | 201>]>;
/** The JSON request body of an operation; never when it takes none. */
export type BodyOf<K extends OperationId> = JsonContent<operations[K] extends { requestBody: infer B } ? B : never>;
/** The query parameters of an operation; never when it takes none. */
export type QueryOf<K extends OperationId> = NonNullable<operations[K]['parameters']['query']>;
/** The path parameters of an operation; never when it takes none. */
export type PathOf<K extends OperationId> = NonNullable<operations[K]['parameters']['path']>;

export type Health = SuccessOf<'getHealth'>;
export type LoginInput = BodyOf<'login'>;
export type CreateTenantInput = BodyOf<'createTenant'>;
export type UpdateTenantInput = BodyOf<'updateTenant'>;
export type CreateUserInput = BodyOf<'createUser'>;
export type UpdateUserInput = BodyOf<'updateUser'>;
export type CreateApiKeyInput = BodyOf<'createApiKey'>;
export type PageQuery = QueryOf<'listTenants'>;
export type AuditQuery = QueryOf<'listAuditRecords'>;

/** Options every call accepts, as its last argument. */
export interface RequestOptions {
  /** Aborts the call, retries included; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Extra request headers, e.g. a W3C `traceparent` to join the caller's trace. */
  headers?: Record<string, string>;
}

/** Options of calls that create something (POST). */
export interface MutationOptions extends RequestOptions {
  /**
   * Makes the call safe to repeat: the server applies a key once and replays the stored response.
   * Defaults to a random UUID per call, reused by that call's retries.
   */
  idempotencyKey?: string;
}
