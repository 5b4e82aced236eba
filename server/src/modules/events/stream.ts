import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import type { Authenticator } from '../../platform/auth.js';
import { requirePermission } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { MesProblem, badRequest, fieldError, problemBody } from '../../platform/errors.js';
import { readEventsAfter, readHead, type EventFilter, type StreamedEvent } from './repo.js';

export interface EventStreamOptions {
  /** How often each tenant with open streams has its outbox head looked at. */
  pollMs: number;
  /** Comment lines that keep proxies from closing an idle stream; credentials are re-checked then. */
  heartbeatMs: number;
}

interface Subscriber {
  tenantId: string;
  cursor: number;
  filter: EventFilter;
  /** Reads and writes what came after the cursor; one at a time per subscriber. */
  pump(): void;
  close(reason: string): void;
}

/** Bounded so one reconnecting board never reads a tenant's whole history in one query. */
const BATCH = 200;

/**
 * Server-Sent Events over the tenant's transactional outbox. One watcher per tenant with open
 * streams reads the outbox head every pollMs (one indexed row) and wakes that tenant's streams when
 * it moved; each stream then reads the events after its own cursor with its own type filter. Every
 * replica serves streams from the shared outbox, so a change committed on any replica reaches
 * every board.
 */
export class EventStreams {
  private readonly tenants = new Map<string, { subscribers: Set<Subscriber>; head: number; timer: NodeJS.Timeout }>();
  private readonly all = new Set<Subscriber>();

  constructor(
    private readonly db: Database,
    private readonly auth: Authenticator,
    private readonly opts: EventStreamOptions,
  ) {}

  get open(): number {
    return this.all.size;
  }

  /** Takes over the reply: headers, catch-up from the cursor, live events, heartbeats, until the client goes. */
  async serve(req: FastifyRequest, reply: FastifyReply, params: { tenantId: string; after?: number; filter: EventFilter; permission: string }): Promise<void> {
    const cursor = params.after ?? (await readHead(this.db, params.tenantId));
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: 3000\n: connected at seq ${cursor}\n\n`);

    let busy = false;
    let again = false;
    let closed = false;
    const sub: Subscriber = {
      tenantId: params.tenantId,
      cursor,
      filter: params.filter,
      pump: () => {
        if (closed) return;
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        void this.drain(sub, raw, () => closed)
          .catch((err: Error) => {
            req.log.warn({ err: { message: err.message } }, 'event stream: reading the outbox failed; closing the stream');
            sub.close('error');
          })
          .finally(() => {
            busy = false;
            if (again) {
              again = false;
              sub.pump();
            }
          });
      },
      close: (reason) => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        this.unsubscribe(sub);
        if (!raw.writableEnded) raw.end(reason === 'shutdown' ? ': server shutting down; reconnect\n\n' : undefined);
      },
    };
    const heartbeat = setInterval(() => void this.heartbeat(req, raw, sub, params.permission), this.opts.heartbeatMs);
    raw.on('close', () => sub.close('client'));
    this.subscribe(sub);
    sub.pump();
  }

  /** Ends every stream (server shutdown): clients reconnect, to another replica if there is one. */
  closeAll(): void {
    for (const sub of [...this.all]) sub.close('shutdown');
  }

  private async drain(sub: Subscriber, raw: NodeJS.WritableStream & { writableEnded: boolean }, isClosed: () => boolean): Promise<void> {
    for (;;) {
      const events = await readEventsAfter(this.db, sub.tenantId, sub.cursor, sub.filter, BATCH);
      if (isClosed()) return;
      for (const e of events) {
        sub.cursor = e.seq;
        if (!raw.write(frame(e))) await new Promise((resolve) => raw.once('drain', resolve));
        if (isClosed()) return;
      }
      if (events.length < BATCH) return;
    }
  }

  /**
   * A comment line; and the credentials are checked again, so a stream ends when its login token
   * expires or its key is revoked, with the problem as an `error` event the client can act on.
   */
  private async heartbeat(req: FastifyRequest, raw: NodeJS.WritableStream, sub: Subscriber, permission: string): Promise<void> {
    try {
      const principal = await this.auth.authenticate(req.headers.authorization);
      requirePermission(principal, permission);
      raw.write(`: heartbeat ${new Date().toISOString()}\n\n`);
    } catch (err) {
      if (!(err instanceof MesProblem)) return; // the database is away: keep the stream, check next time
      raw.write(`event: error\ndata: ${JSON.stringify(problemBody(err, req.url.split('?')[0], req.traceId))}\n\n`);
      sub.close('credentials');
    }
  }

  private subscribe(sub: Subscriber): void {
    this.all.add(sub);
    let watcher = this.tenants.get(sub.tenantId);
    if (!watcher) {
      const w = { subscribers: new Set<Subscriber>(), head: sub.cursor, timer: setInterval(() => void this.poll(sub.tenantId), this.opts.pollMs) };
      this.tenants.set(sub.tenantId, w);
      watcher = w;
    }
    watcher.subscribers.add(sub);
  }

  private unsubscribe(sub: Subscriber): void {
    this.all.delete(sub);
    const watcher = this.tenants.get(sub.tenantId);
    if (!watcher) return;
    watcher.subscribers.delete(sub);
    if (watcher.subscribers.size === 0) {
      clearInterval(watcher.timer);
      this.tenants.delete(sub.tenantId);
    }
  }

  private async poll(tenantId: string): Promise<void> {
    const watcher = this.tenants.get(tenantId);
    if (!watcher) return;
    let head: number;
    try {
      head = await readHead(this.db, tenantId);
    } catch {
      return; // the database is away; the next tick tries again and the streams stay open
    }
    if (head === watcher.head) return;
    watcher.head = head;
    for (const sub of watcher.subscribers) if (sub.cursor < head) sub.pump();
  }
}

/** One event as an SSE frame: `id` is the seq (what Last-Event-ID resumes from), `data` the event. */
function frame(e: StreamedEvent): string {
  return `id: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`;
}

const shared = new WeakMap<AppContext, EventStreams>();

/**
 * The app's one set of event streams, whatever route serves them (GET /v1/events/stream, the
 * production board's feed): one outbox watcher per tenant, one gauge, closed once at shutdown.
 */
export function eventStreamsOf(app: MesApp, ctx: AppContext): EventStreams {
  const known = shared.get(ctx);
  if (known) return known;
  const streams = new EventStreams(ctx.db, ctx.auth, { pollMs: ctx.config.eventStreamPollMs, heartbeatMs: ctx.config.eventStreamHeartbeatMs });
  shared.set(ctx, streams);
  ctx.metrics.gauge('mes_event_streams_open', 'Event streams (GET /v1/events/stream and the production feed) open on this replica', () => streams.open);
  // Before the listener waits for in-flight requests: an open stream would otherwise hold it open.
  app.addHook('preClose', async () => streams.closeAll());
  return streams;
}

/** Where a stream starts: after=, else the Last-Event-ID header a reconnecting EventSource sends, else from now on (undefined). */
export function streamStart(req: FastifyRequest, after: number | undefined): number | undefined {
  const lastEventId = req.headers['last-event-id'];
  if (after !== undefined || typeof lastEventId !== 'string' || lastEventId === '') return after;
  if (!/^\d{1,15}$/.test(lastEventId)) throw badRequest('VALIDATION_FAILED', 'Last-Event-ID must be the seq of an event', [fieldError('last-event-id', 'PATTERN', 'must be a whole number', 'header')]);
  return Number(lastEventId);
}
