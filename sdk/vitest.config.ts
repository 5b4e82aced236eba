import { packageTests } from '../vitest.shared.js';

export default packageTests({
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeoutMs: 60_000,
  hookTimeoutMs: 60_000,
  // test/**/*.test-d.ts are compile-time tests: vitest runs tsc over them with the test tsconfig.
  typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json' },
});
