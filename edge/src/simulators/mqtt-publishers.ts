import mqtt, { type MqttClient } from 'mqtt';
import sparkplug from 'sparkplug-payload';
import { SimulatedMachine } from './machine.js';

const codec = sparkplug.get('spBv1.0')!;

export interface Publisher {
  /** Publishes one message now (tests drive it; the timer drives demos). */
  publishOnce(): Promise<void>;
  close(): Promise<void>;
}

async function connect(url: string, opts: mqtt.IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, { reconnectPeriod: 1000, ...opts });
}

/** A CNC machine publishing JSON on `<prefix>/<machine>/telemetry`. */
export async function startJsonCnc(brokerUrl: string, opts: { machine?: string; prefix?: string; intervalMs?: number } = {}): Promise<Publisher & { topic: string }> {
  const topic = `${opts.prefix ?? 'plant'}/${opts.machine ?? 'cnc-01'}/telemetry`;
  const client = await connect(brokerUrl);
  const sim = new SimulatedMachine(60_000);
  const publishOnce = async () => {
    const s = sim.at();
    await client.publishAsync(topic, JSON.stringify({
      ts: new Date().toISOString(),
      state: s.state,
      spindle: { speed: s.spindleRpm },
      temperature: { value: s.temperature, unit: 'degC' },
      energy: s.energyKwh,
      alarm: s.state === 'down',
    }), { qos: 1 });
  };
  return withTimer(client, publishOnce, opts.intervalMs, { topic });
}

/** A press publishing JSON on `<prefix>/<machine>/status`: stroke counter, force and mode. */
export async function startJsonPress(brokerUrl: string, opts: { machine?: string; prefix?: string; intervalMs?: number } = {}): Promise<Publisher & { topic: string }> {
  const topic = `${opts.prefix ?? 'plant'}/${opts.machine ?? 'press-01'}/status`;
  const client = await connect(brokerUrl);
  const sim = new SimulatedMachine(45_000);
  const publishOnce = async () => {
    const s = sim.at();
    await client.publishAsync(topic, JSON.stringify({
      time: Date.now(),
      strokes: s.strokes,
      forceKn: s.state === 'run' ? 800 + Math.round(s.temperature) : 0,
      mode: s.state === 'setup' ? 'setup' : 'auto',
    }), { qos: 1 });
  };
  return withTimer(client, publishOnce, opts.intervalMs, { topic });
}

export interface SparkplugCompressor extends Publisher {
  group: string;
  node: string;
  device: string;
  /** The birth/death sequence number of this session (NBIRTH and the NDEATH will carry it). */
  bdSeq: number;
  /** Births published so far (rebirth requests answered). */
  births: number;
  /** Makes the next data message skip one seq (a lost message), for tests. */
  skipSeq(): void;
  /** Sends a DDATA with an alias no birth certificate declared, for tests. */
  sendUnknownAlias(): Promise<void>;
  /** Sends the device's DDEATH. */
  deviceDeath(): Promise<void>;
}

/**
 * A compressor behind a Sparkplug B edge node: NBIRTH/DBIRTH with aliases, DDATA by alias, NDEATH
 * as the MQTT will, and a rebirth when a host sends NCMD `Node Control/Rebirth`.
 */
export async function startSparkplugCompressor(brokerUrl: string, opts: { group?: string; node?: string; device?: string; intervalMs?: number } = {}): Promise<SparkplugCompressor> {
  const group = opts.group ?? 'plant';
  const node = opts.node ?? 'compressor-node';
  const device = opts.device ?? 'compressor-01';
  const base = `spBv1.0/${group}`;
  const bdSeq = Math.floor(Math.random() * 256);
  const client = await connect(brokerUrl, {
    will: { topic: `${base}/NDEATH/${node}`, payload: Buffer.from(codec.encodePayload({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] })), qos: 0, retain: false },
  });
  const sim = new SimulatedMachine(50_000);
  let seq = 0;
  const state = { births: 0, skip: false };
  const nextSeq = () => {
    if (state.skip) {
      seq = (seq + 1) % 256;
      state.skip = false;
    }
    const s = seq;
    seq = (seq + 1) % 256;
    return s;
  };
  const metrics = () => {
    const s = sim.at();
    return [
      { name: 'Pressure', alias: 1, type: 'Double', value: s.pressureBar },
      { name: 'Motor/Running', alias: 2, type: 'Boolean', value: s.state === 'run' },
      { name: 'Energy', alias: 3, type: 'Double', value: s.energyKwh },
    ];
  };
  const publish = async (topic: string, payload: object): Promise<void> => {
    await client.publishAsync(topic, Buffer.from(codec.encodePayload(payload)), { qos: 0 });
  };
  const birth = async () => {
    seq = 0;
    await publish(`${base}/NBIRTH/${node}`, { timestamp: Date.now(), seq: nextSeq(), metrics: [
      { name: 'bdSeq', type: 'UInt64', value: bdSeq },
      { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
    ] });
    await publish(`${base}/DBIRTH/${node}/${device}`, { timestamp: Date.now(), seq: nextSeq(), metrics: metrics() });
    state.births++;
  };
  await client.subscribeAsync(`${base}/NCMD/${node}`);
  client.on('message', (_topic, payload) => {
    const cmd = codec.decodePayload(payload) as { metrics?: Array<{ name?: string; value: unknown }> };
    if (cmd.metrics?.some((m) => m.name === 'Node Control/Rebirth' && m.value === true)) void birth();
  });
  await birth();
  const publishOnce = async () => {
    // Data messages carry aliases only, as Sparkplug edge nodes do to save bandwidth.
    const data = metrics().map(({ alias, type, value }) => ({ alias, type, value, timestamp: Date.now() }));
    await publish(`${base}/DDATA/${node}/${device}`, { timestamp: Date.now(), seq: nextSeq(), metrics: data });
  };
  const p = withTimer(client, publishOnce, opts.intervalMs, {});
  return {
    ...p,
    group, node, device, bdSeq,
    get births() { return state.births; },
    skipSeq: () => void (state.skip = true),
    sendUnknownAlias: () => publish(`${base}/DDATA/${node}/${device}`, { timestamp: Date.now(), seq: nextSeq(), metrics: [{ alias: 99, type: 'Double', value: 1 }] }),
    deviceDeath: () => publish(`${base}/DDEATH/${node}/${device}`, { timestamp: Date.now(), seq: nextSeq(), metrics: [] }),
  };
}

function withTimer<T extends object>(client: MqttClient, publishOnce: () => Promise<void>, intervalMs: number | undefined, extra: T): Publisher & T {
  const timer = intervalMs ? setInterval(() => void publishOnce().catch(() => {}), intervalMs) : undefined;
  return {
    ...extra,
    publishOnce,
    close: async () => {
      clearInterval(timer);
      await client.endAsync(true);
    },
  };
}
