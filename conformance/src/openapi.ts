/**
 * What the suites learn from the target's OpenAPI document: its operations, what each needs
 * (x-mes-permission, x-mes-public, x-mes-platform), and request values built from the schemas.
 */
import type { Rng } from './rng.js';

export type JsonSchema = Record<string, any>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  permission?: string;
  public: boolean;
  platform: boolean;
  /** Optional query parameters of which at least one must be given (x-mes-one-of-query). */
  oneOfQuery: string[];
  params: Parameter[];
  body?: JsonSchema;
  /** status -> schema of the JSON body (dereferenced), or null for a non-JSON body. */
  responses: Record<string, JsonSchema | null>;
  /**
   * Answers with a stream that stays open (text/event-stream): generic checks that read a whole
   * response (list scans, schema checks) leave it out; it has checks of its own.
   */
  stream: boolean;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

export function operationsOf(spec: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const responses: Operation['responses'] = {};
      for (const [status, r] of Object.entries<any>(op.responses ?? {})) {
        const json = r?.content?.['application/json']?.schema;
        responses[status] = json ? deref(spec, json) : null;
      }
      const body = op.requestBody?.content?.['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId ?? `${method} ${path}`,
        permission: op['x-mes-permission'],
        public: op['x-mes-public'] === true,
        platform: op['x-mes-platform'] === true,
        oneOfQuery: Array.isArray(op['x-mes-one-of-query']) ? op['x-mes-one-of-query'] : [],
        params: (op.parameters ?? []).map((p: any) => ({ name: p.name, in: p.in, required: p.required === true, schema: { ...(p.description ? { description: p.description } : {}), ...deref(spec, p.schema ?? {}) } })),
        body: body ? deref(spec, body) : undefined,
        responses,
        stream: Object.values<any>(op.responses ?? {}).some((r) => r?.content?.['text/event-stream'] !== undefined),
      });
    }
  }
  return out;
}

/** The schema with every local $ref inlined (a cycle becomes {}), for validators that resolve nothing. */
export function deref(spec: OpenApiDocument, schema: JsonSchema, seen: string[] = []): JsonSchema {
  if (Array.isArray(schema)) return schema.map((s) => deref(spec, s, seen)) as never;
  if (!schema || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') {
    const ref: string = schema.$ref;
    if (seen.includes(ref)) return {};
    const name = ref.replace(/^#\/components\/schemas\//, '');
    const target = spec.components?.schemas?.[name];
    if (!target) return {};
    const { $ref: _drop, ...rest } = schema;
    return { ...deref(spec, target, [...seen, ref]), ...deref(spec, rest, seen) };
  }
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$id') continue;
    out[k] = v && typeof v === 'object' ? deref(spec, v, seen) : v;
  }
  return out;
}

/** Fills a path template: `/v1/materials/{id}` with { id }. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

/** The path up to its first parameter: `/v1/materials/{id}/variants` -> `/v1/materials`. */
export function collectionOf(path: string): string {
  const i = path.indexOf('/{');
  return i < 0 ? path : path.slice(0, i);
}

export interface SampleHints {
  rng: Rng;
  /** A fresh unique code (for code-like strings). */
  code(): string;
  /** A known id or code for a property or parameter name (`materialId`, `warehouseCode`, `baseUnit`). */
  known?(name: string, schema: JsonSchema): string | undefined;
}

const STRING_CANDIDATES = ['1', 'A', 'a', '2026-01-15', 'a1', 'A1'];

/** A value that satisfies `schema`: required properties only, the smallest arrays, the first branch. */
export function sample(schema: JsonSchema | undefined, hints: SampleHints, name = ''): unknown {
  if (!schema || typeof schema !== 'object') return undefined;
  const known = name ? hints.known?.(name, schema) : undefined;
  if (known !== undefined) return known;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('default' in schema && schema.type !== 'object' && schema.type !== 'array') return schema.default;
  for (const key of ['anyOf', 'oneOf']) {
    if (Array.isArray(schema[key])) {
      const branch = schema[key].find((b: JsonSchema) => b.type !== 'null') ?? schema[key][0];
      return sample(branch, hints, name);
    }
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s: JsonSchema) => sample(s, hints, name)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of schema.required ?? []) out[prop] = sample(schema.properties?.[prop] ?? {}, hints, prop);
      return out;
    }
    case 'array': {
      const n = Math.max(schema.minItems ?? 0, 1);
      return Array.from({ length: n }, () => sample(schema.items ?? {}, hints, singular(name)));
    }
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -Infinity);
    case 'boolean':
      return false;
    case 'string':
      return sampleString(schema, hints);
    default:
      return undefined;
  }
}

function sampleString(schema: JsonSchema, hints: SampleHints): string {
  if (schema.format === 'uuid') return hints.rng.uuid();
  if (schema.format === 'date') return '2026-01-15';
  if (schema.format === 'date-time') return '2026-01-15T00:00:00.000Z';
  if (schema.format === 'email') return `${hints.code().toLowerCase()}@example.com`;
  const min = schema.minLength ?? 1;
  const max = schema.maxLength ?? 64;
  const fits = (s: string) => s.length >= min && s.length <= max && (!schema.pattern || new RegExp(schema.pattern, 'u').test(s));
  const code = hints.code();
  for (const c of [code, code.toLowerCase(), ...STRING_CANDIDATES]) if (fits(c)) return c;
  return code.padEnd(min, 'X').slice(0, max);
}

function singular(name: string): string {
  return name.endsWith('ies') ? `${name.slice(0, -3)}y` : name.endsWith('s') ? name.slice(0, -1) : name;
}
