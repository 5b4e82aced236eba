import { packageTests } from '../vitest.shared.js';

export default packageTests({
  include: ['test/**/*.test.ts'],
  testTimeoutMs: 180_000,
  hookTimeoutMs: 120_000,
});
