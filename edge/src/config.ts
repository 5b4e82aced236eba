import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FsyncPolicy, WhenFull } from './journal/journal.js';
import type { PointType } from './record.js';
import { knownProtocols, validateDevice } from './drivers/registry.js';
import { isConvertible } from './processing/units.js';

/** A point of a device: where its value comes from and what the edge does with it. */
export interface PointConfig {
  point: string;
  /** Protocol-specific (see each driver): topic+jsonPath, metric, nodeId, area/address/type… */
  source: Record<string, unknown>;
  type: PointType;
  /** Unit of the value sent to the MES. */
  unit?: string;
  /** Unit the device reports in, converted to `unit` at the edge (extension of the contract). */
  rawUnit?: string;
  /** value × factor + offset, applied before unit conversion. */
  scale?: { factor?: number; offset?: number };
  /** A number: absolute deadband. An object: absolute and/or percent of the last sent value. */
  deadband?: number | { absolute?: number; percent?: number };
  /** At most one record per this many ms. */
  sampleMs?: number;
  /** Commands may write this point (S1-5.2.4). */
  writable?: boolean;
  /** Tumbling-window aggregates, sent as the points `<point>.min` / `.max` / `.avg` / `.count`. */
  aggregate?: { windowMs: number; functions?: AggregateFunction[] };
}

export type AggregateFunction = 'min' | 'max' | 'avg' | 'count';

export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type Condition =
  | { point: string; op: Comparison; value: number | boolean | string }
  | { all: Condition[] }
  | { any: Condition[] };

/** Machine state from signals: the first rule whose condition holds names the state. */
export interface StateConfig {
  /** Point code of the derived state. Default `state`. */
  point?: string;
  rules: Array<{ state: string; when: Condition }>;
  /** State when no rule holds. Default `idle`. */
  otherwise?: string;
}

/** A local alarm rule, evaluated at the edge whether or not the cloud is reachable. */
export type AlarmRule =
  | { code: string; point: string; kind: 'threshold'; high?: number; low?: number; hysteresis?: number; grade?: string }
  | { code: string; point: string; kind: 'rate'; windowMs: number; maxPerMinute: number; grade?: string };

export interface DeviceConfig {
  device: string;
  protocol: string;
  connection: Record<string, unknown>;
  points: PointConfig[];
  state?: StateConfig;
  alarms?: AlarmRule[];
}

export interface GatewayConfig {
  /** `<tenant id>.<gateway code>`: the x-mes-gateway header. */
  gatewayId: string;
  cloudUrl: string;
  keyFile: string;
  journalDir: string;
  /** Certificates (OPC UA PKI) and the cached cloud config. Default: the parent of journalDir. */
  dataDir: string;
  brokerUrl?: string;
  tls?: { caFile?: string };
  fsync: FsyncPolicy;
  httpPort: number;
  httpHost: string;
  devices: DeviceConfig[];
  journal: { segmentBytes?: number; maxBytes?: number; whenFull?: WhenFull; fsyncIntervalMs?: number; batchMs?: number };
  forward: { maxBatch: number; gzip: boolean; minBackoffMs: number; maxBackoffMs: number; timeoutMs: number; lingerMs: number };
  heartbeatMs: number;
  /** Pull the device map from the cloud (the file's devices are the fallback). Default true. */
  pullConfig: boolean;
}

export interface ConfigProblem {
  field: string;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: ConfigProblem[], source: string) {
    super(`${source}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  }
}

const GATEWAY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9][A-Za-z0-9_.-]*$/i;

export function loadConfig(file: string): GatewayConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([{ field: '', message: (err as Error).message }], file);
  }
  return parseConfig(raw, file);
}

/** Fills in defaults and checks everything; every problem is reported at once. */
export function parseConfig(raw: unknown, source = 'config'): GatewayConfig {
  const problems: ConfigProblem[] = [];
  const c = (raw ?? {}) as Record<string, unknown>;
  if (typeof c.gatewayId !== 'string' || !GATEWAY_ID.test(c.gatewayId)) problems.push({ field: 'gatewayId', message: 'must be "<tenant uuid>.<gateway code>"' });
  if (typeof c.cloudUrl !== 'string' || !/^https?:\/\//.test(c.cloudUrl)) problems.push({ field: 'cloudUrl', message: 'must be an http(s) URL' });
  const fsync = c.fsync ?? 'batch';
  if (!['always', 'batch', 'interval'].includes(fsync as string)) problems.push({ field: 'fsync', message: 'must be always, batch or interval' });
  const journal = (c.journal ?? {}) as GatewayConfig['journal'];
  if (journal.whenFull !== undefined && !['refuse-new', 'drop-oldest'].includes(journal.whenFull)) problems.push({ field: 'journal.whenFull', message: 'must be refuse-new or drop-oldest' });
  const forward = { maxBatch: 5000, gzip: false, minBackoffMs: 500, maxBackoffMs: 30_000, timeoutMs: 30_000, lingerMs: 200, ...(c.forward as object) };
  if (!Number.isInteger(forward.maxBatch) || forward.maxBatch < 1 || forward.maxBatch > 5000) problems.push({ field: 'forward.maxBatch', message: 'must be 1..5000 (the contract allows up to 5,000 records per batch)' });
  const devices = Array.isArray(c.devices) ? (c.devices as DeviceConfig[]) : [];
  if (c.devices !== undefined && !Array.isArray(c.devices)) problems.push({ field: 'devices', message: 'must be an array' });
  problems.push(...validateDevices(devices));
  if (problems.length) throw new ConfigError(problems, source);
  const journalDir = (c.journalDir as string | undefined) ?? '/var/lib/mes-edge/journal';
  return {
    gatewayId: c.gatewayId as string,
    cloudUrl: (c.cloudUrl as string).replace(/\/+$/, ''),
    keyFile: (c.keyFile as string | undefined) ?? '/etc/mes-edge/keys/gateway.pem',
    journalDir,
    dataDir: (c.dataDir as string | undefined) ?? dirname(journalDir),
    brokerUrl: c.brokerUrl as string | undefined,
    tls: c.tls as GatewayConfig['tls'],
    fsync: fsync as FsyncPolicy,
    httpPort: (c.httpPort as number | undefined) ?? 9464,
    httpHost: (c.httpHost as string | undefined) ?? '0.0.0.0',
    devices,
    journal,
    forward,
    heartbeatMs: (c.heartbeatMs as number | undefined) ?? 30_000,
    pullConfig: (c.pullConfig as boolean | undefined) ?? true,
  };
}

/** Checks a device map (from the file or from the cloud). */
export function validateDevices(devices: DeviceConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  devices.forEach((d, i) => {
    const at = `devices[${i}]`;
    if (typeof d?.device !== 'string' || !d.device) return problems.push({ field: `${at}.device`, message: 'is required' });
    if (seen.has(d.device)) problems.push({ field: `${at}.device`, message: `"${d.device}" appears twice` });
    seen.add(d.device);
    if (!knownProtocols().includes(d.protocol)) return problems.push({ field: `${at}.protocol`, message: `must be one of ${knownProtocols().join(', ')}` });
    if (!Array.isArray(d.points)) return problems.push({ field: `${at}.points`, message: 'must be an array' });
    d.connection ??= {};
    const points = new Set<string>();
    d.points.forEach((p, j) => {
      const pat = `${at}.points[${j}]`;
      if (typeof p?.point !== 'string' || !p.point) return problems.push({ field: `${pat}.point`, message: 'is required' });
      if (points.has(p.point)) problems.push({ field: `${pat}.point`, message: `"${p.point}" appears twice` });
      points.add(p.point);
      if (!['number', 'boolean', 'string'].includes(p.type)) problems.push({ field: `${pat}.type`, message: 'must be number, boolean or string' });
      if (p.rawUnit !== undefined && !isConvertible(p.rawUnit, p.unit)) problems.push({ field: `${pat}.rawUnit`, message: `cannot convert ${p.rawUnit} to ${p.unit ?? '(no unit)'}` });
      if (p.aggregate && !(p.aggregate.windowMs > 0)) problems.push({ field: `${pat}.aggregate.windowMs`, message: 'must be a positive number of ms' });
      p.source ??= {};
    });
    for (const rule of d.alarms ?? []) {
      if (!points.has(rule.point)) problems.push({ field: `${at}.alarms`, message: `alarm ${rule.code} watches unknown point ${rule.point}` });
    }
    problems.push(...validateDevice(d).map((p) => ({ field: `${at}.${p.field}`, message: p.message })));
  });
  return problems;
}
