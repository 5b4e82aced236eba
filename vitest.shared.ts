import { availableParallelism, loadavg } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * How many times longer than on the reference machine (two idle cores) a test may take here.
 * Time budgets in the suites are written for that machine; fewer cores, or a machine already busy
 * when the run starts (another CI job, a build), stretch them, so a slow machine gives a slow run
 * rather than a red one. MES_TEST_TIMEOUT_SCALE sets it outright. Worked out once, in the process
 * that loads the config, and handed to the test workers through the environment.
 */
export const timeoutScale: number = (() => {
  const given = Number(process.env.MES_TEST_TIMEOUT_SCALE);
  if (given > 0) return given;
  const cores = availableParallelism();
  const busy = loadavg()[0] / cores;
  const scale = Math.min(4, Math.max(1, 2 / cores, busy));
  process.env.MES_TEST_TIMEOUT_SCALE = scale.toFixed(2);
  return scale;
})();

/** A time budget written for the reference machine, stretched for this one. */
export function budget(ms: number): number {
  return Math.round(ms * timeoutScale);
}

export interface PackageTests {
  include: string[];
  /** Per test and per hook, on the reference machine. */
  testTimeoutMs: number;
  hookTimeoutMs: number;
  typecheck?: { enabled: boolean; include: string[]; tsconfig: string };
}

/** One package's vitest project: its files, its time budgets, forked worker processes. */
export function packageTests(opts: PackageTests) {
  return defineConfig({
    test: {
      include: opts.include,
      testTimeout: budget(opts.testTimeoutMs),
      hookTimeout: budget(opts.hookTimeoutMs),
      pool: 'forks',
      ...(opts.typecheck ? { typecheck: opts.typecheck } : {}),
    },
  });
}
