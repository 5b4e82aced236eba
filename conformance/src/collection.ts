/**
 * The Postman collection of the API-automation suite, built with postman-collection from the
 * target's OpenAPI: one folder of generated requests (every GET operation, its response checked
 * against the spec's schema for the status it returned) and one folder per business flow
 * (fixtures/flows/*.json; every response schema-checked too). Variables: baseUrl, apiKey, runTag,
 * and one per id a generated request needs. Import it into Postman and set baseUrl and apiKey.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postman, { type Collection, type Item as ItemType } from 'postman-collection';
import { fillPath, type JsonSchema, type Operation } from './openapi.js';

// postman-collection is CommonJS: Node's ESM loader sees only its default export.
const { Collection: CollectionClass, Item, ItemGroup } = postman;

export const FLOWS_DIR = fileURLToPath(new URL('../fixtures/flows/', import.meta.url));

export interface FlowStep {
  name: string;
  operationId: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  expect: { status: number | number[]; json?: Record<string, unknown> };
  save?: Record<string, string>;
}

export interface Flow {
  file: string;
  name: string;
  description?: string;
  clauses: string[];
  steps: FlowStep[];
}

/** Every flow file in `dir` (a flow is one JSON file of requests). */
export function loadFlows(dir = FLOWS_DIR): Flow[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const flow = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Omit<Flow, 'file'>;
      if (!flow.name || !Array.isArray(flow.steps) || !Array.isArray(flow.clauses) || !flow.clauses.length) throw new Error(`flow ${f}: needs name, clauses and steps`);
      return { ...flow, file: f.replace(/\.json$/, '') };
    });
}

const AJV6_FORMATS = new Set(['date', 'time', 'date-time', 'uri', 'uri-reference', 'uri-template', 'url', 'email', 'hostname', 'ipv4', 'ipv6', 'regex', 'uuid', 'json-pointer', 'relative-json-pointer']);

/** The schema as Postman's validator (Ajv 6) reads it: formats it does not know are dropped. */
export function forPostman(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema)) return schema.map(forPostman) as never;
  if (!schema || typeof schema !== 'object') return schema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'format' && typeof v === 'string' && !AJV6_FORMATS.has(v)) continue;
    if (k === 'examples' || k === 'contentEncoding' || k === 'contentMediaType') continue;
    out[k] = v && typeof v === 'object' ? forPostman(v) : v;
  }
  return out;
}

/** Test script lines: the status is one the spec documents, and the body matches its schema. */
function schemaTests(op: Operation): string[] {
  const schemas: Record<string, JsonSchema | null> = {};
  for (const [status, s] of Object.entries(op.responses)) schemas[status] = s ? forPostman(s) : null;
  return [
    `const schemas = ${JSON.stringify(schemas)};`,
    `const status = String(pm.response.code);`,
    `pm.test('${op.operationId}: status ' + status + ' is documented', function () { pm.expect(Object.keys(schemas)).to.include(status); });`,
    `if (schemas[status]) pm.test('${op.operationId}: body matches the OpenAPI schema for ' + status, function () { pm.response.to.have.jsonSchema(schemas[status]); });`,
  ];
}

function request(op: Operation, pathValues: Record<string, string>, query: Record<string, string>, body: unknown) {
  const url = `{{baseUrl}}${fillPath(op.path, pathValues).replace(/%7B%7B/g, '{{').replace(/%7D%7D/g, '}}')}`;
  const qs = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
  return {
    url: qs ? `${url}?${qs}` : url,
    method: op.method,
    header: [
      ...(op.public ? [] : [{ key: 'Authorization', value: 'Bearer {{apiKey}}' }]),
      ...(body !== undefined ? [{ key: 'Content-Type', value: 'application/json' }] : []),
    ],
    ...(body !== undefined ? { body: { mode: 'raw' as const, raw: JSON.stringify(body) } } : {}),
  };
}

export interface GeneratedRequest {
  op: Operation;
  pathValues: Record<string, string>;
  query: Record<string, string>;
  /** Every path parameter names a real row of the suite's tenant: the request must succeed. */
  real: boolean;
}

export function buildCollection(opts: { title: string; runTag: string; generated: GeneratedRequest[]; flows: Flow[]; ops: Operation[] }): Collection {
  const collection = new CollectionClass({
    info: { name: opts.title },
    variable: [
      { key: 'baseUrl', value: 'http://127.0.0.1:8080', type: 'string' },
      { key: 'apiKey', value: '', type: 'string' },
      { key: 'runTag', value: opts.runTag, type: 'string' },
    ],
  } as never);
  const generated = new ItemGroup<ItemType>({ name: 'generated: every GET operation, schema-checked' } as never);
  for (const g of opts.generated) {
    const exec = [...schemaTests(g.op)];
    if (g.real) exec.push(`pm.test('${g.op.operationId}: succeeds on a real resource', function () { pm.expect(pm.response.code).to.be.within(200, 299); });`);
    generated.items.add(new Item({ name: `api/schema/${g.op.operationId}`, request: request(g.op, g.pathValues, g.query, undefined), event: [{ listen: 'test', script: { type: 'text/javascript', exec } }] } as never));
  }
  collection.items.add(generated);
  const byId = new Map(opts.ops.map((o) => [o.operationId, o]));
  opts.flows.forEach((flow, i) => {
    const group = new ItemGroup<ItemType>({ name: `api/flow/${flow.file}`, description: flow.description } as never);
    for (const [n, step] of flow.steps.entries()) {
      const op = byId.get(step.operationId);
      if (!op) throw new Error(`flow ${flow.file}, step ${n + 1}: the target has no operation ${step.operationId}`);
      const tpl = (v: unknown) => JSON.parse(JSON.stringify(v ?? null).replace(/\{\{code\}\}/g, `{{runTag}}F${i + 1}`));
      const statuses = Array.isArray(step.expect.status) ? step.expect.status : [step.expect.status];
      const exec = [
        ...schemaTests(op),
        `pm.test('${step.name}: status ${statuses.join(' or ')}', function () { pm.expect(${JSON.stringify(statuses)}).to.include(pm.response.code); });`,
        `const get = (o, p) => p.split('.').reduce((a, k) => (a == null ? undefined : a[k]), o);`,
        `let json; try { json = pm.response.json(); } catch (e) { json = undefined; }`,
      ];
      for (const [p, v] of Object.entries(tpl(step.expect.json ?? {}) as Record<string, unknown>)) {
        exec.push(`pm.test('${step.name}: ${p} is ' + pm.variables.replaceIn(${JSON.stringify(JSON.stringify(v))}), function () { pm.expect(get(json, ${JSON.stringify(p)})).to.eql(JSON.parse(pm.variables.replaceIn(${JSON.stringify(JSON.stringify(v))}))); });`);
      }
      for (const [name, p] of Object.entries(step.save ?? {})) exec.push(`if (json && get(json, ${JSON.stringify(p)}) !== undefined) pm.collectionVariables.set(${JSON.stringify(name)}, get(json, ${JSON.stringify(p)}));`);
      const query = tpl(step.query ?? {}) as Record<string, string>;
      group.items.add(new Item({ name: `${n + 1}. ${step.name}`, request: request(op, tpl(step.params ?? {}) as Record<string, string>, query, step.body === undefined ? undefined : tpl(step.body)), event: [{ listen: 'test', script: { type: 'text/javascript', exec } }] } as never));
    }
    collection.items.add(group);
  });
  return collection;
}
