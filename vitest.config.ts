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
    // As cli/main.ts does for every command: on Node 20 the AWS SDK prints a notice about its end
    // of support wherever a client is made, and in-process tests (a serve's DynamoDB tables, the
    // aws adapter) would read it as a warning of their own.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
