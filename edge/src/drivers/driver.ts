import type { ConfigProblem, DeviceConfig, PointConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { PointValue, Quality } from '../record.js';

/**
 * Why something a device sent could not be used. Counted per device and point (status, /metrics);
 * never fatal.
 */
export type BadInputReason =
  | 'MALFORMED_PAYLOAD' // not JSON, not a Sparkplug payload, not decodable
  | 'UNKNOWN_POINT' // a metric or alias the point map does not know
  | 'WRONG_TYPE' // a value that is not the point's type
  | 'MISSING_VALUE' // the JSON path found nothing
  | 'BAD_TIMESTAMP' // a timestamp that cannot be read
  | 'SEQ_GAP' // Sparkplug: a message missing in the node's sequence
  | 'READ_FAILED'; // a poll or a monitored item answered with an error

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** What a driver gets from the gateway: where its readings go. */
export interface DriverContext {
  readonly device: DeviceConfig;
  readonly brokerUrl?: string;
  /** Where a driver keeps files of its own (OPC UA certificates). */
  readonly dataDir: string;
  readonly log: Logger;
  /** A raw value of one point, as the device sent it; the pipeline checks, scales and filters it. */
  reading(point: string, value: unknown, opts?: { tsMs?: number; quality?: Quality }): void;
  badInput(point: string, reason: BadInputReason, detail?: string): void;
  connection(state: ConnectionState, detail?: string): void;
}

/** One protocol connection to one device. */
export interface Driver {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Writes a value to a writable point (commands, S1-5.2.4). Absent: the protocol cannot write. */
  write?(point: PointConfig, value: PointValue): Promise<void>;
}

/** A protocol: one file under drivers/, registered in registry.ts. */
export interface DriverDefinition {
  protocol: string;
  /** Checks the device's connection and points' sources; field paths are relative to the device. */
  validate(device: DeviceConfig): ConfigProblem[];
  create(ctx: DriverContext): Driver;
}

/** Reads a required string or number field of a connection or source object. */
export function need(obj: Record<string, unknown>, key: string, kind: 'string' | 'number', at: string, problems: ConfigProblem[]): void {
  if (typeof obj[key] !== kind) problems.push({ field: `${at}.${key}`, message: `must be a ${kind}` });
}
