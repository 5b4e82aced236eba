/**
 * Fault injection for local replicas, loaded before the server (`node --import <this> main.js`) so
 * the server code stays untouched. It wraps http.Server.prototype.emit for 'request' and reads:
 *
 * - MES_CHAOS_READINESS=fail: GET /readyz answers 503 problem+json, code CHAOS_NOT_READY.
 * - MES_CHAOS_HTTP_500_RATE=0.3: that share of the other requests (not /healthz, /readyz,
 *   /metrics) answers 500 problem+json, code CHAOS_INJECTED.
 * - SIGUSR2: blocks the event loop (a busy loop, as a runaway computation would) for the
 *   milliseconds written in the file MES_CHAOS_CONTROL_FILE names, else MES_CHAOS_BLOCK_MS, else 1000.
 *   The platform writes the file, then signals: LocalPlatform.blockEventLoop(replicaId, ms).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const HEALTH_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const readinessFails = process.env.MES_CHAOS_READINESS === 'fail';
const errorRate = Number(process.env.MES_CHAOS_HTTP_500_RATE ?? 0) || 0;

function problem(res: http.ServerResponse, status: number, code: string, detail: string): void {
  const traceId = randomBytes(16).toString('hex');
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title: http.STATUS_CODES[status], status, code, detail, traceId }));
}

/** Answers the request itself when a fault applies; false lets the server handle it. */
function injected(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const path = (req.url ?? '/').split('?')[0];
  if (readinessFails && path === '/readyz') {
    problem(res, 503, 'CHAOS_NOT_READY', 'readiness fails on purpose (MES_CHAOS_READINESS=fail)');
    return true;
  }
  if (errorRate > 0 && !HEALTH_PATHS.has(path) && Math.random() < errorRate) {
    // Drain the body first, so the keep-alive connection stays usable for the next request.
    req.resume();
    problem(res, 500, 'CHAOS_INJECTED', `failure injected on purpose (MES_CHAOS_HTTP_500_RATE=${errorRate})`);
    return true;
  }
  return false;
}

if (readinessFails || errorRate > 0) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request' && injected(args[0] as http.IncomingMessage, args[1] as http.ServerResponse)) return true;
    return (emit as (this: http.Server, e: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}

function blockMs(): number {
  const file = process.env.MES_CHAOS_CONTROL_FILE;
  if (file) {
    try {
      const ms = Number(readFileSync(file, 'utf8').trim());
      if (Number.isFinite(ms) && ms >= 0) return ms;
    } catch {
      // no file yet: fall back to the environment
    }
  }
  return Number(process.env.MES_CHAOS_BLOCK_MS ?? 1000) || 1000;
}

process.on('SIGUSR2', () => {
  const until = Date.now() + Math.min(blockMs(), 600_000);
  while (Date.now() < until) {
    // busy on purpose: nothing else runs on this event loop meanwhile
  }
});
