/**
 * `mes conformance …` as a user runs it: a real binary against a real server over real HTTP.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson, tempDir } from './helpers.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
let tmp: { dir: string; remove(): void };
let bundle: string;

beforeAll(async () => {
  t = await startTestServer();
  tmp = tempDir('mes-cli-conformance-');
});
afterAll(async () => {
  await killAll();
  await t?.stop();
  tmp?.remove();
});

/**
 * The command around the runner: the whole core profile, certified, is run in
 * conformance/test/run.test.ts; here one suite of it (--suites business) is enough to prove the
 * command's own work: the exit code by verdict, --json, --junit, the generated key, the bundle.
 */
describe('mes conformance', () => {
  it('S1-6.2.3-a: run --suites business exits 0 with the clauses it left out unknown, and writes JUnit and a bundle that verify and report read', async () => {
    const out = path.join(tmp.dir, 'evidence');
    const junitFile = path.join(tmp.dir, 'ci', 'junit.xml');
    const res = await mesJson(['conformance', 'run', '--target', t.url, '--profile', 'core', '--suites', 'business', '--seed', '5', '--out', out, '--signing-key', path.join(tmp.dir, 'key.pem'), '--junit', junitFile], { apiKey: t.adminKey, timeoutMs: 150_000 });
    expect(res.code, res.stderr.slice(-3000)).toBe(0);
    const summary = res.json;
    expect(summary).toMatchObject({ seed: 5, profile: 'core', certified: false, junit: junitFile, verdict: 'incomplete' });
    const statuses = new Map<string, string>(summary.clauses.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(statuses.get('S1-5.4.1-a')).toBe('passed');
    expect(statuses.get('S1-6.1-b')).toBe('unknown'); // the isolation suite was left out
    expect([...statuses.values()].filter((s) => s !== 'passed' && s !== 'unknown')).toEqual([]);
    // --junit: every check of the run is a testcase (parsed back in conformance/test/run.test.ts).
    const checks = Object.values(summary.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    const xml = readFileSync(junitFile, 'utf8');
    expect(xml).toMatch(new RegExp(`^<\\?xml[^>]*>\\n<testsuites name="mes conformance [0-9a-f]+" tests="${checks}" failures="0" errors="0"`));
    expect(xml.match(/<testcase /g)).toHaveLength(checks);
    expect(xml).toContain('name="S1-5.4.1-a: business/sales/customer-master"');
    expect(summary.signingKey.generated).toBe(true);
    expect(res.stderr).toMatch(/generated a new Ed25519 signing key/);
    bundle = summary.bundle;
    expect(readdirSync(out)).toEqual([path.basename(bundle)]);
    expect(res.stderr).toContain('cleanup: revoking keys and suspending tenants');

    const v = await mes(['conformance', 'verify', bundle]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/evidence bundle verified: signature valid .* files match the manifest/);

    const report = await mes(['conformance', 'report', bundle]);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/S1-5\.4\.1-a\s+passed/);
    expect(report.stdout).toContain('verdict: INCOMPLETE');
  }, budget(180_000));

  it('verify exits 1 naming the changed file of a tampered bundle', async () => {
    const work = tempDir('mes-cli-tamper-');
    try {
      execFileSync('tar', ['xzf', bundle, '-C', work.dir]);
      const name = path.basename(bundle, '.tar.gz');
      const file = path.join(work.dir, name, 'results.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"seed": 5', '"seed": 6'));
      const tampered = path.join(work.dir, 'tampered.tar.gz');
      execFileSync('tar', ['czf', tampered, '-C', work.dir, name]);
      const v = await mes(['conformance', 'verify', tampered]);
      expect(v.code).toBe(1);
      expect(v.stderr).toContain('results.json does not match its SHA-256 in the manifest');
      const json = await mesJson(['conformance', 'verify', tampered]);
      expect(json.json.error.code).toBe('BUNDLE_INVALID');
      expect(json.json.error.details.files.mismatched).toEqual(['results.json']);
    } finally {
      work.remove();
    }
  });

  it('--platform kubernetes without --namespace and --deployment exits 2 saying what to pass', async () => {
    const res = await mes(['conformance', 'run', '--target', t.url, '--platform', 'kubernetes', '--out', tmp.dir, '--signing-key', path.join(tmp.dir, 'key.pem')], { apiKey: t.adminKey });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--platform kubernetes needs --namespace <ns>, --deployment <name>');
  });

  it('a certified run of the platform profile without --platform exits 1: only the deployment plans (S1-6.1-a) are proved, the rest unknown', async () => {
    const res = await mesJson(['conformance', 'run', '--target', t.url, '--profile', 'platform', '--certified', '--out', tmp.dir, '--signing-key', path.join(tmp.dir, 'key.pem')], { apiKey: t.adminKey });
    expect(res.code).toBe(1);
    expect(res.json.error.code).toBe('CONFORMANCE_INCOMPLETE');
    const statuses = Object.fromEntries(res.json.error.details.clauses.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(statuses).toEqual({
      'S1-6.1-a': 'passed', 'S1-6.1-c': 'unknown', 'S1-6.1-d': 'unknown', 'S1-6.1-f': 'unknown', 'S1-6.1-g': 'unknown',
      'S1-5.3.3-a': 'unknown', 'S1-5.3.4': 'unknown', 'S1-5.3.6': 'unknown', 'S1-5.3.7-a': 'unknown', 'S1-5.3.7-b': 'unknown',
    });
  });

  it('coverage lists the clauses no check proves', async () => {
    const res = await mesJson(['conformance', 'coverage']);
    expect(res.code).toBe(0);
    const unproved = res.json.unproved.map((u: { id: string }) => u.id);
    // What no suite proves yet: POs from production demand, PB-scale data, GB/T 34942 security, unit tests.
    expect(unproved).toEqual(['S1-5.4.2-f', 'S1-6.1-i', 'S1-6.1-j', 'S1-6.2.1']);
    expect(res.json.proved.find((p: { id: string }) => p.id === 'S1-5.4.5-d').by).toEqual(['traceability']);
    expect(unproved).not.toContain('S1-6.1-b');
    expect(res.json.proved.find((p: { id: string }) => p.id === 'S1-6.1-b').by).toEqual(['isolation']);
    expect(res.json.proved.find((p: { id: string }) => p.id === 'S1-6.1-a').by).toEqual(['deployment']);
    expect(res.json.proved.find((p: { id: string }) => p.id === 'S1-6.2.3-b').by).toEqual(['ui']);
    const human = await mes(['conformance', 'coverage']);
    expect(human.stdout).toMatch(/^\d+ clauses no check proves:/);
  });
});
