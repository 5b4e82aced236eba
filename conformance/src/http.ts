/** The target MES, reached only over HTTP. Every request is logged (never its credentials). */
export interface HttpResponse {
  status: number;
  /** The body as sent (a file download), and as UTF-8 text. */
  bytes: Uint8Array;
  text: string;
  json: any;
  headers: Headers;
  ms: number;
}

export interface RequestOptions {
  key?: string;
  /** JSON, or bytes (a file upload) sent as they are, as application/octet-stream unless headers say otherwise. */
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
}

export class HttpTarget {
  readonly baseUrl: string;
  readonly log: string[] = [];
  requests = 0;

  constructor(baseUrl: string, private readonly timeoutMs = 30_000) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** Load is only ever sent to a target on this machine. */
  get loopback(): boolean {
    const host = new URL(this.baseUrl).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  }

  url(path: string, query?: RequestOptions['query']): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const t0 = performance.now();
    this.requests++;
    const binary = opts.body instanceof Uint8Array;
    const res = await fetch(this.url(path, opts.query), {
      method,
      headers: {
        ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
        ...(opts.body !== undefined ? { 'content-type': binary ? 'application/octet-stream' : 'application/json' } : {}),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : binary ? (opts.body as Uint8Array<ArrayBuffer>) : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const ms = performance.now() - t0;
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const code = typeof (json as { code?: unknown })?.code === 'string' ? ` ${(json as { code: string }).code}` : '';
    this.log.push(`${new Date().toISOString()} ${method} ${path} -> ${res.status}${code} ${ms.toFixed(1)}ms`);
    return { status: res.status, bytes, text, json, headers: res.headers, ms };
  }
}

export interface StreamRead {
  status: number;
  contentType: string | null;
  /** The data frames, parsed as JSON. */
  events: any[];
  /** The response body when the target refused to stream. */
  json: any;
}

/**
 * Reads a Server-Sent Events stream of the target until `enough` says so or `timeoutMs` passes,
 * then hangs up. A stream never ends by itself, so the timeout is the normal end of a read that
 * waits for events that do not come.
 */
export async function readEventStream(
  target: HttpTarget, path: string, opts: RequestOptions & { enough: (events: any[]) => boolean; timeoutMs: number },
): Promise<StreamRead> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
  const t0 = performance.now();
  target.requests++;
  const out: StreamRead = { status: 0, contentType: null, events: [], json: undefined };
  try {
    const res = await fetch(target.url(path, opts.query), {
      headers: { accept: 'text/event-stream', ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...opts.headers },
      signal: abort.signal,
    });
    out.status = res.status;
    out.contentType = res.headers.get('content-type');
    if (res.status !== 200) {
      const text = await res.text();
      out.json = text ? JSON.parse(text) : undefined;
      return out;
    }
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (!opts.enough(out.events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
        buffer = buffer.slice(end + 2);
        if (data.length) out.events.push(JSON.parse(data.join('\n')));
      }
    }
    return out;
  } catch (err) {
    if (abort.signal.aborted) return out;
    throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
    target.log.push(`${new Date().toISOString()} GET ${path} (stream) -> ${out.status} ${out.events.length} events ${(performance.now() - t0).toFixed(1)}ms`);
  }
}
