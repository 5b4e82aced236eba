import { defineConfig } from 'vitest/config';

/** Component tests of forms and tables in happy-dom; the browser suite is conformance's ui suite. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.tsx', 'test/**/*.test.ts'],
    environment: 'happy-dom',
    testTimeout: 30_000,
  },
});
