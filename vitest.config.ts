import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Machine-loading tests run alone afterwards (vitest.load.config.ts).
    exclude: ['test/load/**', '**/node_modules/**'],
    // Tests spawn real processes and measure real CPU: two workers on a 2-core machine keep
    // timing-sensitive suites honest without starving each other.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
