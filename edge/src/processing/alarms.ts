import type { AlarmRule } from '../config.js';

export interface AlarmChange {
  code: string;
  active: boolean;
  /** What crossed: the value (threshold) or the rate per minute (rate). */
  measured: number;
  grade?: string;
}

/**
 * A local alarm rule on one point: a threshold with hysteresis (fires above `high` / below `low`,
 * clears only once back inside by `hysteresis`), or a rate of change over a sliding window.
 */
export class AlarmEvaluator {
  private active = false;
  private readonly history: Array<{ v: number; t: number }> = [];

  constructor(readonly rule: AlarmRule) {}

  /** The change of state this value causes, if any. */
  update(value: number, tsMs: number): AlarmChange | undefined {
    const measured = this.rule.kind === 'threshold' ? value : this.ratePerMinute(value, tsMs);
    if (measured === undefined) return undefined;
    const next = this.rule.kind === 'threshold' ? this.thresholdState(value) : Math.abs(measured) > this.rule.maxPerMinute;
    if (next === this.active) return undefined;
    this.active = next;
    return { code: this.rule.code, active: next, measured, grade: this.rule.grade };
  }

  private thresholdState(v: number): boolean {
    const r = this.rule as Extract<AlarmRule, { kind: 'threshold' }>;
    const h = r.hysteresis ?? 0;
    const above = r.high !== undefined && (this.active ? v > r.high - h : v > r.high);
    const below = r.low !== undefined && (this.active ? v < r.low + h : v < r.low);
    return above || below;
  }

  private ratePerMinute(v: number, t: number): number | undefined {
    const r = this.rule as Extract<AlarmRule, { kind: 'rate' }>;
    this.history.push({ v, t });
    // Keep the last sample at or before the window's start as the anchor of the rate.
    while (this.history.length > 2 && t - this.history[1].t >= r.windowMs) this.history.shift();
    const first = this.history[0];
    if (t === first.t) return undefined;
    return ((v - first.v) / (t - first.t)) * 60_000;
  }
}
