/**
 * Open-loop constant-rate load through the front, as clients see the platform during a drill.
 *
 * Open loop: request i is sent at t0 + i/rate whether or not earlier ones have answered, so a
 * stalled platform shows up as failures and latency instead of silently slowing the client down
 * (a closed loop would send fewer requests exactly when the platform is worst). The rate can change
 * while running (ramps). Every request is recorded; the summary is computed from the records only,
 * so the same math runs on synthetic records in the unit tests.
 */
import { randomUUID } from 'node:crypto';
import type { HttpTarget } from './http.js';
import { percentile } from './stats.js';
import type { TenantPool } from './tenants.js';

/** One kind of request in the mix. `path`/`body` are called per request (fresh ids, codes). */
export interface LoadOperation {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative share of the mix. */
  weight: number;
  path(seq: number): string;
  body?(seq: number): unknown;
}

export interface LoadOptions {
  baseUrl: string;
  apiKey: string;
  /** Requests per second. */
  rate: number;
  mix: LoadOperation[];
  /** Per-request timeout: a request not answered by then is a failure (code TIMEOUT). */
  timeoutMs: number;
  /** Bounds: the generator stops sending at whichever comes first. */
  maxRequests: number;
  maxDurationMs: number;
  /** Requests outstanding at most; a due request beyond it is not sent and counted as droppedAtClient. */
  maxInFlight?: number;
  /** Seeded choice of the operation for request `seq` (0 ≤ result < 1). */
  pick?(seq: number): number;
}

export interface LoadRecord {
  seq: number;
  op: string;
  /** ms since the generator started. */
  startMs: number;
  latencyMs: number;
  /** HTTP status; 0 for a network error or timeout. */
  status: number;
  ok: boolean;
  /** problem+json `code`, or TIMEOUT / the network error's code. */
  code?: string;
  traceId?: string;
  error?: string;
}

export interface FailureWindow {
  startMs: number;
  endMs: number;
  durationMs: number;
  failures: number;
  /** No success followed it before the records end. */
  open: boolean;
}

export interface LoadSummary {
  sent: number;
  ok: number;
  failed: number;
  /** ok / sent (1 when nothing was sent: there was nothing to fail). */
  availability: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  failuresByCode: Record<string, number>;
  /** Client-observed downtime: the sum of the failure windows. */
  downtimeMs: number;
  longestFailureWindowMs: number;
  failureWindows: FailureWindow[];
  /** From the first request's start to the last one's end. */
  durationMs: number;
  achievedRate: number;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** A request succeeded when the service answered 2xx/3xx: 4xx from this mix means a broken target, 5xx and network errors unavailability. */
export const isOk = (status: number) => status >= 200 && status < 400;

/**
 * Failure windows: from the start of a failed request to the start of the next request that
 * succeeded (by start time). A window still open at the end closes at its last failure's end.
 */
export function failureWindows(records: LoadRecord[]): FailureWindow[] {
  const sorted = [...records].sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
  const windows: FailureWindow[] = [];
  let open: { startMs: number; lastEnd: number; failures: number } | undefined;
  for (const r of sorted) {
    if (!r.ok) {
      if (!open) open = { startMs: r.startMs, lastEnd: r.startMs + r.latencyMs, failures: 0 };
      open.failures++;
      open.lastEnd = Math.max(open.lastEnd, r.startMs + r.latencyMs);
    } else if (open) {
      windows.push({ startMs: round(open.startMs), endMs: round(r.startMs), durationMs: round(r.startMs - open.startMs), failures: open.failures, open: false });
      open = undefined;
    }
  }
  if (open) windows.push({ startMs: round(open.startMs), endMs: round(open.lastEnd), durationMs: round(open.lastEnd - open.startMs), failures: open.failures, open: true });
  return windows;
}

export function summarize(records: LoadRecord[]): LoadSummary {
  const ok = records.filter((r) => r.ok).length;
  const failuresByCode: Record<string, number> = {};
  for (const r of records.filter((x) => !x.ok)) {
    const key = r.code ?? `HTTP_${r.status}`;
    failuresByCode[key] = (failuresByCode[key] ?? 0) + 1;
  }
  const lat = records.map((r) => r.latencyMs);
  const windows = failureWindows(records);
  const first = Math.min(...records.map((r) => r.startMs));
  const last = Math.max(...records.map((r) => r.startMs + r.latencyMs));
  const durationMs = records.length ? last - first : 0;
  return {
    sent: records.length,
    ok,
    failed: records.length - ok,
    availability: records.length ? ok / records.length : 1,
    latencyMs: records.length
      ? { p50: round(percentile(lat, 50)), p95: round(percentile(lat, 95)), p99: round(percentile(lat, 99)), max: round(Math.max(...lat)) }
      : { p50: 0, p95: 0, p99: 0, max: 0 },
    failuresByCode,
    downtimeMs: round(windows.reduce((s, w) => s + w.durationMs, 0)),
    longestFailureWindowMs: round(Math.max(0, ...windows.map((w) => w.durationMs))),
    failureWindows: windows,
    durationMs: round(durationMs),
    achievedRate: durationMs > 0 ? round(records.length / (durationMs / 1000)) : 0,
  };
}

/** The summary's headline figures, without the per-window list: what a journal entry shows. */
export function headline(s: LoadSummary) {
  return { sent: s.sent, ok: s.ok, failed: s.failed, availability: s.availability, downtimeMs: s.downtimeMs, p95Ms: s.latencyMs.p95, failuresByCode: s.failuresByCode };
}

/** The records as JSON lines: the raw samples that go into the evidence bundle. */
export function toJsonl(records: LoadRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

export class LoadGenerator {
  readonly records: LoadRecord[] = [];
  droppedAtClient = 0;
  private rate: number;
  private readonly t0 = performance.now();
  private readonly startedAt = new Date();
  private seq = 0;
  private inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private nextDue = 0;
  private stopped = false;
  private readonly totalWeight: number;
  /** Resolves when the generator stops by itself (a bound reached) or is stopped. */
  readonly done: Promise<void>;
  private finish!: () => void;

  private constructor(private readonly opts: LoadOptions) {
    if (!(opts.rate > 0)) throw new Error(`load rate must be positive, got ${opts.rate}`);
    if (!opts.mix.length) throw new Error('load mix is empty');
    this.rate = opts.rate;
    this.totalWeight = opts.mix.reduce((s, o) => s + o.weight, 0);
    this.done = new Promise((res) => (this.finish = res));
  }

  static start(opts: LoadOptions): LoadGenerator {
    const g = new LoadGenerator(opts);
    g.tick();
    return g;
  }

  /** ms since start. */
  now(): number {
    return performance.now() - this.t0;
  }

  get wallStart(): string {
    return this.startedAt.toISOString();
  }

  get currentRate(): number {
    return this.rate;
  }

  /** Change the rate from now on (a ramp step). */
  setRate(rate: number): void {
    if (!(rate > 0)) throw new Error(`load rate must be positive, got ${rate}`);
    this.rate = rate;
    this.nextDue = Math.max(this.nextDue, this.now());
  }

  /** Stop sending and wait for every outstanding request (each bounded by timeoutMs). */
  async stop(): Promise<LoadSummary> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([...this.inFlight]);
    this.finish();
    return this.summary();
  }

  /** The summary of requests that started in [fromMs, toMs) (default: all). */
  summary(fromMs = 0, toMs = Infinity): LoadSummary {
    return summarize(this.records.filter((r) => r.startMs >= fromMs && r.startMs < toMs));
  }

  private bounded(): boolean {
    return this.seq < this.opts.maxRequests && this.now() < this.opts.maxDurationMs;
  }

  private tick(): void {
    if (this.stopped) return;
    // Send everything due by now (catching up after a late timer), then sleep until the next one.
    while (!this.stopped && this.nextDue <= this.now()) {
      if (!this.bounded()) {
        this.stopped = true;
        void Promise.all([...this.inFlight]).then(() => this.finish());
        return;
      }
      this.nextDue += 1000 / this.rate;
      if (this.inFlight.size >= (this.opts.maxInFlight ?? 512)) {
        this.droppedAtClient++;
        this.seq++;
        continue;
      }
      this.send(this.seq++);
    }
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.nextDue - this.now()));
  }

  private choose(seq: number): LoadOperation {
    let x = (this.opts.pick?.(seq) ?? Math.random()) * this.totalWeight;
    for (const op of this.opts.mix) {
      if ((x -= op.weight) < 0) return op;
    }
    return this.opts.mix[this.opts.mix.length - 1];
  }

  private send(seq: number): void {
    const op = this.choose(seq);
    const startMs = this.now();
    const body = op.body?.(seq);
    const headers: Record<string, string> = { authorization: `Bearer ${this.opts.apiKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    // Writes carry an Idempotency-Key so the front may retry them on another replica.
    if (op.method !== 'GET') headers['idempotency-key'] = randomUUID();
    const p = this.exchange(op, seq, startMs, headers, body).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async exchange(op: LoadOperation, seq: number, startMs: number, headers: Record<string, string>, body: unknown): Promise<void> {
    const rec: LoadRecord = { seq, op: op.name, startMs: round(startMs), latencyMs: 0, status: 0, ok: false };
    try {
      const res = await fetch(this.opts.baseUrl + op.path(seq), {
        method: op.method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const text = await res.text();
      rec.status = res.status;
      rec.ok = isOk(res.status);
      rec.traceId = res.headers.get('traceparent')?.split('-')[1];
      if (!rec.ok) {
        try {
          const problem = JSON.parse(text) as { code?: string; traceId?: string };
          rec.code = problem.code;
          rec.traceId = problem.traceId ?? rec.traceId;
        } catch {
          rec.error = text.slice(0, 200);
        }
      }
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      rec.code = e.name === 'TimeoutError' ? 'TIMEOUT' : (e.cause?.code ?? 'NETWORK_ERROR');
      rec.error = e.cause?.message ?? e.message;
    }
    rec.latencyMs = round(this.now() - startMs);
    this.records.push(rec);
  }
}

/** What the load runs as: a tenant of its own with a few materials to read. */
export interface LoadTenant {
  key: string;
  materialIds: string[];
  /** Unique per run and suite: new material codes start with it. */
  prefix: string;
}

/**
 * A tenant for the load (plan `unlimited`: the platform is measured, not a rate limit), with a
 * unit and `materials` materials to read.
 */
export async function seedLoadTenant(target: HttpTarget, tenants: TenantPool, label: string, prefix: string, materials = 5): Promise<LoadTenant> {
  const tenant = await tenants.create(label, 'unlimited');
  const unit = await target.request('POST', '/v1/units', { key: tenant.adminKey, body: { code: `${prefix}U`, name: 'piece', decimals: 0 }, headers: { 'idempotency-key': randomUUID() } });
  if (unit.status !== 201) throw new Error(`load tenant: creating a unit: HTTP ${unit.status} ${unit.text.slice(0, 200)}`);
  const materialIds: string[] = [];
  for (let i = 0; i < materials; i++) {
    const m = await target.request('POST', '/v1/materials', { key: tenant.adminKey, body: { code: `${prefix}S${i}`, name: `load material ${i}`, baseUnit: `${prefix}U` }, headers: { 'idempotency-key': randomUUID() } });
    if (m.status !== 201) throw new Error(`load tenant: creating a material: HTTP ${m.status} ${m.text.slice(0, 200)}`);
    materialIds.push(m.json.id);
    tenants.noteRow(tenant, 'materials');
  }
  return { key: tenant.adminKey, materialIds, prefix };
}

/**
 * A shop floor's everyday traffic on master data: list and read materials (reads), and create
 * materials (writes, each with its own Idempotency-Key, so a retried one never duplicates).
 * `tag` keeps codes unique between load generators of the same tenant.
 */
export function materialsMix(t: LoadTenant, writeShare: number, tag: string): LoadOperation[] {
  const reads = 1 - writeShare;
  return [
    { name: 'list materials', method: 'GET', weight: reads / 2, path: () => '/v1/materials?limit=20' },
    { name: 'read a material', method: 'GET', weight: reads / 2, path: (seq) => `/v1/materials/${t.materialIds[seq % t.materialIds.length]}` },
    {
      name: 'create a material',
      method: 'POST',
      weight: writeShare,
      path: () => '/v1/materials',
      body: (seq) => ({ code: `${t.prefix}${tag}-${seq}`, name: `load ${tag} ${seq}`, baseUnit: `${t.prefix}U` }),
    },
  ];
}
