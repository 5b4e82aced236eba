import { statfs } from 'node:fs/promises';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { Database } from './db.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DiagnosticCheck {
  name: string;
  component: 'host' | 'runtime' | 'database';
  status: CheckStatus;
  value: number | null;
  unit: string;
  message: string;
  /** What an operator should do about it; empty when all is well. */
  hint: string;
}

export interface DiagnosticsReport {
  status: CheckStatus;
  checkedAt: string;
  checks: DiagnosticCheck[];
}

const worst = (a: CheckStatus, b: CheckStatus): CheckStatus => (a === 'fail' || b === 'fail' ? 'fail' : a === 'warn' || b === 'warn' ? 'warn' : 'ok');

function grade(value: number, warnAt: number, failAt: number): CheckStatus {
  return value >= failAt ? 'fail' : value >= warnAt ? 'warn' : 'ok';
}

/**
 * Fault diagnosis (S1-5.3.6, S1-8.1): host, runtime and database checks, each with a status and a
 * repair hint. The event-loop histogram runs for the life of the server so a blocked loop shows
 * in the next report even after it has recovered.
 */
export class Diagnostics {
  private readonly loop = monitorEventLoopDelay({ resolution: 20 });

  constructor(private readonly db: Database, private readonly dataDir: string, private readonly dbTimeoutMs = 2000) {
    this.loop.enable();
  }

  stop(): void {
    this.loop.disable();
  }

  async report(): Promise<DiagnosticsReport> {
    const checks = [this.cpu(), this.memory(), await this.disk(), this.eventLoop(), ...(await this.database())];
    this.loop.reset();
    return { status: checks.map((c) => c.status).reduce(worst, 'ok'), checkedAt: new Date().toISOString(), checks };
  }

  private cpu(): DiagnosticCheck {
    const perCore = os.loadavg()[0] / os.cpus().length;
    const status = grade(perCore, 0.9, 2);
    return {
      name: 'cpu', component: 'host', status, value: round(perCore), unit: 'load per core (1 min)',
      message: `1-minute load average is ${round(perCore)} per core`,
      hint: status === 'ok' ? '' : 'the host is CPU-bound: add replicas or cores, or find the busy process (top -o %CPU)',
    };
  }

  private memory(): DiagnosticCheck {
    const heap = v8.getHeapStatistics();
    const heapShare = heap.used_heap_size / heap.heap_size_limit;
    const hostUsed = 1 - os.freemem() / os.totalmem();
    const status = worst(grade(heapShare, 0.8, 0.95), grade(hostUsed, 0.9, 0.97));
    return {
      name: 'memory', component: 'runtime', status, value: round(heapShare), unit: 'share of heap limit',
      message: `heap ${mb(heap.used_heap_size)} of ${mb(heap.heap_size_limit)} MiB; host memory ${Math.round(hostUsed * 100)} % used`,
      hint: status === 'ok' ? '' : 'memory is short: raise --max-old-space-size or the container limit, or look for a leak in a heap snapshot',
    };
  }

  private async disk(): Promise<DiagnosticCheck> {
    try {
      // An in-memory database has no data directory yet: measure the volume it would live on.
      const s = await statfs(this.dataDir).catch((err) => (err.code === 'ENOENT' ? statfs(process.cwd()) : Promise.reject(err)));
      const used = 1 - s.bavail / s.blocks;
      const status = grade(used, 0.85, 0.95);
      return {
        name: 'disk', component: 'host', status, value: round(used), unit: 'share used',
        message: `data directory ${this.dataDir}: ${Math.round(used * 100)} % used, ${mb(s.bavail * s.bsize)} MiB free`,
        hint: status === 'ok' ? '' : 'the data volume is filling up: free space, move old backups to object storage, or grow the volume',
      };
    } catch (err) {
      return {
        name: 'disk', component: 'host', status: 'warn', value: null, unit: 'share used',
        message: `cannot read the data directory ${this.dataDir}: ${(err as Error).message}`,
        hint: 'check that MES_DATA_DIR exists and is readable by the server',
      };
    }
  }

  private eventLoop(): DiagnosticCheck {
    const p99 = this.loop.percentile(99) / 1e6;
    const max = this.loop.max / 1e6;
    const status = grade(max, 200, 1000);
    return {
      name: 'eventLoop', component: 'runtime', status, value: round(max), unit: 'ms (max delay since last report)',
      message: `event-loop delay p99 ${round(p99)} ms, max ${round(max)} ms`,
      hint: status === 'ok' ? '' : 'something blocked the event loop: take a CPU profile (node --cpu-prof) and move the synchronous work off the request path',
    };
  }

  private async database(): Promise<DiagnosticCheck[]> {
    const started = performance.now();
    let latency: DiagnosticCheck;
    let connections: DiagnosticCheck;
    try {
      const conn = await withTimeout(this.db.query<{ used: number; max: number }>(
        `SELECT (SELECT count(*) FROM pg_stat_activity)::int AS used, current_setting('max_connections')::int AS max`,
      ), this.dbTimeoutMs);
      const ms = performance.now() - started;
      const status = grade(ms, 100, this.dbTimeoutMs);
      latency = {
        name: 'database', component: 'database', status, value: round(ms), unit: 'ms round trip',
        message: `${this.db.kind} answered in ${round(ms)} ms`,
        hint: status === 'ok' ? '' : 'the database is slow: check its CPU and I/O, long-running queries (pg_stat_activity) and locks (pg_locks)',
      };
      const { used, max } = conn.rows[0];
      const pool = this.db.stats();
      const share = used / max;
      const connStatus = worst(grade(share, 0.8, 0.95), pool.waiting > 0 ? 'warn' : 'ok');
      connections = {
        name: 'databaseConnections', component: 'database', status: connStatus, value: round(share), unit: 'share of max_connections',
        message: `${used} of ${max} server connections in use; pool ${pool.total}/${pool.max} open, ${pool.waiting} waiting`,
        hint: connStatus === 'ok' ? '' : pool.waiting > 0
          ? 'requests are queueing for a pooled connection: raise MES_DB_POOL_SIZE or find slow transactions'
          : 'the database is near max_connections: put PgBouncer in front or raise max_connections',
      };
    } catch (err) {
      const reason = (err as Error).message;
      latency = {
        name: 'database', component: 'database', status: 'fail', value: null, unit: 'ms round trip',
        message: `the database did not answer: ${reason}`,
        hint: 'check that PostgreSQL is running and reachable at MES_DATABASE_URL (pg_isready), and its logs for crashes or full disks',
      };
      connections = {
        name: 'databaseConnections', component: 'database', status: 'fail', value: null, unit: 'share of max_connections',
        message: 'unknown while the database is unreachable', hint: 'restore database connectivity first',
      };
    }
    return [latency, connections];
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const mb = (n: number) => Math.round(n / 1024 / 1024);
