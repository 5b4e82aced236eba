/**
 * `mes conformance run --platform local`: the command starts its own local platform on the given
 * PostgreSQL database, runs against its front with the bootstrap key, and stops every replica
 * afterwards, also when interrupted. Usage errors say what to pass. The suites' verdicts in depth
 * are conformance/test/resilience.test.ts; here the failover drill runs alone (--suites) with short
 * windows.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../server/test/harness.js';
import { alive, killAll, mes, start, tempDir, within } from './helpers.js';

let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let tmp: { dir: string; remove(): void };
let config: string;

/** Processes whose parent is `pid` (the replicas the CLI spawned). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so split after its closing parenthesis.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}
/** A leftover process, named by its command line so a failure says what was left. */
const describeProcess = (pid: number) => {
  try {
    return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
  } catch {
    return `${pid}: (gone)`;
  }
};
/** Polls the CLI's children until the run ends: every replica it ever had. */
function watchChildren(pid: number, until: Promise<unknown>): Set<number> {
  const seen = new Set<number>();
  let done = false;
  void until.finally(() => (done = true));
  void (async () => {
    for (let i = 0; i < 2000 && !done; i++) {
      for (const c of childrenOf(pid)) seen.add(c);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return seen;
}

beforeAll(async () => {
  db = await freshPostgresDatabase();
  tmp = tempDir('mes-cli-conformance-platform-');
  config = path.join(tmp.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ resilience: { failover: { rate: 20, baselineMs: 1000, windowMs: 4000, replacementBoundMs: 60_000 } } }));
});
afterAll(async () => {
  await killAll();
  await db?.drop();
  tmp?.remove();
});

describe('mes conformance run --platform', () => {
  it('usage errors exit 2 and say what to pass', async () => {
    const noDb = await mes(['conformance', 'run', '--profile', 'platform', '--platform', 'local']);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain('--platform local needs --database postgres://');
    const noTarget = await mes(['conformance', 'run', '--profile', 'core']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('pass --target <url>');
    const k8s = await mes(['conformance', 'run', '--profile', 'platform', '--platform', 'kubernetes', '--namespace', 'mes']);
    expect(k8s.code).toBe(2);
    expect(k8s.stderr).toContain('--deployment <name>, --target <the Service or Ingress URL clients use>');
    const kubeconfig = await mes(['conformance', 'run', '--profile', 'platform', '--platform', 'kubernetes', '--kubeconfig', path.join(tmp.dir, 'no-such-kubeconfig'), '--namespace', 'mes', '--deployment', 'mes', '--target', 'http://127.0.0.1:9', '--api-key', 'mes_x']);
    expect(kubeconfig.code).toBe(2);
    expect(kubeconfig.stderr).toContain('--platform kubernetes: cannot load the kubeconfig');
    const suite = await mes(['conformance', 'run', '--profile', 'core', '--suites', 'failover', '--target', 'http://127.0.0.1:9']);
    expect(suite.code).toBe(2);
    expect(suite.stderr).toContain('--suites failover: not in the core profile');
  });

  it('S1-6.1-g S1-5.3.7-a S1-5.3.7-b: --platform local --database --replicas 2 starts the platform, runs the failover drill through its front with the bootstrap key, and stops every replica', async () => {
    const out = path.join(tmp.dir, 'evidence');
    const run = start(['conformance', 'run', '--profile', 'platform', '--suites', 'failover', '--platform', 'local', '--database', db.url, '--replicas', '2', '--resilience', 'short', '--config', config, '--seed', '3', '--out', out, '--signing-key', path.join(tmp.dir, 'key.pem'), '--json']);
    const replicas = watchChildren(run.child.pid!, run.exited);
    const exit = await within(run.exited, 150_000, 'mes conformance run --platform local');
    const { stdout, stderr } = run.out();
    expect(exit.code, stderr.slice(-4000)).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.platform).toMatchObject({ kind: 'local', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const status = Object.fromEntries(json.clauses.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(status).toMatchObject({ 'S1-6.1-g': 'passed', 'S1-5.3.7-a': 'passed', 'S1-5.3.7-b': 'passed', 'S1-6.1-d': 'unknown' });
    expect(json.verdict).toBe('incomplete');
    expect(stderr).toMatch(/starting a local platform: 2 replicas/);
    expect(stderr).toContain('stopping the local platform');
    // The replicas (and the killed one's replacement) were this process's children, and none is left.
    expect(replicas.size).toBeGreaterThanOrEqual(3);
    expect([...replicas].filter(alive).map(describeProcess)).toEqual([]);
  });

  it('SIGINT while running stops the platform: no replica is left', async () => {
    const db2 = await freshPostgresDatabase();
    try {
      await interrupted(db2.url);
    } finally {
      await db2.drop();
    }
  });
});

/** Starts a run on a fresh database (so the bootstrap key is printed), interrupts it once the platform is up. */
async function interrupted(database: string) {
  const run = start(['conformance', 'run', '--profile', 'platform', '--platform', 'local', '--database', database, '--replicas', '1', '--out', tmp.dir, '--signing-key', path.join(tmp.dir, 'key.pem')]);
  const replicas = watchChildren(run.child.pid!, run.exited);
  for (let i = 0; i < 600 && !run.out().stderr.includes('local platform ready'); i++) await new Promise((r) => setTimeout(r, 100));
  expect(run.out().stderr).toContain('local platform ready');
  await new Promise((r) => setTimeout(r, 300));
  run.child.kill('SIGINT');
  const exit = await within(run.exited, 30_000, 'mes conformance run after SIGINT');
  expect(exit.code).toBe(130);
  expect(run.out().stderr).toContain('interrupted: stopping the platform');
  expect(replicas.size).toBeGreaterThanOrEqual(1);
  expect([...replicas].filter(alive).map(describeProcess)).toEqual([]);
}
