/**
 * A simulated machine's signals, shared by every simulator: smooth, repeatable curves over time
 * (a duty cycle of run / idle / setup / down), so a demo board and a test see plausible values.
 */
export interface MachineSignals {
  state: 'run' | 'idle' | 'setup' | 'down';
  temperature: number; // °C
  spindleRpm: number;
  energyKwh: number; // counter
  pressureBar: number;
  strokes: number; // counter
}

export class SimulatedMachine {
  private energy = 0;
  private strokes = 0;
  private lastMs: number;

  constructor(private readonly cycleMs = 60_000, private readonly startMs = Date.now()) {
    this.lastMs = startMs;
  }

  /** The signals at `nowMs`; counters advance with the time since the previous call. */
  at(nowMs = Date.now()): MachineSignals {
    const phase = ((nowMs - this.startMs) % this.cycleMs) / this.cycleMs;
    const state = phase < 0.6 ? 'run' : phase < 0.75 ? 'idle' : phase < 0.9 ? 'setup' : 'down';
    const running = state === 'run';
    const dtH = Math.max(0, nowMs - this.lastMs) / 3_600_000;
    this.lastMs = nowMs;
    const powerKw = running ? 11 : state === 'down' ? 0 : 1.5;
    this.energy += powerKw * dtH;
    if (running) this.strokes += Math.round(dtH * 3600 * 2);
    const t = (nowMs - this.startMs) / 1000;
    return {
      state,
      temperature: round(running ? 45 + 5 * Math.sin(t / 7) : 30 + 2 * Math.sin(t / 11), 2),
      spindleRpm: running ? Math.round(8000 + 400 * Math.sin(t / 3)) : 0,
      energyKwh: round(this.energy, 4),
      pressureBar: round(running ? 7.5 + 0.3 * Math.sin(t / 5) : 6.8, 3),
      strokes: this.strokes,
    };
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
