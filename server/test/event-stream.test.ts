/**
 * GET /v1/events/stream: Server-Sent Events over the tenant's outbox, through real HTTP
 * (S1-5.3.5-a publish/subscribe; the live feed boards use, S1-4.3.6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';

let t: TestServer;
let A: Awaited<ReturnType<typeof createTenant>>;
let B: Awaited<ReturnType<typeof createTenant>>;
let warehouseId: string;
let materialId: string;
/** Every stream a test opened: closed after the file even when a test failed half-way. */
const opened: Stream[] = [];

/** An open stream, read frame by frame. */
class Stream {
  readonly frames: string[] = [];
  readonly done: Promise<void>;
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  status = 0;
  headers?: Headers;

  constructor(key: string, query = '', headers: Record<string, string> = {}) {
    opened.push(this);
    this.done = (async () => {
      const res = await fetch(`${t.url}/v1/events/stream${query}`, { headers: { authorization: `Bearer ${key}`, ...headers }, signal: this.abort.signal });
      this.status = res.status;
      this.headers = res.headers;
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.frames.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          for (const w of this.waiters.splice(0)) w();
        }
      }
      for (const w of this.waiters.splice(0)) w();
    })();
  }

  /** The events received so far (data frames). */
  get events(): any[] {
    return this.frames.filter((f) => f.includes('\ndata: ') || f.startsWith('data: ')).map((f) => JSON.parse(f.split('\n').find((l) => l.startsWith('data: '))!.slice(6)));
  }

  async until(predicate: (s: Stream) => boolean, what: string, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`stream: no ${what} within ${ms} ms; frames: ${JSON.stringify(this.frames)}`);
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), new Promise((r) => setTimeout(r, 200))]);
    }
  }

  close(): void {
    this.abort.abort();
  }
}

const api = (key: string) => (method: string, path: string, body?: unknown) => call(t.url, key, method, path, body);

/** One posted stock document: one stock.posted event. */
async function receive(quantity: string) {
  const res = await api(A.key)('POST', '/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId, warehouseId, quantity }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

beforeAll(async () => {
  t = await startTestServer({ eventStreamPollMs: 100, eventStreamHeartbeatMs: 400 });
  A = await createTenant(t, 'stream-a');
  B = await createTenant(t, 'stream-b');
  const a = api(A.key);
  expect((await a('POST', '/v1/units', { code: 'PCS', name: 'piece', decimals: 0 })).status).toBe(201);
  materialId = (await a('POST', '/v1/materials', { code: 'M-1', name: 'Fan blade', baseUnit: 'PCS' })).body.id;
  warehouseId = (await a('POST', '/v1/warehouses', { code: 'W1', name: 'Main' })).body.id;
});
afterAll(async () => {
  for (const s of opened) s.close();
  await t?.stop();
});

describe('GET /v1/events/stream', () => {
  it('S1-5.3.5-a: events committed after the stream opened arrive in order with id = seq; other tenants see none; heartbeats keep it alive', async () => {
    const s = new Stream(A.key);
    const other = new Stream(B.key);
    await s.until((x) => x.frames.length > 0, 'connected comment');
    await other.until((x) => x.frames.length > 0, 'connected comment');
    expect(s.status).toBe(200);
    expect(s.headers!.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(s.headers!.get('cache-control')).toBe('no-cache, no-transform');
    const d1 = await receive('5');
    const d2 = await receive('7');
    await s.until((x) => x.events.length >= 2, 'two events');
    const [e1, e2] = s.events;
    expect(e1).toMatchObject({ type: 'stock.posted', aggregateType: 'stock', payload: { sourceType: 'stock_document', sourceId: d1.id, movements: 1, materialIds: [materialId] } });
    expect(e2.payload.sourceId).toBe(d2.id);
    expect(e2.seq).toBe(e1.seq + 1);
    expect(s.frames.find((f) => f.includes(`"seq":${e1.seq},`))!.startsWith(`id: ${e1.seq}\n`)).toBe(true);
    // The same events through GET /v1/events.
    const listed = (await api(A.key)('GET', `/v1/events?after=${e1.seq - 1}&type=stock.*`)).body.items;
    expect(listed.map((e: any) => e.seq)).toEqual([e1.seq, e2.seq]);
    await s.until((x) => x.frames.some((f) => f.startsWith(': heartbeat ')), 'heartbeat');
    await other.until((x) => x.frames.some((f) => f.startsWith(': heartbeat ')), 'heartbeat');
    expect(other.events).toEqual([]);
    s.close();
    other.close();
  });

  it('S1-5.3.5-a: resumes after Last-Event-ID (or after=) with nothing missed or repeated, and type= filters by prefix', async () => {
    const first = await receive('1');
    const head = (await api(A.key)('GET', '/v1/events?type=stock.*&limit=1000')).body.lastSeq;
    await receive('2');
    await receive('3');
    const resumed = new Stream(A.key, '?type=stock.*', { 'last-event-id': String(head) });
    await resumed.until((x) => x.events.length >= 2, 'the two events after Last-Event-ID');
    expect(resumed.events.map((e) => e.seq)).toEqual([head + 1, head + 2]);
    resumed.close();
    const filtered = new Stream(A.key, `?after=0&type=sales_order.*`);
    await filtered.until((x) => x.frames.some((f) => f.startsWith(': heartbeat')), 'heartbeat');
    expect(filtered.events).toEqual([]);
    filtered.close();
    expect(first.id).toBeTruthy();
    const bad = await call(t.url, A.key, 'GET', '/v1/events/stream', undefined, { 'last-event-id': 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ in: 'header', field: 'last-event-id' })]);
  });

  it('S1-5.3.2-a: needs events:read; a key that loses it mid-stream is cut off with an error event carrying the problem', async () => {
    const none = (await api(A.key)('POST', '/v1/api-keys', { name: 'no-events', permissions: ['inventory:read'] })).body.key;
    const refused = await call(t.url, none, 'GET', '/v1/events/stream');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'events:read' });
    const created = (await api(A.key)('POST', '/v1/api-keys', { name: 'board', permissions: ['events:read'] })).body;
    const s = new Stream(created.key);
    await s.until((x) => x.frames.length > 0, 'connected comment');
    expect((await api(A.key)('POST', `/v1/api-keys/${created.apiKey.id}/revoke`, {})).status).toBe(200);
    await s.done;
    const error = s.frames.find((f) => f.startsWith('event: error\n'));
    expect(JSON.parse(error!.split('data: ')[1])).toMatchObject({ status: 401, code: 'AUTH_REVOKED' });
  });

  it('S1-5.3.2-b: a stream holds no plan concurrency slot, is counted in /metrics, and ends cleanly on shutdown', async () => {
    // basic allows a few requests at once: more streams than that still leave room for requests.
    const tenant = await createTenant(t, 'stream-basic', 'basic');
    const plan = (await api(tenant.key)('GET', '/v1/plans')).body.items.find((p: any) => p.code === 'basic');
    const streams = Array.from({ length: (plan.maxConcurrent ?? 4) + 1 }, () => new Stream(tenant.key));
    for (const s of streams) await s.until((x) => x.frames.length > 0, 'connected comment');
    expect((await api(tenant.key)('GET', '/v1/me')).status).toBe(200);
    const metrics = (await call(t.url, undefined, 'GET', '/metrics')).body as string;
    expect(metrics).toMatch(new RegExp(`^mes_event_streams_open ${streams.length}$`, 'm'));
    await t.server.shutdown();
    await Promise.all(streams.map((s) => s.done));
    for (const s of streams) expect(s.frames.at(-1)).toBe(': server shutting down; reconnect');
  });
});
