import type { PointConfig } from '../config.js';
import type { PointValue, Quality } from '../record.js';

/**
 * Deadband and minimum sampling interval of one point: decides whether a reading becomes a record.
 * A change of quality always passes; so does the first reading.
 */
export class PointFilter {
  private last: { value: PointValue; quality: Quality; tsMs: number } | undefined;
  private readonly absolute: number;
  private readonly percent: number;

  constructor(private readonly point: Pick<PointConfig, 'deadband' | 'sampleMs'>) {
    const db = point.deadband;
    this.absolute = typeof db === 'number' ? db : (db?.absolute ?? 0);
    this.percent = typeof db === 'object' ? (db.percent ?? 0) : 0;
  }

  pass(value: PointValue, quality: Quality, tsMs: number): boolean {
    const last = this.last;
    if (last && last.quality === quality) {
      if (this.point.sampleMs && tsMs - last.tsMs < this.point.sampleMs) return false;
      if (!this.outsideDeadband(last.value, value)) return false;
    }
    this.last = { value, quality, tsMs };
    return true;
  }

  private outsideDeadband(before: PointValue, now: PointValue): boolean {
    const hasDeadband = this.absolute > 0 || this.percent > 0;
    if (typeof before !== 'number' || typeof now !== 'number') return !hasDeadband || before !== now;
    if (!hasDeadband) return true;
    const delta = Math.abs(now - before);
    if (this.absolute > 0 && delta > this.absolute) return true;
    return this.percent > 0 && delta > (Math.abs(before) * this.percent) / 100;
  }
}
