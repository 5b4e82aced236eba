import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { verifySignature } from '../../src/forward/signing.js';
import type { Command, CommandResult, CloudConfig } from '../../src/forward/management.js';
import type { TelemetryRecord } from '../../src/record.js';

/**
 * The MES side of the telemetry contract, as far as the gateway can tell: the checks of
 * `POST /v1/telemetry/batches` in the contract's order (gateway, signature, timestamp window,
 * batch replay, body), (gateway, seq) de-duplication and highestSeq; heartbeat, config and command
 * results. The equipment module's real routes replace it in end-to-end tests when they land.
 */
export class TestReceiver {
  /** Stored records by seq: a seq stored twice would be a duplicate in the database. */
  readonly stored = new Map<number, TelemetryRecord>();
  /** Records received in total, resends included. */
  received = 0;
  duplicates = 0;
  /** Codes of refused requests, in order. */
  readonly refusals: string[] = [];
  readonly heartbeats: Array<{ status: Record<string, unknown>; sentAt: string }> = [];
  readonly results: CommandResult[] = [];
  /** Commands handed out with the next heartbeat answer. */
  readonly queued: Command[] = [];
  config: CloudConfig = { version: 0, devices: [] };
  /** Devices the MES knows; records of others are rejected UNKNOWN_DEVICE (undefined: all known). */
  knownDevices?: Set<string>;
  batchesOk = 0;
  private readonly keys = new Map<string, KeyObject>();
  private readonly batches = new Map<number, { hash: string; answer: unknown }>();
  private server?: http.Server;
  private readonly waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  port = 0;

  /** With a key and certificate (PEM) the receiver speaks HTTPS. */
  constructor(private readonly tls?: { key: string; cert: string }) {}

  addGateway(gateway: string, publicKeyPem: string): void {
    this.keys.set(gateway, createPublicKey(publicKeyPem));
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  get highestSeq(): number {
    let max = 0;
    for (const s of this.stored.keys()) if (s > max) max = s;
    return max;
  }

  /** Starts listening (on the same port again after stop(), as a restarted MES would). */
  async start(): Promise<void> {
    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    };
    this.server = this.tls ? https.createServer(this.tls, onRequest) : http.createServer(onRequest);
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The MES goes away: connections are refused until start(). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Resolves once `test` holds (checked after every request). */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  private handle(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
      res.end(JSON.stringify(body));
      for (const w of [...this.waiters]) if (w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    };
    const refuse = (status: number, code: string) => {
      this.refusals.push(code);
      answer(status, { type: 'about:blank', status, title: code, code, detail: code });
    };
    const gateway = String(req.headers['x-mes-gateway'] ?? '');
    const key = this.keys.get(gateway);
    if (!key) return refuse(401, 'GATEWAY_UNKNOWN');
    const timestamp = String(req.headers['x-mes-timestamp'] ?? '');
    if (!verifySignature(key, gateway, timestamp, raw, String(req.headers['x-mes-signature'] ?? ''))) return refuse(401, 'SIGNATURE_INVALID');
    if (!(Math.abs(Date.parse(timestamp) - Date.now()) <= 300_000)) return refuse(401, 'SIGNATURE_EXPIRED');
    let body: Record<string, unknown>;
    try {
      const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      body = text.length ? JSON.parse(text.toString('utf8')) : {};
    } catch {
      return refuse(400, 'VALIDATION_FAILED');
    }
    const route = `${req.method} ${req.url}`;
    switch (route) {
      case 'POST /v1/telemetry/batches':
        return this.batch(raw, body, answer, refuse);
      case 'POST /v1/gateways/heartbeat':
        this.heartbeats.push(body as never);
        return answer(200, { configVersion: this.config.version, commands: this.queued.splice(0) });
      case 'GET /v1/gateways/config':
        return answer(200, this.config);
      case 'POST /v1/gateways/command-results':
        this.results.push(...((body.results as CommandResult[]) ?? []));
        return answer(200, { recorded: (body.results as unknown[]).length });
      default:
        return refuse(404, 'NOT_FOUND');
    }
  }

  private batch(raw: Buffer, body: Record<string, unknown>, answer: (s: number, b: unknown) => void, refuse: (s: number, c: string) => void): void {
    const hash = createHash('sha256').update(raw).digest('hex');
    const batchSeq = body.batchSeq as number;
    const before = this.batches.get(batchSeq);
    if (before) return before.hash === hash ? answer(200, before.answer) : refuse(409, 'BATCH_REPLAYED');
    const records = body.records as TelemetryRecord[];
    if (!Number.isInteger(batchSeq) || !Array.isArray(records) || records.length > 5000 || !records.every(validRecord)) return refuse(400, 'VALIDATION_FAILED');
    let accepted = 0;
    let duplicates = 0;
    const rejections: Array<{ device: string; point: string; seq: number; code: string }> = [];
    for (const r of records) {
      this.received++;
      if (this.stored.has(r.seq)) {
        duplicates++;
        this.duplicates++;
      } else if (this.knownDevices && !this.knownDevices.has(r.device)) {
        rejections.push({ device: r.device, point: r.point, seq: r.seq, code: 'UNKNOWN_DEVICE' });
      } else {
        this.stored.set(r.seq, r);
        accepted++;
      }
    }
    const result = { accepted, duplicates, rejected: rejections.length, highestSeq: this.highestSeq, rejections: rejections.slice(0, 100), configVersion: this.config.version };
    this.batches.set(batchSeq, { hash, answer: result });
    this.batchesOk++;
    answer(200, result);
  }
}

function validRecord(r: TelemetryRecord): boolean {
  return typeof r?.device === 'string' && typeof r.point === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.ts)
    && ['number', 'boolean', 'string'].includes(typeof r.value) && ['good', 'uncertain', 'bad'].includes(r.quality)
    && Number.isInteger(r.seq) && (r.unit === undefined || typeof r.unit === 'string');
}
