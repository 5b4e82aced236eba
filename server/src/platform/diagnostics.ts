import { statfs } from 'node:fs/promises';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import { DatabaseUnavailableError, POOL_EXHAUSTED_AFTER_MS, poolExhausted, type Database, type PoolStats } from './db.js';

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

/** What the database says about its sessions; read on the operations connection. */
interface Activity {
  used: number;
  max: number;
  idle_in_transaction: number;
  waiting_on_locks: number;
  /** Sessions that hold the locks others wait for. */
  blocking: { pid: number; application: string | null; state: string | null; seconds: number | null }[];
}

const ACTIVITY_SQL = `
WITH here AS (SELECT * FROM pg_stat_activity WHERE datname = current_database()),
     blockers AS (SELECT DISTINCT unnest(pg_blocking_pids(pid)) AS pid FROM here WHERE wait_event_type = 'Lock')
SELECT (SELECT count(*) FROM pg_stat_activity)::int AS used,
       current_setting('max_connections')::int AS max,
       (SELECT count(*) FROM here WHERE state = 'idle in transaction')::int AS idle_in_transaction,
       (SELECT count(*) FROM here WHERE wait_event_type = 'Lock')::int AS waiting_on_locks,
       (SELECT coalesce(json_agg(json_build_object('pid', h.pid, 'application', h.application_name, 'state', h.state,
                 'seconds', round(extract(epoch FROM now() - coalesce(h.xact_start, h.backend_start)))::int) ORDER BY h.pid), '[]'::json)
          FROM here h JOIN blockers b ON b.pid = h.pid) AS blocking`;

/**
 * Fault diagnosis (S1-5.3.6, S1-6.1-f, S1-8.1): host, runtime, database and connection-pool checks,
 * each with a status and a repair hint. The event-loop histogram runs for the life of the server
 * so a blocked loop shows in the next report even after it has recovered. The database is asked on
 * its own operations connection (Database.probe), so the report answers within about two seconds
 * even when the database is down or every pooled connection is held.
 */
export class Diagnostics {
  private readonly loop = monitorEventLoopDelay({ resolution: 20 });

  constructor(private readonly db: Database, private readonly dataDir: string, private readonly dbTimeoutMs = 2000) {
    this.loop.enable();
  }

  stop(): void {
    this.loop.disable();
  }

  /** Start-up (schema compilation, migrations) blocks the loop by design: judge only what follows. */
  resetEventLoop(): void {
    this.loop.reset();
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
    const pool = this.db.stats();
    try {
      const activity = (await withTimeout(this.db.probe<Activity>(ACTIVITY_SQL), this.dbTimeoutMs)).rows[0];
      const ms = performance.now() - started;
      const status = grade(ms, 100, this.dbTimeoutMs);
      const latency: DiagnosticCheck = {
        name: 'database', component: 'database', status, value: round(ms), unit: 'ms round trip',
        message: `${this.db.kind} answered in ${round(ms)} ms`,
        hint: status === 'ok' ? '' : 'the database is slow: check its CPU and I/O, long-running queries (pg_stat_activity) and locks (pg_locks)',
      };
      return [latency, connections(activity, pool), poolCheck(pool, activity)];
    } catch (err) {
      const reason = (err as Error).message;
      if (err instanceof DatabaseUnavailableError && err.code === 'DATABASE_TOO_MANY_CONNECTIONS') return [refusedAtLimit(reason), connectionLimit(new Date()), poolCheck(pool)];
      return [
        {
          name: 'database', component: 'database', status: 'fail', value: null, unit: 'ms round trip',
          message: `the database did not answer: ${reason}`,
          hint: 'check that PostgreSQL is running and reachable at MES_DATABASE_URL (pg_isready), and its logs for crashes or full disks; the server reconnects by itself once it answers',
        },
        {
          name: 'databaseConnections', component: 'database', status: 'fail', value: null, unit: 'share of max_connections',
          message: 'unknown while the database is unreachable', hint: 'restore database connectivity first',
        },
        poolCheck(pool),
      ];
    }
  }
}

/** A refusal at the connection limit this recent still fails the connections check. */
const LIMIT_REFUSAL_WINDOW_MS = 60_000;
const LIMIT_HINT = 'the database is at max_connections and refuses new sessions: find who holds them (SELECT application_name, count(*) FROM pg_stat_activity GROUP BY 1), put PgBouncer in front, lower MES_DB_POOL_SIZE × replicas, or raise max_connections';

/** The database answers on the operations connection but refused a new session at its limit. */
function refusedAtLimit(reason: string): DiagnosticCheck {
  return {
    name: 'database', component: 'database', status: 'fail', value: null, unit: 'ms round trip',
    message: `the database is running but refused a new connection because its connection limit is reached (${reason})`,
    hint: LIMIT_HINT,
  };
}

function connectionLimit(at: Date, activity?: Activity): DiagnosticCheck {
  return {
    name: 'databaseConnections', component: 'database', status: 'fail', value: activity ? round(activity.used / activity.max) : null, unit: 'share of max_connections',
    message: `the database refused new connections because its connection limit is reached (last refusal ${at.toISOString()}${activity ? `; ${activity.used} of ${activity.max} server connections in use now` : ''})`,
    hint: LIMIT_HINT,
  };
}

function connections(activity: Activity, pool: PoolStats): DiagnosticCheck {
  const refusal = pool.lastLimitRefusal;
  if (refusal && Date.now() - refusal.getTime() < LIMIT_REFUSAL_WINDOW_MS) return connectionLimit(refusal, activity);
  const { used, max } = activity;
  const share = used / max;
  const status = grade(share, 0.8, 0.95);
  return {
    name: 'databaseConnections', component: 'database', status, value: round(share), unit: 'share of max_connections',
    message: `${used} of ${max} server connections in use`,
    hint: status === 'ok' ? '' : 'the database is near max_connections: put PgBouncer in front, lower MES_DB_POOL_SIZE × replicas, or raise max_connections',
  };
}

/**
 * The request pool: fails when every pooled connection is busy and requests have queued for
 * POOL_EXHAUSTED_AFTER_MS, which is what a stuck transaction or a held lock looks like from here.
 * The database's view of the sessions (when it answers) says which one to look at.
 */
function poolCheck(pool: PoolStats, activity?: Activity): DiagnosticCheck {
  const busy = pool.total - pool.idle;
  const status: CheckStatus = poolExhausted(pool) ? 'fail' : pool.waiting > 0 ? 'warn' : 'ok';
  const sessions = activity
    ? `; database sessions: ${activity.idle_in_transaction} idle in transaction, ${activity.waiting_on_locks} waiting on a lock${activity.blocking.length ? `, blocked by ${activity.blocking.map(describeSession).join(', ')}` : ''}`
    : '';
  return {
    name: 'databasePool', component: 'database', status, value: pool.waiting, unit: 'requests waiting for a pooled connection',
    message: `${busy} of ${pool.max} pooled connections busy, ${pool.waiting} requests waiting (longest ${pool.longestWaitMs} ms)${sessions}`,
    hint: status === 'ok' ? '' : [
      status === 'fail' ? `every pooled connection has been busy for over ${POOL_EXHAUSTED_AFTER_MS} ms.` : 'requests are queueing for a pooled connection.',
      ...(activity?.blocking ?? []).map((b) => `Session ${describeSession(b)} holds locks others wait for: if it is stuck, end it with SELECT pg_terminate_backend(${b.pid}).`),
      "Find the sessions holding connections in pg_stat_activity (state 'idle in transaction', or wait_event_type 'Lock' with pg_blocking_pids(pid));",
      'if the load is legitimate, raise MES_DB_POOL_SIZE (within max_connections) or add replicas.',
    ].join(' '),
  };
}

function describeSession(s: Activity['blocking'][number]): string {
  return `pid ${s.pid} (${s.application || 'unnamed client'}, ${s.state ?? 'state hidden'}${s.seconds !== null ? `, ${s.seconds} s` : ''})`;
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
