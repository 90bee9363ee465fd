// The staff-panel screens of issue 11 in real Chromium, as an admin: Beheer → Auditlog (and its
// CSV export), Rechten of a dossier and of an account, the anonymise dialog end to end, TLV
// archiveren with "Gearchiveerd tonen", and an Overlegronde with "Besloten deelname". What the
// screens show is made through the API first; each screen gets a screenshot
// (e2e/artifacts/screens-*.png) and an axe check at 1280×800 and 1024 wide, with no sideways
// scrolling at 1024.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oneJourney } from './helpers/journey';
import type { Page } from 'playwright-core';
import { checkPage } from './helpers/axe';
import { EXTENSION_ID, launchWithExtension, type ExtensionBrowser } from './helpers/extension';
import { loginInPopup } from './helpers/popup';
import { demoDossier, prepareAdmin } from './helpers/prepare';
import { ARTIFACTS, startKindkans } from './helpers/server';

const ADMIN_URL = `chrome-extension://${EXTENSION_ID}/admin.html`;
const CHILD = { firstName: 'Anouk', lastName: 'Wisman' };
const TLV_TITLE = 'Besluit samenwerkingsverband';
const MEETING_TITLE = 'Besloten overleg met moeder';

let server: Awaited<ReturnType<typeof startKindkans>>;
let browser: ExtensionBrowser;
let panel: Page;
let samId = '';
let anoukId = '';
let parentId = '';

/** Screenshot + axe at 1280×800, then at 1024 wide with no sideways scrolling, and back. */
async function checkBoth(name: string) {
  await checkPage(panel, `screens-${name}`);
  await panel.setViewportSize({ width: 1024, height: 768 });
  try {
    const overflow = await panel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} scrolls sideways at 1024 wide`).toBeLessThanOrEqual(0);
    await checkPage(panel, `screens-${name}-1024`);
  } finally {
    await panel.setViewportSize({ width: 1280, height: 800 });
  }
}

describe('staff panel: the screens of issue 11 in Chromium', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startKindkans({ port: inject('serverPort'), name: 'staff-workflow-screens' }),
      launchWithExtension(inject('extensionDir')),
    ]);
    await browser.chooseDutch();
    const admin = await prepareAdmin(server);
    const call = <T>(method: string, path: string, body?: unknown) => server.api.call<T>(method, path, body, admin.token);
    // The demo dossier gets a TLV and a closed Overlegronde with its guardian (the demo parent) invited;
    // a second dossier is the one to anonymise.
    samId = (await demoDossier(server, admin.token)).dossierId;
    await call('POST', `/dossiers/${samId}/tlv`, { date: '2025-06-01', type: 'so-laag', status: 'toegekend', title: TLV_TITLE, startDate: '2025-08-01', endDate: '2027-07-31' });
    const candidates = await call<{ id: string; role: string }[]>('GET', `/dossiers/${samId}/overlegronden/candidates`);
    parentId = candidates.find((c) => c.role === 'parent')!.id;
    await call('POST', `/dossiers/${samId}/overlegronden`, { date: '2025-09-15', title: MEETING_TITLE, closed: true, invitedIds: [parentId] });
    anoukId = (await call<{ id: string }>('POST', '/dossiers', { ...CHILD, birthDate: '2016-02-03', schoolBrin: '12AB00' })).id;

    // Signs in through the popup and opens Beheer in a tab that shares the session.
    const popup = await browser.openPopup();
    await loginInPopup(popup, admin.username, admin.password, await admin.phone.nextCode());
    await popup.getByRole('button', { name: 'Beheer' }).waitFor();
    const opened = browser.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Beheer' }).click();
    panel = await opened;
    await panel.setViewportSize({ width: 1280, height: 800 });
    await panel.waitForURL(`${ADMIN_URL}*`);
    await panel.getByRole('navigation', { name: 'Hoofdmenu' }).waitFor();
  });

  oneJourney(async () => panel?.screenshot({ path: join(ARTIFACTS, 'screens-failed.png'), fullPage: true }));

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('Beheer → Auditlog: the entries, and the CSV export downloads with a BOM, `;` and a header row', async () => {
    await panel.goto(`${ADMIN_URL}#/beheer/auditlog`);
    await panel.getByRole('heading', { name: 'Auditlog' }).waitFor();
    await panel.getByTestId('audit-table').locator('code', { hasText: 'tlv.create' }).waitFor();
    await checkBoth('1-auditlog');

    const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Exporteren (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n').filter(Boolean);
    const header = lines[0]!.split(';');
    expect(header.length).toBeGreaterThan(3);
    expect(header).toEqual(expect.arrayContaining(['Actie', 'Uitkomst', 'Onderwerp']));
    expect(lines.length).toBeGreaterThan(1);
    const tlvRow = lines.slice(1).map((l) => l.split(';')).find((cells) => cells[header.indexOf('Actie')] === 'tlv.create');
    expect(tlvRow?.[header.indexOf('Onderwerp')], csv).toBe(TLV_TITLE);
    expect(tlvRow?.[header.indexOf('Uitkomst')]).toBe('success');
    await panel.getByRole('status').filter({ hasText: download.suggestedFilename() }).waitFor();
  });

  it('Rechten of a dossier and of an account: who sees it and why', async () => {
    await panel.goto(`${ADMIN_URL}#/dossiers/${samId}/basisgegevens`);
    await panel.getByRole('link', { name: 'Rechten', exact: true }).click();
    const dossierRights = panel.getByTestId('dossier-rights');
    await dossierRights.waitFor();
    await dossierRights.getByRole('link', { name: 'Demo Ouder' }).waitFor();
    await checkBoth('2-rechten-dossier');

    await dossierRights.getByRole('link', { name: 'Demo Ouder' }).click();
    await panel.waitForURL(`${ADMIN_URL}#/beheer/rechten/account/${parentId}`);
    const accountRights = panel.getByTestId('account-rights');
    await accountRights.getByRole('link', { name: /Sam/ }).waitFor();
    await checkBoth('3-rechten-account');
  });

  it('TLV archiveren: gone from the list; "Gearchiveerd tonen" shows it again', async () => {
    await panel.goto(`${ADMIN_URL}#/dossiers/${samId}/tlv`);
    const tab = panel.getByTestId('panel-tlv');
    await tab.getByRole('heading', { name: new RegExp(TLV_TITLE) }).waitFor();
    await checkBoth('4-tlv');
    await tab.getByRole('button', { name: new RegExp(`^Archiveren: .*${TLV_TITLE}`) }).click();
    const ask = panel.getByRole('alertdialog');
    await ask.waitFor();
    expect(await ask.innerText()).toContain('alleen beheerders');
    await checkPage(panel, 'screens-5-tlv-archiveren');
    await ask.getByRole('button', { name: 'Archiveren' }).click();
    await tab.getByRole('heading', { name: new RegExp(TLV_TITLE) }).waitFor({ state: 'detached' });
    await tab.getByText('Nog niets vastgelegd.').waitFor();

    await tab.getByLabel('Gearchiveerd tonen').check();
    const archived = tab.getByRole('article', { name: new RegExp(TLV_TITLE) });
    await archived.getByText('Gearchiveerd', { exact: true }).waitFor();
    await archived.getByRole('button', { name: /^Terugzetten:/ }).waitFor();
    await checkBoth('6-tlv-gearchiveerd');
  });

  it('Overlegronde with "Besloten deelname": the tag and the invited, and the form with its invitees', async () => {
    await panel.getByRole('tab', { name: 'Overlegronde' }).click();
    const tab = panel.getByTestId('panel-overlegronden');
    const meeting = tab.getByRole('article', { name: new RegExp(MEETING_TITLE) });
    await meeting.getByText('Besloten deelname', { exact: true }).waitFor();
    expect(await meeting.innerText()).toContain('Demo Ouder');
    await checkBoth('7-overlegronde');

    await tab.getByRole('button', { name: '+ Toevoegen' }).click();
    const form = tab.getByRole('form');
    await form.getByLabel('Besloten deelname').check();
    await form.getByRole('group', { name: 'Genodigden' }).getByLabel(/Demo Ouder/).waitFor();
    await checkBoth('8-overlegronde-besloten');
    await form.getByRole('button', { name: 'Annuleren' }).click();
  });

  it('Anonimiseren: the wrong name keeps the button disabled; the right name makes the dossier Geanonimiseerd', async () => {
    await panel.goto(`${ADMIN_URL}#/dossiers/${anoukId}/basisgegevens`);
    await panel.getByRole('heading', { name: new RegExp(`${CHILD.firstName} ${CHILD.lastName}`) }).waitFor();
    await panel.getByRole('button', { name: 'Dossier anonimiseren' }).click();
    const dialog = panel.getByRole('dialog', { name: 'Dossier anonimiseren' });
    const field = dialog.getByLabel(`Typ ter bevestiging de naam van het kind: ${CHILD.firstName} ${CHILD.lastName}`);
    const final = dialog.getByRole('button', { name: 'Definitief anonimiseren' });
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await final.isDisabled()).toBe(true);
    await field.fill(`${CHILD.firstName} Wismans`);
    expect(await final.isDisabled()).toBe(true);
    await field.press('Enter'); // submitting with the wrong name does nothing
    expect(await dialog.isVisible()).toBe(true);
    await checkBoth('9-anonimiseren');
    await field.fill(`  ${CHILD.firstName.toLowerCase()}   ${CHILD.lastName} `);
    expect(await final.isEnabled()).toBe(true);
    await final.click();
    await dialog.waitFor({ state: 'detached' });
    await panel.getByRole('heading', { name: /Geanonimiseerd/ }).waitFor();
    await panel.getByText('Dit dossier is geanonimiseerd en kan niet meer worden gewijzigd.').waitFor();
    expect(await panel.getByRole('button', { name: 'Dossier anonimiseren' }).count()).toBe(0);
    expect(await panel.locator('body').innerText()).not.toContain(CHILD.lastName);
    // The form below shows the server's anonymised dossier, not the name it showed before.
    const tab = panel.getByTestId('panel-basisgegevens');
    await expect.poll(() => tab.getByLabel('Voornaam').inputValue()).toBe('Geanonimiseerd');
    const values = await tab.locator('input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(values.join(' ')).not.toMatch(new RegExp(`${CHILD.firstName}|${CHILD.lastName}|2016`));
    await checkBoth('10-geanonimiseerd');

    // The server agrees, and the audit log has it.
    const admin = await prepareAdmin(server);
    const dossier = await server.api.call<{ firstName: string; anonymised: boolean }>('GET', `/dossiers/${anoukId}`, undefined, admin.token);
    expect(dossier).toMatchObject({ firstName: 'Geanonimiseerd', anonymised: true });
    await panel.goto(`${ADMIN_URL}#/beheer/auditlog/dossier/${anoukId}`);
    await panel.getByTestId('audit-table').locator('code', { hasText: 'dossier.anonymise' }).first().waitFor();
  });
});
