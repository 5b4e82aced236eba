import type { DeviceConfig } from '../../src/config.js';
import type { BadInputReason, ConnectionState, DriverContext } from '../../src/drivers/driver.js';
import { silentLogger } from '../../src/log.js';
import type { Quality } from '../../src/record.js';

export interface Seen {
  point: string;
  value: unknown;
  tsMs?: number;
  quality?: Quality;
}

/** A driver context that records what the driver reports, with a way to await it. */
export function recordingContext(device: DeviceConfig, extra: { brokerUrl?: string; dataDir?: string } = {}) {
  const readings: Seen[] = [];
  const bad: Array<{ point: string; reason: BadInputReason; detail?: string }> = [];
  const states: ConnectionState[] = [];
  const waiters: Array<() => void> = [];
  const notify = () => waiters.splice(0).forEach((w) => w());
  const ctx: DriverContext = {
    device,
    brokerUrl: extra.brokerUrl,
    dataDir: extra.dataDir ?? '/nonexistent',
    log: silentLogger,
    reading: (point, value, o) => {
      readings.push({ point, value, tsMs: o?.tsMs, quality: o?.quality });
      notify();
    },
    badInput: (point, reason, detail) => {
      bad.push({ point, reason, detail });
      notify();
    },
    connection: (s) => {
      states.push(s);
      notify();
    },
  };
  /** Resolves once `test` holds; checked whenever the driver reports something. */
  const until = async (test: () => boolean, what = 'driver output', timeoutMs = 15_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  };
  return { ctx, readings, bad, states, until };
}
