/**
 * Errors as RFC 9457 problem details. Every problem carries a stable `code` that clients switch
 * on, the offending fields (all of them, not the first), and the request's trace id.
 */

export type FieldLocation = 'body' | 'query' | 'path' | 'header';

export interface FieldError {
  in: FieldLocation;
  /** Dotted path into the input: `lines[3].quantity`. */
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  traceId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class MesProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extras: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, errors?: FieldError[]) =>
  new MesProblem(400, code, message, { errors });
export const unauthenticated = (code: string, message: string) =>
  new MesProblem(401, code, message, { headers: { 'www-authenticate': 'Bearer realm="mes"' } });
export const forbidden = (code: string, message: string, extras: Record<string, unknown> = {}) =>
  new MesProblem(403, code, message, extras);
export const notFound = (resource: string, id: string) =>
  new MesProblem(404, 'RESOURCE_NOT_FOUND', `${resource} ${id} does not exist`);
export const conflict = (code: string, message: string, extras: Record<string, unknown> = {}) =>
  new MesProblem(409, code, message, extras);
export const unprocessable = (code: string, message: string, errors?: FieldError[]) =>
  new MesProblem(422, code, message, { errors });
export const fieldError = (field: string, code: string, message: string, where: FieldLocation = 'body'): FieldError => ({
  in: where,
  field,
  code,
  message,
});

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The RFC 9457 members and ours that every problem carries: an extra never overwrites them. */
const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'traceId', 'errors', 'headers']);

export function problemBody(p: MesProblem, instance: string, traceId: string): Problem {
  const { errors } = p.extras;
  const rest = Object.fromEntries(Object.entries(p.extras).filter(([k]) => !RESERVED_MEMBERS.has(k)));
  return {
    type: `urn:mes:problem:${p.code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[p.status] ?? 'Error',
    status: p.status,
    code: p.code,
    detail: p.message,
    instance,
    traceId,
    ...(errors?.length ? { errors } : {}),
    ...rest,
  };
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const LOCATIONS: Record<string, FieldLocation> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/**
 * Turns Ajv's validation output into field errors a form can attach to its inputs: one error per
 * field and problem. A union of literals fails once per literal in Ajv; it becomes one
 * NOT_ALLOWED that lists the allowed values.
 */
export function fieldErrorsFromAjv(errors: AjvError[], context: string): FieldError[] {
  const where = LOCATIONS[context] ?? 'body';
  const byKey = new Map<string, FieldError & { allowed?: unknown[] }>();
  for (const e of errors.filter((x) => !['anyOf', 'oneOf', 'if'].includes(x.keyword))) {
    const base = pointerToPath(e.instancePath);
    const child = (e.params.missingProperty ?? e.params.additionalProperty) as string | undefined;
    const field = child ? (base ? `${base}.${child}` : child) : base || '(root)';
    const code = KEYWORD_CODES[e.keyword] ?? e.keyword.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
    const message = e.keyword === 'additionalProperties' ? 'is not a known field' : (e.message ?? 'is invalid');
    const key = `${field}|${code}`;
    const seen = byKey.get(key);
    const allowed = e.keyword === 'const' ? [e.params.allowedValue] : e.keyword === 'enum' ? (e.params.allowedValues as unknown[]) : undefined;
    if (seen && allowed) seen.allowed = [...(seen.allowed ?? []), ...allowed];
    else if (!seen) byKey.set(key, { in: where, field, code, message, allowed });
  }
  return [...byKey.values()].map(({ allowed, ...e }) =>
    allowed ? { ...e, message: `must be one of: ${allowed.map((a) => JSON.stringify(a)).join(', ')}` } : e,
  );
}

const KEYWORD_CODES: Record<string, string> = {
  required: 'REQUIRED',
  additionalProperties: 'UNKNOWN_FIELD',
  type: 'WRONG_TYPE',
  format: 'INVALID_FORMAT',
  enum: 'NOT_ALLOWED',
  const: 'NOT_ALLOWED',
};

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

/** Database errors that reach the edge unhandled still answer with a meaning, never a bare 500. */
export function problemFromDatabase(err: { code?: string; message?: string; constraint?: string; column?: string }): MesProblem | undefined {
  const code = err.code ?? '';
  if (code === '23505') return conflict('ALREADY_EXISTS', `a record with the same key already exists (${err.constraint ?? 'unique'})`);
  if (code === '23503') return unprocessable('REFERENCE_NOT_FOUND', `a referenced record does not exist (${err.constraint ?? 'foreign key'})`);
  if (code === '23514') return unprocessable('CONSTRAINT_VIOLATED', `a value is out of its allowed range (${err.constraint ?? 'check'})`);
  // Class 22, data exception: a value the schema let through that the database cannot hold or
  // compare (a NUL character, an integer beyond its column). The database's own message names
  // internals (types, functions, sometimes the value): it goes to the log, never to the caller.
  if (code.startsWith('22')) {
    return badRequest('INVALID_VALUE', `a value in the request cannot be stored or compared${err.column ? ` (${err.column})` : ''}; check the values against the API description`,
      err.column ? [fieldError(err.column, 'INVALID_VALUE', 'cannot be stored or compared')] : undefined);
  }
  if (code === '40001' || code === '40P01') {
    return new MesProblem(503, 'TRANSACTION_CONFLICT', 'a concurrent transaction got in the way; retry the request', {
      headers: { 'retry-after': '1' },
    });
  }
  if (code === '57014') return new MesProblem(503, 'DATABASE_TIMEOUT', 'the database did not answer in time; retry shortly', { headers: { 'retry-after': '2' } });
  if (code.startsWith('08') || code === '57P01' || code === '57P03' || /ECONNREFUSED|ECONNRESET|Connection terminated|timeout exceeded when trying to connect/i.test(err.message ?? '')) {
    return new MesProblem(503, 'DATABASE_UNAVAILABLE', 'the database is unreachable; retry shortly', { headers: { 'retry-after': '2' } });
  }
  return undefined;
}
