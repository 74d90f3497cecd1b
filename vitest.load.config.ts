import { defineConfig } from 'vitest/config';

/**
 * Tests that need the whole machine, one at a time, after the main suite (`npm test`): the ones
 * that load it on purpose (a CPU hog on every core) so they never starve the timing-sensitive
 * tests beside them, and the end-to-end labs, whose stress must get its CPU to verify anything:
 * beside other test files a lab can only honestly say INCONCLUSIVE (its stress starved).
 */
export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 30_000,
    // As cli/main.ts does for every command: on Node 20 the AWS SDK prints a notice about its end
    // of support wherever a client is made, and in-process tests (a serve's DynamoDB tables, the
    // aws adapter) would read it as a warning of their own.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
