/**
 * The recovery profile against the reference server over real HTTP: the suite drills a backup of a
 * tenant it seeded, through the platform admin's API, and the evidence carries the measured RTO and
 * RPO; coverage counts S1-8.4 as proved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { SUITES, coverage, loadFlows, readBundleResults, runConformance, type RunOutcome } from '../src/index.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
let dir: string;
let run: RunOutcome;

beforeAll(async () => {
  t = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'mes-conformance-recovery-'));
  run = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'recovery', certified: true, seed: 7, outDir: dir, signingKey: path.join(dir, 'key.pem') });
}, budget(300_000));
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('recovery profile against the reference server', () => {
  it('S1-8.4 a drill of a seeded tenant passes through the admin API, with RTO and RPO in the evidence', () => {
    expect(run.results.checks.filter((c) => c.status !== 'passed').map((c) => `${c.status} ${c.id}: ${c.message}`)).toEqual([]);
    expect(run.results.checks.map((c) => c.id).sort()).toEqual(['recovery/refusals', 'recovery/tenant-drill']);
    const drill = run.results.checks.find((c) => c.id === 'recovery/tenant-drill')!;
    expect(drill.assertions).toBeGreaterThan(10);
    expect(drill.data?.rtoMs).toBeGreaterThan(0);
    expect(drill.data?.rpoMs).toBeGreaterThanOrEqual(0);
    expect((drill.data?.checks as { ledger: { movements: number } }).ledger.movements).toBe(2);
    expect(run.results.clauses.map((c) => [c.id, c.status])).toEqual([['S1-8.4', 'passed']]);
    expect(run.results.verdict).toBe('passed');
    expect(run.exitCode).toBe(0);
  });

  it('S1-8.4 the signed evidence bundle carries the drill\'s RTO and RPO', async () => {
    const drill = run.results.checks.find((c) => c.id === 'recovery/tenant-drill')!;
    const results = await readBundleResults(run.bundle);
    const inBundle = results.checks.find((c) => c.id === 'recovery/tenant-drill')!;
    expect([inBundle.data?.rtoMs, inBundle.data?.rpoMs]).toEqual([drill.data?.rtoMs, drill.data?.rpoMs]);
  });

  it('S1-8.4 coverage counts the backup clause as proved by the recovery suite', () => {
    const proved = coverage(SUITES, loadFlows().flatMap((f) => f.clauses)).proved;
    expect(proved.find((p) => p.id === 'S1-8.4')?.by).toEqual(['recovery']);
  });
});
