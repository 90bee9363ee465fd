// axe-core inside an extension page: no serious or critical violations allowed.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { ARTIFACTS } from './server';

const axeSource = readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** A page of either driver: Playwright (Chromium) or puppeteer-core (Firefox). */
interface Evaluating {
  evaluate(script: string): Promise<unknown>;
  evaluate<T>(fn: () => T | Promise<T>): Promise<T>;
}

export async function seriousViolations(page: Evaluating): Promise<AxeViolation[]> {
  // Evaluated through the driver (DevTools or WebDriver BiDi): the page's CSP forbids inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Either driver's page that can also take a screenshot. */
interface Screenshotting extends Evaluating {
  screenshot(options: { path: string; fullPage: boolean }): Promise<unknown>;
}

/** Screenshot into e2e/artifacts/<file>.png and no serious or critical axe violations. */
export async function checkPage(page: Screenshotting, file: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${file}.png`), fullPage: true });
  const violations = await seriousViolations(page);
  expect(violations, `axe on ${file}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}
