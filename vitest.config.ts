import { defineConfig } from 'vitest/config';

// One run over every package; each package's own vitest.config.ts sets its files and timeouts.
export default defineConfig({
  test: {
    // Most suites wait on child processes, sockets and PostgreSQL rather than the CPU: on a 2-core
    // CI machine the default (cores − 1 = one worker) leaves a core idle and the run serial; more
    // than two starve timing-sensitive suites (replica races, log capture) of CPU.
    maxWorkers: 2,
    minWorkers: 1,
    // A worker process runs file after file instead of a fresh process per file: loading the
    // server and its dependencies once per worker saves most of the collect time. Suites keep no
    // state in modules between files (each opens its own database and server), and none mocks a
    // module. Only the root config can say this; a project's own isolate setting is ignored.
    isolate: false,
    projects: ['server', 'sdk', 'fixtures', 'platform', 'infra', 'conformance', 'edge', 'cli', 'web'],
  },
});
