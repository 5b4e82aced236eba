/**
 * The ui suite (S1-6.2.3-b, S1-6.2.2) against a test server that serves the built web console
 * (web/dist, built by `npm run build`), with Debian's Chromium and chromedriver: one browser
 * session for every check, every page checked with axe, the console log and screenshots in the bundle.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { readBundleResults, runConformance, verifyBundle, type RunOutcome } from '../src/index.js';
import { budget } from '../../vitest.shared.js';

const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

let t: TestServer;
let dir: string;
let run: RunOutcome;

beforeAll(async () => {
  t = await startTestServer({ webDir: WEB_DIST, eventStreamPollMs: 200 });
  dir = mkdtempSync(path.join(tmpdir(), 'mes-ui-test-'));
  run = await runConformance({ target: t.url, apiKey: t.adminKey, profile: 'ui', certified: true, seed: 17, outDir: dir, signingKey: path.join(dir, 'key.pem') });
}, budget(600_000));
afterAll(async () => {
  await t?.stop();
  // MES_KEEP_UI_EVIDENCE=1 keeps the bundle (screenshots) to look at the pages.
  if (dir && !process.env.MES_KEEP_UI_EVIDENCE) rmSync(dir, { recursive: true, force: true });
  else if (dir) console.log(`ui evidence kept in ${dir}`);
});

describe('ui suite against the reference server and its console', () => {
  it('S1-6.2.3-b S1-6.2.2 S1-5.4.4-l S1-5.4.4-f S1-5.4.4-j S1-5.4.4-k: every UI check passes in Chromium, certified, and the bundle holds the screenshots and the console log', async () => {
    const failing = run.results.checks.filter((c) => c.status !== 'passed').map((c) => `${c.status} ${c.id}: ${c.message}`);
    expect(failing).toEqual([]);
    expect(run.results.checks.map((c) => c.id).sort()).toEqual(['ui/board-live', 'ui/console-flow', 'ui/equipment-flow', 'ui/pda-phone', 'ui/permission-refusal', 'ui/planning-flow', 'ui/production-flow', 'ui/quality-flow', 'ui/quality-setup', 'ui/trace-flow', 'ui/workshop-kanban']);
    expect(run.results.clauses.map((c) => [c.id, c.status])).toEqual([['S1-6.2.2', 'passed'], ['S1-6.2.3-b', 'passed'], ['S1-5.4.4-l', 'passed'], ['S1-5.4.4-f', 'passed'], ['S1-5.4.4-j', 'passed'], ['S1-5.4.4-k', 'passed']]);
    const planning = run.results.checks.find((c) => c.id === 'ui/planning-flow')!;
    expect(planning.clauses).toEqual(expect.arrayContaining(['S1-5.4.4-f', 'S1-5.4.4-j', 'S1-5.4.4-k']));
    expect(planning.data?.dispatchFieldError).toBeTruthy();
    expect(planning.data?.firmed).toBeTruthy();
    expect(run.exitCode).toBe(0);
    const flow = run.results.checks.find((c) => c.id === 'ui/console-flow')!;
    expect(flow.data?.fieldError).toBeTruthy();
    const board = run.results.checks.find((c) => c.id === 'ui/board-live')!;
    expect(board.data?.boardUpdateMs).toBeLessThanOrEqual(10_000);
    const production = run.results.checks.find((c) => c.id === 'ui/production-flow')!;
    expect(production.data?.orderFieldError).toBeTruthy();
    expect(production.data?.reportFieldError).toBeTruthy();
    const equipment = run.results.checks.find((c) => c.id === 'ui/equipment-flow')!;
    expect(equipment.data?.wallUpdateMs).toBeLessThanOrEqual(10_000);
    expect(equipment.data?.machineFieldError).toBeTruthy();
    expect(equipment.data?.alarmRuleFieldError).toBe('不是本设备的测点');
    const quality = run.results.checks.find((c) => c.id === 'ui/quality-flow')!;
    expect(quality.data?.resultFieldError).toBeTruthy();
    expect(quality.data?.dispositionFieldError).toBeTruthy();
    const setup = run.results.checks.find((c) => c.id === 'ui/quality-setup')!;
    expect(setup.data?.standardFieldError).toBeTruthy();
    expect(setup.data?.reviewed).toMatchObject({ judgement: 'good' });
    expect(setup.data?.standardFieldErrorEn).toBeTruthy();
    const trace = run.results.checks.find((c) => c.id === 'ui/trace-flow')!;
    expect(trace.data?.serialNode).toContain((trace.data?.serial as { serialNo: string }).serialNo);
    const kanban = run.results.checks.find((c) => c.id === 'ui/workshop-kanban')!;
    expect(kanban.clauses).toContain('S1-5.4.4-l');
    expect(kanban.data?.kanbanUpdateMs).toBeLessThanOrEqual(10_000);
    const lineOrders = kanban.data?.lineOrders as Record<string, string>;
    expect(kanban.data?.lineShown).toEqual([lineOrders['UI-L2']]);
    const verified = await verifyBundle(run.bundle);
    expect(verified.ok).toBe(true);
    const files = execFileSync('tar', ['-tzf', run.bundle], { encoding: 'utf8' }).split('\n');
    expect(files.filter((f) => /\/ui\/screenshots\/\d+-[a-z-]+\.png$/.test(f)).length).toBeGreaterThanOrEqual(24);
    expect(files.some((f) => f.endsWith('/ui/browser-console.log'))).toBe(true);
    expect((await readBundleResults(run.bundle)).verdict).toBe('passed');
  });

  it('the console page allows scripts from its origin only and style elements only with its response\'s nonce, fresh each time', async () => {
    const page = async () => {
      const res = await fetch(`${t.url}/`, { headers: { accept: 'text/html' } });
      const html = await res.text();
      return { csp: res.headers.get('content-security-policy') ?? '', nonce: /<meta name="csp-nonce" content="([^"]+)"/.exec(html)?.[1] };
    };
    const [a, b] = [await page(), await page()];
    expect(a.nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(a.csp).toContain(`style-src 'self' 'nonce-${a.nonce}'`);
    expect(a.csp).toContain("script-src 'self';");
    expect(a.csp).not.toContain('unsafe-inline');
    expect(b.nonce).not.toBe(a.nonce);
  });
});
