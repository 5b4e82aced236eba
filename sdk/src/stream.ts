import { MesError } from './errors.js';
import { parseJson, type HttpCore } from './http.js';
import type { OutboxEvent, Problem } from './types.js';

export interface EventStreamQuery {
  /** Start after this seq; default: only events committed from now on. */
  after?: number;
  /** An exact type, or a prefix ending in * (`stock.*`). */
  type?: string;
}

export interface ProductionFeedQuery {
  /** Start after this seq: the `lastSeq` of `production.progress()`, so no change is missed or seen twice. Default: from now on. */
  after?: number;
  /** Only this workshop's changes. */
  workshopId?: string;
}

export interface EventStreamOptions {
  /** Ends the stream: the iterator returns. */
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Called when the stream is connected, and when it lost its connection and waits to reconnect. */
  onState?(state: 'open' | 'reconnecting', error?: unknown): void;
  /** Waits before reconnecting; the server's `retry:` field replaces the first. Default 1 000 ms, doubling to 15 s. */
  retryMs?: number;
}

const MAX_RETRY_MS = 15_000;

/** 4xx answers other than 429 are refusals: reconnecting would be refused again. */
function isRefusal(err: unknown): boolean {
  return err instanceof MesError && err.status >= 400 && err.status < 500 && err.status !== 429;
}

/** GET /v1/events/stream. */
export function streamEvents(http: HttpCore, query: EventStreamQuery = {}, options: EventStreamOptions = {}): AsyncGenerator<OutboxEvent> {
  return streamOutbox(http, '/v1/events/stream', { type: query.type }, query.after, options);
}

/** GET /v1/production-progress/feed: the shop-floor changes an e-kanban board follows, with the same reconnection. */
export function streamProductionFeed(http: HttpCore, query: ProductionFeedQuery = {}, options: EventStreamOptions = {}): AsyncGenerator<OutboxEvent> {
  return streamOutbox(http, '/v1/production-progress/feed', { workshopId: query.workshopId }, query.after, options);
}

/**
 * An outbox event stream at `path`, parsed frame by frame, reconnecting with Last-Event-ID after a
 * lost connection, a 5xx or the server closing the stream (shutdown). EventSource cannot send an
 * Authorization header, so this reads the stream with fetch.
 */
async function* streamOutbox(http: HttpCore, path: string, filter: Record<string, string | undefined>, after: number | undefined, options: EventStreamOptions): AsyncGenerator<OutboxEvent> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) return;
  let lastId: number | undefined = after;
  let delay = options.retryMs ?? 1_000;
  try {
    while (!stop.signal.aborted) {
      let failure: unknown;
      try {
        const res = await http.openStream(
          { path, query: { ...filter, after: lastId } },
          options.headers ?? {},
          stop.signal,
        );
        options.onState?.('open');
        delay = options.retryMs ?? 1_000;
        for await (const frame of frames(res.body!, stop.signal)) {
          if (frame.retry !== undefined) delay = frame.retry;
          if (frame.event === 'error') throw problemError(frame.data);
          if (frame.data === undefined) continue;
          const event = JSON.parse(frame.data) as OutboxEvent;
          lastId = event.seq;
          yield event;
        }
      } catch (err) {
        if (stop.signal.aborted) return;
        if (isRefusal(err)) throw err;
        failure = err;
      }
      if (stop.signal.aborted) return;
      // The server ended the stream (shutdown) or the connection broke: wait, then resume after lastId.
      options.onState?.('reconnecting', failure);
      await sleep(delay, stop.signal);
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

interface Frame {
  event?: string;
  data?: string;
  id?: string;
  retry?: number;
}

/** The SSE wire format: frames separated by a blank line; `field: value` lines; `:` comments. */
async function* frames(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<Frame> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const cancel = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', cancel, { once: true });
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const frame = parseFrame(block);
        if (frame) yield frame;
      }
    }
  } finally {
    signal.removeEventListener('abort', cancel);
    cancel();
  }
}

function parseFrame(block: string): Frame | undefined {
  const frame: Frame = {};
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') frame.event = value;
    else if (field === 'id') frame.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) frame.retry = Number(value);
  }
  if (data.length) frame.data = data.join('\n');
  return frame.data !== undefined || frame.retry !== undefined || frame.event !== undefined ? frame : undefined;
}

/** The server's `error` event carries the problem that ended the stream (an expired token). */
function problemError(data: string | undefined): MesError {
  const problem = parseJson(data ?? '') as Problem | undefined;
  return new MesError({
    message: `${problem?.code ?? 'STREAM_ERROR'}: ${problem?.detail ?? 'the server ended the event stream'}`,
    status: problem?.status ?? 0,
    code: problem?.code ?? 'STREAM_ERROR',
    traceId: problem?.traceId,
    fields: problem?.errors ?? [],
    problem,
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
