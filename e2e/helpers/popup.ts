// Steps a parent takes in the popup, and the checks every screen gets (axe, screenshot).
import type { Page } from 'playwright-core';
import { checkPage } from './axe';

/** Screenshot into e2e/artifacts/popup-<name>.png and no serious or critical axe violations. */
export const checkScreen = (page: Page, name: string) => checkPage(page, `popup-${name}`);

export async function loginInPopup(page: Page, username: string, password: string, code: string) {
  await page.getByRole('option', { name: 'PO2507 Stromenland' }).waitFor({ state: 'attached' });
  await page.getByLabel('Organisatie').selectOption('PO2507');
  await page.getByLabel('Naam', { exact: true }).fill(username);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
}
