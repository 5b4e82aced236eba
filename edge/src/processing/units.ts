/**
 * Unit conversion at the edge: a device's unit to the unit the MES expects for the point. Each unit
 * is `base = value × factor + offset` within its dimension.
 */
const UNITS: Record<string, { dim: string; factor: number; offset?: number }> = {
  degC: { dim: 'temperature', factor: 1 },
  degF: { dim: 'temperature', factor: 5 / 9, offset: -32 * (5 / 9) },
  K: { dim: 'temperature', factor: 1, offset: -273.15 },
  Pa: { dim: 'pressure', factor: 1 },
  kPa: { dim: 'pressure', factor: 1e3 },
  MPa: { dim: 'pressure', factor: 1e6 },
  bar: { dim: 'pressure', factor: 1e5 },
  psi: { dim: 'pressure', factor: 6894.757293168 },
  mm: { dim: 'length', factor: 1e-3 },
  m: { dim: 'length', factor: 1 },
  in: { dim: 'length', factor: 0.0254 },
  J: { dim: 'energy', factor: 1 },
  kJ: { dim: 'energy', factor: 1e3 },
  Wh: { dim: 'energy', factor: 3600 },
  kWh: { dim: 'energy', factor: 3.6e6 },
  MWh: { dim: 'energy', factor: 3.6e9 },
  W: { dim: 'power', factor: 1 },
  kW: { dim: 'power', factor: 1e3 },
  rpm: { dim: 'rotation', factor: 1 / 60 },
  Hz: { dim: 'rotation', factor: 1 },
  s: { dim: 'time', factor: 1 },
  min: { dim: 'time', factor: 60 },
  h: { dim: 'time', factor: 3600 },
  l: { dim: 'volume', factor: 1e-3 },
  m3: { dim: 'volume', factor: 1 },
  'l/min': { dim: 'flow', factor: 1e-3 / 60 },
  'm3/h': { dim: 'flow', factor: 1 / 3600 },
  mA: { dim: 'current', factor: 1e-3 },
  A: { dim: 'current', factor: 1 },
  V: { dim: 'voltage', factor: 1 },
  kV: { dim: 'voltage', factor: 1e3 },
};

export function isConvertible(from: string, to: string | undefined): boolean {
  return to !== undefined && UNITS[from] !== undefined && UNITS[to] !== undefined && UNITS[from].dim === UNITS[to].dim;
}

/** `value` in `from` expressed in `to` (both known units of one dimension: see isConvertible). */
export function convert(value: number, from: string, to: string): number {
  if (from === to) return value;
  const a = UNITS[from];
  const b = UNITS[to];
  const base = value * a.factor + (a.offset ?? 0);
  return (base - (b.offset ?? 0)) / b.factor;
}

