import { defineConfig } from 'vitest/config';
import { e2eTest } from './vitest.e2e.config.ts';

// The browser end-to-end tests in Debian's Firefox ESR (puppeteer-core over WebDriver BiDi):
// the *.firefox.e2e.ts specs, with the same global setup (the extension built for the run).
export default defineConfig({
  test: {
    ...e2eTest,
    name: 'e2e-firefox',
    include: ['e2e/**/*.firefox.e2e.ts'],
  },
});
