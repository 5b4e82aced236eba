import { MesConnectionError, MesError, MesTimeoutError, errorFromResponse } from './errors.js';
import type { MutationOptions } from './types.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

export interface HttpConfig {
  baseUrl: string;
  authorization?: string;
  timeoutMs: number;
  retries: number;
  fetch: typeof fetch;
  /** Empty in browsers, which send their own. */
  userAgent: string;
}

export interface HttpRequest {
  method: Method;
  /** Path with its parameters already filled in. */
  path: string;
  query?: Record<string, unknown>;
  /** JSON, or bytes (a file upload) sent as they are with `contentType`. */
  body?: unknown;
  /** The Content-Type of a byte body; JSON bodies are application/json. */
  contentType?: string;
  options?: MutationOptions;
  /** Overrides the client's retries for this call. */
  retries?: number;
  /**
   * How to read a success: 'json' (the default) parses JSON; 'binary' returns the body's bytes and
   * content type as a BinaryBody (labels: image/png, image/svg+xml; CSV); 'stream' returns the body
   * unread as a StreamBody (a backup), the timeout then covering only the wait for its headers.
   * Errors are problems either way.
   */
  responseType?: 'json' | 'binary' | 'stream';
  /**
   * A request body sent as it is produced (a backup stream), instead of `body` as JSON. It cannot
   * be sent twice, so such a call is never retried; the server answers when it has applied it
   * (minutes for a large tenant), so the timeout covers only reading that answer. Abort with a signal.
   */
  upload?: { contentType: string; stream: AsyncIterable<Uint8Array> };
}

/** A success read as a stream: the body, unread, and the content type the server gave it. */
export interface StreamBody {
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

/** A success that is not JSON: the bytes as sent and the content type the server gave them. */
export interface BinaryBody {
  contentType: string;
  bytes: Uint8Array;
}

/** Backoff when the server gave no Retry-After: 300 ms, 600 ms, 1.2 s … up to 5 s, half of it random. */
const BACKOFF_BASE_MS = 300;
const BACKOFF_MAX_MS = 5_000;
/** A Retry-After longer than this is cut short, so a call never hangs for minutes. */
const RETRY_AFTER_CAP_SECONDS = 30;

/** The one place that talks HTTP: auth, timeouts, retries, idempotency keys, errors. */
export class HttpCore {
  constructor(private readonly config: HttpConfig) {}

  async request<T>(req: HttpRequest): Promise<T> {
    const url = this.urlOf(req);
    // Chosen once per call, so every retry of a POST carries the same key and the server applies it once.
    const idempotencyKey = req.method === 'POST' ? (req.options?.idempotencyKey ?? randomUuid()) : undefined;
    const init: RequestInit & { duplex?: 'half' } = {
      method: req.method,
      headers: this.headersOf(req, idempotencyKey),
      body: req.upload ? (req.upload.stream as unknown as BodyInit) : req.body === undefined ? undefined : req.body instanceof Uint8Array ? (req.body as Uint8Array<ArrayBuffer>) : JSON.stringify(req.body),
      ...(req.upload ? { duplex: 'half' } : {}),
    };
    const retries = req.upload ? 0 : req.retries ?? this.config.retries;
    const signal = req.options?.signal;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(url, init, signal, req.responseType ?? 'json', req.upload !== undefined);
      } catch (err) {
        const delay = attempt < retries ? retryDelayMs(err, req.method, attempt) : undefined;
        if (delay === undefined) throw err;
        await sleep(delay, signal);
      }
    }
  }

  /**
   * One attempt; the timeout covers the whole response, body included, but for streams: a streamed
   * response's timeout ends with its headers, and an upload's starts with them.
   */
  private async once<T>(url: string, init: RequestInit, signal: AbortSignal | undefined, responseType: 'json' | 'binary' | 'stream', uploading: boolean): Promise<T> {
    signal?.throwIfAborted();
    const attempt = new AbortController();
    let timer = uploading ? undefined : setTimeout(() => attempt.abort(), this.config.timeoutMs);
    const onAbort = () => attempt.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.config.fetch(url, { ...init, signal: attempt.signal });
      if (uploading) timer = setTimeout(() => attempt.abort(), this.config.timeoutMs);
      if (responseType === 'stream' && res.ok && res.body) {
        clearTimeout(timer);
        return { contentType: res.headers.get('content-type') ?? 'application/octet-stream', body: res.body } satisfies StreamBody as T;
      }
      if (responseType === 'binary' && res.ok) {
        const bytes = new Uint8Array(await res.arrayBuffer());
        return { contentType: res.headers.get('content-type') ?? 'application/octet-stream', bytes } satisfies BinaryBody as T;
      }
      const text = await res.text();
      if (!res.ok) throw errorFromResponse(res, parseJson(text) ?? text);
      return parseSuccess<T>(res, text);
    } catch (err) {
      if (err instanceof MesError) throw err;
      if (signal?.aborted) throw signal.reason;
      if (attempt.signal.aborted) throw new MesTimeoutError(url, this.config.timeoutMs);
      throw new MesConnectionError(url, err);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Opens a streaming GET (Server-Sent Events) and returns the response once its headers arrived:
   * the timeout covers only that, never the body, which lasts as long as the caller reads it.
   * A non-2xx answer throws its MesError.
   */
  async openStream(req: Pick<HttpRequest, 'path' | 'query' | 'options'>, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const url = this.urlOf({ method: 'GET', ...req });
    const connect = new AbortController();
    const timer = setTimeout(() => connect.abort(), this.config.timeoutMs);
    const onAbort = () => connect.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const h = this.headersOf({ method: 'GET', path: req.path, options: req.options }, undefined);
      h.set('accept', 'text/event-stream');
      for (const [name, value] of Object.entries(headers)) h.set(name, value);
      const res = await this.config.fetch(url, { method: 'GET', headers: h, signal: connect.signal });
      if (!res.ok) {
        const text = await res.text();
        throw errorFromResponse(res, parseJson(text) ?? text);
      }
      return res;
    } catch (err) {
      if (err instanceof MesError) throw err;
      if (signal.aborted) throw signal.reason;
      if (connect.signal.aborted) throw new MesTimeoutError(url, this.config.timeoutMs);
      throw new MesConnectionError(url, err);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private urlOf(req: HttpRequest): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined && value !== null) search.append(name, String(value));
    }
    const qs = search.toString();
    return `${this.config.baseUrl}${req.path}${qs ? `?${qs}` : ''}`;
  }

  private headersOf(req: HttpRequest, idempotencyKey: string | undefined): Headers {
    const accept = req.responseType === 'binary' || req.responseType === 'stream' ? '*/*' : 'application/json, application/problem+json';
    const headers = new Headers({ accept });
    // Browsers own the User-Agent header (and a set one would make every call a CORS preflight).
    if (this.config.userAgent) headers.set('user-agent', this.config.userAgent);
    if (this.config.authorization) headers.set('authorization', this.config.authorization);
    // Only with a body: the server refuses an empty body declared as JSON.
    if (req.upload) headers.set('content-type', req.upload.contentType);
    else if (req.body !== undefined) headers.set('content-type', req.body instanceof Uint8Array ? (req.contentType ?? 'application/octet-stream') : 'application/json');
    if (idempotencyKey) headers.set('idempotency-key', idempotencyKey);
    for (const [name, value] of Object.entries(req.options?.headers ?? {})) headers.set(name, value);
    return headers;
  }
}

/**
 * How long to wait before retrying, or undefined when the failure must not be retried.
 * 429 and 503 answers mean the server did not apply the request: always retried.
 * A lost connection or timeout may come after the server applied it: retried for GET (safe) and
 * POST (its Idempotency-Key makes the server replay instead of applying again) and PUT (a full
 * replacement: applying it twice leaves the same state), but not PATCH,
 * unless the connection provably never reached the server.
 */
export function retryDelayMs(err: unknown, method: Method, attempt: number): number | undefined {
  if (!(err instanceof MesError)) return undefined;
  if (err.status === 429 || err.status === 503) {
    return err.retryAfterSeconds === undefined ? backoffMs(attempt) : Math.min(err.retryAfterSeconds, RETRY_AFTER_CAP_SECONDS) * 1000;
  }
  if (err instanceof MesConnectionError && (method !== 'PATCH' || !err.mayHaveReachedServer)) return backoffMs(attempt);
  if (err instanceof MesTimeoutError && method !== 'PATCH') return backoffMs(attempt);
  return undefined;
}

/** Exponential with jitter, so clients that failed together do not retry together. */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A random (v4) UUID. crypto.randomUUID exists only in secure contexts: a console opened over
 * plain http on a factory LAN has crypto.getRandomValues alone.
 */
export function randomUuid(): string {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A 2xx that is not JSON came from something other than the MES (a proxy, a login page). */
function parseSuccess<T>(res: Response, text: string): T {
  const body = parseJson(text);
  if (body === undefined && text !== '') {
    throw new MesError({
      message: `UNEXPECTED_RESPONSE: ${res.url} answered ${res.status} with a body that is not JSON; is the base URL the MES API?`,
      status: res.status,
      code: 'UNEXPECTED_RESPONSE',
      requestId: res.headers.get('x-request-id') ?? undefined,
    });
  }
  return body as T;
}
