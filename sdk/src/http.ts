import { MesConnectionError, MesError, MesTimeoutError, errorFromResponse } from './errors.js';
import type { MutationOptions } from './types.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

export interface HttpConfig {
  baseUrl: string;
  authorization?: string;
  timeoutMs: number;
  retries: number;
  fetch: typeof fetch;
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
   * content type as a BinaryBody (labels: image/png, image/svg+xml; CSV). Errors are problems either way.
   */
  responseType?: 'json' | 'binary';
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
    const idempotencyKey = req.method === 'POST' ? (req.options?.idempotencyKey ?? crypto.randomUUID()) : undefined;
    const init: RequestInit = {
      method: req.method,
      headers: this.headersOf(req, idempotencyKey),
      body: req.body === undefined ? undefined : req.body instanceof Uint8Array ? (req.body as Uint8Array<ArrayBuffer>) : JSON.stringify(req.body),
    };
    const retries = req.retries ?? this.config.retries;
    const signal = req.options?.signal;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(url, init, signal, req.responseType ?? 'json');
      } catch (err) {
        const delay = attempt < retries ? retryDelayMs(err, req.method, attempt) : undefined;
        if (delay === undefined) throw err;
        await sleep(delay, signal);
      }
    }
  }

  /** One attempt; the timeout covers the whole response, body included. */
  private async once<T>(url: string, init: RequestInit, signal: AbortSignal | undefined, responseType: 'json' | 'binary'): Promise<T> {
    signal?.throwIfAborted();
    const attempt = new AbortController();
    const timer = setTimeout(() => attempt.abort(), this.config.timeoutMs);
    const onAbort = () => attempt.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.config.fetch(url, { ...init, signal: attempt.signal });
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

  private urlOf(req: HttpRequest): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined && value !== null) search.append(name, String(value));
    }
    const qs = search.toString();
    return `${this.config.baseUrl}${req.path}${qs ? `?${qs}` : ''}`;
  }

  private headersOf(req: HttpRequest, idempotencyKey: string | undefined): Headers {
    const accept = req.responseType === 'binary' ? '*/*' : 'application/json, application/problem+json';
    const headers = new Headers({ accept, 'user-agent': this.config.userAgent });
    if (this.config.authorization) headers.set('authorization', this.config.authorization);
    // Only with a body: the server refuses an empty body declared as JSON.
    if (req.body !== undefined) headers.set('content-type', req.body instanceof Uint8Array ? (req.contentType ?? 'application/octet-stream') : 'application/json');
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

function parseJson(text: string): unknown {
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
