import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Property tests run many cases; keep a generous ceiling on slow shared machines.
    testTimeout: 30_000,
  },
});
