import { defineConfig, type ViteUserConfig } from 'vitest/config';

// Browser end-to-end tests: the built extension in Debian's Chromium against a real server
// (PGlite) started by each spec. One spec file at a time, in one worker: 2 cores.
// The *.firefox.e2e.ts specs are Firefox's (vitest.e2e-firefox.config.ts).
export const e2eTest: NonNullable<ViteUserConfig['test']> = {
  environment: 'node',
  globalSetup: ['e2e/global-setup.ts'],
  pool: 'forks',
  maxWorkers: 1,
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 240_000, // the server start alone takes over a minute on a loaded machine
};

export default defineConfig({
  test: {
    ...e2eTest,
    name: 'e2e',
    include: ['e2e/**/*.e2e.ts'],
    exclude: ['e2e/**/*.firefox.e2e.ts'],
  },
});
