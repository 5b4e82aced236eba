/**
 * The local front: one HTTP listener that spreads requests round-robin over the replicas in
 * rotation, over keep-alive connections, and retries a failed attempt on another replica when that
 * is safe. Active health checks (GET /readyz) move replicas out of and back into rotation; a refused
 * connection takes a replica out at once (passive check) until the active check passes again.
 *
 * Retry policy (at most one attempt per upstream):
 * - the connection failed before anything was sent: any method;
 * - the upstream reset or closed without a response: idempotent methods, or an Idempotency-Key;
 * - 503 problem+json with code SHUTTING_DOWN: the server refused it before doing anything.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { probe } from './replica.js';

export interface HealthCheckConfig {
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failed checks before a replica leaves the rotation. */
  unhealthyThreshold: number;
  /** Consecutive passed checks before it returns. */
  healthyThreshold: number;
}

export const DEFAULT_HEALTH_CHECK: HealthCheckConfig = { intervalMs: 500, timeoutMs: 1000, unhealthyThreshold: 2, healthyThreshold: 1 };

/** Responses per upstream, read by the rollout analysis. */
export interface UpstreamCounters {
  requests: number;
  /** 5xx answers plus attempts that failed without an answer. */
  errors: number;
}

export interface RotationChange {
  id: string;
  inRotation: boolean;
  reason: string;
}

const BODY_LIMIT = 1024 * 1024;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Connection errors that mean the request never reached the upstream. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ECONNABORTED']);

class Upstream {
  healthy = true;
  /** False while draining or before it joined: health checks cannot bring it back. */
  enabled = true;
  failures = 0;
  passes = 0;
  inFlight = 0;
  counters: UpstreamCounters = { requests: 0, errors: 0 };
  timer?: NodeJS.Timeout;
  constructor(readonly id: string, readonly port: number) {}
  get inRotation() {
    return this.healthy && this.enabled;
  }
}

type Attempt =
  | { kind: 'response'; res: http.IncomingMessage; body?: Buffer }
  | { kind: 'failed'; sent: boolean; error: string };

export class Balancer {
  private readonly upstreams = new Map<string, Upstream>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 });
  private server?: http.Server;
  private next = 0;
  private closed = false;
  url = '';

  constructor(
    private readonly health: HealthCheckConfig,
    private readonly onRotation: (change: RotationChange) => void,
  ) {}

  async listen(host: string, port: number): Promise<string> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
    return this.url;
  }

  /** Adds a replica (ready, in rotation) and starts its active health checks. */
  add(id: string, port: number): void {
    const u = new Upstream(id, port);
    this.upstreams.set(id, u);
    this.schedule(u);
    this.onRotation({ id, inRotation: true, reason: 'joined the rotation' });
  }

  /** Out of rotation for good (draining): in-flight requests finish, no new ones arrive. */
  disable(id: string, reason: string): void {
    const u = this.upstreams.get(id);
    if (!u || !u.enabled) return;
    const was = u.inRotation;
    u.enabled = false;
    if (was) this.onRotation({ id, inRotation: false, reason });
  }

  remove(id: string, reason = 'removed'): void {
    const u = this.upstreams.get(id);
    if (!u) return;
    this.disable(id, reason);
    clearTimeout(u.timer);
    this.upstreams.delete(id);
  }

  inRotation(id: string): boolean {
    return this.upstreams.get(id)?.inRotation ?? false;
  }

  counters(id: string): UpstreamCounters {
    return { ...(this.upstreams.get(id)?.counters ?? { requests: 0, errors: 0 }) };
  }

  /** Waits (bounded) until no request is in flight to the replica. */
  async quiesce(id: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.upstreams.get(id)?.inFlight ?? 0) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const u of this.upstreams.values()) clearTimeout(u.timer);
    this.upstreams.clear();
    const server = this.server;
    if (server) {
      server.closeIdleConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    this.agent.destroy();
  }

  // --- health checks -------------------------------------------------------------------------

  private schedule(u: Upstream): void {
    if (this.closed) return;
    u.timer = setTimeout(() => void this.check(u), this.health.intervalMs);
    u.timer.unref();
  }

  private async check(u: Upstream): Promise<void> {
    if (this.upstreams.get(u.id) !== u) return;
    const status = await probe(`http://127.0.0.1:${u.port}/readyz`, this.health.timeoutMs);
    if (this.upstreams.get(u.id) !== u) return;
    if (status === 200) this.pass(u);
    else this.fail(u, status === 0 ? 'no answer to /readyz' : `/readyz answered ${status}`, this.health.unhealthyThreshold);
    this.schedule(u);
  }

  private pass(u: Upstream): void {
    u.failures = 0;
    u.passes++;
    if (!u.healthy && u.passes >= this.health.healthyThreshold) {
      u.healthy = true;
      if (u.enabled) this.onRotation({ id: u.id, inRotation: true, reason: `/readyz passed ${u.passes} time(s)` });
    }
  }

  private fail(u: Upstream, why: string, threshold: number): void {
    u.passes = 0;
    u.failures++;
    if (u.healthy && u.failures >= threshold) {
      u.healthy = false;
      if (u.enabled) this.onRotation({ id: u.id, inRotation: false, reason: `${why} (${u.failures} failure(s))` });
    }
  }

  // --- proxying ------------------------------------------------------------------------------

  private pick(tried: Set<string>): Upstream | undefined {
    const candidates = [...this.upstreams.values()].filter((u) => u.inRotation && !tried.has(u.id));
    if (candidates.length === 0) return undefined;
    return candidates[this.next++ % candidates.length];
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const traceId = traceIdOf(req.headers.traceparent);
    const body = await readBody(req).catch((err: Error) => err);
    if (body instanceof Error) {
      if (body.message === 'too large') return problem(res, 413, 'PAYLOAD_TOO_LARGE', `request bodies above ${BODY_LIMIT} bytes are refused by the front`, traceId);
      return void res.destroy();
    }
    const retryable = IDEMPOTENT.has(req.method ?? '') || req.headers['idempotency-key'] !== undefined;
    const tried = new Set<string>();
    const maxAttempts = Math.max(1, this.upstreams.size);
    let last: Attempt | undefined;
    for (let i = 0; i < maxAttempts; i++) {
      const u = this.pick(tried);
      if (!u) break;
      tried.add(u.id);
      const attempt = await this.forward(u, req, res, body);
      last = attempt;
      if (attempt.kind === 'response') {
        if (attempt.body && isShuttingDown(attempt.body)) continue;
        return this.relay(attempt, res);
      }
      if (!attempt.sent) continue;
      if (!retryable || res.destroyed) break;
    }
    if (res.destroyed) return;
    if (last?.kind === 'response') return this.relay(last, res);
    if (!last || (last.kind === 'failed' && !last.sent)) return problem(res, 503, 'NO_READY_REPLICA', 'no replica is ready to serve this request; retry shortly', traceId, { 'retry-after': '1' });
    problem(res, 502, 'UPSTREAM_FAILED', `the replica failed without answering (${last.error}) and the request was not safe to retry`, traceId);
  }

  /** One attempt on one upstream. 503 problem+json answers are buffered to look for SHUTTING_DOWN. */
  private forward(u: Upstream, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<Attempt> {
    return new Promise((resolve) => {
      u.inFlight++;
      u.counters.requests++;
      let settled = false;
      const done = (a: Attempt) => {
        if (settled) return;
        settled = true;
        u.inFlight--;
        if (a.kind === 'failed' || (a.res.statusCode ?? 0) >= 500) u.counters.errors++;
        if (a.kind === 'failed' && !a.sent) this.fail(u, `connection failed (${a.error})`, 1);
        resolve(a);
      };
      const headers = forwardedHeaders(req, body.length);
      const up = http.request({ host: '127.0.0.1', port: u.port, method: req.method, path: req.url, headers, agent: this.agent });
      let connected = false;
      up.on('socket', (s) => {
        if (!s.connecting) connected = true; // a reused keep-alive socket
        else s.once('connect', () => (connected = true));
      });
      up.on('response', (upRes) => {
        if (upRes.statusCode === 503 && /problem\+json/.test(String(upRes.headers['content-type'] ?? ''))) {
          const chunks: Buffer[] = [];
          upRes.on('data', (c: Buffer) => chunks.push(c));
          upRes.on('end', () => done({ kind: 'response', res: upRes, body: Buffer.concat(chunks) }));
          upRes.on('error', (err) => done({ kind: 'failed', sent: true, error: (err as NodeJS.ErrnoException).code ?? err.message }));
          return;
        }
        done({ kind: 'response', res: upRes });
      });
      up.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? err.message;
        done({ kind: 'failed', sent: connected && !NOT_SENT.has(code), error: code });
      });
      // The client went away: nothing to answer, stop the upstream work too.
      res.once('close', () => {
        if (!settled) up.destroy();
      });
      up.end(body);
    });
  }

  private relay(attempt: Extract<Attempt, { kind: 'response' }>, res: http.ServerResponse): void {
    const { res: upRes } = attempt;
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(upRes.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    if (attempt.body) headers['content-length'] = String(attempt.body.length);
    res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, headers);
    if (attempt.body) return void res.end(attempt.body);
    upRes.pipe(res);
    // The upstream died mid-body: the client must see a broken response, not a short one.
    upRes.on('error', () => res.destroy());
    upRes.on('aborted', () => res.destroy());
  }
}

function forwardedHeaders(req: http.IncomingMessage, length: number): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = prior ? `${String(prior)}, ${client}` : client;
  headers['x-forwarded-proto'] = req.headers['x-forwarded-proto'] ?? 'http';
  if (length > 0 || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) headers['content-length'] = String(length);
  return headers;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > BODY_LIMIT) {
      req.resume();
      return reject(new Error('too large'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('too large'));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function isShuttingDown(body: Buffer): boolean {
  try {
    return (JSON.parse(body.toString('utf8')) as { code?: string }).code === 'SHUTTING_DOWN';
  } catch {
    return false;
  }
}

/** The trace id of a W3C traceparent, or a new one for the front's own errors. */
function traceIdOf(traceparent: string | string[] | undefined): string {
  const m = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(String(traceparent ?? ''));
  return m && !/^0+$/.test(m[1]) ? m[1] : randomBytes(16).toString('hex');
}

function problem(res: http.ServerResponse, status: number, code: string, detail: string, traceId: string, extra: http.OutgoingHttpHeaders = {}): void {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ type: 'about:blank', title: http.STATUS_CODES[status], status, code, detail, traceId });
  res.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}
