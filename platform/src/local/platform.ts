/**
 * The local driver: N server processes over one PostgreSQL database behind the local balancer,
 * supervised (a replica that dies unasked is replaced), scalable, upgraded one replica at a time
 * with an analysis window and automatic rollback, and optionally autoscaled by the HPA algorithm.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PlatformError, type AnalysisSample, type AutoscalerConfig, type AutoscalerState, type Platform, type ReleaseSpec, type Replica,
  type RolloutAnalysisConfig, type RolloutResult, type ScalingEvent,
} from '../types.js';
import { trackStarted } from '../cleanup.js';
import { DEFAULT_AUTOSCALER, LocalAutoscaler } from './autoscaler.js';
import { Balancer, DEFAULT_HEALTH_CHECK, type HealthCheckConfig, type RotationChange } from './balancer.js';
import { sleep } from '../loopback.js';
import { LocalReplica, type ExitInfo } from './replica.js';

export interface PlatformEvent {
  at: string;
  type: string;
  replica?: string;
  release?: string;
  message: string;
  [detail: string]: unknown;
}

/** A replica that died unasked and the one that took its place: the failover suite's downtime figure. */
export interface Replacement {
  replica: string;
  release: string;
  exitedAt: string;
  replacement?: string;
  readyAt?: string;
  /** From the exit to the replacement joining the rotation. */
  replacedAfterMs?: number;
}

export interface LocalPlatformOptions {
  /** postgres://…: the replicas share it (an embedded PGlite cannot be shared between processes). */
  databaseUrl: string;
  replicas: number;
  /** Default: @mes/server's dist/main.js, named by the server's version. */
  release?: ReleaseSpec;
  /** The front's address (default 127.0.0.1, port 0 = a free one). */
  host?: string;
  port?: number;
  /** Environment for every replica (MES_DB_POOL_SIZE…); a release's env overrides it. */
  env?: Record<string, string>;
  healthCheck?: Partial<HealthCheckConfig>;
  /** Defaults for upgrade() and rollback(); their own argument overrides it. */
  analysis?: Partial<RolloutAnalysisConfig>;
  autoscaler?: Partial<AutoscalerConfig> & Pick<AutoscalerConfig, 'minReplicas' | 'maxReplicas' | 'target'>;
  /** Load the chaos agent into every replica (blockEventLoop, MES_CHAOS_* knobs). */
  chaos?: boolean;
  /** Replica logs, one file per replica (default: a new temporary directory). */
  logDir?: string;
  /** How long start-up and scale-out wait for a replica to be ready (default 60 s). */
  startTimeoutMs?: number;
  /** SIGTERM grace before SIGKILL when draining (default 15 s). */
  drainTimeoutMs?: number;
  onEvent?(event: PlatformEvent): void;
}

export const DEFAULT_ANALYSIS: RolloutAnalysisConfig = { readinessTimeoutMs: 60_000, windowMs: 10_000, maxErrorRate: 0.05, minRequests: 20 };

const AGENT = fileURLToPath(new URL('../../dist/local/chaos-agent.js', import.meta.url));

/** @mes/server's entry script and version. */
export function serverRelease(): Required<Pick<ReleaseSpec, 'name' | 'entry'>> {
  const index = createRequire(import.meta.url).resolve('@mes/server');
  const dir = path.dirname(index);
  const pkg = JSON.parse(readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as { version: string };
  return { name: pkg.version, entry: path.join(dir, 'main.js') };
}

export class LocalPlatform implements Platform {
  readonly kind = 'local' as const;
  url = '';
  /** The admin API key the first replica printed on an empty database; undefined otherwise. */
  bootstrapApiKey?: string;
  readonly logDir: string;

  private readonly replicaMap = new Map<string, LocalReplica>();
  private readonly history: PlatformEvent[] = [];
  private readonly replaced: Replacement[] = [];
  private readonly balancer: Balancer;
  private readonly entry: string;
  private current: ReleaseSpec;
  private previous?: ReleaseSpec;
  private desired: number;
  private seq = 0;
  private closing = false;
  private closed?: Promise<void>;
  private untrack: () => void = () => {};
  /** Operations that change the replica set run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private busy = false;
  private rollout?: { min: number; surge: number };
  private scaler?: LocalAutoscaler;

  private constructor(private readonly opts: LocalPlatformOptions) {
    const server = serverRelease();
    this.entry = server.entry;
    this.current = { name: server.name, ...opts.release };
    this.desired = opts.replicas;
    this.logDir = opts.logDir ?? mkdtempSync(path.join(tmpdir(), 'mes-platform-'));
    mkdirSync(this.logDir, { recursive: true });
    this.balancer = new Balancer({ ...DEFAULT_HEALTH_CHECK, ...opts.healthCheck }, (c) => this.onRotation(c));
  }

  /** Starts the front and N replicas, and waits until all are ready. */
  static async start(opts: LocalPlatformOptions): Promise<LocalPlatform> {
    if (!/^postgres(ql)?:\/\//.test(opts.databaseUrl ?? '')) {
      throw new PlatformError('NEEDS_POSTGRES', 'replicas are separate processes and cannot share an embedded PGlite; pass --database postgres://…');
    }
    if (!Number.isInteger(opts.replicas) || opts.replicas < 1) throw new PlatformError('INVALID_REPLICAS', `replicas must be a whole number ≥ 1, got ${opts.replicas}`);
    const platform = new LocalPlatform(opts);
    platform.untrack = trackStarted({ stop: () => platform.close() });
    try {
      await platform.boot();
    } catch (err) {
      await platform.close();
      throw err;
    }
    return platform;
  }

  private async boot(): Promise<void> {
    this.url = await this.balancer.listen(this.opts.host ?? '127.0.0.1', this.opts.port ?? 0);
    this.emit({ type: 'platform_starting', message: `front at ${this.url}; starting ${this.desired} replica(s) of ${this.current.name}; replica logs in ${this.logDir}`, url: this.url, logDir: this.logDir });
    // The first replica alone: it migrates and bootstraps an empty database (and prints the key);
    // two replicas bootstrapping at once can collide on the default tenant.
    await this.bringUp(this.current, this.startTimeout);
    // The key line is written right after the listener opens; its pipe and our readiness probe race
    // by a hair. A short bounded wait (nothing comes on a database that was bootstrapped before).
    for (let i = 0; i < 5 && !this.bootstrapApiKey; i++) await sleep(50);
    await Promise.all(Array.from({ length: this.desired - 1 }, () => this.bringUp(this.current, this.startTimeout)));
    if (this.opts.autoscaler) this.startAutoscaler(this.opts.autoscaler);
    this.emit({ type: 'platform_ready', message: `${this.desired} replica(s) ready behind ${this.url}` });
  }

  // --- Platform interface ---------------------------------------------------------------------

  async release(): Promise<string> {
    return this.current.name;
  }

  async replicas(): Promise<Replica[]> {
    return [...this.replicaMap.values()].map((r) => r.toReplica());
  }

  async kill(replicaId: string): Promise<void> {
    const r = this.get(replicaId);
    this.emit({ type: 'replica_killed', replica: r.id, release: r.release.name, message: `SIGKILL ${r.id} (pid ${r.pid})`, pid: r.pid });
    await r.kill(false);
  }

  scale(replicas: number, timeoutMs = this.startTimeout): Promise<void> {
    if (!Number.isInteger(replicas) || replicas < 0) return Promise.reject(new PlatformError('INVALID_REPLICAS', `replicas must be a whole number ≥ 0, got ${replicas}`));
    return this.exclusive(() => this.scaleTo(replicas, timeoutMs));
  }

  async waitReady(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.readyOf(this.current.name) < count) {
      if (Date.now() >= deadline) {
        throw new PlatformError('NOT_READY', `${this.readyOf(this.current.name)} of ${count} replica(s) of ${this.current.name} ready after ${timeoutMs} ms`);
      }
      await sleep(50);
    }
  }

  upgrade(release: ReleaseSpec, analysis: Partial<RolloutAnalysisConfig> = {}): Promise<RolloutResult> {
    return this.exclusive(() => {
      // Replicas are told apart by release name: the same name twice would leave old ones running.
      if (release.name === this.current.name) throw new PlatformError('SAME_RELEASE', `the replicas already run ${release.name}; give the new release another name`);
      return this.roll(release, analysis);
    });
  }

  rollback(): Promise<RolloutResult> {
    return this.exclusive(() => {
      if (!this.previous) throw new PlatformError('NO_PREVIOUS_RELEASE', `${this.current.name} is the first release: there is nothing to roll back to`);
      return this.roll(this.previous, {});
    });
  }

  async autoscaler(): Promise<AutoscalerState | undefined> {
    return this.scaler?.snapshot();
  }

  async blockEventLoop(replicaId: string, ms: number): Promise<void> {
    const r = this.get(replicaId);
    if (!r.chaosLoaded) throw new PlatformError('CHAOS_NOT_LOADED', `${r.id} runs without the chaos agent; start the platform with chaos: true`);
    writeFileSync(this.controlFile(r.id), String(Math.round(ms)));
    this.emit({ type: 'chaos_block', replica: r.id, message: `blocking the event loop of ${r.id} for ${ms} ms`, ms });
    r.signal('SIGUSR2');
  }

  /** Stops every replica (out of rotation, then drained) and the front; a second call waits for the first. */
  close(): Promise<void> {
    return (this.closed ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    await this.scaler?.stop();
    const live = [...this.replicaMap.values()];
    for (const r of live) this.balancer.disable(r.id, 'platform closing');
    await Promise.all(live.map((r) => r.drain(this.drainTimeout)));
    await this.balancer.close();
    this.untrack();
    this.emit({ type: 'platform_stopped', message: `stopped ${live.length} replica(s) and the front` });
  }

  // --- what the suites put into evidence ------------------------------------------------------

  events(): PlatformEvent[] {
    return [...this.history];
  }

  replacements(): Replacement[] {
    return this.replaced.map((r) => ({ ...r }));
  }

  private emit(e: { type: string; message: string; replica?: string; release?: string; [detail: string]: unknown }): void {
    const event: PlatformEvent = { at: new Date().toISOString(), ...e };
    this.history.push(event);
    try {
      this.opts.onEvent?.(event);
    } catch {
      // a listener's failure must not break the platform
    }
  }

  // --- replicas -------------------------------------------------------------------------------

  private get startTimeout() {
    return this.opts.startTimeoutMs ?? 60_000;
  }

  private get drainTimeout() {
    return this.opts.drainTimeoutMs ?? 15_000;
  }

  private get(id: string): LocalReplica {
    const r = this.replicaMap.get(id);
    if (!r || r.exit) throw new PlatformError('NO_SUCH_REPLICA', `no running replica ${id}; running: ${[...this.replicaMap.keys()].join(', ') || 'none'}`);
    return r;
  }

  private controlFile(id: string) {
    return path.join(this.logDir, `${id}.chaos`);
  }

  /** Replicas neither draining nor gone, oldest first. */
  private active(): LocalReplica[] {
    return [...this.replicaMap.values()].filter((r) => r.phase !== 'draining' && r.phase !== 'exited');
  }

  private readyOf(release?: string): number {
    return [...this.replicaMap.values()].filter((r) => r.inRotation && (release === undefined || r.release.name === release)).length;
  }

  private async launch(release: ReleaseSpec): Promise<LocalReplica> {
    if (this.closing) throw new PlatformError('CLOSED', 'the platform is closing');
    const id = `r${++this.seq}`;
    const chaos = this.opts.chaos === true || Object.keys(release.env ?? {}).some((k) => k.startsWith('MES_CHAOS_'));
    const r = new LocalReplica({
      id,
      release,
      entry: this.entry,
      databaseUrl: this.opts.databaseUrl,
      env: { ...this.opts.env, ...(chaos ? { MES_CHAOS_CONTROL_FILE: this.controlFile(id) } : {}) },
      preload: chaos ? AGENT : undefined,
      logDir: this.logDir,
      onApiKey: (key) => (this.bootstrapApiKey ??= key),
    });
    this.replicaMap.set(id, r);
    await r.spawn();
    void r.exited.then((exit) => this.onExit(r, exit));
    this.emit({ type: 'replica_started', replica: id, release: release.name, message: `${id} (${release.name}) started: pid ${r.pid}, port ${r.port}`, pid: r.pid, port: r.port });
    return r;
  }

  /** Launches a replica, waits until it is ready and puts it into rotation; throws if it is not ready in time. */
  private async bringUp(release: ReleaseSpec, timeoutMs: number): Promise<LocalReplica> {
    const r = await this.launch(release);
    if (!(await r.waitReady(timeoutMs))) {
      const why = this.notReadyReason(r, timeoutMs);
      await r.kill(true);
      throw new PlatformError('REPLICA_NOT_READY', why);
    }
    this.join(r);
    return r;
  }

  private notReadyReason(r: LocalReplica, timeoutMs: number): string {
    if (!r.exit) return `readiness: ${r.id} not ready within ${timeoutMs} ms`;
    return `readiness: ${r.id} exited (code ${r.exit.code ?? r.exit.signal}) before it was ready: ${logTail(r.logFile)}`;
  }

  private join(r: LocalReplica): void {
    r.supervised = true;
    r.phase = 'ready';
    this.balancer.add(r.id, r.port);
  }

  /** Out of rotation first, then (once nothing is in flight to it) SIGTERM: the server drains the rest. */
  private async drain(r: LocalReplica, reason: string): Promise<void> {
    this.balancer.disable(r.id, reason);
    r.phase = 'draining';
    this.emit({ type: 'replica_draining', replica: r.id, release: r.release.name, message: `${r.id} draining: ${reason}` });
    await this.balancer.quiesce(r.id, this.drainTimeout);
    await r.drain(this.drainTimeout);
  }

  private onRotation(change: RotationChange): void {
    const r = this.replicaMap.get(change.id);
    if (!r) return;
    r.inRotation = change.inRotation;
    if (r.phase === 'ready' || r.phase === 'unready') r.phase = change.inRotation ? 'ready' : 'unready';
    this.emit({ type: change.inRotation ? 'replica_ready' : 'replica_unready', replica: r.id, release: r.release.name, message: `${r.id} ${change.inRotation ? 'in' : 'out of'} rotation: ${change.reason}` });
    if (this.rollout) this.rollout.min = Math.min(this.rollout.min, this.readyOf());
  }

  private onExit(r: LocalReplica, exit: ExitInfo): void {
    this.balancer.remove(r.id, `exited (${exit.signal ?? `code ${exit.code}`})`);
    r.inRotation = false;
    this.replicaMap.delete(r.id);
    if (this.rollout) this.rollout.min = Math.min(this.rollout.min, this.readyOf());
    const how = exit.signal ?? `code ${exit.code}`;
    if (exit.expected || this.closing || !r.supervised) {
      this.emit({ type: 'replica_stopped', replica: r.id, release: r.release.name, message: `${r.id} stopped (${how})` });
      return;
    }
    this.emit({ type: 'replica_exited', replica: r.id, release: r.release.name, message: `${r.id} exited unexpectedly (${how}); replacing it`, code: exit.code, signal: exit.signal });
    const record: Replacement = { replica: r.id, release: r.release.name, exitedAt: new Date(exit.at).toISOString() };
    this.replaced.push(record);
    void this.replace(r.release, record, exit.at);
  }

  /** Starts a replica of the dead one's release; retries with back-off while the platform runs. */
  private async replace(release: ReleaseSpec, record: Replacement, exitedAt: number): Promise<void> {
    for (let attempt = 1; attempt <= 5 && !this.closing; attempt++) {
      // Not needed any more (scaled down meanwhile): the count is already right.
      if (this.active().length >= this.desired + (this.rollout?.surge ?? 0)) return;
      try {
        const r = await this.bringUp(release, this.startTimeout);
        record.replacement = r.id;
        record.readyAt = new Date().toISOString();
        record.replacedAfterMs = Date.now() - exitedAt;
        this.emit({ type: 'replica_replaced', replica: r.id, release: release.name, message: `${r.id} replaced ${record.replica} after ${record.replacedAfterMs} ms`, replaced: record.replica, replacedAfterMs: record.replacedAfterMs });
        return;
      } catch (err) {
        this.emit({ type: 'replacement_failed', release: release.name, message: `replacing ${record.replica} failed (attempt ${attempt}): ${(err as Error).message}` });
        await sleep(Math.min(8000, 500 * 2 ** attempt));
      }
    }
  }

  // --- scaling --------------------------------------------------------------------------------

  private async exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(async () => {
      if (this.closing) throw new PlatformError('CLOSED', 'the platform is closing');
      this.busy = true;
      try {
        return await fn();
      } finally {
        this.busy = false;
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private async scaleTo(n: number, timeoutMs: number): Promise<void> {
    const from = this.active().length;
    this.desired = n;
    this.emit({ type: 'scaling', message: `scaling ${from} → ${n}`, from, to: n });
    if (from < n) {
      await Promise.all(Array.from({ length: n - from }, () => this.bringUp(this.current, timeoutMs)));
    } else if (from > n) {
      // Replicas out of rotation go first, then the newest (they have the coldest caches).
      const victims = this.active()
        .sort((a, b) => Number(a.inRotation) - Number(b.inRotation) || b.startedAt.getTime() - a.startedAt.getTime())
        .slice(0, from - n);
      await Promise.all(victims.map((r) => this.drain(r, `scale to ${n}`)));
    }
    await this.waitReady(n, timeoutMs);
    this.emit({ type: 'scaled', message: `${n} replica(s) ready`, from, to: n });
  }

  private startAutoscaler(cfg: NonNullable<LocalPlatformOptions['autoscaler']>): void {
    const config: AutoscalerConfig = { ...DEFAULT_AUTOSCALER, ...cfg };
    this.scaler = new LocalAutoscaler(config, {
      readyReplicas: () => [...this.replicaMap.values()].filter((r) => r.inRotation).map((r) => ({ id: r.id, url: r.url })),
      currentReplicas: () => this.desired,
      // A rollout or another scale owns the replica set: this sync is skipped.
      scale: (n) => (this.busy || this.closing ? false : this.scale(n)),
      onScaled: (e: ScalingEvent) => this.emit({ type: 'autoscaled', message: `autoscaler: ${e.from} → ${e.to} (${e.reason})`, from: e.from, to: e.to, metricValue: e.metricValue }),
    });
    this.scaler.start();
  }

  // --- rollouts -------------------------------------------------------------------------------

  /** Surge one at a time: start new → ready → rotation → analysis → drain one old. */
  private async roll(to: ReleaseSpec, overrides: Partial<RolloutAnalysisConfig>): Promise<RolloutResult> {
    const cfg: RolloutAnalysisConfig = { ...DEFAULT_ANALYSIS, ...this.opts.analysis, ...overrides };
    const from = this.current;
    const n = this.desired;
    const started = Date.now();
    const analysis: AnalysisSample[] = [];
    const fresh: LocalReplica[] = [];
    let failure: string | undefined;
    const watch = { min: this.readyOf(), surge: 1 };
    this.rollout = watch;
    this.emit({ type: 'rollout_started', release: to.name, message: `rolling ${from.name} → ${to.name} over ${n} replica(s)`, from: from.name, to: to.name, analysis: cfg });
    try {
      try {
        await this.steps(to, n, cfg, fresh, analysis);
      } catch (err) {
        failure = (err as Error).message;
      }
      if (failure) await this.abort(from, fresh, n, failure);
      else {
        this.previous = from;
        this.current = to;
      }
    } finally {
      this.rollout = undefined;
    }
    const result: RolloutResult = {
      outcome: failure ? 'rolled_back' : 'completed',
      from: from.name,
      to: to.name,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      ...(failure ? { reason: failure } : {}),
      analysis,
      minReadyDuringRollout: watch.min,
    };
    this.emit({ type: failure ? 'rollout_rolled_back' : 'rollout_completed', release: failure ? from.name : to.name, message: failure ? `rollout to ${to.name} rolled back: ${failure}` : `rollout to ${to.name} completed in ${result.durationMs} ms`, result });
    return result;
  }

  /** The rollout's steps; throws with the reason to abort. */
  private async steps(to: ReleaseSpec, n: number, cfg: RolloutAnalysisConfig, fresh: LocalReplica[], analysis: AnalysisSample[]): Promise<void> {
    for (let step = 1; step <= n; step++) {
      const r = await this.launch(to);
      fresh.push(r);
      if (!(await r.waitReady(cfg.readinessTimeoutMs))) throw new Error(this.notReadyReason(r, cfg.readinessTimeoutMs));
      this.join(r);
      const sample = await this.analyse(r, cfg);
      analysis.push(sample);
      if (r.exit) throw new Error(`readiness: ${r.id} exited (${r.exit.signal ?? `code ${r.exit.code}`}) during its analysis window`);
      if (sample.verdict === 'fail') {
        throw new Error(`error rate ${sample.errorRate.toFixed(3)} > ${cfg.maxErrorRate} on ${r.id} (${sample.errors} of ${sample.requests} responses 5xx in ${cfg.windowMs} ms)`);
      }
      if (!r.inRotation) throw new Error(`readiness: ${r.id} left the rotation during its analysis window`);
      const old = this.active().find((o) => o.release.name !== to.name);
      if (old) await this.drain(old, `rollout: ${r.id} (${to.name}) took its place`);
      this.emit({ type: 'rollout_step', release: to.name, message: `step ${step}/${n}: ${r.id} (${to.name}) in, ${old?.id ?? 'none'} (${old?.release.name ?? '-'}) out` });
    }
  }

  /** Watches the new replica's responses through the front for one window. */
  private async analyse(r: LocalReplica, cfg: RolloutAnalysisConfig): Promise<AnalysisSample> {
    const before = this.balancer.counters(r.id);
    await Promise.race([sleep(cfg.windowMs), r.exited]);
    const after = this.balancer.counters(r.id);
    const requests = after.requests - before.requests;
    const errors = after.errors - before.errors;
    const errorRate = requests > 0 ? errors / requests : 0;
    const verdict = r.exit ? 'fail' : requests < cfg.minRequests ? 'inconclusive' : errorRate > cfg.maxErrorRate ? 'fail' : 'pass';
    const sample: AnalysisSample = { at: new Date().toISOString(), replica: r.id, requests, errors, errorRate, verdict };
    this.emit({ type: 'analysis', replica: r.id, release: r.release.name, message: `${r.id}: ${errors}/${requests} errors (${(errorRate * 100).toFixed(1)} %) → ${verdict}`, sample });
    return sample;
  }

  /**
   * Automatic rollback: the failing replica leaves the rotation at once; old-release replicas are
   * started until N are ready, and only then the new ones drain, so the ready count never dips.
   */
  private async abort(from: ReleaseSpec, fresh: LocalReplica[], n: number, reason: string): Promise<void> {
    this.emit({ type: 'rollout_aborting', release: from.name, message: `aborting: ${reason}; back to ${from.name}` });
    const failing = fresh[fresh.length - 1];
    if (failing) this.balancer.disable(failing.id, `rollout aborted: ${reason}`);
    const olds = () => this.active().filter((r) => r.release.name === from.name).length;
    const missing = Math.max(0, n - olds());
    await Promise.all(Array.from({ length: missing }, () => this.bringUp(from, this.startTimeout)));
    await Promise.all(fresh.map((r) => this.drain(r, 'rollout aborted')));
  }
}

function logTail(file: string, chars = 600): string {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text.length > chars ? `…${text.slice(-chars)}` : text || '(no output)';
  } catch {
    return '(no log)';
  }
}
