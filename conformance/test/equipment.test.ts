/**
 * The equipment profile against the reference server over real HTTP: the suite registers its own
 * gateway, signs its batches, and every check passes, proving S1-5.4.6-a..f, S1-6.1-h and the
 * signed-upload refusals of S1-5.2.2.1-a; coverage counts the clauses as proved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { SUITES, clauses, coverage, loadFlows, runConformance, type RunOutcome } from '../src/index.js';

const CLAUSES = ['S1-5.4.6-a', 'S1-5.4.6-b', 'S1-5.4.6-c', 'S1-5.4.6-d', 'S1-5.4.6-e', 'S1-5.4.6-f', 'S1-6.1-h', 'S1-5.2.2.1-a'];
let t: TestServer;
let dir: string;
let run: RunOutcome;

beforeAll(async () => {
  t = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'mes-conformance-equipment-'));
  run = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'equipment', certified: true, seed: 42, outDir: dir, signingKey: path.join(dir, 'key.pem') });
});
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('equipment profile against the reference server', () => {
  it('S1-5.4.6-a S1-5.4.6-b S1-5.4.6-c S1-5.4.6-d S1-5.4.6-e S1-5.4.6-f S1-6.1-h S1-5.2.2.1-a: every equipment check passes through the API, certified', () => {
    expect(run.results.checks.filter((c) => c.status !== 'passed').map((c) => `${c.status} ${c.id}: ${c.message}`)).toEqual([]);
    expect(run.results.checks.map((c) => c.id).sort()).toEqual([
      'equipment/alarms', 'equipment/down-events', 'equipment/indicators', 'equipment/master', 'equipment/signed-upload', 'equipment/status-and-history', 'equipment/unified-format',
    ]);
    expect(run.results.checks.every((c) => c.assertions > 3)).toBe(true);
    expect(run.results.clauses.map((c) => [c.id, c.status])).toEqual(CLAUSES.map((id) => [id, 'passed']));
    expect(run.results.verdict).toBe('passed');
    expect(run.exitCode).toBe(0);
  });

  it('S1-5.2.2.1-a: the signed upload clause is in the registry; coverage counts the equipment clauses as proved by the equipment suite', () => {
    expect(clauses().map((c) => c.id)).toContain('S1-5.2.2.1-a');
    const proved = coverage(SUITES, loadFlows().flatMap((f) => f.clauses)).proved;
    for (const id of CLAUSES) expect(proved.find((p) => p.id === id)?.by, id).toContain('equipment');
  });
});
