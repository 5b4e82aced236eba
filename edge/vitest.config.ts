import { packageTests } from '../vitest.shared.js';

export default packageTests({
  include: ['test/**/*.test.ts'],
  testTimeoutMs: 60_000,
  hookTimeoutMs: 60_000,
});
