import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Clears the log capture before the run and scans it for secrets after.
    globalSetup: ['test/support/global-setup.ts'],
    // Each file starts its own redis-server processes; two cores, so a few files at a time.
    pool: 'forks',
    maxWorkers: 3,
    testTimeout: 30_000,
    // Hooks start redis-server processes, clusters and the built service; under a loaded machine that is slow.
    hookTimeout: 60_000,
  },
});
