import { defineConfig } from 'vitest/config';

// One run over every package; each package's own vitest.config.ts sets its files and timeouts.
export default defineConfig({
  test: {
    // Most suites wait on child processes, sockets and PostgreSQL rather than the CPU: on a 2-core
    // CI machine the default (cores − 1 = one worker) leaves a core idle and the run serial; more
    // than two starve timing-sensitive suites (replica races, log capture) of CPU.
    maxWorkers: 2,
    minWorkers: 1,
    projects: ['server', 'sdk', 'fixtures', 'platform', 'infra', 'conformance', 'edge', 'cli', 'web'],
  },
});
