/**
 * The quality profile against the reference server over real HTTP: every check of the quality
 * suite passes and proves S1-5.4.5-a, -b, -c, -e and -f; coverage counts the clauses as proved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { SUITES, coverage, loadFlows, runConformance, type RunOutcome } from '../src/index.js';

const CLAUSES = ['S1-5.4.5-a', 'S1-5.4.5-b', 'S1-5.4.5-c', 'S1-5.4.5-e', 'S1-5.4.5-f'];
let t: TestServer;
let dir: string;
let run: RunOutcome;

beforeAll(async () => {
  t = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'mes-conformance-quality-'));
  // Only this suite: the traceability suite joins the profile for S1-5.4.5-d and has its own test.
  run = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'quality', suites: ['quality'], certified: true, seed: 42, outDir: dir, signingKey: path.join(dir, 'key.pem') });
});
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('quality profile against the reference server', () => {
  it('S1-5.4.5-a S1-5.4.5-b S1-5.4.5-c S1-5.4.5-e S1-5.4.5-f: every quality check passes through the API, certified', () => {
    expect(run.results.checks.filter((c) => c.status !== 'passed').map((c) => `${c.status} ${c.id}: ${c.message}`)).toEqual([]);
    expect(run.results.checks.map((c) => c.id).sort()).toEqual(['quality/aql-tables', 'quality/disposition', 'quality/inspection-types', 'quality/judgement', 'quality/reports', 'quality/standards-and-plans']);
    expect(run.results.checks.every((c) => c.assertions > 1)).toBe(true);
    expect(run.results.clauses.filter((c) => CLAUSES.includes(c.id)).map((c) => [c.id, c.status])).toEqual(CLAUSES.map((id) => [id, 'passed']));
    expect(run.exitCode).toBe(0);
  });

  it('coverage counts the quality clauses as proved by the quality suite', () => {
    const proved = coverage(SUITES, loadFlows().flatMap((f) => f.clauses)).proved;
    for (const id of CLAUSES) expect(proved.find((p) => p.id === id)?.by, id).toContain('quality');
  });
});
