export { MesClient, type MesClientOptions } from './client.js';
export { MesConnectionError, MesError, MesTimeoutError } from './errors.js';
export { ROUTES } from './routes.js';
export { SDK_VERSION } from './version.js';
export type {
  ApiKey, ApiKeyPage, AuditPage, AuditQuery, AuditRecord, BodyOf, ChainVerdict, CreateApiKeyInput, CreateTenantInput, CreateUserInput,
  CreatedApiKey, CreatedTenant, Diagnostics, FieldError, Health, LoginInput, Me, MutationOptions, OperationId, PageQuery, PathOf, Plan, PlanList,
  Problem, QueryOf, RequestOptions, Role, RoleList, SuccessOf, Tenant, TenantPage, Token, UpdateTenantInput, UpdateUserInput, User, UserPage,
} from './types.js';
/** The raw generated OpenAPI types, for anything the named aliases do not cover. */
export type { components, operations, paths } from './generated/openapi.js';
