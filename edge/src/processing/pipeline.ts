import type { DeviceConfig, PointConfig } from '../config.js';
import type { BadInputReason } from '../drivers/driver.js';
import { coerce, isoTs, type PointValue, type Quality, type Reading } from '../record.js';
import { AlarmEvaluator, type AlarmChange } from './alarms.js';
import { WindowAggregate } from './aggregate.js';
import { PointFilter } from './filter.js';
import { MachineState } from './state.js';
import { convert } from './units.js';

/** Where a device's pipeline sends what it makes (one sink per device). */
export interface PipelineSink {
  records(readings: Reading[]): void;
  badInput(point: string, reason: BadInputReason, detail?: string): void;
  alarm(point: string, change: AlarmChange, tsMs: number): void;
}

interface PointRuntime {
  config: PointConfig;
  filter: PointFilter;
  aggregate?: WindowAggregate;
  alarms: AlarmEvaluator[];
}

/**
 * Edge processing of one device (S1-5.3.8-c): type check, scaling, unit conversion, then windowed
 * aggregates, local alarms and the derived machine state from every good reading, and finally
 * deadband and sampling decide which readings become records.
 */
export class DevicePipeline {
  private readonly points = new Map<string, PointRuntime>();
  private readonly latest = new Map<string, PointValue>();
  private readonly state?: MachineState;

  constructor(private readonly device: DeviceConfig, private readonly sink: PipelineSink) {
    for (const p of device.points) {
      this.points.set(p.point, {
        config: p,
        filter: new PointFilter(p),
        aggregate: p.aggregate ? new WindowAggregate(p.aggregate.windowMs, p.aggregate.functions) : undefined,
        alarms: (device.alarms ?? []).filter((a) => a.point === p.point).map((a) => new AlarmEvaluator(a)),
      });
    }
    if (device.state) this.state = new MachineState(device.state);
  }

  ingest(point: string, raw: unknown, tsMs: number, quality: Quality = 'good'): void {
    const p = this.points.get(point);
    if (!p) return this.sink.badInput(point, 'UNKNOWN_POINT');
    if (!Number.isFinite(tsMs)) return this.sink.badInput(point, 'BAD_TIMESTAMP');
    const typed = coerce(raw, p.config.type);
    if (typed === undefined) return this.sink.badInput(point, 'WRONG_TYPE', `expected ${p.config.type}, got ${describe(raw)}`);
    const value = typeof typed === 'number' ? this.toUnit(p.config, typed) : typed;
    const out: Reading[] = [];
    if (p.filter.pass(value, quality, tsMs)) out.push(this.reading(point, value, tsMs, quality, p.config.unit));
    if (quality === 'good') this.derive(p, value, tsMs, out);
    if (out.length) this.sink.records(out);
  }

  /** Closes aggregate windows the clock has passed. */
  tick(nowMs: number): void {
    const out: Reading[] = [];
    for (const p of this.points.values()) {
      const closed = p.aggregate?.tick(nowMs);
      if (closed) this.aggregateRecords(p.config, closed.startMs, closed.values, out);
    }
    if (out.length) this.sink.records(out);
  }

  private derive(p: PointRuntime, value: PointValue, tsMs: number, out: Reading[]): void {
    this.latest.set(p.config.point, value);
    if (typeof value === 'number') {
      const closed = p.aggregate?.add(value, tsMs);
      if (closed) this.aggregateRecords(p.config, closed.startMs, closed.values, out);
      for (const alarm of p.alarms) {
        const change = alarm.update(value, tsMs);
        if (!change) continue;
        out.push(this.reading(`alarm.${change.code}`, change.active, tsMs, 'good'));
        this.sink.alarm(p.config.point, change, tsMs);
      }
    }
    const state = this.state?.evaluate(this.latest);
    if (state !== undefined) out.push(this.reading(this.state!.point, state, tsMs, 'good'));
  }

  private aggregateRecords(p: PointConfig, startMs: number, values: Record<string, number | undefined>, out: Reading[]): void {
    for (const [fn, v] of Object.entries(values)) {
      if (v !== undefined) out.push(this.reading(`${p.point}.${fn}`, v, startMs, 'good', fn === 'count' ? undefined : p.unit));
    }
  }

  private toUnit(p: PointConfig, v: number): number {
    const scaled = v * (p.scale?.factor ?? 1) + (p.scale?.offset ?? 0);
    return p.rawUnit && p.unit ? convert(scaled, p.rawUnit, p.unit) : scaled;
  }

  private reading(point: string, value: PointValue, tsMs: number, quality: Quality, unit?: string): Reading {
    return { device: this.device.device, point, ts: isoTs(tsMs), value, quality, ...(unit ? { unit } : {}) };
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
