/**
 * The cutover profile against the reference server over real HTTP: a small cutover run through
 * the API proves S1-7.3-a, -b and -c; coverage counts them as proved by the cutover suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { SUITES, clauses, coverage, loadFlows, runConformance, type RunOutcome } from '../src/index.js';
import { budget } from '../../vitest.shared.js';

const CLAUSES = ['S1-7.3-a', 'S1-7.3-b', 'S1-7.3-c'];
let t: TestServer;
let dir: string;
let run: RunOutcome;

beforeAll(async () => {
  t = await startTestServer({ planTtlMs: 100 });
  dir = mkdtempSync(path.join(tmpdir(), 'mes-conformance-cutover-'));
  run = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'cutover', certified: true, seed: 42, outDir: dir, signingKey: path.join(dir, 'key.pem') });
}, budget(300_000));
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('cutover profile against the reference server', () => {
  it('S1-7.3-a S1-7.3-b S1-7.3-c: a small cutover runs through the API: freeze (423), rollback, go-live and its verification, certified', () => {
    expect(run.results.checks.filter((c) => c.status !== 'passed').map((c) => `${c.status} ${c.id}: ${c.message}`)).toEqual([]);
    expect(run.results.checks.map((c) => c.id).sort()).toEqual(['cutover/freeze-and-rollback', 'cutover/go-live-and-verify']);
    expect(run.results.checks.every((c) => c.assertions > 10)).toBe(true);
    expect(run.results.clauses.map((c) => [c.id, c.status])).toEqual(CLAUSES.map((id) => [id, 'passed']));
    expect(run.results.verdict).toBe('passed');
    expect(run.exitCode).toBe(0);
  });

  it('the registry holds S1-7.3-a..c (not 7.1 or 7.2) and coverage counts them as proved by the cutover suite', () => {
    const ids = clauses().map((c) => c.id);
    expect(ids.filter((id) => id.startsWith('S1-7'))).toEqual(CLAUSES);
    const proved = coverage(SUITES, loadFlows().flatMap((f) => f.clauses)).proved;
    for (const id of CLAUSES) expect(proved.find((p) => p.id === id)?.by, id).toEqual(['cutover']);
  });
});
