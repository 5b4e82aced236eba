import { Type, type TSchema } from '@sinclair/typebox';
import type { MesApp } from '../app.js';

export const FieldErrorSchema = Type.Object(
  {
    in: Type.Union([Type.Literal('body'), Type.Literal('query'), Type.Literal('path'), Type.Literal('header')]),
    field: Type.String(),
    code: Type.String(),
    message: Type.String(),
  },
  { $id: 'FieldError' },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code, e.g. STOCK_INSUFFICIENT' }),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    traceId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Ref(FieldErrorSchema))),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

export function registerSchemas(app: MesApp): void {
  app.addSchema(FieldErrorSchema);
  app.addSchema(ProblemSchema);
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Type.Ref(ProblemSchema) } } });

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid input', 401: 'Missing or invalid credentials', 403: 'Permission denied', 404: 'Not found', 408: 'The request did not arrive in time',
  409: 'Conflict with the current state', 413: 'Body too large', 414: 'URL or path parameter too long', 415: 'Body is not application/json',
  422: 'Refused by a business rule', 423: 'The tenant is frozen for a go-live cutover (TENANT_FROZEN): retry after it', 429: 'Tenant plan or login limit reached', 503: 'Temporarily unavailable; retry with the same Idempotency-Key',
};

/** The error responses a route can give, for its OpenAPI entry. */
export function problems(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries([...new Set([400, 401, 403, 429, ...statuses])].map((s) => [s, problem(PROBLEM_TEXT[s] ?? 'Error')]));
}

export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7e]{1,255}$';

/**
 * What the request pipeline adds to every operation, for the spec (the swagger transform applies
 * it to all routes, so no route can forget it): 414 for a long URL; 429 and 503 wherever
 * credentials are checked or the database is reached (and on login, which is rate-limited); 423
 * on every write with credentials (a tenant frozen for a cutover); 408,
 * 413 and 415 wherever a body is read; and the optional Idempotency-Key header on every POST.
 */
export function withPipelineContract(schema: Record<string, unknown>, method: string, opts: { public: boolean; login: boolean; body: boolean }): Record<string, unknown> {
  const statuses = [400, 414];
  if (!opts.public || opts.login) statuses.push(429, 503);
  // A tenant frozen for a go-live cutover refuses writes (platform/freeze.ts).
  if (!opts.public && !['GET', 'HEAD'].includes(method)) statuses.push(423);
  if (opts.body) statuses.push(408, 413, 415);
  const response = { ...Object.fromEntries(statuses.map((s) => [s, problem(PROBLEM_TEXT[s])])), ...(schema.response as object | undefined) };
  if (method !== 'POST') return { ...schema, response };
  const headers = (schema.headers as { properties?: object } | undefined) ?? { type: 'object', properties: {} };
  return {
    ...schema,
    response,
    headers: {
      ...headers,
      properties: {
        ...headers.properties,
        'Idempotency-Key': Type.String({
          pattern: IDEMPOTENCY_KEY_PATTERN, maxLength: 255,
          description: 'Optional. The same key with the same request replays the first response for 24 hours (Idempotent-Replayed: true); with another request it is 422 IDEMPOTENCY_KEY_REUSED',
        }),
      },
    },
  };
}

export const Uuid = (description?: string) => Type.String({ format: 'uuid', description });
export const Timestamp = (description?: string) => Type.String({ format: 'date-time', description });

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
});

export const Page = <T extends TSchema>(item: T, id: string) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) }, { $id: id });

export const IdParams = Type.Object({ id: Uuid() });
