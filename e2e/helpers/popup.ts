// Steps a parent takes in the popup, and the checks every screen gets (axe, screenshot).
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe';
import { ARTIFACTS } from './server';

/** Screenshot into e2e/artifacts/ and no serious or critical axe violations. */
export async function checkScreen(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `popup-${name}.png`), fullPage: true });
  const violations = await seriousViolations(page);
  expect(violations, `axe on ${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

export async function loginInPopup(page: Page, username: string, password: string, code: string) {
  await page.getByRole('option', { name: 'PO2507 Stromenland' }).waitFor({ state: 'attached' });
  await page.getByLabel('Organisatie').selectOption('PO2507');
  await page.getByLabel('Naam', { exact: true }).fill(username);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
}
