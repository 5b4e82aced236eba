import { defineConfig } from 'vitest/config';

// One run over every package; each package's own vitest.config.ts sets its files and timeouts.
export default defineConfig({
  test: {
    projects: ['server', 'sdk', 'fixtures', 'cli'],
  },
});
