/**
 * The diagnosis suite (S1-6.1-f, S1-5.3.6) through runConformance with --platform local: it starts
 * its own private PostgreSQL and one-replica platform, stops the database, exhausts the pool and
 * blocks the event loop, and records how long diagnosis and recovery took. The platform under
 * test here is one replica over a fresh database on the shared PostgreSQL, which the drill never
 * touches.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalPlatform } from '@mes/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../server/test/harness.js';
import { openBundle, runConformance, verifyBundle, type CheckResult, type RunOutcome } from '../src/index.js';
import { DIAGNOSIS_PROFILES } from '../src/suites/resilience/diagnosis.js';
import { budget } from '../../vitest.shared.js';

const SHORT = DIAGNOSIS_PROFILES.short;
let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let platform: LocalPlatform;
let dir: string;
let run: RunOutcome;

const check = (id: string): CheckResult & { data: Record<string, any> } => {
  const c = run.results.checks.find((x) => x.id === id);
  expect(c, `no check ${id}`).toBeDefined();
  expect(c!.status, `${c!.id}: ${c!.message}\n${JSON.stringify(c!.data?.experiment ?? c!.data, null, 1).slice(0, 4000)}`).toBe('passed');
  return c as CheckResult & { data: Record<string, any> };
};

beforeAll(async () => {
  db = await freshPostgresDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'mes-diagnosis-test-'));
  platform = await LocalPlatform.start({ databaseUrl: db.url, replicas: 1, env: { MES_LOG_LEVEL: 'warn' } });
  run = await runConformance({
    apiKey: platform.bootstrapApiKey!,
    profile: 'platform',
    platform,
    suites: ['diagnosis'],
    seed: 6,
    outDir: dir,
    signingKey: path.join(dir, 'key.pem'),
    resilience: { profile: 'short' },
    onProgress: (m) => process.env.MES_TEST_VERBOSE && process.stderr.write(`${m}\n`),
  });
}, budget(170_000));

afterAll(async () => {
  await platform?.close();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('diagnosis suite, short profile, on its own PostgreSQL and one-replica platform', () => {
  it('S1-6.1-f S1-5.3.6: database stopped: diagnosed and readiness false within the bound, clients got 503 DATABASE_UNAVAILABLE with code and traceId, recovered by itself', () => {
    const d = check('diagnosis/database-stopped').data;
    expect(d.diagnosedMs).toBeLessThanOrEqual(SHORT.diagnosisBoundMs);
    expect(d.unreadyMs).toBeLessThanOrEqual(SHORT.diagnosisBoundMs);
    expect(d.diagnosis).toMatchObject({ name: 'database', status: 'fail' });
    expect(d.diagnosis.hint).toMatch(/pg_isready/);
    expect(d.clients.withoutCodeOrTraceId).toBe(0);
    expect(d.clients.internalErrors).toBe(0);
    expect(d.recoveryMs).toBeLessThanOrEqual(SHORT.recoveryBoundMs);
  });

  it('S1-6.1-f S1-5.3.6: pool exhausted: diagnostics kept answering and named the pool and the blocking session, clients got 503 DATABASE_POOL_EXHAUSTED, recovered by itself', () => {
    const d = check('diagnosis/pool-exhausted').data;
    expect(d.diagnosedMs).toBeLessThanOrEqual(SHORT.diagnosisBoundMs);
    expect(d.unreadyMs).toBeLessThanOrEqual(SHORT.diagnosisBoundMs);
    expect(d.diagnosis).toMatchObject({ name: 'databasePool', status: 'fail' });
    expect(d.diagnosis.hint).toContain(`pg_terminate_backend(${d.lockPid})`);
    expect(d.diagnosis.hint).toContain('MES_DB_POOL_SIZE');
    expect(d.clients.byCode['503 DATABASE_POOL_EXHAUSTED']).toBeGreaterThan(0);
    expect(d.clients.withoutCodeOrTraceId).toBe(0);
    expect(d.recoveryMs).toBeLessThanOrEqual(SHORT.recoveryBoundMs);
  });

  it('S1-6.1-f S1-5.3.6: event loop blocked: readiness false during the block, diagnostics named the event loop with a hint after it, recovered by itself', () => {
    const d = check('diagnosis/event-loop-blocked').data;
    expect(d.unreadyMs).toBeLessThanOrEqual(SHORT.diagnosisBoundMs);
    expect(d.diagnosedMs).toBeLessThanOrEqual(SHORT.blockMs + SHORT.diagnosisBoundMs);
    expect(d.diagnosis).toMatchObject({ name: 'eventLoop', status: 'fail' });
    expect(d.diagnosis.value).toBeGreaterThanOrEqual(SHORT.blockMs * 0.9);
    expect(d.diagnosis.hint).toMatch(/cpu-prof/);
    expect(d.recoveryMs).toBeLessThanOrEqual(SHORT.recoveryBoundMs);
  });

  it('S1-6.1-f S1-5.3.6: both clauses pass on the diagnosis checks alone, the client outcomes are in the verified bundle, the drill left nothing behind', async () => {
    const status = Object.fromEntries(run.results.clauses.map((c) => [c.id, c.status]));
    expect(status['S1-6.1-f']).toBe('passed');
    expect(status['S1-5.3.6']).toBe('passed');
    expect((await verifyBundle(run.bundle)).ok).toBe(true);
    const opened = await openBundle(run.bundle);
    try {
      for (const f of ['diagnosis-database-stopped.json', 'diagnosis-pool-exhausted.json', 'diagnosis-event-loop-blocked.json']) {
        expect(JSON.parse(readFileSync(path.join(opened.dir, 'resilience', f), 'utf8')).length, f).toBeGreaterThan(0);
      }
    } finally {
      opened.remove();
    }
    const drill = (run.results.suites as Record<string, any>).diagnosis.drill;
    expect(drill.postgres.running).toBe(false);
  });
});
