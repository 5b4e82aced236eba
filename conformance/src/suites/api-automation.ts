/**
 * API automation (S1-6.2.3-a, S1-6.1-e): a Postman collection built from the target's OpenAPI
 * (every GET operation, every response checked against the spec's schema) plus the business flows
 * of fixtures/flows, run with newman. The collection, newman's JSON and JUnit reports go into the
 * evidence; each generated request and each flow becomes one check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import newman, { type NewmanRunSummary } from 'newman';
import { buildCollection, loadFlows, type GeneratedRequest } from '../collection.js';
import { operationsOf, sample, type OpenApiDocument } from '../openapi.js';
import type { CheckResult, Suite, SuiteContext, SuitePlan } from '../types.js';
import { World } from '../world.js';

const SCHEMA = ['S1-6.2.3-a'];

export const apiAutomationSuite: Suite = {
  id: 'api-automation',
  title: 'API automation: generated collection and business flows (newman)',
  proves: ['S1-6.2.3-a', 'S1-6.1-e'],
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const spec = (await ctx.target.request('GET', '/openapi.json')).json as OpenApiDocument;
    const ops = operationsOf(spec);
    const flows = loadFlows();
    const tenant = await ctx.tenants.create('api');
    const tag = `R${ctx.config.runId.slice(0, 6).toUpperCase()}`;
    const world = new World(tenant, ctx.rng.fork('world'), tag);
    await world.seed(ctx.target, ops, ctx.tenants);
    const generated: GeneratedRequest[] = [];
    for (const op of ops.filter((o) => o.method === 'GET' && !o.stream && !o.platform)) {
      const pathValues: Record<string, string> = {};
      let real = true;
      for (const p of op.params.filter((x) => x.in === 'path')) {
        const row = world.rowFor(op.path, p.name);
        const v = p.name === 'code' ? row?.code ?? row?.id : row?.id;
        if (!v) real = false;
        pathValues[p.name] = v ?? ctx.rng.uuid();
      }
      const query: Record<string, string> = {};
      for (const p of op.params.filter((x) => x.in === 'query' && x.required)) {
        // A required filter that names a resource (materialId, itemCode, batchNo) the tenant's data cannot fill: a sampled one names nothing.
        if (/(Id|Code|No)$/.test(p.name) && world.hints().known?.(p.name, p.schema) === undefined) real = false;
        query[p.name] = String(sample(p.schema, world.hints(), p.name));
      }
      // At least one of these filters (x-mes-one-of-query): the first the tenant's data can fill; none, and success is not expected.
      const oneOf = op.oneOfQuery.map((name) => op.params.find((x) => x.in === 'query' && x.name === name)).filter((x) => x !== undefined);
      const known = oneOf.map((p) => [p.name, world.hints().known?.(p.name, p.schema)] as const).find(([, v]) => v !== undefined);
      if (known) query[known[0]] = String(known[1]);
      else if (oneOf.length) real = false;
      generated.push({ op, pathValues, query, real });
    }
    const collection = buildCollection({ title: `mes conformance ${ctx.config.runId}: ${spec.info?.title ?? 'API'}`, runTag: `${tag}X`, generated, flows, ops });
    const collectionJson = collection.toJSON();
    await ctx.writeEvidence('collection/mes.postman_collection.json', JSON.stringify(collectionJson, null, 2));
    await ctx.writeEvidence('collection/README.md', 'Import mes.postman_collection.json into Postman; set the collection variables baseUrl and apiKey (a tenant admin key). runTag prefixes the codes the flows create: change it before running again against the same tenant.\n');
    return {
      checks: [],
      async external(sctx) {
        const rawDir = path.join(sctx.outDir, 'raw');
        const summary = await new Promise<NewmanRunSummary>((resolve, reject) => {
          newman.run(
            {
              collection: collectionJson as never,
              envVar: [
                { key: 'baseUrl', value: ctx.target.baseUrl },
                { key: 'apiKey', value: tenant.adminKey },
              ],
              reporters: ['junit', 'json'],
              reporter: { junit: { export: path.join(rawDir, 'newman-junit.xml') }, json: { export: path.join(rawDir, 'newman.json') } },
              timeoutRequest: ctx.config.requestTimeoutMs,
            } as never,
            (err, s) => (err ? reject(err) : resolve(s)),
          );
        });
        // The tenant's key is revoked at cleanup; still, no credential goes into the evidence.
        for (const f of ['newman.json', 'newman-junit.xml']) {
          const file = path.join(rawDir, f);
          try {
            writeFileSync(file, readFileSync(file, 'utf8').split(tenant.adminKey).join('(redacted)'));
          } catch {
            // a reporter that wrote nothing is seen below as checks with no assertions
          }
        }
        return resultsOf(summary, generated, flows);
      },
      notes: () => ({
        tenant: tenant.slug,
        collection: 'collection/mes.postman_collection.json',
        generatedRequests: generated.length,
        generatedWithRealIds: generated.filter((g) => g.real).length,
        flows: flows.map((f) => f.file),
        seeded: world.seeded.filter((s) => !s.created),
      }),
    };
  },
};

function resultsOf(summary: NewmanRunSummary, generated: GeneratedRequest[], flows: ReturnType<typeof loadFlows>): CheckResult[] {
  const executions = summary.run.executions as Array<{ item: { name: string; parent?: () => { name?: string } }; response?: { code: number; responseTime: number }; assertions?: Array<{ assertion: string; error?: { message: string } }>; requestError?: { message: string } }>;
  const groupOf = (e: (typeof executions)[number]) => (e.item.name.startsWith('api/schema/') ? e.item.name : (e.item.parent?.()?.name ?? ''));
  const results: CheckResult[] = [];
  const collect = (id: string, title: string, clauses: string[]) => {
    const mine = executions.filter((e) => groupOf(e) === id);
    const assertions = mine.flatMap((e) => (e.assertions ?? []).map((a) => ({ ...a, item: e.item.name })));
    const errors = [...mine.filter((e) => e.requestError).map((e) => `${e.item.name}: ${e.requestError!.message}`), ...assertions.filter((a) => a.error).map((a) => `${a.item}: ${a.assertion}: ${a.error!.message}`)];
    const status = errors.length ? 'failed' : assertions.length ? 'passed' : 'unknown';
    results.push({
      id,
      suite: 'api-automation',
      title,
      clauses,
      status,
      assertions: assertions.length,
      durationMs: mine.reduce((n, e) => n + (e.response?.responseTime ?? 0), 0),
      ...(errors.length ? { message: errors.slice(0, 5).join('; ') } : !assertions.length ? { message: 'newman ran no assertion for it' } : {}),
      data: { requests: mine.length, statuses: mine.map((e) => e.response?.code ?? null) },
    });
  };
  for (const g of generated) collect(`api/schema/${g.op.operationId}`, `${g.op.method} ${g.op.path}: documented status, body matches the OpenAPI schema`, SCHEMA);
  for (const f of flows) collect(`api/flow/${f.file}`, f.name, [...new Set([...f.clauses, ...SCHEMA])]);
  return results;
}
