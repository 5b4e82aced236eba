/**
 * Fault diagnosis (S1-6.1-f, S1-5.3.6): three faults, each a chaos experiment. The database is
 * stopped; the connection pool is exhausted (an outside session locks a table the requests read
 * and more requests than the pool holds are fired); the event loop is blocked. For each, the suite
 * measures how long until /v1/diagnostics names the failing component with a repair hint and
 * /readyz is false, checks that every error a client received carries a `code` and a `traceId`,
 * removes the fault and measures how long until the replica is ready and serving again by itself.
 *
 * Stopping a database is not something a conformance run may do to the one the platform under test
 * uses, so the drill runs on a platform of its own: a private PostgreSQL cluster (PostgresInstance)
 * and a one-replica LocalPlatform on it, with the chaos agent and a small pool. It therefore needs
 * `--platform local`; on Kubernetes it is unavailable (the drill needs control of the database:
 * run runbooks/incident-fault-diagnosis.md by hand).
 */
import { LocalPlatform, PostgresInstance, findPostgresBinDir, type Replica } from '@mes/platform';
import { HttpTarget, type HttpResponse } from '../../http.js';
import type { Check, CheckContext, ResolvedConfig, Suite, SuiteContext, SuitePlan } from '../../types.js';
import { needsPlatform, runExperiment, sleep, waitUntil, type Probe } from './experiment.js';

const CLAUSES = ['S1-6.1-f', 'S1-5.3.6'];

export interface DiagnosisSettings {
  /** MES_DB_POOL_SIZE of the drill's replica: small, so a handful of requests exhausts it. */
  poolSize: number;
  /** Requests beyond the pool size fired at the locked table. */
  extraRequests: number;
  /** From the fault until diagnostics names the component and readiness is false. */
  diagnosisBoundMs: number;
  /** From the fault's removal until the replica is ready and serving again. */
  recoveryBoundMs: number;
  /** How long the event loop is blocked. */
  blockMs: number;
  /**
   * How long the pool drill waits for the queued requests' answers before it removes the fault:
   * the server's pool timeout (15 s) and a margin.
   */
  queuedAnswerBoundMs: number;
  pollMs: number;
}

export const DIAGNOSIS_PROFILES: Record<'short' | 'full', DiagnosisSettings> = {
  short: { poolSize: 3, extraRequests: 3, diagnosisBoundMs: 10_000, recoveryBoundMs: 30_000, blockMs: 3000, queuedAnswerBoundMs: 25_000, pollMs: 250 },
  full: { poolSize: 3, extraRequests: 8, diagnosisBoundMs: 10_000, recoveryBoundMs: 60_000, blockMs: 5000, queuedAnswerBoundMs: 25_000, pollMs: 250 },
};

/** The profile's settings, with `--config`'s `resilience.diagnosis` merged in when present. */
export function diagnosisSettings(config: ResolvedConfig): DiagnosisSettings {
  const resilience = config.resilience as ResolvedConfig['resilience'] & { diagnosis?: Partial<DiagnosisSettings> };
  return { ...DIAGNOSIS_PROFILES[resilience?.profile ?? 'short'], ...resilience?.diagnosis };
}

export const diagnosisSuite: Suite = {
  id: 'diagnosis',
  title: 'Fault diagnosis: database stopped, pool exhausted, event loop blocked: diagnosed within a bound, recovered by itself',
  proves: CLAUSES,
  unavailable(config) {
    const noPlatform = needsPlatform(config);
    if (noPlatform) return noPlatform;
    if (config.platform !== 'local') {
      return 'needs control of the database, which a Kubernetes driver does not have: run runbooks/incident-fault-diagnosis.md by hand against the cluster';
    }
    try {
      findPostgresBinDir();
    } catch (err) {
      return `needs PostgreSQL server binaries for a private cluster: ${(err as Error).message}`;
    }
    return undefined;
  },
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const settings = diagnosisSettings(ctx.config);
    const drill = await Drill.start(settings, ctx.log);
    return {
      checks: [databaseStopped(ctx, drill), poolExhausted(ctx, drill), eventLoopBlocked(ctx, drill)],
      // Runs after the checks, whatever they did: the drill's platform and cluster go away.
      external: async () => {
        await drill.close();
        return [];
      },
      notes: () => ({ drill: drill.describe(), settings }),
    };
  },
};

// --- the drill's own platform ---------------------------------------------------------------

interface ClientOutcome {
  atMs: number;
  method: string;
  path: string;
  status?: number;
  code?: string;
  traceId?: string;
  /** No HTTP answer within the client's timeout, or the connection failed. */
  error?: string;
}

/** A private PostgreSQL cluster and a one-replica local platform on it, for the three experiments. */
class Drill {
  private started = performance.now();

  private constructor(
    readonly settings: DiagnosisSettings,
    readonly postgres: PostgresInstance,
    readonly platform: LocalPlatform,
    readonly key: string,
    private readonly log: (m: string) => void,
  ) {}

  static async start(settings: DiagnosisSettings, log: (m: string) => void): Promise<Drill> {
    const postgres = await PostgresInstance.create();
    log(`private PostgreSQL on 127.0.0.1:${postgres.port} (${postgres.dataDir})`);
    let platform: LocalPlatform | undefined;
    try {
      platform = await LocalPlatform.start({
        databaseUrl: postgres.url,
        replicas: 1,
        chaos: true,
        env: { MES_DB_POOL_SIZE: String(settings.poolSize), MES_LOG_LEVEL: 'warn' },
      });
      if (!platform.bootstrapApiKey) throw new Error('the drill replica printed no admin key on its empty database');
      log(`drill platform at ${platform.url}, one replica, pool ${settings.poolSize}`);
      return new Drill(settings, postgres, platform, platform.bootstrapApiKey, log);
    } catch (err) {
      await platform?.close().catch(() => {});
      await postgres.destroy().catch(() => {});
      throw err;
    }
  }

  describe() {
    return { postgres: { port: this.postgres.port, running: this.postgres.isRunning }, platform: this.platform.url, poolSize: this.settings.poolSize };
  }

  async close(): Promise<void> {
    await this.platform.close().catch((err) => this.log(`closing the drill platform: ${(err as Error).message}`));
    await this.postgres.destroy();
  }

  /** The replica (the one in the drill; a replacement if it was replaced). */
  async replica(): Promise<Replica> {
    const live = (await this.platform.replicas()).filter((r) => r.phase !== 'exited' && r.phase !== 'draining');
    if (!live[0]?.url) throw new Error('the drill platform has no live replica');
    return live[0];
  }

  private async on(timeoutMs: number): Promise<HttpTarget> {
    return new HttpTarget((await this.replica()).url!, timeoutMs);
  }

  /** GET /readyz on the replica: its status and code, or why there was no answer. */
  async readiness(timeoutMs = 2000): Promise<{ ready: boolean; status?: number; code?: string; error?: string }> {
    try {
      const res = await (await this.on(timeoutMs)).request('GET', '/readyz');
      return { ready: res.status === 200, status: res.status, code: res.json?.code };
    } catch (err) {
      return { ready: false, error: (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message };
    }
  }

  /** GET /v1/diagnostics on the replica, with how long it took. */
  async diagnostics(timeoutMs = 5000): Promise<{ status?: number; ms: number; checks: DiagnosticCheck[]; error?: string }> {
    const t0 = performance.now();
    try {
      const res = await (await this.on(timeoutMs)).request('GET', '/v1/diagnostics', { key: this.key });
      return { status: res.status, ms: Math.round(res.ms), checks: res.status === 200 ? res.json.checks : [] };
    } catch (err) {
      return { ms: Math.round(performance.now() - t0), checks: [], error: (err as Error).message };
    }
  }

  /** A client request through the front, as an outcome (never throws). */
  async client(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<ClientOutcome> {
    const atMs = Math.round(performance.now() - this.started);
    try {
      const headers = method === 'POST' ? { 'idempotency-key': `diag-${atMs}-${Math.random().toString(36).slice(2)}` } : undefined;
      const res: HttpResponse = await new HttpTarget(this.platform.url, timeoutMs).request(method, path, { key: this.key, body, headers });
      return { atMs, method, path, status: res.status, code: res.json?.code, traceId: res.json?.traceId };
    } catch (err) {
      return { atMs, method, path, error: (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message };
    }
  }

  /** Polls until the replica is ready, a tenant read through the front succeeds and `checks` are not failing. */
  async recovery(checks: string[]): Promise<{ recovered: boolean; ms: number; diagnostics?: Record<string, string> }> {
    let last: Record<string, string> | undefined;
    const waited = await waitUntil(async () => {
      if (!(await this.readiness()).ready) return false;
      if ((await this.client('GET', '/v1/materials')).status !== 200) return false;
      const report = await this.diagnostics();
      last = Object.fromEntries(checks.map((name) => [name, report.checks.find((c) => c.name === name)?.status ?? 'missing']));
      return Object.values(last).every((s) => s === 'ok' || s === 'warn');
    }, this.settings.recoveryBoundMs, this.settings.pollMs);
    return { recovered: waited.value === true, ms: waited.ms, diagnostics: last };
  }
}

interface DiagnosticCheck {
  name: string;
  component: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  hint: string;
}

/** What the clients saw: answers by status and code, and the failures that lack a code or a trace id. */
function clientSummary(outcomes: ClientOutcome[]) {
  const byCode: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.error ? 'no answer' : o.status! < 400 ? String(o.status) : `${o.status} ${o.code ?? '(no code)'}`;
    byCode[key] = (byCode[key] ?? 0) + 1;
  }
  const failures = outcomes.filter((o) => o.status !== undefined && o.status >= 400);
  return {
    requests: outcomes.length,
    byCode,
    failures: failures.length,
    withoutCodeOrTraceId: failures.filter((o) => !o.code || !o.traceId).length,
    internalErrors: failures.filter((o) => o.status === 500).length,
  };
}

type ClientSummary = ReturnType<typeof clientSummary>;

// --- shared probes --------------------------------------------------------------------------

function servingProbe(drill: Drill): Probe {
  return {
    name: 'the drill replica is ready, a tenant read through the front answers 200, diagnostics has no failing database check',
    measure: async () => {
      const [ready, read, report] = [await drill.readiness(), await drill.client('GET', '/v1/materials'), await drill.diagnostics()];
      const failing = report.checks.filter((c) => c.component === 'database' && c.status === 'fail').map((c) => c.name);
      return { ready: ready.ready, read: read.status, diagnostics: report.status, failing };
    },
    tolerance: (v: { ready: boolean; read?: number; diagnostics?: number; failing: string[] }) =>
      v.ready && v.read === 200 && v.diagnostics === 200 && v.failing.length === 0 ? undefined : `not serving before the fault: ${JSON.stringify(v)}`,
  };
}

function boundProbe(name: string, measured: () => { ms?: number; detail?: unknown }, boundMs: number): Probe {
  return {
    name,
    measure: async () => measured(),
    tolerance: (v: { ms?: number; detail?: unknown }) => (v.ms !== undefined && v.ms <= boundMs ? undefined : `not within ${boundMs} ms: ${JSON.stringify(v)}`),
  };
}

function clientErrorsProbe(summary: () => ClientSummary | undefined, expectCode?: string): Probe {
  return {
    name: `every error a client received carries a code and a traceId, none is a 500${expectCode ? `, and clients saw ${expectCode}` : ''}`,
    measure: async () => summary(),
    tolerance: (s?: ClientSummary) => {
      if (!s || s.failures === 0) return 'no client received an error during the fault: nothing to judge';
      if (s.withoutCodeOrTraceId > 0) return `${s.withoutCodeOrTraceId} of ${s.failures} errors lack a code or a traceId`;
      if (s.internalErrors > 0) return `${s.internalErrors} errors were 500s`;
      if (expectCode && !Object.keys(s.byCode).some((k) => k.endsWith(` ${expectCode}`))) return `no client saw ${expectCode}: ${JSON.stringify(s.byCode)}`;
      return undefined;
    },
  };
}

function recoveryProbe(recovery: () => { recovered: boolean; ms: number } | undefined, boundMs: number): Probe {
  return {
    name: `recovered by itself within ${boundMs} ms of the fault's removal (ready, serving, diagnostics clear)`,
    measure: async () => recovery(),
    tolerance: (r?: { recovered: boolean; ms: number }) => (r?.recovered ? undefined : `not recovered: ${JSON.stringify(r)}`),
  };
}

/**
 * Polls every pollMs until `done` holds or the bound passes. Each round also fires a client read
 * through the front without waiting for it (its outcome lands in `pending`), so the clients' view
 * is sampled across the whole fault without slowing the polling down.
 */
async function observe(drill: Drill, pending: Promise<ClientOutcome>[], boundMs: number, clientTimeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  await waitUntil(async () => {
    pending.push(drill.client('GET', '/v1/materials', undefined, clientTimeoutMs));
    return done();
  }, boundMs, drill.settings.pollMs);
}

const since = (t0: number) => Math.round(performance.now() - t0);

/** What an experiment saw during its fault. */
interface Seen {
  /** From the fault to diagnostics naming the component with a hint. */
  diagnosedMs?: number;
  check?: DiagnosticCheck;
  /** From the fault to readiness false. */
  unreadyMs?: number;
  readiness?: unknown;
  /** How long each diagnostics request took during the fault. */
  diagnosticsMs: number[];
}

function recordSeen(ctx: CheckContext, seen: Seen, outcomes: ClientOutcome[], summary: ClientSummary | undefined, recovery: { recovered: boolean; ms: number } | undefined): void {
  ctx.record('diagnosedMs', seen.diagnosedMs ?? null);
  ctx.record('unreadyMs', seen.unreadyMs ?? null);
  ctx.record('diagnosticsAnswerMs', seen.diagnosticsMs);
  ctx.record('diagnosis', seen.check ?? null);
  ctx.record('clients', summary ?? clientSummary(outcomes));
  ctx.record('recoveryMs', recovery?.recovered ? recovery.ms : null);
}

// --- the experiments ------------------------------------------------------------------------

function databaseStopped(sctx: SuiteContext, drill: Drill): Check {
  return {
    id: 'diagnosis/database-stopped',
    title: 'S1-6.1-f S1-5.3.6: PostgreSQL stopped: diagnostics names the database with a hint and readiness is false within the bound, client errors carry codes and trace ids, recovery by itself after the restart',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const cfg = drill.settings;
      const outcomes: ClientOutcome[] = [];
      const seen: Seen = { diagnosticsMs: [] };
      let recovery: Awaited<ReturnType<Drill['recovery']>> | undefined;
      let summary: ClientSummary | undefined;
      ctx.record('settings', cfg);
      try {
        await runExperiment(ctx, {
          title: 'stop the drill database (pg_ctl stop -m fast), then start it again',
          steadyState: [servingProbe(drill)],
          method: [
            {
              name: 'stop PostgreSQL (fast: every session is terminated)',
              run: async () => {
                const pending: Promise<ClientOutcome>[] = [];
                const t0 = performance.now();
                await drill.postgres.stop('fast');
                await observe(drill, pending, cfg.diagnosisBoundMs, 10_000, async () => {
                  const ready = await drill.readiness();
                  if (seen.unreadyMs === undefined && ready.code === 'DATABASE_UNAVAILABLE') {
                    seen.unreadyMs = since(t0);
                    seen.readiness = ready;
                  }
                  const report = await drill.diagnostics();
                  seen.diagnosticsMs.push(report.ms);
                  const db = report.checks.find((c) => c.name === 'database');
                  if (seen.diagnosedMs === undefined && db?.status === 'fail' && db.hint) {
                    seen.diagnosedMs = since(t0);
                    seen.check = db;
                  }
                  return seen.unreadyMs !== undefined && seen.diagnosedMs !== undefined;
                });
                // A write during the outage too: a 503 with a code, never a 500 or a half-done write.
                pending.push(drill.client('POST', '/v1/units', { code: 'DRILL', name: 'drill unit', decimals: 0 }));
                outcomes.push(...(await Promise.all(pending)));
                summary = clientSummary(outcomes);
                return { ...seen, clients: summary };
              },
            },
            {
              name: 'start PostgreSQL again and wait for the replica to recover by itself',
              run: async () => {
                await drill.postgres.start();
                return (recovery = await drill.recovery(['database', 'databasePool']));
              },
            },
          ],
          after: [
            boundProbe(`diagnostics names the database with a hint within ${cfg.diagnosisBoundMs} ms`, () => ({ ms: seen.diagnosedMs, detail: seen.check }), cfg.diagnosisBoundMs),
            boundProbe(`readiness is 503 DATABASE_UNAVAILABLE within ${cfg.diagnosisBoundMs} ms`, () => ({ ms: seen.unreadyMs, detail: seen.readiness }), cfg.diagnosisBoundMs),
            clientErrorsProbe(() => summary),
            recoveryProbe(() => recovery, cfg.recoveryBoundMs),
          ],
          rollbacks: [{ name: 'make sure the drill database runs', run: () => drill.postgres.start() }],
        });
      } finally {
        recordSeen(ctx, seen, outcomes, summary, recovery);
        await sctx.writeEvidence('resilience/diagnosis-database-stopped.json', JSON.stringify(outcomes, null, 1));
      }
    },
  };
}

function poolExhausted(sctx: SuiteContext, drill: Drill): Check {
  return {
    id: 'diagnosis/pool-exhausted',
    title: 'S1-6.1-f S1-5.3.6: connection pool exhausted by a held lock: diagnostics (still answering) names the pool and the blocking session, readiness is false within the bound, client errors carry codes and trace ids, recovery by itself when the lock goes',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const cfg = drill.settings;
      const outcomes: ClientOutcome[] = [];
      const seen: Seen & { lockPid?: number } = { diagnosticsMs: [] };
      const pending: Promise<ClientOutcome>[] = [];
      const answered: ClientOutcome[] = [];
      let lock: Awaited<ReturnType<PostgresInstance['lockTable']>> | undefined;
      let recovery: Awaited<ReturnType<Drill['recovery']>> | undefined;
      let summary: ClientSummary | undefined;
      const burstSize = cfg.poolSize + cfg.extraRequests;
      // Long enough for the server's pool timeout (15 s) to answer the queued requests.
      const clientTimeoutMs = cfg.queuedAnswerBoundMs + cfg.diagnosisBoundMs;
      const fire = () => {
        const p = drill.client('GET', '/v1/materials', undefined, clientTimeoutMs).then((o) => (answered.push(o), o));
        pending.push(p);
      };
      ctx.record('settings', cfg);
      try {
        await runExperiment(ctx, {
          title: `an outside session locks materials; ${burstSize} concurrent reads of it against a pool of ${cfg.poolSize}`,
          steadyState: [servingProbe(drill)],
          method: [
            {
              name: `lock materials from an outside session and fire ${burstSize} reads of it`,
              run: async () => {
                const t0 = performance.now();
                lock = await drill.postgres.lockTable('materials');
                seen.lockPid = lock.pid;
                for (let i = 0; i < burstSize; i++) fire();
                await waitUntil(async () => {
                  const ready = await drill.readiness();
                  if (seen.unreadyMs === undefined && ready.code === 'DATABASE_POOL_EXHAUSTED') {
                    seen.unreadyMs = since(t0);
                    seen.readiness = ready;
                  }
                  const report = await drill.diagnostics();
                  seen.diagnosticsMs.push(report.ms);
                  const pool = report.checks.find((c) => c.name === 'databasePool');
                  if (seen.diagnosedMs === undefined && pool?.status === 'fail' && pool.hint.includes('MES_DB_POOL_SIZE')) {
                    seen.diagnosedMs = since(t0);
                    seen.check = pool;
                  }
                  return seen.unreadyMs !== undefined && seen.diagnosedMs !== undefined;
                }, cfg.diagnosisBoundMs, cfg.pollMs);
                fire(); // one more, after the replica left the rotation: what a new client gets
                return { lockPid: lock.pid, ...seen };
              },
            },
            {
              name: 'hold the lock until the requests queued for a connection are answered (the pool timeout)',
              run: async () => {
                const t0 = performance.now();
                const waited = await waitUntil(async () => answered.length > cfg.extraRequests, cfg.queuedAnswerBoundMs, cfg.pollMs);
                return { waitedMs: since(t0), answered: answered.length, of: pending.length, inTime: waited.value === true };
              },
            },
            {
              name: 'release the lock and wait for the replica to recover by itself',
              run: async () => {
                await lock!.release();
                outcomes.push(...(await Promise.all(pending)));
                summary = clientSummary(outcomes);
                recovery = await drill.recovery(['database', 'databasePool']);
                return { clients: summary, recovery };
              },
            },
          ],
          after: [
            boundProbe(`diagnostics names the pool (with the waiting count and a hint) within ${cfg.diagnosisBoundMs} ms`, () => ({ ms: seen.diagnosedMs, detail: seen.check }), cfg.diagnosisBoundMs),
            {
              name: 'the hint names the session holding the lock',
              measure: async () => ({ lockPid: seen.lockPid, hint: seen.check?.hint }),
              tolerance: (v: { lockPid?: number; hint?: string }) => (v.hint?.includes(`pg_terminate_backend(${v.lockPid})`) ? undefined : `the hint does not name pid ${v.lockPid}: ${v.hint}`),
            },
            {
              name: 'diagnostics kept answering while the pool was exhausted, each within 5 s',
              measure: async () => seen.diagnosticsMs,
              tolerance: (ms: number[]) => (ms.length > 0 && ms.every((m) => m < 5000) ? undefined : `answer times ${JSON.stringify(ms)}`),
            },
            boundProbe(`readiness is 503 DATABASE_POOL_EXHAUSTED within ${cfg.diagnosisBoundMs} ms`, () => ({ ms: seen.unreadyMs, detail: seen.readiness }), cfg.diagnosisBoundMs),
            clientErrorsProbe(() => summary, 'DATABASE_POOL_EXHAUSTED'),
            recoveryProbe(() => recovery, cfg.recoveryBoundMs),
          ],
          rollbacks: [{ name: 'release the lock', run: async () => lock?.release() }],
        });
      } finally {
        if (!summary) outcomes.push(...answered);
        recordSeen(ctx, seen, outcomes, summary, recovery);
        ctx.record('lockPid', seen.lockPid ?? null);
        await sctx.writeEvidence('resilience/diagnosis-pool-exhausted.json', JSON.stringify(outcomes, null, 1));
      }
    },
  };
}

function eventLoopBlocked(sctx: SuiteContext, drill: Drill): Check {
  return {
    id: 'diagnosis/event-loop-blocked',
    title: 'S1-6.1-f S1-5.3.6: event loop blocked: readiness false during the block, diagnostics names the event loop with a hint right after it, client errors carry codes and trace ids, recovery by itself',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const cfg = drill.settings;
      const outcomes: ClientOutcome[] = [];
      const seen: Seen & { leftRotationMs?: number } = { diagnosticsMs: [] };
      let recovery: Awaited<ReturnType<Drill['recovery']>> | undefined;
      let summary: ClientSummary | undefined;
      const patience = cfg.blockMs + cfg.diagnosisBoundMs;
      ctx.record('settings', cfg);
      try {
        await runExperiment(ctx, {
          title: `block the replica's event loop for ${cfg.blockMs} ms`,
          steadyState: [servingProbe(drill)],
          method: [
            {
              name: `block the event loop for ${cfg.blockMs} ms (chaos agent, SIGUSR2)`,
              run: async () => {
                const replica = await drill.replica();
                await drill.diagnostics(); // a report resets the delay histogram: start from a clean one
                await sleep(200); // and let it tick, so the block lands in a measured interval
                const pending: Promise<ClientOutcome>[] = [];
                let report: ReturnType<Drill['diagnostics']> | undefined;
                const t0 = performance.now();
                await drill.platform.blockEventLoop(replica.id, cfg.blockMs);
                await observe(drill, pending, patience, patience, async () => {
                  const ready = await drill.readiness(1000);
                  if (seen.unreadyMs === undefined && !ready.ready) {
                    seen.unreadyMs = since(t0);
                    seen.readiness = ready;
                    // Surely blocked now: asked during the block, answered after it, the report sees it all.
                    report = drill.diagnostics(patience);
                  }
                  const r = (await drill.platform.replicas()).find((x) => x.id === replica.id);
                  if (seen.leftRotationMs === undefined && r && !r.inRotation) seen.leftRotationMs = since(t0);
                  return since(t0) >= cfg.blockMs;
                });
                // A report asked before the block began would have missed it: the next one sees it.
                for (const next of [report, undefined]) {
                  const r = await (next ?? drill.diagnostics(patience));
                  seen.diagnosticsMs.push(r.ms);
                  const loop = r.checks.find((c) => c.name === 'eventLoop');
                  if (loop?.status === 'fail' && loop.hint) {
                    seen.diagnosedMs = since(t0);
                    seen.check = loop;
                    break;
                  }
                }
                outcomes.push(...(await Promise.all(pending)));
                summary = clientSummary(outcomes);
                return { ...seen, clients: summary };
              },
            },
            { name: 'wait for the replica to recover by itself', run: async () => (recovery = await drill.recovery(['eventLoop'])) },
          ],
          after: [
            boundProbe(`diagnostics names the event loop with a hint within ${patience} ms of the block's start`, () => ({ ms: seen.diagnosedMs, detail: seen.check }), patience),
            boundProbe(`readiness is false (no answer within 1 s) within ${cfg.diagnosisBoundMs} ms`, () => ({ ms: seen.unreadyMs, detail: seen.readiness }), cfg.diagnosisBoundMs),
            {
              name: 'every error a client received carries a code and a traceId, none is a 500',
              measure: async () => summary,
              tolerance: (s?: ClientSummary) => (!s ? 'no client outcome' : s.withoutCodeOrTraceId + s.internalErrors > 0 ? `errors without code/traceId or 500s: ${JSON.stringify(s.byCode)}` : undefined),
            },
            recoveryProbe(() => recovery, cfg.recoveryBoundMs),
          ],
          rollbacks: [],
        });
      } finally {
        recordSeen(ctx, seen, outcomes, summary, recovery);
        ctx.record('leftRotationMs', seen.leftRotationMs ?? null);
        await sctx.writeEvidence('resilience/diagnosis-event-loop-blocked.json', JSON.stringify(outcomes, null, 1));
      }
    },
  };
}
