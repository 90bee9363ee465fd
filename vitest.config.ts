import { defineConfig } from 'vitest/config';

// Two projects: the server (node, a real database per test file) and the extension's
// component tests (happy-dom). The browser end-to-end tests have their own config
// (vitest.e2e.config.ts) because they need Chromium and a built extension.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['server/**/*.test.ts', 'scripts/**/*.test.ts'],
          globalSetup: ['server/test/global-setup.ts'],
          testTimeout: 30_000,
          pool: 'forks',
          isolate: false,
          hookTimeout: 60_000,
        },
      },
      {
        // Vite 8 transforms with oxc (the esbuild option is ignored there).
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        resolve: { alias: { 'react/jsx-runtime': 'preact/jsx-runtime', react: 'preact/compat', 'react-dom': 'preact/compat' } },
        define: { __KINDKANS_SERVER_URL__: JSON.stringify('https://kindkans.test') },
        test: {
          name: 'extension',
          environment: 'happy-dom',
          include: ['extension/**/*.test.{ts,tsx}'],
          setupFiles: ['extension/test/setup.ts'],
        },
      },
    ],
  },
});
