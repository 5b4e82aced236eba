/**
 * The quality profile against the reference server over real HTTP, in one run of its two suites:
 * the quality suite proves S1-5.4.5-a, -b, -c, -e and -f; the traceability suite builds purchase →
 * production → sales itself and proves S1-5.4.5-d; coverage counts every clause as proved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { SUITES, coverage, loadFlows, profile, runConformance, type RunOutcome } from '../src/index.js';
import { budget } from '../../vitest.shared.js';

const QUALITY = ['S1-5.4.5-a', 'S1-5.4.5-b', 'S1-5.4.5-c', 'S1-5.4.5-e', 'S1-5.4.5-f'];
const TRACE = 'S1-5.4.5-d';
let t: TestServer;
let dir: string;
let run: RunOutcome;

beforeAll(async () => {
  t = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'mes-conformance-quality-'));
  run = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'quality', certified: true, seed: 42, outDir: dir, signingKey: path.join(dir, 'key.pem') });
}, budget(240_000));
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const checksOf = (suite: string) => run.results.checks.filter((c) => c.suite === suite);
const failing = (suite: string) => checksOf(suite).filter((c) => c.status !== 'passed').map((c) => `${c.status} ${c.id}: ${c.message}`);

describe('quality profile against the reference server', () => {
  it('S1-5.4.5-a S1-5.4.5-b S1-5.4.5-c S1-5.4.5-e S1-5.4.5-f: every quality check passes through the API', () => {
    expect(failing('quality')).toEqual([]);
    expect(checksOf('quality').map((c) => c.id).sort()).toEqual(['quality/aql-tables', 'quality/disposition', 'quality/drawing-revision', 'quality/inspection-types', 'quality/inspections-from-events', 'quality/judgement', 'quality/reports', 'quality/standards-and-plans']);
    expect(checksOf('quality').every((c) => c.assertions > 1)).toBe(true);
    expect(run.results.clauses.filter((c) => QUALITY.includes(c.id)).map((c) => [c.id, c.status])).toEqual(QUALITY.map((id) => [id, 'passed']));
  });

  it('S1-5.4.5-d: the traceability checks build purchase → production → sales through the API and trace it both ways', () => {
    expect(failing('traceability')).toEqual([]);
    expect(checksOf('traceability').map((c) => c.id).sort()).toEqual(['traceability/backward', 'traceability/bad-input', 'traceability/forward', 'traceability/quality-return', 'traceability/recall']);
    expect(checksOf('traceability').every((c) => c.assertions > 1)).toBe(true);
    expect(run.results.clauses.find((c) => c.id === TRACE)?.status).toBe('passed');
  });

  it('the certified run of the whole profile passes and exits 0', () => {
    expect(run.results.clauses.map((c) => c.id).sort()).toEqual([...QUALITY, TRACE].sort());
    expect(run.results.verdict).toBe('passed');
    expect(run.exitCode).toBe(0);
  });

  it('the profile holds both suites; coverage counts each clause as proved by its suite', () => {
    expect(profile('quality')).toMatchObject({ suites: ['quality', 'traceability'] });
    expect(profile('full')!.suites).toEqual(expect.arrayContaining(['quality', 'traceability']));
    const proved = coverage(SUITES, loadFlows().flatMap((f) => f.clauses)).proved;
    for (const id of QUALITY) expect(proved.find((p) => p.id === id)?.by, id).toContain('quality');
    expect(proved.find((p) => p.id === TRACE)?.by).toContain('traceability');
  });
});
