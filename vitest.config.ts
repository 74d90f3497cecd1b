import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that need the whole machine run alone afterwards (vitest.load.config.ts).
    exclude: ['test/load/**', 'test/e2e/**', '**/node_modules/**'],
    // Tests spawn real processes and measure real CPU: two workers on a 2-core machine keep
    // timing-sensitive suites honest without starving each other.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
