/**
 * A tiny loopback HTTP proxy in front of the real test server, to make the network misbehave on
 * cue: drop a connection after the server has applied the request, answer 503 itself, or never
 * answer. Every request it sees is recorded, so a test can check what the client actually sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * forward: pass through. drop-after-forward: let the server apply it, then cut the client's
 * connection instead of answering. hang: never answer. Or answer with a canned response.
 */
export type ProxyAction = 'forward' | 'drop-after-forward' | 'hang' | { status: number; headers?: Record<string, string>; body?: string };

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  action: ProxyAction;
  /** The real server's answer, when the request was forwarded. */
  upstream?: { status: number; headers: http.IncomingHttpHeaders; body: string };
}

export interface TestProxy {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** `decide` picks what to do with each request; `index` counts requests of that method. */
export async function startProxy(target: string, decide: (req: { method: string; path: string }, index: number) => ProxyAction): Promise<TestProxy> {
  const seen: SeenRequest[] = [];
  const perMethod = new Map<string, number>();
  const server = http.createServer(async (req, res) => {
    const body = await readAll(req);
    const method = req.method ?? 'GET';
    const index = perMethod.get(method) ?? 0;
    perMethod.set(method, index + 1);
    const action = decide({ method, path: req.url ?? '/' }, index);
    const record: SeenRequest = { method, path: req.url ?? '/', headers: req.headers, body, action };
    seen.push(record);
    if (action === 'hang') return;
    if (typeof action === 'object') {
      res.writeHead(action.status, action.headers).end(action.body ?? '');
      return;
    }
    record.upstream = await forward(target, req, body);
    if (action === 'drop-after-forward') {
      req.socket.destroy();
      return;
    }
    res.writeHead(record.upstream.status, stripHopByHop(record.upstream.headers)).end(record.upstream.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

function forward(target: string, req: http.IncomingMessage, body: string): Promise<NonNullable<SeenRequest['upstream']>> {
  const url = new URL(req.url ?? '/', target);
  const headers = { ...req.headers, host: url.host };
  return new Promise((resolve, reject) => {
    const upstream = http.request(url, { method: req.method, headers, agent: false }, async (res) => {
      resolve({ status: res.statusCode ?? 502, headers: res.headers, body: await readAll(res) });
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function stripHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...rest } = headers;
  return rest;
}
