/**
 * The production profile against the reference server over real HTTP: every check of the
 * production suite passes and proves S1-5.4.4-a..l and S1-5.4.1-f; coverage counts the clauses as proved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import newman, { type NewmanRunSummary } from 'newman';
import { createTenant, startTestServer, type TestServer } from '../../server/test/harness.js';
import { buildCollection } from '../src/collection.js';
import { SUITES, coverage, loadFlows, runConformance, type RunOutcome } from '../src/index.js';
import { operationsOf } from '../src/openapi.js';

const CLAUSES = [...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].map((x) => `S1-5.4.4-${x}`), 'S1-5.4.1-f'];
let t: TestServer;
let dir: string;
let run: RunOutcome;

beforeAll(async () => {
  t = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'mes-conformance-production-'));
  run = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'production', certified: true, seed: 42, outDir: dir, signingKey: path.join(dir, 'key.pem') });
});
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('production profile against the reference server', () => {
  it('S1-5.4.4-a S1-5.4.4-b S1-5.4.4-c S1-5.4.4-d S1-5.4.4-e S1-5.4.4-f S1-5.4.4-g S1-5.4.4-h S1-5.4.4-i S1-5.4.4-j S1-5.4.4-k S1-5.4.4-l S1-5.4.1-f: every production check passes through the API, certified', () => {
    expect(run.results.checks.filter((c) => c.status !== 'passed').map((c) => `${c.status} ${c.id}: ${c.message}`)).toEqual([]);
    expect(run.results.checks.map((c) => c.id).sort()).toEqual([
      'production/bom-cycle', 'production/bom-explosion', 'production/bom-released-immutable', 'production/bom-types-and-usage', 'production/dispatching', 'production/drawings',
      'production/live-progress', 'production/material-issue', 'production/material-parameters', 'production/material-return', 'production/order-by-hand', 'production/receipt',
      'production/routing', 'production/sales-demand', 'production/work-reporting',
    ]);
    expect(run.results.checks.every((c) => c.assertions > 1)).toBe(true);
    expect(run.results.clauses.map((c) => [c.id, c.status])).toEqual(CLAUSES.map((id) => [id, 'passed']));
    expect(run.results.verdict).toBe('passed');
    expect(run.exitCode).toBe(0);
  });

  it('coverage counts the production clauses as proved by the production suite', () => {
    const proved = coverage(SUITES, loadFlows().flatMap((f) => f.clauses)).proved;
    for (const id of CLAUSES) expect(proved.find((p) => p.id === id)?.by, id).toContain('production');
  });
});

describe('the Postman flow order → issue → report → receipt', () => {
  it('S1-5.4.4-f S1-5.4.4-h S1-5.4.4-i: the api-automation collection\'s production flow passes under newman against the reference server', async () => {
    const flow = loadFlows().find((f) => f.file === 'production-order-to-receipt')!;
    expect(flow.clauses).toEqual(['S1-6.1-e', 'S1-5.4.4-f', 'S1-5.4.4-h', 'S1-5.4.4-i']);
    const spec = await (await fetch(`${t.url}/openapi.json`)).json();
    const collection = buildCollection({ title: 'production flow', runTag: 'PF1', generated: [], flows: [flow], ops: operationsOf(spec) }).toJSON();
    const tenant = await createTenant(t, 'postman-production');
    const summary = await new Promise<NewmanRunSummary>((resolve, reject) =>
      newman.run({ collection: collection as never, envVar: [{ key: 'baseUrl', value: t.url }, { key: 'apiKey', value: tenant.key }], reporters: [] } as never, (err, s) => (err ? reject(err) : resolve(s))));
    const failures = summary.run.failures.map((f) => `${f.source?.name}: ${f.error?.message}`);
    expect(failures).toEqual([]);
    const requests = summary.run.executions.map((e) => `${e.item.name} ${e.response?.code}`);
    expect(requests).toHaveLength(flow.steps.length);
    expect(requests.filter((r) => / (422|409)$/.test(r))).toEqual(['19. reporting 6 good of an order of 5 is refused 422', expect.stringMatching(/^25\. receiving more is refused (409|422)$/)]);
    expect(summary.run.stats.assertions.total).toBeGreaterThan(60);
  });
});
