import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the built extension in Debian's Chromium against a real server
// (PGlite) started by each spec. One spec file at a time, in one worker: 2 cores.
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
