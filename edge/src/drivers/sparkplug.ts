import type { MqttClient } from 'mqtt';
import sparkplug from 'sparkplug-payload';
import type { ConfigProblem, DeviceConfig } from '../config.js';
import { need, type Driver, type DriverContext, type DriverDefinition } from './driver.js';
import { connectMqtt } from './mqtt-connect.js';

const codec = sparkplug.get('spBv1.0')!;
/** Between two births a node is asked to rebirth at most this often (a burst of gaps asks once). */
const REBIRTH_EVERY_MS = 2000;

interface Metric {
  name?: string;
  alias?: unknown;
  timestamp?: unknown;
  value: unknown;
}

/**
 * Sparkplug B, as a host application: one device of one edge node. The connection names the node
 * (`groupId`, `edgeNode`) and the Sparkplug device (`deviceId`; absent: the node's own metrics);
 * a point's source is `{ metric: "<metric name>" }`.
 *
 * Births (NBIRTH/DBIRTH) carry every metric's name and alias; data messages may carry aliases
 * only. Every message of the node carries `seq` (0..255, NBIRTH is 0); a gap, data before a birth
 * or an unknown alias makes the driver publish NCMD `Node Control/Rebirth`. NDEATH is honoured
 * only with the bdSeq of the current birth (a late death of an old session is ignored); a death
 * sends the last values again with quality `bad`.
 */
export const sparkplugDriver: DriverDefinition = {
  protocol: 'sparkplug',
  validate(device: DeviceConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    need(device.connection, 'groupId', 'string', 'connection', problems);
    need(device.connection, 'edgeNode', 'string', 'connection', problems);
    device.points.forEach((p, i) => need(p.source, 'metric', 'string', `points[${i}].source`, problems));
    return problems;
  },
  create: (ctx) => new SparkplugDriver(ctx),
};

class SparkplugDriver implements Driver {
  private client?: MqttClient;
  private readonly group: string;
  private readonly node: string;
  private readonly deviceId?: string;
  private readonly pointOf = new Map<string, string>();
  /** Alias → metric name, from the current births (aliases are unique per edge node). */
  private aliases = new Map<string, string>();
  private bdSeq: number | undefined;
  private expectedSeq: number | undefined;
  private lastRebirth = 0;
  private readonly lastValues = new Map<string, unknown>();

  constructor(private readonly ctx: DriverContext) {
    const c = ctx.device.connection as { groupId: string; edgeNode: string; deviceId?: string };
    this.group = c.groupId;
    this.node = c.edgeNode;
    this.deviceId = c.deviceId;
    for (const p of ctx.device.points) this.pointOf.set(p.source.metric as string, p.point);
  }

  async start(): Promise<void> {
    this.client = connectMqtt(this.ctx);
    // All of the node's messages, every device's: seq counts across all of them.
    const filters = [`spBv1.0/${this.group}/+/${this.node}`, `spBv1.0/${this.group}/+/${this.node}/+`];
    this.client.on('connect', () => {
      this.client!.subscribe(filters, { qos: 0 }, () => this.requestRebirth());
    });
    this.client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  async stop(): Promise<void> {
    await this.client?.endAsync(true);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const [, , type, , device] = topic.split('/');
    if (type === 'NCMD' || type === 'DCMD' || type === 'STATE') return;
    let msg: { seq?: unknown; timestamp?: unknown; metrics?: Metric[] };
    try {
      msg = codec.decodePayload(payload) as typeof msg;
    } catch (err) {
      return this.ctx.badInput('*', 'MALFORMED_PAYLOAD', `${topic}: ${(err as Error).message}`);
    }
    const metrics = msg.metrics ?? [];
    const mine = (device ?? undefined) === this.deviceId;
    if (type === 'NBIRTH') return this.onNodeBirth(msg, metrics, mine);
    if (type === 'NDEATH') return this.onNodeDeath(metrics);
    if (!this.checkSeq(msg.seq, topic)) return;
    if (type === 'DBIRTH' || type === 'DDATA' || type === 'NDATA') {
      if (type === 'DBIRTH') this.learnAliases(metrics);
      if (mine) this.emitMetrics(metrics, msg.timestamp);
    } else if (type === 'DDEATH' && mine) {
      this.emitStale();
    }
  }

  private onNodeBirth(msg: { seq?: unknown; timestamp?: unknown }, metrics: Metric[], mine: boolean): void {
    this.aliases = new Map();
    this.lastRebirth = 0; // the birth answered any request: a new problem may ask again at once
    this.learnAliases(metrics);
    this.bdSeq = num(metrics.find((m) => m.name === 'bdSeq')?.value);
    const seq = num(msg.seq);
    this.expectedSeq = ((seq ?? 0) + 1) % 256;
    if (mine) this.emitMetrics(metrics.filter((m) => m.name !== 'bdSeq'), msg.timestamp);
  }

  private onNodeDeath(metrics: Metric[]): void {
    const bdSeq = num(metrics.find((m) => m.name === 'bdSeq')?.value);
    if (this.bdSeq !== undefined && bdSeq !== undefined && bdSeq !== this.bdSeq) return;
    this.expectedSeq = undefined;
    this.emitStale();
  }

  /** False when the message cannot be trusted in order: counted, and a rebirth requested. */
  private checkSeq(raw: unknown, topic: string): boolean {
    const seq = num(raw);
    if (this.expectedSeq === undefined) {
      this.requestRebirth();
      return false;
    }
    if (seq !== this.expectedSeq) {
      this.ctx.badInput('*', 'SEQ_GAP', `${topic}: seq ${seq}, expected ${this.expectedSeq}`);
      this.expectedSeq = seq === undefined ? undefined : (seq + 1) % 256;
      this.requestRebirth();
      return seq !== undefined;
    }
    this.expectedSeq = (seq + 1) % 256;
    return true;
  }

  private learnAliases(metrics: Metric[]): void {
    for (const m of metrics) if (m.name && m.alias !== undefined) this.aliases.set(String(num(m.alias)), m.name);
  }

  private emitMetrics(metrics: Metric[], payloadTs: unknown): void {
    for (const m of metrics) {
      const name = m.name ?? this.aliases.get(String(num(m.alias)));
      if (name === undefined) {
        this.ctx.badInput(`alias:${num(m.alias)}`, 'UNKNOWN_POINT', 'alias not in any birth certificate');
        this.requestRebirth();
        continue;
      }
      const point = this.pointOf.get(name);
      if (point === undefined) {
        this.ctx.badInput(name, 'UNKNOWN_POINT', `metric ${name} is not in the point map`);
        continue;
      }
      if (m.value === null || m.value === undefined) {
        this.ctx.badInput(point, 'MISSING_VALUE', `metric ${name} is null`);
        continue;
      }
      this.lastValues.set(point, m.value);
      this.ctx.reading(point, m.value, { tsMs: num(m.timestamp) ?? num(payloadTs) ?? Date.now() });
    }
  }

  /** The device or its node died: its last values are no longer current. */
  private emitStale(): void {
    for (const [point, value] of this.lastValues) this.ctx.reading(point, value, { quality: 'bad' });
  }

  private requestRebirth(): void {
    const now = Date.now();
    if (!this.client?.connected || now - this.lastRebirth < REBIRTH_EVERY_MS) return;
    this.lastRebirth = now;
    const payload = codec.encodePayload({ timestamp: now, metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] });
    this.client.publish(`spBv1.0/${this.group}/NCMD/${this.node}`, Buffer.from(payload), { qos: 0 });
    this.ctx.log.info('sparkplug rebirth requested', { device: this.ctx.device.device, node: `${this.group}/${this.node}` });
  }
}

/** A Sparkplug integer (number or Long) as a number. */
function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v && typeof v === 'object' && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return undefined;
}
