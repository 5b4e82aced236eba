/**
 * The unified data format (S1-5.3.8-b): every reading from every protocol becomes one of these,
 * exactly as the telemetry contract's Record (docs/edge.md, "Wire contract").
 */
export type Quality = 'good' | 'uncertain' | 'bad';
export type PointValue = number | boolean | string;
export type PointType = 'number' | 'boolean' | 'string';

export interface TelemetryRecord {
  /** Equipment code in the MES. */
  device: string;
  /** Point code of that equipment. */
  point: string;
  /** RFC 3339 UTC with milliseconds. */
  ts: string;
  value: PointValue;
  quality: Quality;
  unit?: string;
  /** Per gateway, strictly increasing across all records; assigned by the journal. */
  seq: number;
}

/** A record before the journal gives it its sequence number. */
export type Reading = Omit<TelemetryRecord, 'seq'>;

export function isoTs(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The value a device sent, as the point's declared type, or undefined when it is not that type.
 * Numbers may arrive as bigint (64-bit integers) or as objects with toNumber() (Sparkplug's Long).
 */
export function coerce(value: unknown, type: PointType): PointValue | undefined {
  switch (type) {
    case 'number': {
      if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
      if (typeof value === 'bigint') return Number(value);
      if (value !== null && typeof value === 'object' && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
        const n = (value as { toNumber(): number }).toNumber();
        return Number.isFinite(n) ? n : undefined;
      }
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'string':
      return typeof value === 'string' ? value : undefined;
  }
}
