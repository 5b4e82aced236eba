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

/** The error responses a route can give, for its OpenAPI entry. */
export function problems(...statuses: number[]): Record<number, unknown> {
  const text: Record<number, string> = {
    400: 'Invalid input', 401: 'Missing or invalid credentials', 403: 'Permission denied', 404: 'Not found',
    409: 'Conflict with the current state', 422: 'Refused by a business rule', 429: 'Tenant plan limit reached', 503: 'Temporarily unavailable',
  };
  return Object.fromEntries([...new Set([400, 401, 403, 429, ...statuses])].map((s) => [s, problem(text[s] ?? 'Error')]));
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
