import { defineConfig } from 'vitest/config';

// Tests drive real engines (Dawn, browsers, Deno) on a 2-core machine: one file per core, generous timeouts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    globalSetup: ['test/setup/tmp-root.ts', 'test/setup/view-build.ts'],
  },
});
