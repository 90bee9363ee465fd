// The staff journey of issue 10 against the real server: an admin logs in in the popup, opens
// Beheer, invites a parent (the mail reaches the SMTP server), creates a dossier and links the
// parent, adds a hulpvraag, uploads a PDF by drag and drop, changes the status and reads the
// status history; then the parent logs in and sees the hulpvraag and the PDF. Every panel
// screen gets a screenshot (e2e/artifacts/panel-*.png) and an axe check.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oneJourney } from './helpers/journey';
import type { Page } from 'playwright-core';
import { makePdf } from '../server/src/lib/demo-pdf.ts';
import { checkPage } from './helpers/axe';
import { EXTENSION_ID, launchWithExtension, type ExtensionBrowser } from './helpers/extension';
import { checkScreen, loginInPopup } from './helpers/popup';
import { activate, ARTIFACTS, startKindkans, type Account } from './helpers/server';

const PARENT_EMAIL = 'ouder.panel@example.org';
const PARENT_PASSWORD = 'zonnebloem-kastanje-43';
const PDF_NAME = 'onderzoeksverslag.pdf';

let server: Awaited<ReturnType<typeof startKindkans>>;
let browser: ExtensionBrowser;
let popup: Page;
let panel: Page;
let admin: Account;
let parentUsername = '';
let parentActivation = '';

/** Screenshot into e2e/artifacts/panel-<name>.png and no serious or critical axe violations. */
const checkPanel = (name: string) => checkPage(panel, `panel-${name}`);

/**
 * Kengetallen: the figures of what this journey made (one hulpvraag, its status changed), a table
 * beside each chart, and a CSV that downloads from a blob with a BOM and Dutch headings.
 */
async function checkKengetallen(name: string) {
  const byStatus = panel.getByRole('region', { name: 'Hulpvragen per status' });
  await byStatus.getByRole('row', { name: /In behandeling 1/ }).waitFor();
  // Five figures, each beside its table and hidden from screen readers; three of them are SVG charts.
  expect(await panel.locator('.kg-chart[aria-hidden="true"]').count()).toBe(5);
  expect(await panel.locator('.kg-chart[aria-hidden="true"] svg').count()).toBe(3);
  const [download] = await Promise.all([panel.waitForEvent('download'), byStatus.getByRole('button', { name: 'Hulpvragen per status als CSV downloaden' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^kengetallen-byStatus-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/);
  const { readFile } = await import('node:fs/promises');
  const csv = await readFile((await download.path())!, 'utf8');
  // Dutch Excel's CSV: a BOM and `;` between the fields (lib/csv.ts, as the audit log's export).
  expect(csv.startsWith('\uFEFFStatus;Sluit de hulpvraag;Aantal hulpvragen\r\n')).toBe(true);
  expect(csv).toContain('in behandeling;nee;1\r\n');
  await checkPanel(name);
}

describe('staff panel in the extension', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startKindkans({ port: inject('serverPort'), name: 'staff-panel' }),
      launchWithExtension(inject('extensionDir')),
    ]);
    // The demo admin, ready from the server's first start (the parent journey covers activation).
    admin = server.demo.admin;
  });

  oneJourney(async () => panel?.screenshot({ path: join(ARTIFACTS, 'panel-failed.png'), fullPage: true }));

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the admin logs in in the popup and opens Beheer in a tab that shares the session', async () => {
    await browser.chooseDutch();
    popup = await browser.openPopup();
    await loginInPopup(popup, admin.username, admin.password, await admin.phone.nextCode());
    await popup.getByText(`U bent succesvol aangemeld als ${admin.displayName} in regio PO2507 Stromenland.`).waitFor();
    const opened = browser.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Beheer' }).click();
    panel = await opened;
    await panel.setViewportSize({ width: 1280, height: 800 });
    await panel.waitForURL(`chrome-extension://${EXTENSION_ID}/admin.html*`);
    const menu = panel.getByRole('navigation', { name: 'Hoofdmenu' });
    await menu.waitFor();
    expect(await menu.getByRole('link').allInnerTexts()).toEqual(['Hulpvragen', 'Dossiers', 'Kengetallen', 'Planning', 'Beheer']);
    await panel.getByTestId('dossier-results').waitFor();
    await checkPanel('1-dossiers');
  });

  it('Beheer → Accounts: invites a parent, and the mail reaches the SMTP server', async () => {
    await panel.getByRole('link', { name: 'Beheer' }).click();
    await panel.getByTestId('accounts-table').waitFor();
    await checkPanel('2-accounts');
    await panel.getByRole('button', { name: '+ Uitnodigen' }).click();
    await panel.getByLabel('Rol', { exact: true }).last().selectOption('parent');
    await panel.locator('#i-name').fill('Anna de Ouder');
    await panel.locator('#i-email').fill(PARENT_EMAIL);
    await checkPanel('3-uitnodigen');
    await panel.locator('form[aria-labelledby="invite-title"]').getByRole('button', { name: 'Uitnodigen' }).click();
    const done = await panel.getByText(/Anna de Ouder is uitgenodigd als/).innerText();
    parentUsername = /als (\S+)\./.exec(done)![1]!;
    parentActivation = await server.smtp.activationToken(PARENT_EMAIL);
    expect(parentActivation).toMatch(/.{20,}/);
    await panel.getByTestId('accounts-table').getByText('Anna de Ouder').waitFor();
  });

  it('creates a dossier and links the parent', async () => {
    await panel.getByRole('link', { name: 'Dossiers' }).click();
    await panel.getByRole('link', { name: '+ Nieuw dossier' }).click();
    await panel.getByLabel('Voornaam').fill('Joep');
    await panel.getByLabel('Achternaam').fill('Panelman');
    await panel.getByLabel('Geboortedatum', { exact: true }).last().fill('2016-04-05');
    await panel.locator('#d-school').selectOption('12AB00');
    await panel.getByLabel('Groep').fill('groep 5');
    await panel.getByLabel('Contactpersoon van de school').fill('Mw. Jansen (IB)');
    await checkPanel('4-nieuw-dossier');
    await panel.getByRole('button', { name: 'Aanmaken' }).click();
    await panel.getByRole('heading', { name: 'Dossier van Joep Panelman' }).waitFor();
    expect(panel.url()).toMatch(/#\/dossiers\/[0-9a-f-]{36}\/basisgegevens$/);
    await panel.getByLabel('Ouder zoeken (naam of e-mail)').fill('Anna');
    await panel.getByRole('button', { name: 'Zoeken', exact: true }).last().click();
    await panel.getByRole('button', { name: 'Koppelen' }).click();
    await panel.locator('#guardians-title ~ ul').getByText('Anna de Ouder').waitFor();
    await checkPanel('5-basisgegevens');
    await panel.getByRole('tab', { name: 'Schoolgegevens' }).click();
    expect(await panel.getByLabel('Groep').inputValue()).toBe('groep 5');
    await checkPanel('6-schoolgegevens');
  });

  it('Nieuwe hulpvraag toevoegen, then a PDF by drag and drop', async () => {
    // Keyboard: from Schoolgegevens, the arrow key moves to the Hulpvraag tab.
    await panel.getByRole('tab', { name: 'Schoolgegevens' }).focus();
    await panel.keyboard.press('ArrowRight');
    await panel.getByRole('tab', { name: 'Hulpvraag', selected: true }).waitFor();
    await panel.getByRole('button', { name: '+ Nieuwe hulpvraag toevoegen' }).click();
    await panel.locator('#hv-title-input').fill('Onderzoek leesontwikkeling');
    await panel.locator('#hv-desc').fill('Graag een onderzoek naar het lezen.');
    await panel.locator('form[aria-labelledby="hv-form-title"]').getByRole('button', { name: 'Nieuwe hulpvraag toevoegen' }).click();
    await panel.getByRole('heading', { name: 'Onderzoek leesontwikkeling' }).waitFor();

    const pdf = Buffer.from(makePdf(['Onderzoeksverslag', 'Joep Panelman'])).toString('base64');
    const dataTransfer = await panel.evaluateHandle(({ b64, name }) => {
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: 'application/pdf' }));
      return dt;
    }, { b64: pdf, name: PDF_NAME });
    await panel.getByTestId('dropzone').dispatchEvent('dragover', { dataTransfer });
    await panel.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
    await panel.getByText(`${PDF_NAME} is toegevoegd.`).waitFor({ state: 'attached' });
    await panel.getByRole('button', { name: `${PDF_NAME} downloaden` }).waitFor();
    await checkPanel('7-hulpvraag');
  });

  it('Status wijzigen, and Status informatie shows it', async () => {
    await panel.getByRole('button', { name: 'Status wijzigen' }).click();
    await panel.getByLabel('Nieuwe status').selectOption('in behandeling');
    await panel.getByLabel('Toelichting').fill('Intake gepland met ouders.');
    await checkPanel('8-status-wijzigen');
    await panel.locator('form[aria-labelledby="st-title"]').getByRole('button', { name: 'Status wijzigen' }).click();
    await panel.getByTestId('hulpvragen-table').getByText('In behandeling').waitFor();
    await panel.getByRole('button', { name: 'Status informatie' }).click();
    const history = panel.getByTestId('status-history');
    await history.waitFor();
    const rows = await history.locator('tbody tr').allInnerTexts();
    expect(rows[0]).toMatch(new RegExp(`${admin.displayName}\\s+Aanmelding → In behandeling\\s+Intake gepland met ouders\\.`));
    expect(rows[1]).toMatch(/→ Aanmelding/);
    await checkPanel('9-status-informatie');
  });

  it('every other screen: the tabs, Hulpvragen, Kengetallen, Planning, Nieuws; and 1024 wide', async () => {
    for (const [tab, name] of [['Aanpak', '10-aanpak'], ['TLV', '11-tlv'], ['Overlegronde', '12-overlegronde'], ['Mijn notities', '13-mijn-notities']] as const) {
      await panel.getByRole('tab', { name: tab }).click();
      await panel.getByRole('tabpanel').waitFor();
      if (tab === 'Aanpak') {
        await panel.getByRole('button', { name: '+ Toevoegen' }).click();
        await panel.getByLabel('Titel').fill('Extra leesbegeleiding');
        await panel.getByLabel('Tekst').fill('Twee keer per week twintig minuten.');
        await panel.getByLabel('Zichtbaar voor ouders').check();
        await panel.getByRole('button', { name: 'Opslaan' }).click();
        await panel.getByRole('heading', { name: /Extra leesbegeleiding/ }).waitFor();
      }
      if (tab === 'TLV') {
        await panel.getByRole('button', { name: '+ Toevoegen' }).click();
        await panel.getByLabel('Soort').selectOption('so-midden');
        await panel.getByLabel('Einddatum').fill('2020-07-31');
        await panel.getByRole('button', { name: 'Opslaan' }).click();
        await panel.getByText('Verlopen').waitFor();
      }
      if (tab === 'Mijn notities') {
        await panel.getByLabel('Nieuwe notitie').fill('Let op: broertje zit in groep 3.');
        await panel.getByRole('button', { name: 'Opslaan' }).click();
        await panel.getByText('Let op: broertje zit in groep 3.').waitFor();
      }
      await checkPanel(name);
    }
    await panel.getByRole('link', { name: 'Hulpvragen' }).click();
    await panel.getByRole('link', { name: 'Onderzoek leesontwikkeling' }).waitFor();
    await checkPanel('14-hulpvragen');
    await panel.getByRole('link', { name: 'Kengetallen' }).click();
    await checkKengetallen('15-kengetallen');
    await panel.getByRole('link', { name: 'Planning' }).click();
    await panel.getByRole('heading', { name: 'Planning' }).waitFor();
    await checkPanel('15b-planning');
    await panel.goto(`chrome-extension://${EXTENSION_ID}/admin.html#/beheer/nieuws`);
    await panel.getByRole('heading', { name: 'Nieuws' }).waitFor();
    await panel.getByRole('button', { name: '+ Nieuw bericht' }).click();
    await panel.getByLabel('Titel').fill('Studiedag 1 oktober');
    await panel.getByLabel('Bericht', { exact: true }).fill('Op 1 oktober zijn de scholen gesloten.');
    await panel.getByRole('button', { name: 'Opslaan als concept' }).click();
    await panel.locator('.tag', { hasText: 'concept' }).waitFor();
    await checkPanel('16-nieuws');
    await panel.getByRole('link', { name: 'Statussen' }).click();
    await panel.getByRole('heading', { name: 'Statussen' }).waitFor();
    await panel.getByLabel('Sluit de hulpvraag af: afgerond').waitFor();
    await checkPanel('16b-statussen');
    await panel.getByRole('link', { name: 'Slapende accounts' }).click();
    await panel.getByRole('heading', { name: 'Slapende accounts' }).waitFor();
    await panel.getByLabel('Elke dag slapende accounts deactiveren, met een e-mail een week van tevoren').check();
    await panel.getByLabel('Aantal maanden zonder aanmelding').fill('18');
    await panel.getByRole('button', { name: 'Opslaan' }).click();
    await panel.getByText('Opgeslagen. Accounts die 18 maanden niet zijn aangemeld, krijgen een e-mail en worden een week later gedeactiveerd.').waitFor();
    await panel.getByText('Er zijn geen slapende accounts.').waitFor();
    await checkPanel('16c-slapende-accounts');
    await panel.setViewportSize({ width: 1024, height: 768 });
    await panel.getByRole('link', { name: 'Dossiers' }).click();
    await panel.getByRole('link', { name: /Panelman, Joep/ }).click();
    await panel.getByRole('heading', { name: 'Dossier van Joep Panelman' }).waitFor();
    const overflow = await panel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await checkPanel('17-dossier-1024');
    await panel.getByRole('link', { name: 'Kengetallen' }).click();
    await checkKengetallen('17b-kengetallen-1024');
    expect(await panel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });

  it('logout in the popup logs the panel out too; the parent then sees the hulpvraag and the PDF', async () => {
    // The popup closes itself after opening Beheer (as a real popup does); open it again.
    if (popup.isClosed()) popup = await browser.openPopup();
    await popup.getByRole('button', { name: 'Uitloggen' }).click();
    await panel.getByRole('heading', { name: 'U bent niet aangemeld' }).waitFor();
    await checkPanel('18-afgemeld');

    const parent = await activate(server.api, parentActivation, PARENT_PASSWORD, 'Anna de Ouder');
    expect(parent.username).toBe(parentUsername);
    await popup.reload();
    await loginInPopup(popup, parent.username, parent.password, await parent.phone.nextCode());
    await popup.getByText('U bent succesvol aangemeld als Anna de Ouder in regio PO2507 Stromenland.').waitFor();
    expect(await popup.getByRole('button', { name: 'Beheer' }).count()).toBe(0);
    await popup.getByTestId('hulpvragen-table').getByRole('button', { name: 'Onderzoek leesontwikkeling' }).click();
    await popup.getByText('Hulpvraagdatum').waitFor();
    await popup.getByRole('button', { name: `${PDF_NAME} downloaden` }).waitFor();
    await popup.getByRole('button', { name: /Terug/ }).click();
    // The Aanpak item shared with parents is there, read-only; the TLV (not shared) is not.
    await popup.getByRole('heading', { name: 'Aanpak' }).waitFor();
    await popup.getByText('Twee keer per week twintig minuten.').waitFor();
    expect(await popup.getByText('Toelaatbaarheidsverklaring (TLV)').count()).toBe(0);
    await checkScreen(popup, '9-aanpak-gedeeld');

    // A parent who opens admin.html gets a polite refusal.
    await panel.reload();
    await panel.getByText(/Dit deel van Kindkans is voor medewerkers/).waitFor();
    await checkPanel('19-ouder-geweigerd');
  });
});
