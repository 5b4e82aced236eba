/**
 * The runner against real servers over real HTTP: the reference server must pass the core profile
 * (certified), business suite included; a server behind a leaking proxy must fail tenant isolation,
 * one that slows other tenants while a noisy one is active must fail the noisy-neighbour check, one
 * that answers a wrong figure must fail the business check that reads it; evidence bundles must fail
 * verification when a byte or the key changes; the JUnit XML of a run parses back to its counts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { BUSINESS_CLAUSES } from '../src/suites/business/index.js';
import { readBundleResults, runConformance, UsageError, verifyBundle, type RunOutcome } from '../src/index.js';
import { budget } from '../../vitest.shared.js';

/**
 * Short latency phases for tests; real runs use the defaults (DEFAULT_LATENCY, ×1.2). Under
 * `npx vitest run` every package's tests share two cores with this in-process server, so the
 * threshold here is the test machine's (2.5), not a certification one, and the tests check that the
 * verdict follows the recorded interval rather than which verdict this machine gets. That the check
 * fails a target whose neighbour really slows it is tested below with a proxy that does just that;
 * the statistics themselves in latency.test.ts.
 */
export const TEST_LATENCY = { samplesPerWindow: 25, windowMs: 500, rounds: 6, maxP95Ratio: 2.5 };
const LATENCY_CHECK = 'isolation/noisy-neighbour-latency';

let t: TestServer;
let dir: string;
let core: RunOutcome;
let coreMs: number;
let coreJunit: string;

beforeAll(async () => {
  t = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'mes-conformance-test-'));
  coreJunit = path.join(dir, 'ci', 'conformance-junit.xml');
  const t0 = Date.now();
  core = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'core', certified: true, seed: 1234, outDir: dir, signingKey: path.join(dir, 'key.pem'), latency: TEST_LATENCY, junit: coreJunit });
  coreMs = Date.now() - t0;
}, budget(240_000));

/**
 * A proxy in front of the test server that can hold a request back or rewrite an answer: the
 * misbehaving targets of the tests below.
 */
async function misbehavingProxy(behave: {
  /** ms to hold an answer back once it has come from the server. */
  hold?(req: http.IncomingMessage): number;
  /** Called with every answer; returns the body to send instead (or nothing to pass it on). */
  rewrite?(req: http.IncomingMessage, requestBody: Buffer, status: number, body: Buffer): Buffer | undefined;
  /** Headers to send upstream instead of the client's. */
  headers?(req: http.IncomingMessage, headers: http.IncomingHttpHeaders): http.IncomingHttpHeaders;
  /** Tells the proxy when an answer has gone back (the request is no longer in flight). */
  done?(req: http.IncomingMessage): void;
}) {
  const upstream = new URL(t.url);
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = behave.headers?.(req, { ...req.headers, host: upstream.host }) ?? { ...req.headers, host: upstream.host };
      const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (ur) => {
        const answer: Buffer[] = [];
        ur.on('data', (c) => answer.push(c));
        ur.on('end', () => {
          const original = Buffer.concat(answer);
          const text = behave.rewrite?.(req, body, ur.statusCode ?? 502, original) ?? original;
          const { 'content-length': _length, ...rest } = ur.headers;
          const send = () => {
            res.writeHead(ur.statusCode ?? 502, { ...rest, 'content-length': String(text.length) });
            res.end(text);
            behave.done?.(req);
          };
          const wait = behave.hold?.(req) ?? 0;
          if (wait > 0) setTimeout(send, wait);
          else send();
        });
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`, close: () => new Promise((r) => proxy.close(r)) };
}
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('core profile against the reference server', () => {
  it('S1-6.1-b S1-5.3.2-a S1-5.3.2-b S1-6.2.3-a S1-6.1-e: every core clause passes, certified, within the CI budget', () => {
    // The noisy-neighbour verdict is the machine's (see TEST_LATENCY): checked against its own
    // interval in the next tests. Everything else must pass.
    const failing = core.results.checks.filter((c) => c.status !== 'passed' && c.id !== LATENCY_CHECK).map((c) => `${c.status} ${c.id}: ${c.message}`);
    expect(failing).toEqual([]);
    const latency = core.results.checks.find((c) => c.id === LATENCY_CHECK)!.status;
    // S1-5.3.2-b has only the latency check; S1-6.1-b has it among many passed ones.
    const expected = (id: string) => (latency === 'passed' || !['S1-5.3.2-b', 'S1-6.1-b'].includes(id) ? 'passed' : latency === 'failed' ? 'failed' : id === 'S1-5.3.2-b' ? 'unknown' : 'skipped');
    expect(core.results.clauses.map((c) => [c.id, c.status])).toEqual(core.results.clauses.map((c) => [c.id, expected(c.id)]));
    expect(core.results.verdict).toBe({ passed: 'passed', failed: 'failed' }[latency as string] ?? 'incomplete');
    expect(core.exitCode).toBe(latency === 'passed' ? 0 : 1);
    expect(core.results.checks.length).toBeGreaterThan(170);
    expect(coreMs).toBeLessThan(150_000);
    console.log(`core profile: ${core.results.checks.length} checks in ${(coreMs / 1000).toFixed(1)} s`);
  });

  it('S1-6.1-b: every operation with a path parameter was tried with a real foreign id, and the evidence says so', () => {
    const q = (core.results.suites.isolation as any).foreignIdQuality;
    expect(q.realForeignId.length).toBeGreaterThan(25);
    // What no tenant can create through its bearer API: alarms are raised by signed gateway
    // telemetry (so are their e-mail notices), restore drills are the platform's own records.
    // Traces are addressed by batch and serial number, which the generated world does not make
    // (server/test/traceability.test.ts proves their isolation with real numbers). A drawing revision
    // request comes from a defect an inspection found, and the world records no inspection results
    // (the quality suite's drawing-revision check makes them; isolation: every read is tenant-scoped).
    expect(q.randomIdOnly).toEqual([
      'acknowledgeEquipmentAlarm', 'decideDrawingRevisionRequest', 'getBackupDrill', 'getDrawingRevisionRequest', 'getEquipmentAlarm', 'listEquipmentAlarmNotices', 'traceBatch', 'traceSerial',
    ]);
    const probe = core.results.checks.find((c) => c.id === 'isolation/foreign-id/getMaterial')!;
    expect(probe.data).toMatchObject({ response: '404 RESOURCE_NOT_FOUND', control: 'tenant A itself: 200' });
  });

  it('S1-5.4.1-a S1-5.4.1-b S1-5.4.1-c S1-5.4.1-d S1-5.4.1-e S1-5.4.1-g S1-5.4.2-a S1-5.4.2-b S1-5.4.2-c S1-5.4.2-d S1-5.4.2-e S1-5.4.2-g S1-5.4.3-c S1-5.4.3-d S1-5.4.3-e S1-5.4.3-f S1-5.4.3-h S1-5.4.3-i: the business suite passes on the reference server, each check on a tenant of its own', () => {
    const business = core.results.checks.filter((c) => c.suite === 'business');
    expect(business.filter((c) => c.status !== 'passed').map((c) => `${c.status} ${c.id}: ${c.message}`)).toEqual([]);
    expect(business).toHaveLength(19);
    expect([...new Set(business.flatMap((c) => c.clauses))].sort()).toEqual([...BUSINESS_CLAUSES].sort());
    for (const c of business) expect(c.assertions, c.id).toBeGreaterThanOrEqual(5);
    for (const id of BUSINESS_CLAUSES) expect(core.results.clauses.find((c) => c.id === id)?.status, id).toBe('passed');
    // Kitting and production demand are not built: those clauses are not in the core profile, so unproved.
    expect(core.results.clauses.map((c) => c.id)).not.toContain('S1-5.4.1-f');
    expect(core.results.clauses.map((c) => c.id)).not.toContain('S1-5.4.2-f');
    const tenants = (core.results.cleanup as any).tenants.map((x: any) => x.slug).filter((slug: string) => slug.includes('-biz-'));
    expect(tenants).toHaveLength(19);
    const ms = business.reduce((n, c) => n + c.durationMs, 0);
    console.log(`business suite: ${business.length} checks, ${business.reduce((n, c) => n + c.assertions, 0)} assertions in ${(ms / 1000).toFixed(1)} s`);
  });

  it('--junit: the whole run as JUnit XML, a testsuite per suite and a testcase per check named by its clauses; the bundle holds the same file', () => {
    const text = readFileSync(coreJunit, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = parseJunit(text);
    const checks = core.results.checks;
    expect(doc.testsuites).toMatchObject({ tests: String(checks.length), failures: String(checks.filter((c) => c.status === 'failed').length), errors: '0', timestamp: core.results.startedAt });
    const suites = doc.testsuites.testsuite;
    expect(suites.map((x: any) => x.name).sort()).toEqual(['api-automation', 'business', 'isolation']);
    for (const suite of suites) {
      const mine = checks.filter((c) => c.suite === suite.name);
      expect(suite.testcase).toHaveLength(mine.length);
      expect([suite.tests, suite.skipped].map(Number)).toEqual([mine.length, mine.filter((c) => c.status === 'skipped' || c.status === 'unknown').length]);
      expect(suite.properties.property.find((p: any) => p.name === 'seed').value).toBe('1234');
    }
    const customer = suites.find((x: any) => x.name === 'business').testcase.find((c: any) => c.name === 'S1-5.4.1-a: business/sales/customer-master');
    expect(customer).toMatchObject({ classname: 'mes.conformance.business', assertions: String(checks.find((c) => c.id === 'business/sales/customer-master')!.assertions) });
    expect(Number(customer.time)).toBeGreaterThan(0);
    expect(customer.properties.property.filter((p: any) => p.name === 'clause' || p.name === 'status').map((p: any) => p.value)).toEqual(['S1-5.4.1-a', 'passed']);
    const inBundle = execFileSync('tar', ['xzOf', core.bundle, `${path.basename(core.bundle, '.tar.gz')}/raw/junit.xml`], { encoding: 'utf8' });
    expect(inBundle).toBe(text);
  });

  it('S1-5.3.2-b: the noisy-neighbour verdict is its recorded interval\'s, with every raw sample per phase in counterbalanced order', () => {
    const c = core.results.checks.find((x) => x.id === LATENCY_CHECK)!;
    const d = c.data as any;
    expect(d.noisy.limited).toBeGreaterThan(0);
    expect(d.phases.map((p: any) => `${p.round}${p.phase}`)).toEqual(Array.from({ length: TEST_LATENCY.rounds }, (_, r) => (r % 2 ? [`${r}noisy`, `${r}quiet`] : [`${r}quiet`, `${r}noisy`])).flat());
    for (const p of d.phases) expect(p.samplesMs).toHaveLength(TEST_LATENCY.samplesPerWindow);
    const a = d.assessment;
    expect(a).toMatchObject({ maxP95Ratio: TEST_LATENCY.maxP95Ratio, confidence: 0.95 });
    expect(a.p95.ci[0]).toBeLessThanOrEqual(a.p95.ratio);
    expect(a.p95.ci[1]).toBeGreaterThanOrEqual(a.p95.ratio);
    // The verdict follows the interval: passed when its upper end is within the threshold, failed
    // only when its lower end is beyond it (and significant), otherwise inconclusive.
    expect(c.status).toBe({ passed: 'passed', failed: 'failed', inconclusive: 'unknown' }[a.verdict as string]);
    if (c.status === 'passed') expect(a.p95.ci[1]).toBeLessThanOrEqual(TEST_LATENCY.maxP95Ratio);
    if (c.status === 'failed') expect(a.p95.ci[0]).toBeGreaterThan(TEST_LATENCY.maxP95Ratio);
    if (c.status !== 'passed') console.warn(`noisy neighbour ${c.status} on this machine: ${c.message}`);
    console.log(`noisy neighbour: ${a.reason}`);
  });

  it('cleanup: every tenant the run created is suspended, its keys revoked, and what is left is stated', () => {
    const cleanup = core.results.cleanup as any;
    expect(cleanup.tenants.length).toBeGreaterThanOrEqual(7);
    for (const tenant of cleanup.tenants) {
      expect(tenant.suspended, tenant.slug).toBe(true);
      expect(tenant.keysNotRevoked, tenant.slug).toEqual([]);
      expect(tenant.adminKeyRefused.status, tenant.slug).toBe(401);
    }
    expect(cleanup.notRemovable).toMatch(/no operation that deletes a tenant/);
  });

  it('S1-6.2.3-a: the bundle holds the Postman collection, newman and JUnit results, summaries and logs; verify passes', async () => {
    expect(path.basename(core.bundle)).toMatch(/^\d{8}T\d{6}Z_mes_[0-9a-f]{12}\.tar\.gz$/);
    const listing = execFileSync('tar', ['tzf', core.bundle], { encoding: 'utf8' });
    for (const f of ['manifest.json', 'manifest.sig', 'signer.pub.pem', 'results.json', 'summary.md', 'summary.html', 'config.json', 'seed.txt', 'versions.json', 'raw/junit.xml', 'raw/newman.json', 'raw/newman-junit.xml', 'collection/mes.postman_collection.json', 'logs/run.log', 'logs/http.log', 'cleanup.json']) {
      expect(listing).toContain(f);
    }
    const v = await verifyBundle(core.bundle);
    expect(v).toMatchObject({ ok: true, signature: 'valid', problems: [] });
    expect(v.files.checked).toBeGreaterThan(10);
    const results = await readBundleResults(core.bundle);
    expect(results.seed).toBe(1234);
    expect(execFileSync('tar', ['xzOf', core.bundle, `${path.basename(core.bundle, '.tar.gz')}/raw/newman.json`], { encoding: 'utf8', maxBuffer: 64 << 20 })).not.toMatch(/mes_[0-9a-f]{32}_[0-9a-f]{32}_/);
  });

  it('verify fails naming the file when one byte of it changes, and fails under another key', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'mes-tamper-'));
    try {
      execFileSync('tar', ['xzf', core.bundle, '-C', work]);
      const name = path.basename(core.bundle, '.tar.gz');
      const summary = path.join(work, name, 'summary.md');
      const bytes = readFileSync(summary);
      bytes[10] = bytes[10] ^ 1;
      writeFileSync(summary, bytes);
      const tampered = path.join(work, 'tampered.tar.gz');
      execFileSync('tar', ['czf', tampered, '-C', work, name]);
      const v = await verifyBundle(tampered);
      expect(v.ok).toBe(false);
      expect(v.signature).toBe('valid');
      expect(v.files.mismatched).toEqual(['summary.md']);
      expect(v.problems.join('\n')).toContain('summary.md');

      const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const wrong = await verifyBundle(core.bundle, { publicKeyPem: other });
      expect(wrong).toMatchObject({ ok: false, signature: 'invalid', keySource: 'given' });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('a deliberately broken target', () => {
  it('S1-6.1-b S1-5.3.2-a S1-5.3.2-b: a proxy that leaks tenant A\'s rows into other tenants\' lists, and slows every tenant while a noisy one is busy, fails both', async () => {
    // The leak: remember the key of the first tenant created through the proxy (tenant A), then
    // answer other tenants' list requests for warehouses, customers, suppliers and units with A's
    // credentials. The slowdown: while the noisy tenant has a request in flight (or had one in the
    // last 150 ms), every other tenant's answer is held back three times as long as it took, plus
    // 20 ms: a target without resource isolation, slower by ×4 whatever this machine's speed.
    let leakKey: string | undefined;
    let noisyKey: string | undefined;
    let noisyInFlight = 0;
    let noisyLast = 0;
    const started = new WeakMap<http.IncomingMessage, number>();
    const isNoisy = (req: http.IncomingMessage) => noisyKey !== undefined && req.headers.authorization === `Bearer ${noisyKey}`;
    const proxy = await misbehavingProxy({
      headers(req, headers) {
        started.set(req, performance.now());
        if (isNoisy(req)) noisyInFlight++;
        const isList = req.method === 'GET' && /^\/v1\/(warehouses|customers|suppliers|units)(\?|$)/.test(req.url ?? '');
        if (isList && leakKey && headers.authorization && headers.authorization !== `Bearer ${t.adminKey}`) return { ...headers, authorization: `Bearer ${leakKey}` };
        return headers;
      },
      rewrite(req, requestBody, status, body) {
        if (req.method === 'POST' && req.url === '/v1/tenants' && status === 201) {
          const key = JSON.parse(body.toString()).apiKey.key;
          leakKey ??= key;
          if (JSON.parse(requestBody.toString()).slug.endsWith('-noisy')) noisyKey = key;
        }
        return undefined;
      },
      hold(req) {
        const neighbourBusy = noisyInFlight > 0 || performance.now() - noisyLast < 150;
        return !isNoisy(req) && noisyKey && neighbourBusy ? 3 * (performance.now() - (started.get(req) ?? performance.now())) + 20 : 0;
      },
      done(req) {
        if (!isNoisy(req)) return;
        noisyInFlight--;
        noisyLast = performance.now();
      },
    });
    try {
      // As many rounds as TEST_LATENCY: with four, a CI run whose quiet phases differed by ×2.55
      // among themselves left the ×3 effect's interval reaching down to ×1.14, an honest 'unknown'.
      const out = await runConformance({ target: proxy.url, apiKey: t.adminKey, profile: 'core', suites: ['isolation'], seed: 99, outDir: dir, signingKey: path.join(dir, 'key.pem'), latency: { ...TEST_LATENCY, samplesPerWindow: 20, maxP95Ratio: 1.2 } });
      const clause = out.results.clauses.find((c) => c.id === 'S1-6.1-b')!;
      expect(clause.status).toBe('failed');
      expect(out.results.clauses.find((c) => c.id === 'S1-5.3.2-a')!.status).toBe('failed');
      const leaks = out.results.checks.filter((c) => c.status === 'failed').map((c) => c.id);
      expect(leaks).toContain('isolation/list-scan/listCustomers');
      expect(leaks).toContain('isolation/list-scan/listWarehouses');
      expect(out.results.checks.find((c) => c.id === 'isolation/list-scan/listWarehouses')!.message).toMatch(/shows tenant A's [0-9a-f-]{36} \(\/v1\/warehouses\)/);
      // Only the leaking endpoints fail: the other checks still tell the truth.
      expect(out.results.checks.find((c) => c.id === 'isolation/list-scan/listUsers')!.status).toBe('passed');
      expect(out.results.verdict).toBe('failed');
      expect(out.exitCode).toBe(1);
      // The neighbour's effect is significant and beyond ×1.2: failed, with the interval in the message.
      const latency = out.results.checks.find((c) => c.id === LATENCY_CHECK)!;
      expect(latency.status, latency.message).toBe('failed');
      expect(latency.message).toMatch(/p95 went from [\d.]+ ms to [\d.]+ ms \(×[\d.]+, 95% interval ×[\d.]+–×[\d.]+\) .* beyond the threshold ×1\.2/);
      expect((latency.data as any).assessment.p95.ci[0]).toBeGreaterThan(1.2);
      expect(out.results.clauses.find((c) => c.id === 'S1-5.3.2-b')!.status).toBe('failed');
      // The API-automation and business clauses did not run: unknown, never passed.
      expect(out.results.clauses.find((c) => c.id === 'S1-6.2.3-a')!.status).toBe('unknown');
      expect(out.results.clauses.find((c) => c.id === 'S1-5.4.1-a')!.status).toBe('unknown');
    } finally {
      await proxy.close();
    }
  });

  it('S1-5.4.1-g S1-5.4.3-c: a target that reports one shipped quantity one too high fails the sales report check, naming what it expected and got; the JUnit XML says so', async () => {
    // The sales progress report by material answers its first row's shipped quantity + 1.
    const proxy = await misbehavingProxy({
      rewrite(req, _body, status, body) {
        if (req.method !== 'GET' || !req.url?.startsWith('/v1/reports/sales-progress?groupBy=material') || status !== 200) return undefined;
        const report = JSON.parse(body.toString());
        if (report.items[0]) report.items[0].shipped = String(Number(report.items[0].shipped) + 1);
        return Buffer.from(JSON.stringify(report));
      },
    });
    try {
      const junitFile = path.join(dir, 'broken-business-junit.xml');
      const out = await runConformance({ target: proxy.url, apiKey: t.adminKey, profile: 'core', suites: ['business'], checks: ['business/sales/reports', 'business/warehouse/transfers'], seed: 7, outDir: dir, signingKey: path.join(dir, 'key.pem'), junit: junitFile });
      expect(out.results.checks.map((c) => [c.id, c.status])).toEqual([['business/sales/reports', 'failed'], ['business/warehouse/transfers', 'passed']]);
      const failed = out.results.checks[0];
      expect(failed.failure).toBe('assertion');
      expect(failed.message).toMatch(/^sales progress by material: expected \[\[null,"BLADE","40","40","40",.*got \[\[null,"BLADE","40","40","41",/);
      expect(failed.message).toContain('GET /v1/reports/sales-progress?groupBy=material');
      expect(out.results.clauses.find((c) => c.id === 'S1-5.4.1-g')!.status).toBe('failed');
      expect(out.results.clauses.find((c) => c.id === 'S1-5.4.3-c')!.status).toBe('passed');
      expect(out.results.clauses.find((c) => c.id === 'S1-5.4.1-a')!.status).toBe('unknown');
      expect(out.results.verdict).toBe('failed');
      expect(out.exitCode).toBe(1);
      const suite = parseJunit(readFileSync(junitFile, 'utf8')).testsuites.testsuite[0];
      expect(suite).toMatchObject({ name: 'business', tests: '2', failures: '1', errors: '0', skipped: '0' });
      const testcase = suite.testcase.find((c: any) => c.name === 'S1-5.4.1-g: business/sales/reports');
      expect(testcase.failure.type).toBe('CheckFailure');
      expect(testcase.failure['#text']).toContain('"41"');
    } finally {
      await proxy.close();
    }
  });
});

/** JUnit XML as objects: attributes as strings, testsuite, testcase and property always arrays. */
function parseJunit(text: string) {
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(text);
}

describe('what a run refuses or cannot prove', () => {
  it('no target and no platform: a usage error that says what to pass', async () => {
    await expect(runConformance({ apiKey: t.adminKey, outDir: dir, signingKey: path.join(dir, 'key.pem') })).rejects.toThrow(UsageError);
    await expect(runConformance({ apiKey: t.adminKey, outDir: dir, signingKey: path.join(dir, 'key.pem') })).rejects.toThrow(/--target/);
  });

  it('S1-6.1-a: without --platform the platform profile proves deployment (plans need no platform) and reports the resilience clauses unknown; a certified run of it fails, an uncertified one does not', async () => {
    const plain = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'platform', outDir: dir, signingKey: path.join(dir, 'key.pem') });
    const status = Object.fromEntries(plain.results.clauses.map((c) => [c.id, c.status]));
    expect(status).toEqual({ ...Object.fromEntries(plain.results.clauses.map((c) => [c.id, 'unknown'])), 'S1-6.1-a': 'passed' });
    expect(plain.results.checks.filter((c) => c.suite === 'deployment').map((c) => [c.id, c.status])).toEqual([
      ['deployment/components-alone', 'passed'],
      ['deployment/hybrid', 'passed'],
      ['deployment/private', 'passed'],
      ['deployment/public', 'passed'],
    ]);
    expect(plain.results.clauses.length).toBe(10);
    expect(plain.results.clauses.find((c) => c.id === 'S1-6.1-g')!.reason).toMatch(/needs --platform local\|kubernetes/);
    expect(plain.results.suites.failover).toEqual({ unavailable: expect.stringMatching(/needs --platform/) });
    expect(plain.results.verdict).toBe('incomplete');
    expect(plain.exitCode).toBe(0);
    const certified = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'platform', suites: ['failover'], certified: true, outDir: dir, signingKey: path.join(dir, 'key.pem') });
    expect(certified.exitCode).toBe(1);
  });

  it('a key that is not a platform admin\'s is refused before anything is created', async () => {
    const tenant = await t.call('POST', '/v1/tenants', { slug: 'not-platform', name: 'x' });
    await expect(runConformance({ target: t.url, apiKey: tenant.body.apiKey.key, outDir: dir, signingKey: path.join(dir, 'key.pem') })).rejects.toThrow(/not a platform admin/);
  });
});
