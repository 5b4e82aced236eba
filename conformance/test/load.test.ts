/**
 * The load generator's arithmetic (availability, failure windows, downtime) on synthetic records,
 * and the generator itself against a small real HTTP server that fails on purpose for a while.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureWindows, LoadGenerator, summarize, type LoadRecord } from '../src/load.js';

let seq = 0;
const rec = (startMs: number, ok: boolean, latencyMs = 5, code?: string): LoadRecord => ({ seq: seq++, op: 'read', startMs, latencyMs, status: ok ? 200 : code === 'ECONNREFUSED' ? 0 : 503, ok, ...(ok ? {} : { code: code ?? 'NO_READY_REPLICA' }) });

describe('load summary', () => {
  it('S1-5.3.7-b: availability is ok / sent; downtime is first failure to next success, summed over windows', () => {
    // 100 requests every 10 ms; failures at 200, 210, 220 (one window: 200 → 230) and 500 (500 → 510).
    const records = Array.from({ length: 100 }, (_, i) => rec(i * 10, ![20, 21, 22, 50].includes(i)));
    const s = summarize(records);
    expect(s.sent).toBe(100);
    expect(s.ok).toBe(96);
    expect(s.failed).toBe(4);
    expect(s.availability).toBe(0.96);
    expect(s.failureWindows).toEqual([
      { startMs: 200, endMs: 230, durationMs: 30, failures: 3, open: false },
      { startMs: 500, endMs: 510, durationMs: 10, failures: 1, open: false },
    ]);
    expect(s.downtimeMs).toBe(40);
    expect(s.longestFailureWindowMs).toBe(30);
    expect(s.failuresByCode).toEqual({ NO_READY_REPLICA: 4 });
    expect(s.durationMs).toBe(995);
  });

  it('windows follow start order, not completion order; a trailing window closes at its last failure\'s end', () => {
    // A slow success started before the failures does not end their window; nothing succeeds after.
    const records = [rec(0, true, 500), rec(10, false, 20, 'TIMEOUT'), rec(20, false, 40, 'ECONNREFUSED'), rec(5, true)];
    const w = failureWindows(records);
    expect(w).toEqual([{ startMs: 10, endMs: 60, durationMs: 50, failures: 2, open: true }]);
    expect(summarize(records).failuresByCode).toEqual({ TIMEOUT: 1, ECONNREFUSED: 1 });
  });

  it('no failures: availability 1, no downtime; no records: availability 1 and zeros', () => {
    const s = summarize(Array.from({ length: 10 }, (_, i) => rec(i * 100, true, i + 1)));
    expect(s).toMatchObject({ availability: 1, downtimeMs: 0, failureWindows: [], longestFailureWindowMs: 0 });
    expect(s.latencyMs).toEqual({ p50: 5, p95: 10, p99: 10, max: 10 });
    expect(summarize([])).toMatchObject({ sent: 0, availability: 1, downtimeMs: 0, durationMs: 0, achievedRate: 0 });
  });
});

describe('load generator against a real HTTP server', () => {
  let server: http.Server;
  let url: string;
  let failing = false;
  const seen: Array<{ method: string; key?: string }> = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ method: req.method!, key: req.headers['idempotency-key'] as string | undefined });
      req.resume();
      req.on('end', () => {
        // The outage is stamped on each request as it is sent, so it covers a run of start times
        // however late a busy event loop gets to answer (answering by the flag on arrival made
        // several windows out of one under load).
        if (req.url!.endsWith('?outage=1')) {
          res.writeHead(503, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ code: 'NO_READY_REPLICA', traceId: 'abc123' }));
        } else {
          res.writeHead(200, { 'content-type': 'application/json', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
          res.end('{}');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends open-loop at the rate, writes with an Idempotency-Key, records codes and trace ids, and sees the outage as one window', async () => {
    const g = LoadGenerator.start({
      baseUrl: url,
      apiKey: 'k',
      rate: 100,
      mix: [
        { name: 'read', method: 'GET', weight: 3, path: () => `/r?outage=${failing ? 1 : 0}` },
        { name: 'write', method: 'POST', weight: 1, path: () => `/w?outage=${failing ? 1 : 0}`, body: (s) => ({ s }) },
      ],
      timeoutMs: 2000,
      maxRequests: 1000,
      maxDurationMs: 5000,
    });
    await new Promise((r) => setTimeout(r, 400));
    failing = true;
    await new Promise((r) => setTimeout(r, 200));
    failing = false;
    await new Promise((r) => setTimeout(r, 400));
    const s = await g.stop();
    // Open loop: request i starts at i × 10 ms whatever the answers, so the count follows the clock.
    const lastStart = Math.max(...g.records.map((r) => r.startMs));
    expect(Math.abs(s.sent - (lastStart / 10 + 1))).toBeLessThanOrEqual(3);
    expect(s.sent).toBeGreaterThan(60);
    expect(s.failed).toBeGreaterThan(5);
    expect(s.failureWindows.length).toBe(1);
    expect(s.failureWindows[0].durationMs).toBeGreaterThan(100);
    expect(s.failuresByCode).toEqual({ NO_READY_REPLICA: s.failed });
    expect(g.records.find((r) => !r.ok)!.traceId).toBe('abc123');
    expect(g.records.find((r) => r.ok)!.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    const writes = seen.filter((x) => x.method === 'POST');
    expect(writes.length).toBeGreaterThan(5);
    expect(writes.every((x) => x.key && x.key.length >= 32)).toBe(true);
    expect(new Set(writes.map((x) => x.key)).size).toBe(writes.length);
    expect(seen.filter((x) => x.method === 'GET').every((x) => !x.key)).toBe(true);
  });

  it('stops at maxRequests by itself; a refused connection is a failure with its code', async () => {
    const g = LoadGenerator.start({ baseUrl: url, apiKey: 'k', rate: 200, mix: [{ name: 'read', method: 'GET', weight: 1, path: () => '/r' }], timeoutMs: 2000, maxRequests: 20, maxDurationMs: 5000 });
    await g.done;
    expect(g.records.length).toBe(20);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const dead = LoadGenerator.start({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', rate: 50, mix: [{ name: 'read', method: 'GET', weight: 1, path: () => '/r' }], timeoutMs: 2000, maxRequests: 5, maxDurationMs: 5000 });
    await dead.done;
    const s = dead.summary();
    expect(s.availability).toBe(0);
    expect(s.failuresByCode).toEqual({ ECONNREFUSED: 5 });
    expect(s.failureWindows[0].open).toBe(true);
  });
});
