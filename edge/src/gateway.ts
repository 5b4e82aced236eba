import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DeviceConfig, GatewayConfig } from './config.js';
import type { BadInputReason, ConnectionState, Driver } from './drivers/driver.js';
import { driverFor } from './drivers/registry.js';
import { CloudClient } from './forward/cloud.js';
import { Forwarder } from './forward/forwarder.js';
import { Management, type CloudConfig, type Command } from './forward/management.js';
import { loadPrivateKey } from './forward/signing.js';
import { Journal, JournalFullError } from './journal/journal.js';
import { jsonLogger, type Logger } from './log.js';
import { EdgeMetrics } from './metrics.js';
import type { AlarmChange } from './processing/alarms.js';
import { DevicePipeline } from './processing/pipeline.js';
import type { Reading } from './record.js';

interface DeviceRuntime {
  config: DeviceConfig;
  driver: Driver;
  pipeline: DevicePipeline;
  connection: ConnectionState;
  connectionDetail?: string;
  readings: number;
  /** point → reason → count */
  badInput: Map<string, Map<BadInputReason, number>>;
}

export interface DeviceStatus {
  device: string;
  protocol: string;
  connection: ConnectionState;
  connectionDetail?: string;
  readings: number;
  badInput: Array<{ point: string; reason: BadInputReason; count: number }>;
}

/**
 * The edge gateway: drivers → edge processing → journal → forwarder, plus management (heartbeat,
 * config, commands) and /healthz, /readyz, /metrics, /status.
 */
export class Gateway {
  readonly metrics: EdgeMetrics;
  readonly journal: Journal;
  private readonly cloud: CloudClient;
  private readonly forwarder: Forwarder;
  private readonly management: Management;
  private readonly log: Logger;
  private readonly devices = new Map<string, DeviceRuntime>();
  private readonly activeAlarms = new Map<string, { device: string; point: string; code: string; grade?: string; since: string; measured: number }>();
  private queue: Reading[] = [];
  private flushScheduled = false;
  private configVersion = 0;
  private server?: http.Server;
  private ticker?: NodeJS.Timeout;
  private ready = false;
  private readonly startedAt = Date.now();

  private constructor(readonly config: GatewayConfig, log?: Logger) {
    this.log = log ?? jsonLogger({ gateway: config.gatewayId });
    this.journal = Journal.open({ dir: config.journalDir, fsync: config.fsync, ...config.journal });
    this.metrics = new EdgeMetrics(() => this.journal.stats());
    this.cloud = new CloudClient({ baseUrl: config.cloudUrl, gateway: config.gatewayId, key: loadPrivateKey(config.keyFile), caFile: config.tls?.caFile, timeoutMs: config.forward.timeoutMs });
    this.forwarder = new Forwarder(this.journal, this.cloud, config.forward, this.metrics, this.log);
    this.management = new Management(this.cloud, { heartbeatMs: config.heartbeatMs, pullConfig: config.pullConfig }, {
      status: () => this.status() as unknown as Record<string, unknown>,
      configVersion: () => this.configVersion,
      applyConfig: (c) => this.applyConfig(c),
      execute: (c) => this.execute(c),
    }, this.metrics, this.log);
    this.forwarder.onConfigVersion = (v) => void this.management.configAnnounced(v);
  }

  /** Starts everything; the device map is the last one pulled from the MES, else the file's. */
  static async start(config: GatewayConfig, opts: { log?: Logger } = {}): Promise<Gateway> {
    const g = new Gateway(config, opts.log);
    try {
      await g.listen();
      const cached = config.pullConfig ? g.cachedConfig() : undefined;
      await g.startDevices(cached?.devices ?? config.devices, cached?.version ?? 0);
      g.forwarder.start();
      if (config.heartbeatMs > 0) g.management.start();
      g.ticker = setInterval(() => g.tick(), 1000);
      g.ready = true;
      g.log.info('gateway started', { devices: g.devices.size, configVersion: g.configVersion, journal: g.journal.stats(), http: g.httpAddress() });
      return g;
    } catch (err) {
      await g.stop();
      throw err;
    }
  }

  /** Stops readings first, writes what is queued, then stops uploading and closes the journal. */
  async stop(): Promise<void> {
    this.ready = false;
    clearInterval(this.ticker);
    await this.management.stop();
    await this.stopDevices();
    await this.flush();
    await this.forwarder.stop();
    this.journal.close();
    this.cloud.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  httpAddress(): { host: string; port: number } | undefined {
    const a = this.server?.address() as AddressInfo | null | undefined;
    return a ? { host: a.address, port: a.port } : undefined;
  }

  status() {
    return {
      gatewayId: this.config.gatewayId,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      configVersion: this.configVersion,
      devices: [...this.devices.values()].map(deviceStatus),
      journal: this.journal.stats(),
      forwarder: this.forwarder.status(),
      alarms: [...this.activeAlarms.values()],
    };
  }

  private async startDevices(devices: DeviceConfig[], version: number): Promise<void> {
    this.configVersion = version;
    this.metrics.configVersion.set(version);
    for (const config of devices) {
      const rt: DeviceRuntime = { config, connection: 'connecting', readings: 0, badInput: new Map() } as DeviceRuntime;
      rt.pipeline = new DevicePipeline(config, {
        records: (r) => this.enqueue(r),
        badInput: (point, reason, detail) => this.badInput(rt, point, reason, detail),
        alarm: (point, change, tsMs) => this.alarm(config.device, point, change, tsMs),
      });
      rt.driver = driverFor(config.protocol).create({
        device: config,
        brokerUrl: this.config.brokerUrl,
        dataDir: this.config.dataDir,
        log: this.log,
        reading: (point, value, o) => {
          rt.readings++;
          this.metrics.readings.inc({ device: config.device });
          rt.pipeline.ingest(point, value, o?.tsMs ?? Date.now(), o?.quality);
        },
        badInput: (point, reason, detail) => this.badInput(rt, point, reason, detail),
        connection: (state, detail) => {
          rt.connection = state;
          rt.connectionDetail = detail;
          this.metrics.connected.set({ device: config.device, protocol: config.protocol }, state === 'connected' ? 1 : 0);
        },
      });
      this.devices.set(config.device, rt);
      await rt.driver.start();
    }
  }

  private async stopDevices(): Promise<void> {
    await Promise.all([...this.devices.values()].map((d) => d.driver.stop().catch((err) => this.log.warn('driver stop failed', { device: d.config.device, error: (err as Error).message }))));
    this.devices.clear();
  }

  private async applyConfig(c: CloudConfig): Promise<void> {
    await this.stopDevices();
    await this.startDevices(c.devices, c.version);
    const file = join(this.config.dataDir, 'cloud-config.json');
    mkdirSync(this.config.dataDir, { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(c));
    renameSync(`${file}.tmp`, file);
  }

  private cachedConfig(): CloudConfig | undefined {
    const file = join(this.config.dataDir, 'cloud-config.json');
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as CloudConfig;
    } catch (err) {
      this.log.warn('cached cloud config unreadable; using the file', { error: (err as Error).message });
      return undefined;
    }
  }

  private async execute(c: Command): Promise<{ ok: boolean; error?: string }> {
    const d = this.devices.get(c.device);
    if (!d) return { ok: false, error: `UNKNOWN_DEVICE: ${c.device} is not on this gateway` };
    const point = d.config.points.find((p) => p.point === c.point);
    if (!point) return { ok: false, error: `UNKNOWN_POINT: ${c.device} has no point ${c.point}` };
    if (!point.writable) return { ok: false, error: `NOT_WRITABLE: ${c.device}.${c.point} is not writable` };
    if (!d.driver.write) return { ok: false, error: `NOT_SUPPORTED: ${d.config.protocol} cannot write` };
    try {
      await d.driver.write(point, c.value);
      return { ok: true };
    } catch (err) {
      return { ok: false, error: `WRITE_FAILED: ${(err as Error).message}` };
    }
  }

  /** Readings of one event-loop turn go to the journal in one append. */
  private enqueue(readings: Reading[]): void {
    this.queue.push(...readings);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    try {
      await this.journal.append(batch);
      this.metrics.journaled.inc(batch.length);
    } catch (err) {
      if (!(err instanceof JournalFullError)) throw err;
      this.metrics.refused.inc(batch.length);
      this.log.error('journal full: records refused', { records: batch.length });
    }
  }

  private badInput(d: DeviceRuntime, point: string, reason: BadInputReason, detail?: string): void {
    const byReason = d.badInput.get(point) ?? new Map<BadInputReason, number>();
    d.badInput.set(point, byReason);
    const n = (byReason.get(reason) ?? 0) + 1;
    byReason.set(reason, n);
    this.metrics.badInput.inc({ device: d.config.device, point, reason });
    // The first of a kind and then every 100th: a chatty device must not flood the log.
    if (n === 1 || n % 100 === 0) this.log.warn('bad input from device', { device: d.config.device, point, reason, detail, count: n });
  }

  private alarm(device: string, point: string, change: AlarmChange, tsMs: number): void {
    const key = `${device}/${change.code}`;
    this.metrics.alarmActive.set({ device, alarm: change.code }, change.active ? 1 : 0);
    if (change.active) {
      this.metrics.alarms.inc({ device, point, alarm: change.code, grade: change.grade ?? '' });
      this.activeAlarms.set(key, { device, point, code: change.code, grade: change.grade, since: new Date(tsMs).toISOString(), measured: change.measured });
      this.log.warn('local alarm raised', { device, point, alarm: change.code, grade: change.grade, measured: change.measured });
    } else {
      this.activeAlarms.delete(key);
      this.log.info('local alarm cleared', { device, point, alarm: change.code, measured: change.measured });
    }
  }

  private tick(): void {
    const now = Date.now();
    for (const d of this.devices.values()) d.pipeline.tick(now);
  }

  private listen(): Promise<void> {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.config.httpPort, this.config.httpHost, () => resolve());
    });
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (path) {
      case '/healthz':
        return json(200, { status: 'ok', gatewayId: this.config.gatewayId });
      case '/readyz':
        return this.ready ? json(200, { ready: true }) : json(503, { ready: false });
      case '/status':
        return json(200, this.status());
      case '/metrics':
        res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
        return void res.end(await this.metrics.registry.metrics());
      default:
        return json(404, { code: 'NOT_FOUND' });
    }
  }
}

function deviceStatus(d: DeviceRuntime): DeviceStatus {
  const badInput = [...d.badInput].flatMap(([point, reasons]) => [...reasons].map(([reason, count]) => ({ point, reason, count })));
  return { device: d.config.device, protocol: d.config.protocol, connection: d.connection, connectionDetail: d.connectionDetail, readings: d.readings, badInput };
}
