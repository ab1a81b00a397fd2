import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // @actions/github reads the runner's environment when imported, and @actions/core caches the
    // summary file: inlined, they load afresh after vi.resetModules(), once per simulated run.
    server: { deps: { inline: ['@actions/core', '@actions/github'] } },
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Property tests run many cases; keep a generous ceiling on slow shared machines.
    testTimeout: 30_000,
  },
});
