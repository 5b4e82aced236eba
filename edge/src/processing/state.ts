import type { Condition, StateConfig } from '../config.js';
import type { PointValue } from '../record.js';

/**
 * Machine state (run / idle / down / setup, or any names the plant uses) derived from the device's
 * latest point values by ordered rules: the first rule that holds wins, else `otherwise`.
 */
export class MachineState {
  private current: string | undefined;

  constructor(private readonly config: StateConfig) {}

  get point(): string {
    return this.config.point ?? 'state';
  }

  /** The new state when it changed, else undefined. */
  evaluate(latest: ReadonlyMap<string, PointValue>): string | undefined {
    const rule = this.config.rules.find((r) => holds(r.when, latest));
    const state = rule?.state ?? this.config.otherwise ?? 'idle';
    if (state === this.current) return undefined;
    this.current = state;
    return state;
  }
}

function holds(c: Condition, latest: ReadonlyMap<string, PointValue>): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, latest));
  if ('any' in c) return c.any.some((x) => holds(x, latest));
  const v = latest.get(c.point);
  if (v === undefined) return false;
  switch (c.op) {
    case '==': return v === c.value;
    case '!=': return v !== c.value;
    case '>': return v > c.value;
    case '>=': return v >= c.value;
    case '<': return v < c.value;
    case '<=': return v <= c.value;
  }
}
