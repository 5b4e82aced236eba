import { packageTests } from '../vitest.shared.js';

export default packageTests({
  include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  testTimeoutMs: 120_000,
  hookTimeoutMs: 120_000,
});
