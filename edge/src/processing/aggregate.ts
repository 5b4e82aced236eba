import type { AggregateFunction } from '../config.js';

export interface WindowResult {
  /** Start of the window (ms since the epoch): the timestamp of the aggregate records. */
  startMs: number;
  values: Partial<Record<AggregateFunction, number>>;
}

/**
 * Tumbling windows aligned to multiples of `windowMs` since the epoch. A window closes when a
 * sample of a later window arrives or the clock passes its end (tick); empty windows emit nothing.
 */
export class WindowAggregate {
  private start = -1;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private count = 0;

  constructor(
    private readonly windowMs: number,
    private readonly functions: AggregateFunction[] = ['min', 'max', 'avg', 'count'],
  ) {}

  add(value: number, tsMs: number): WindowResult | undefined {
    const start = tsMs - (tsMs % this.windowMs);
    const closed = start > this.start ? this.close() : undefined;
    if (this.count === 0) this.start = Math.max(this.start, start);
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    this.sum += value;
    this.count++;
    return closed;
  }

  /** Closes the current window if the clock has passed its end. */
  tick(nowMs: number): WindowResult | undefined {
    return this.count > 0 && nowMs >= this.start + this.windowMs ? this.close() : undefined;
  }

  private close(): WindowResult | undefined {
    if (this.count === 0) return undefined;
    const all = { min: this.min, max: this.max, avg: this.sum / this.count, count: this.count };
    const values: WindowResult['values'] = {};
    for (const f of this.functions) values[f] = all[f];
    const result = { startMs: this.start, values };
    this.min = Infinity;
    this.max = -Infinity;
    this.sum = 0;
    this.count = 0;
    return result;
  }
}
