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
