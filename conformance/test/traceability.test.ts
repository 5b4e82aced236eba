/**
 * The quality profile's traceability suite against the reference server over real HTTP: every
 * check passes and proves S1-5.4.5-d; coverage counts the clause as proved by the suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { SUITES, coverage, loadFlows, profile, runConformance, type RunOutcome } from '../src/index.js';

let t: TestServer;
let dir: string;
let run: RunOutcome;

beforeAll(async () => {
  t = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'mes-conformance-quality-'));
  run = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'quality', certified: true, seed: 42, outDir: dir, signingKey: path.join(dir, 'key.pem') });
}, 180_000);
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('quality profile (traceability) against the reference server', () => {
  it('S1-5.4.5-d: the traceability checks build purchase → production → sales through the API and trace it both ways, certified', () => {
    expect(run.results.checks.filter((c) => c.status !== 'passed').map((c) => `${c.status} ${c.id}: ${c.message}`)).toEqual([]);
    expect(run.results.checks.map((c) => c.id).sort()).toEqual(['traceability/backward', 'traceability/bad-input', 'traceability/forward', 'traceability/recall']);
    expect(run.results.checks.every((c) => c.assertions > 1)).toBe(true);
    expect(run.results.clauses.map((c) => [c.id, c.status])).toEqual([['S1-5.4.5-d', 'passed']]);
    expect(run.results.verdict).toBe('passed');
    expect(run.exitCode).toBe(0);
  });

  it('S1-5.4.5-d: the quality profile holds the traceability suite; coverage counts the clause as proved by it', () => {
    expect(profile('quality')).toMatchObject({ suites: expect.arrayContaining(['traceability']), clauses: expect.arrayContaining(['S1-5.4.5-d']) });
    expect(profile('full')!.suites).toContain('traceability');
    const proved = coverage(SUITES, loadFlows().flatMap((f) => f.clauses)).proved;
    expect(proved.find((p) => p.id === 'S1-5.4.5-d')?.by).toContain('traceability');
  });
});
