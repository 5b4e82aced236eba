import type { MqttClient } from 'mqtt';
import type { ConfigProblem, DeviceConfig, PointConfig } from '../config.js';
import { need, type Driver, type DriverContext, type DriverDefinition } from './driver.js';
import { connectMqtt, topicMatches } from './mqtt-connect.js';

/**
 * MQTT topics with JSON payloads. A point's source: `{ topic, jsonPath?, tsPath? }`; jsonPath like
 * `$.spindle.speed` or `$.axes[0].load` (default `$`, the whole payload); tsPath, when given, holds
 * the reading's time as epoch ms or an RFC 3339 string.
 */
export const mqttDriver: DriverDefinition = {
  protocol: 'mqtt',
  validate(device: DeviceConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    device.points.forEach((p, i) => {
      need(p.source, 'topic', 'string', `points[${i}].source`, problems);
      const path = p.source.jsonPath;
      if (path !== undefined && (typeof path !== 'string' || parsePath(path) === undefined)) problems.push({ field: `points[${i}].source.jsonPath`, message: 'must look like $.a.b[0]' });
    });
    return problems;
  },
  create: (ctx) => new MqttJsonDriver(ctx),
};

class MqttJsonDriver implements Driver {
  private client?: MqttClient;

  constructor(private readonly ctx: DriverContext) {}

  async start(): Promise<void> {
    const qos = ((this.ctx.device.connection.qos as number | undefined) ?? 1) as 0 | 1;
    const topics = [...new Set(this.ctx.device.points.map((p) => p.source.topic as string))];
    this.client = connectMqtt(this.ctx);
    this.client.on('connect', () => this.client!.subscribe(topics, { qos }));
    this.client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  async stop(): Promise<void> {
    await this.client?.endAsync(true);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const points = this.ctx.device.points.filter((p) => topicMatches(p.source.topic as string, topic));
    let doc: unknown;
    try {
      doc = JSON.parse(payload.toString('utf8'));
    } catch {
      for (const p of points) this.ctx.badInput(p.point, 'MALFORMED_PAYLOAD', `topic ${topic}: not JSON`);
      return;
    }
    for (const p of points) this.readPoint(p, doc);
  }

  private readPoint(p: PointConfig, doc: unknown): void {
    const value = extract(doc, (p.source.jsonPath as string | undefined) ?? '$');
    if (value === undefined) return this.ctx.badInput(p.point, 'MISSING_VALUE', `nothing at ${p.source.jsonPath}`);
    let tsMs = Date.now();
    if (p.source.tsPath) {
      const ts = extract(doc, p.source.tsPath as string);
      tsMs = typeof ts === 'number' ? ts : typeof ts === 'string' ? Date.parse(ts) : NaN;
    }
    this.ctx.reading(p.point, value, { tsMs });
  }
}

/** `$.a.b[0].c` as keys and indexes; undefined when the path is not of that form. */
export function parsePath(path: string): Array<string | number> | undefined {
  if (!path.startsWith('$')) return undefined;
  const parts: Array<string | number> = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return undefined;
    parts.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
  }
  return parts;
}

export function extract(doc: unknown, path: string): unknown {
  let at = doc;
  for (const key of parsePath(path) ?? []) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}
