import type { OperationId } from './types.js';

/**
 * Where each operation lives, keyed by its operationId (Octokit style). test/routes.test.ts checks
 * every entry against openapi.json, and that every operation of the spec is here (but /metrics,
 * which is for Prometheus, not for programs).
 */
export const ROUTES = {
  getHealth: 'GET /healthz',
  getReadiness: 'GET /readyz',
  getDiagnostics: 'GET /v1/diagnostics',
  listPlans: 'GET /v1/plans',
  listTenants: 'GET /v1/tenants',
  createTenant: 'POST /v1/tenants',
  getTenant: 'GET /v1/tenants/{id}',
  updateTenant: 'PATCH /v1/tenants/{id}',
  login: 'POST /v1/auth/login',
  getMe: 'GET /v1/me',
  listUsers: 'GET /v1/users',
  createUser: 'POST /v1/users',
  getUser: 'GET /v1/users/{id}',
  updateUser: 'PATCH /v1/users/{id}',
  listRoles: 'GET /v1/roles',
  listApiKeys: 'GET /v1/api-keys',
  createApiKey: 'POST /v1/api-keys',
  getApiKey: 'GET /v1/api-keys/{id}',
  revokeApiKey: 'POST /v1/api-keys/{id}/revoke',
  listAuditRecords: 'GET /v1/audit',
  verifyAuditChain: 'GET /v1/audit/verify',
} as const satisfies Partial<Record<OperationId, `${'GET' | 'POST' | 'PATCH'} /${string}`>>;

export type RoutedOperation = keyof typeof ROUTES;
