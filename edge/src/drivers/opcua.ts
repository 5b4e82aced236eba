import { join } from 'node:path';
import { format } from 'node:util';
import type { ClientSession, ClientSubscription, DataValue, OPCUAClient, OPCUACertificateManager } from 'node-opcua';
import type { ConfigProblem, DeviceConfig, PointConfig } from '../config.js';
import type { PointValue, Quality } from '../record.js';
import { need, type Driver, type DriverContext, type DriverDefinition } from './driver.js';

const SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
type SecurityMode = (typeof SECURITY_MODES)[number];

interface OpcuaConnection {
  endpointUrl: string;
  securityMode?: SecurityMode;
  /** Default Basic256Sha256 when signing; None without security. */
  securityPolicy?: string;
  username?: string;
  password?: string;
  publishingIntervalMs?: number;
  /** Trust a server certificate seen for the first time (else it waits in pki/rejected). */
  acceptUnknownCertificate?: boolean;
}

/**
 * OPC UA client subscriptions. Connection: `{ endpointUrl, securityMode?: None|Sign|SignAndEncrypt,
 * securityPolicy?, username?, password?, publishingIntervalMs?, acceptUnknownCertificate? }`; a
 * point's source: `{ nodeId, samplingMs? }`. The gateway's application certificate and its trust
 * lists live under `<dataDir>/pki/opcua` (created on first start). The client reconnects forever
 * and re-creates its subscription after a reconnect.
 */
export const opcuaDriver: DriverDefinition = {
  protocol: 'opcua',
  validate(device: DeviceConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    need(device.connection, 'endpointUrl', 'string', 'connection', problems);
    const mode = device.connection.securityMode;
    if (mode !== undefined && !SECURITY_MODES.includes(mode as SecurityMode)) problems.push({ field: 'connection.securityMode', message: 'must be None, Sign or SignAndEncrypt' });
    device.points.forEach((p, i) => need(p.source, 'nodeId', 'string', `points[${i}].source`, problems));
    return problems;
  },
  create: (ctx) => new OpcuaDriver(ctx),
};

type NodeOpcua = typeof import('node-opcua');

/**
 * node-opcua, loaded on first use (it is large and many gateways have no OPC UA device), with its
 * own log lines sent to stderr: stdout belongs to the command's output (--json).
 */
export async function loadNodeOpcua(): Promise<NodeOpcua> {
  // Set before node-opcua loads: some of its checks log while it loads. Same module instance
  // (node-opcua-debug is pinned to node-opcua's own version).
  const debug = await import('node-opcua-debug');
  const toStderr = (at: unknown, ...args: unknown[]) => void process.stderr.write(`node-opcua ${(at as { filename?: string })?.filename ?? ''}: ${format(...args)}\n`);
  debug.setWarningLogger(toStderr);
  debug.setErrorLogger(toStderr);
  debug.setDebugLogger(toStderr);
  debug.setTraceLogger(toStderr);
  return import('node-opcua');
}

class OpcuaDriver implements Driver {
  private ua?: NodeOpcua;
  private client?: OPCUAClient;
  private session?: ClientSession;
  private subscription?: ClientSubscription;
  private certificates?: OPCUACertificateManager;
  private stopped = false;
  private readonly conn: OpcuaConnection;

  constructor(private readonly ctx: DriverContext) {
    this.conn = ctx.device.connection as unknown as OpcuaConnection;
  }

  async start(): Promise<void> {
    const ua = (this.ua = await loadNodeOpcua());
    this.certificates = new ua.OPCUACertificateManager({
      rootFolder: join(this.ctx.dataDir, 'pki', 'opcua'),
      automaticallyAcceptUnknownCertificate: this.conn.acceptUnknownCertificate ?? false,
    });
    await this.certificates.initialize();
    const mode = this.conn.securityMode ?? 'None';
    const policy = this.conn.securityPolicy ?? (mode === 'None' ? 'None' : 'Basic256Sha256');
    this.client = ua.OPCUAClient.create({
      applicationName: 'mes-edge',
      securityMode: ua.MessageSecurityMode[mode],
      securityPolicy: (ua.SecurityPolicy as Record<string, string>)[policy] as never,
      endpointMustExist: false,
      keepSessionAlive: true,
      clientCertificateManager: this.certificates,
      connectionStrategy: { maxRetry: -1, initialDelay: 500, maxDelay: 10_000 },
    });
    this.client.on('connection_lost', () => this.ctx.connection('disconnected', 'connection lost'));
    this.client.on('connection_reestablished', () => this.ctx.connection('connected'));
    this.client.on('backoff', (n: number, delay: number) => this.ctx.connection('connecting', `attempt ${n}, next in ${delay} ms`));
    this.ctx.connection('connecting');
    // Connects in the background: a device that is off must not hold up the gateway.
    void this.connect().catch((err) => {
      if (this.stopped) return;
      // Refused for good (a wrong password, an untrusted certificate): an operator must act.
      this.ctx.connection('disconnected', (err as Error).message);
      this.ctx.log.error('opcua connect failed', { device: this.ctx.device.device, error: (err as Error).message });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.terminate().catch(() => {});
    await this.session?.close().catch(() => {});
    await this.client?.disconnect().catch(() => {});
    await this.certificates?.dispose().catch(() => {});
  }

  async write(point: PointConfig, value: PointValue): Promise<void> {
    const ua = this.ua!;
    if (!this.session) throw new Error(`device ${this.ctx.device.device} is not connected`);
    const nodeId = point.source.nodeId as string;
    // The node's own data type: a Double setpoint must be written as a Double, an Int32 as an Int32.
    const current = await this.session.read({ nodeId, attributeId: ua.AttributeIds.Value });
    const dataType = current.value.dataType;
    const raw = typeof value === 'number' ? (value - (point.scale?.offset ?? 0)) / (point.scale?.factor ?? 1) : value;
    const status = await this.session.write({ nodeId, attributeId: ua.AttributeIds.Value, value: { value: { dataType, value: raw } } });
    if (!status.isGood()) throw new Error(`OPC UA write of ${nodeId} answered ${status.name}`);
  }

  private async connect(): Promise<void> {
    const ua = this.ua!;
    await this.client!.connect(this.conn.endpointUrl);
    if (this.stopped) return;
    const identity = this.conn.username
      ? { type: ua.UserTokenType.UserName, userName: this.conn.username, password: this.conn.password ?? '' } as const
      : undefined;
    this.session = await this.client!.createSession(identity);
    this.ctx.connection('connected');
    this.subscription = ua.ClientSubscription.create(this.session, {
      requestedPublishingInterval: this.conn.publishingIntervalMs ?? 500,
      requestedLifetimeCount: 120,
      requestedMaxKeepAliveCount: 10,
      maxNotificationsPerPublish: 1000,
      publishingEnabled: true,
      priority: 10,
    });
    for (const p of this.ctx.device.points) this.monitor(p);
  }

  private monitor(p: PointConfig): void {
    const ua = this.ua!;
    const item = ua.ClientMonitoredItem.create(
      this.subscription!,
      { nodeId: p.source.nodeId as string, attributeId: ua.AttributeIds.Value },
      { samplingInterval: (p.source.samplingMs as number | undefined) ?? 250, discardOldest: true, queueSize: 10 },
      ua.TimestampsToReturn.Both,
    );
    item.on('changed', (dv: DataValue) => this.onChange(p, dv));
    item.on('err', (message: string) => this.ctx.badInput(p.point, 'READ_FAILED', message));
  }

  private onChange(p: PointConfig, dv: DataValue): void {
    const tsMs = (dv.sourceTimestamp ?? dv.serverTimestamp)?.getTime() ?? Date.now();
    const int64 = dv.value.dataType === this.ua!.DataType.Int64 || dv.value.dataType === this.ua!.DataType.UInt64;
    this.ctx.reading(p.point, int64 ? fromInt64(dv.value.value as [number, number]) : dv.value.value, { tsMs, quality: qualityOf(dv.statusCode.value) });
  }
}

/** Good, uncertain or bad from the severity bits of an OPC UA status code. */
function qualityOf(status: number): Quality {
  const severity = status >>> 30;
  return severity === 0 ? 'good' : severity === 1 ? 'uncertain' : 'bad';
}

/** node-opcua gives 64-bit integers as [high, low] pairs. */
function fromInt64([high, low]: [number, number]): number {
  return high * 2 ** 32 + low;
}
