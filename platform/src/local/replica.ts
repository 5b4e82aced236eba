/**
 * One local replica: a `node <server entry>` process on a free loopback port, configured by MES_*
 * environment only. It knows how to wait for readiness, drain (SIGTERM: the server turns
 * readiness false and finishes in-flight requests), be killed (SIGKILL) and when it exited.
 * Its stdout and stderr go to a log file, except the bootstrap API key line, which is handed to
 * the platform and never written anywhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, sleep } from '../loopback.js';
import type { ReleaseSpec, Replica, ReplicaPhase } from '../types.js';

const KEY_LINE = /^MES admin API key \(shown once\): (mes_\S+)$/;
const PARENT_GUARD = fileURLToPath(new URL('../../dist/local/parent-guard.js', import.meta.url));

export interface ReplicaOptions {
  id: string;
  release: ReleaseSpec;
  /** The server script (the release's entry wins). */
  entry: string;
  databaseUrl: string;
  /** Environment for every replica; the release's env overrides it. */
  env: Record<string, string>;
  /** `--import`ed before the server (the chaos agent), or undefined. */
  preload?: string;
  logDir: string;
  onApiKey(key: string): void;
}

export interface ExitInfo {
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Whether the platform asked for it (drain, stop); an unexpected exit is replaced. */
  expected: boolean;
}

export class LocalReplica {
  readonly id: string;
  readonly release: ReleaseSpec;
  readonly startedAt = new Date();
  readonly logFile: string;
  port = 0;
  phase: ReplicaPhase = 'starting';
  /** Set by the platform from the balancer's view. */
  inRotation = false;
  /** Joined the rotation once: from then on an unexpected exit is replaced. */
  supervised = false;
  exit?: ExitInfo;
  readonly exited: Promise<ExitInfo>;
  private child?: ChildProcess;
  private log?: WriteStream;
  private expectingExit = false;
  private resolveExit!: (e: ExitInfo) => void;

  constructor(private readonly opts: ReplicaOptions) {
    this.id = opts.id;
    this.release = opts.release;
    this.logFile = path.join(opts.logDir, `${opts.id}.log`);
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Whether the chaos agent is loaded (SIGUSR2 would otherwise terminate the process). */
  get chaosLoaded(): boolean {
    return this.opts.preload !== undefined;
  }

  async spawn(): Promise<void> {
    this.port = await freePort();
    if (this.exit) return; // stopped before it ever ran
    const { release, opts } = this;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MES_LOG_LEVEL: 'warn',
      ...opts.env,
      ...release.env,
      MES_HOST: '127.0.0.1',
      MES_PORT: String(this.port),
      MES_DATABASE_URL: opts.databaseUrl,
    };
    delete env.NODE_OPTIONS; // the test runner's loaders must not leak into replicas
    const args = ['--import', PARENT_GUARD, ...(opts.preload ? ['--import', opts.preload] : []), release.entry ?? opts.entry];
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    this.log.on('error', () => {}); // a full disk must not take the platform down
    // stdin: the parent guard's lifeline. Own process group: a Ctrl+C in the terminal reaches the
    // platform only, which then drains replicas in order (out of rotation first, then SIGTERM).
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const key = KEY_LINE.exec(line);
      if (key) opts.onApiKey(key[1]);
      else this.log?.write(`${line}\n`);
    });
    child.stderr!.pipe(this.log, { end: false });
    child.on('error', (err) => this.log?.write(`[platform] spawn failed: ${err.message}\n`));
    child.on('exit', (code, signal) => {
      this.phase = 'exited';
      this.inRotation = false;
      this.exit = { at: Date.now(), code, signal, expected: this.expectingExit };
      this.log?.write(`[platform] exited code=${code} signal=${signal}\n`);
      // Give the pipes a moment to flush their last lines before the file closes.
      setTimeout(() => this.log?.end(), 100).unref();
      this.resolveExit(this.exit);
    });
  }

  /** Polls GET /readyz until it answers 200; false when the timeout passes or the process exits first. */
  async waitReady(timeoutMs: number, pollMs = 100): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !this.exit) {
      if ((await probe(`${this.url}/readyz`, Math.min(1000, Math.max(1, deadline - Date.now())))) === 200) return true;
      await Promise.race([sleep(pollMs), this.exited]);
    }
    return false;
  }

  /** SIGTERM, then SIGKILL if the process is still there after graceMs. */
  async drain(graceMs = 15_000): Promise<ExitInfo> {
    if (this.exit) return this.exit;
    if (!this.child) return this.cancel();
    this.expectingExit = true;
    this.phase = 'draining';
    this.inRotation = false;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL. `expected` false (kill -9 as a fault) lets the supervisor replace it. */
  async kill(expected: boolean): Promise<ExitInfo> {
    if (this.exit) return this.exit;
    if (!this.child) return this.cancel();
    this.expectingExit = expected;
    this.child?.kill('SIGKILL');
    return this.exited;
  }

  /** Stopped while still choosing its port: it never runs. */
  private cancel(): ExitInfo {
    this.phase = 'exited';
    this.exit = { at: Date.now(), code: null, signal: null, expected: true };
    this.resolveExit(this.exit);
    return this.exit;
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.exit) this.child?.kill(sig);
  }

  toReplica(): Replica {
    return {
      id: this.id,
      release: this.release.name,
      phase: this.phase,
      inRotation: this.inRotation,
      startedAt: this.startedAt.toISOString(),
      ...(this.pid !== undefined ? { pid: this.pid } : {}),
      url: this.url,
    };
  }
}

/** GET a URL with a timeout; the status code, or 0 when nothing answered. No keep-alive: probes never share sockets with traffic. */
export function probe(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
  });
}

