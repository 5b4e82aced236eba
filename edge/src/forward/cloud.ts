import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { gzipSync } from 'node:zlib';
import { signatureHeaders } from './signing.js';

export interface CloudAnswer {
  status: number;
  /** Parsed JSON body (a problem+json on errors); undefined when there was none. */
  body: unknown;
  /** The problem's code on an error answer. */
  code?: string;
}

export interface CloudOptions {
  baseUrl: string;
  /** `<tenant id>.<gateway code>` */
  gateway: string;
  key: KeyObject;
  /** PEM bundle of the CA that issued the MES's TLS certificate (private PKI). */
  caFile?: string;
  timeoutMs: number;
}

/** The gateway's only way to the MES: every request signed, over one keep-alive connection pool. */
export class CloudClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(private readonly opts: CloudOptions) {
    this.base = new URL(opts.baseUrl);
    this.agent = this.base.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, maxSockets: 2, ca: opts.caFile ? readFileSync(opts.caFile) : undefined })
      : new http.Agent({ keepAlive: true, maxSockets: 2 });
  }

  /**
   * A signed request. `body` is JSON bytes (the empty string for GET), gzipped when asked; the
   * signature covers the bytes as sent. Rejects only when no answer came (network, timeout).
   */
  request(method: 'GET' | 'POST', path: string, body: Buffer = Buffer.alloc(0), gzip = false): Promise<CloudAnswer> {
    const sent = gzip && body.length ? gzipSync(body, { level: 1 }) : body;
    const headers: Record<string, string> = {
      ...signatureHeaders(this.opts.key, this.opts.gateway, sent),
      accept: 'application/json',
      ...(method === 'POST' ? { 'content-type': 'application/json', 'content-length': String(sent.length) } : {}),
      ...(gzip && body.length ? { 'content-encoding': 'gzip' } : {}),
    };
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, agent: this.agent, timeout: this.opts.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve(answer(res.statusCode ?? 0, Buffer.concat(chunks))));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from ${url.origin} within ${this.opts.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(method === 'POST' ? sent : undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function answer(status: number, raw: Buffer): CloudAnswer {
  let body: unknown;
  try {
    body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    body = raw.toString('utf8');
  }
  const code = status >= 400 && body && typeof body === 'object' ? ((body as { code?: string }).code ?? undefined) : undefined;
  return { status, body, code };
}
