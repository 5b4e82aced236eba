import { packageTests } from '../vitest.shared.js';

export default packageTests({
  include: ['test/**/*.test.ts'],
  testTimeoutMs: 90_000,
  hookTimeoutMs: 90_000,
});
