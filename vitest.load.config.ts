import { defineConfig } from 'vitest/config';

/**
 * Tests that load the whole machine on purpose (a CPU hog on every core): run alone, after the
 * main suite (`npm test`), so they never starve the timing-sensitive tests running beside them.
 */
export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 30_000,
  },
});
