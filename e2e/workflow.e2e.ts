// The partnership's workflow of issue 11 against the real server: an admin writes a mail
// template and the closing text in Beheer → Mailsjablonen, sets the rules "bijlage toegevoegd →
// in behandeling" and "status wordt in behandeling → mail aan de ouders/verzorgers" in Beheer →
// Automatisering, then a coordinator uploads a PDF to a hulpvraag in the panel: the status
// changes, Status informatie shows it as automatic naming the rule, and the guardian's mail
// reaches the test's SMTP server saying no more than the template does. Each screen gets a
// screenshot (e2e/artifacts/workflow-*.png) and an axe check, at 1280×800 and 1024 wide.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oneJourney } from './helpers/journey';
import type { Page } from 'playwright-core';
import { makePdf } from '../server/src/lib/demo-pdf.ts';
import { seriousViolations } from './helpers/axe';
import { EXTENSION_ID, launchWithExtension, type ExtensionBrowser } from './helpers/extension';
import { loginInPopup } from './helpers/popup';
import { ARTIFACTS, activateAndLogin, startKindkans } from './helpers/server';
import { prepareAdmin } from './helpers/prepare';
import type { Phone } from './helpers/totp';

const PASSWORD = 'beheer-wachtwoord-2024';
const PARENT_EMAIL = 'ouder.workflow@example.org';
const COORDINATOR_EMAIL = 'coordinator.workflow@example.org';
const PDF_NAME = 'verslag-intake.pdf';
const TITLE = 'Onderzoek rekenen en aandacht';
const DESCRIPTION = 'Vertrouwelijk: moeite met concentratie sinds de scheiding van de ouders.';
const ADMIN_URL = `chrome-extension://${EXTENSION_ID}/admin.html`;

let server: Awaited<ReturnType<typeof startKindkans>>;
let browser: ExtensionBrowser;
let panel: Page;
let admin: { token: string; username: string; password: string; phone: Phone };
let coordinator: { token: string; username: string; password: string; phone: Phone };
let dossierId = '';
let hulpvraagId = '';

/** Screenshot into e2e/artifacts/ and no serious or critical axe violations. */
async function checkPanel(name: string) {
  await panel.screenshot({ path: join(ARTIFACTS, `workflow-${name}.png`), fullPage: true });
  const violations = await seriousViolations(panel);
  expect(violations, `axe on ${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** Signs in through the popup and opens Beheer in a tab that shares the session. */
async function openPanelAs(who: { username: string; password: string; phone: Phone }): Promise<Page> {
  const popup = await browser.openPopup();
  await loginInPopup(popup, who.username, who.password, await who.phone.nextCode());
  await popup.getByRole('button', { name: 'Beheer' }).waitFor();
  const opened = browser.context.waitForEvent('page');
  await popup.getByRole('button', { name: 'Beheer' }).click();
  const page = await opened;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForURL(`${ADMIN_URL}*`);
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).waitFor();
  return page;
}

describe('workflow: automation rules and mail templates in the panel', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startKindkans({ port: inject('serverPort'), name: 'workflow' }),
      launchWithExtension(inject('extensionDir')),
    ]);
    await browser.chooseDutch();
    admin = await prepareAdmin(server);
    // The dossier, its guardian (an active parent) and a coordinator: set up through the API.
    const call = <T>(method: string, path: string, body?: unknown) => server.api.call<T>(method, path, body, admin.token);
    dossierId = (await call<{ id: string }>('POST', '/dossiers', { firstName: 'Noor', lastName: 'Workflowsma', birthDate: '2015-05-06', schoolBrin: '12AB00' })).id;
    await call('POST', '/users', { role: 'parent', email: PARENT_EMAIL, displayName: 'Ouder Workflowsma', dossierIds: [dossierId] });
    await activateAndLogin(server.api, await server.smtp.activationToken(PARENT_EMAIL), 'zonnebloem-kastanje-43');
    await call('POST', '/users', { role: 'coordinator', email: COORDINATOR_EMAIL, displayName: 'Coördinator Claes' });
    coordinator = await activateAndLogin(server.api, await server.smtp.activationToken(COORDINATOR_EMAIL), PASSWORD);
    hulpvraagId = (await call<{ id: string; status: string }>('POST', `/dossiers/${dossierId}/hulpvragen`, { title: TITLE, description: DESCRIPTION, visibleToParents: true })).id;
  });

  oneJourney(async () => panel?.screenshot({ path: join(ARTIFACTS, 'workflow-failed.png'), fullPage: true }));

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('Beheer → Mailsjablonen: a template with inserted placeholders, a live preview, and the closing text', async () => {
    panel = await openPanelAs(admin);
    await panel.goto(`${ADMIN_URL}#/beheer/mailsjablonen`);
    await panel.getByRole('heading', { name: 'Mailsjablonen' }).waitFor();
    await panel.getByText('Nog geen mailsjablonen.').waitFor();

    await panel.getByLabel('Afsluitende tekst').fill('Met vriendelijke groet, het ondersteuningsteam van {organisatie}.');
    await panel.getByRole('button', { name: 'Opslaan' }).click();
    await panel.getByText('De afsluitende tekst is opgeslagen.').waitFor();

    await panel.getByRole('button', { name: '+ Nieuw mailsjabloon' }).click();
    const form = panel.getByRole('form', { name: 'Nieuw mailsjabloon' });
    await form.getByLabel('Naam van het sjabloon').fill('Hulpvraag in behandeling');
    // An unknown placeholder: the preview says so while typing.
    await form.getByLabel('Onderwerp', { exact: true }).fill('Nieuws over {titel}');
    await form.getByLabel('Tekst', { exact: true }).fill('Er is iets veranderd.');
    await panel.getByTestId('mail-preview').getByText(/Onderwerp: onbekende plaatshouders \{titel\}/).waitFor();
    // Placeholders inserted with the buttons, where the cursor is.
    await form.getByLabel('Onderwerp', { exact: true }).fill('Nieuws over de hulpvraag van ');
    await form.getByRole('button', { name: 'Invoegen {kind}' }).click();
    expect(await form.getByLabel('Onderwerp', { exact: true }).inputValue()).toBe('Nieuws over de hulpvraag van {kind}');
    await form.getByLabel('Tekst', { exact: true }).fill('De hulpvraag van ');
    await form.getByRole('button', { name: 'Invoegen {kind}' }).click();
    await form.getByLabel('Tekst', { exact: true }).press('End');
    await form.getByLabel('Tekst', { exact: true }).pressSequentially(' heeft nu de status ');
    await form.getByRole('button', { name: 'Invoegen {status}' }).click();
    await form.getByLabel('Tekst', { exact: true }).press('End');
    await form.getByLabel('Tekst', { exact: true }).pressSequentially('. Kijk in Kindkans: ');
    await form.getByRole('button', { name: 'Invoegen {link}' }).click();
    expect(await form.getByLabel('Tekst', { exact: true }).inputValue()).toBe('De hulpvraag van {kind} heeft nu de status {status}. Kijk in Kindkans: {link}');
    const preview = panel.getByTestId('mail-preview');
    await preview.getByText('Onderwerp: Nieuws over de hulpvraag van Sam').waitFor();
    expect(await preview.innerText()).toContain('Met vriendelijke groet, het ondersteuningsteam van PO2507 Stromenland.');
    await checkPanel('1-mailsjabloon-nieuw');
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await panel.getByTestId('templates-table').getByText('Hulpvraag in behandeling').waitFor();
    await checkPanel('2-mailsjablonen');
  });

  it('Beheer → Automatisering: the two rules as sentences, in order', async () => {
    await panel.getByRole('link', { name: 'Automatisering' }).click();
    await panel.getByRole('heading', { name: 'Automatisering' }).waitFor();
    await panel.getByText('Nog geen regels.').waitFor();

    await panel.getByRole('button', { name: '+ Nieuwe regel' }).click();
    let form = panel.getByRole('form', { name: 'Nieuwe regel' });
    await form.getByLabel('Naam van de regel').fill('Bijlage → in behandeling');
    await form.getByLabel('Soort regel').selectOption('attachment_status');
    // Saving without a status: the server's refusal, in the form.
    await form.getByRole('button', { name: 'Opslaan' }).click();
    expect(await form.getByRole('alert').innerText()).toBe('Nieuwe status: vul dit in.');
    await form.getByLabel('Als er een bijlage bij de hulpvraag komt, dan wordt de status').selectOption('in behandeling');
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await panel.getByTestId('rules-table').getByText('Als er een bijlage bijkomt, dan status In behandeling.').waitFor();

    await panel.getByRole('button', { name: '+ Nieuwe regel' }).click();
    form = panel.getByRole('form', { name: 'Nieuwe regel' });
    await form.getByLabel('Naam van de regel').fill('Mail aan ouders bij in behandeling');
    await form.getByLabel('Soort regel').selectOption('status_mail');
    await form.getByLabel('Als de status').selectOption('in behandeling');
    await form.getByLabel('wordt, dan gaat de mail').selectOption({ label: 'Hulpvraag in behandeling' });
    expect(await form.getByLabel('de ouders/verzorgers').isChecked()).toBe(true);
    await checkPanel('3-regel-mail');
    await form.getByRole('button', { name: 'Opslaan' }).click();
    const table = panel.getByTestId('rules-table');
    await table.getByText('Als de status In behandeling wordt, dan mail “Hulpvraag in behandeling” aan de ouders/verzorgers.').waitFor();
    expect((await table.locator('tbody th').allInnerTexts()).map((t) => t.trim())).toEqual(['Bijlage → in behandeling', 'Mail aan ouders bij in behandeling']);

    // Keyboard: move the mail rule up and back down with the buttons, toggle it off and on.
    await panel.getByRole('button', { name: 'Omhoog: Mail aan ouders bij in behandeling' }).focus();
    await panel.keyboard.press('Enter');
    await expect.poll(async () => (await table.locator('tbody th').allInnerTexts())[0]?.trim(), { timeout: 10_000 }).toBe('Mail aan ouders bij in behandeling');
    await panel.getByRole('button', { name: 'Omlaag: Mail aan ouders bij in behandeling' }).focus();
    await panel.keyboard.press('Enter');
    await expect.poll(async () => (await table.locator('tbody th').allInnerTexts())[0]?.trim(), { timeout: 10_000 }).toBe('Bijlage → in behandeling');
    const toggle = panel.getByLabel('Regel aan: Mail aan ouders bij in behandeling');
    await toggle.uncheck();
    await table.locator('.tag', { hasText: 'uit' }).waitFor();
    await toggle.check();
    await expect.poll(async () => table.locator('.tag', { hasText: 'uit' }).count(), { timeout: 10_000 }).toBe(0);
    await checkPanel('4-automatisering');
    await panel.setViewportSize({ width: 1024, height: 768 });
    const overflow = await panel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await checkPanel('5-automatisering-1024');
    await panel.getByRole('link', { name: 'Mailsjablonen' }).click();
    await panel.getByTestId('templates-table').getByText('1 regel').waitFor();
    await checkPanel('6-mailsjablonen-1024');
    await panel.setViewportSize({ width: 1280, height: 800 });
  });

  it('a coordinator uploads a PDF: the status changes automatically, naming the rule, and the guardian gets the mail', async () => {
    // The admin signs out; a coordinator signs in and works in the panel.
    await panel.close();
    const popup = await browser.openPopup();
    await popup.getByRole('button', { name: 'Uitloggen' }).click();
    await popup.close();
    panel = await openPanelAs(coordinator);
    await panel.goto(`${ADMIN_URL}#/beheer/accounts`);
    await panel.getByRole('navigation', { name: 'Beheer' }).waitFor();
    expect(await panel.getByRole('link', { name: 'Automatisering' }).count()).toBe(0); // admins only
    await panel.goto(`${ADMIN_URL}#/dossiers/${dossierId}/hulpvraag/${hulpvraagId}`);
    await panel.getByRole('heading', { name: TITLE }).waitFor();
    expect(await panel.getByTestId('hulpvragen-table').innerText()).toContain('Aanmelding');

    const pdf = Buffer.from(makePdf(['Verslag intake', 'Noor Workflowsma'])).toString('base64');
    const dataTransfer = await panel.evaluateHandle(({ b64, name }) => {
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: 'application/pdf' }));
      return dt;
    }, { b64: pdf, name: PDF_NAME });
    await panel.getByTestId('dropzone').dispatchEvent('dragover', { dataTransfer });
    await panel.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
    await panel.getByText(`${PDF_NAME} is toegevoegd.`).waitFor({ state: 'attached' });
    await panel.getByTestId('hulpvragen-table').getByText('In behandeling').waitFor();

    await panel.getByRole('button', { name: 'Status informatie' }).click();
    const history = panel.getByTestId('status-history');
    await history.waitFor();
    const rows = await history.locator('tbody tr').allInnerTexts();
    // The status change by the attachment rule, and the mail rule it started: both automatic, each naming its rule.
    expect(rows.some((r) => /Automatisch: Bijlage → in behandeling\s+Aanmelding → In behandeling/.test(r)), rows.join('\n')).toBe(true);
    expect(rows.some((r) => r.includes('Automatisch: Mail aan ouders bij in behandeling')), rows.join('\n')).toBe(true);
    await checkPanel('7-status-informatie-automatisch');

    // The guardian's mail: through the outbox, after commit, to the test's SMTP server.
    await expect.poll(() => server.smtp.mails.filter((m) => m.to.includes(PARENT_EMAIL) && m.subject.startsWith('Nieuws')).length, { timeout: 20_000 }).toBe(1);
    const mail = server.smtp.mails.find((m) => m.to.includes(PARENT_EMAIL) && m.subject.startsWith('Nieuws'))!;
    expect(mail.subject).toBe('Nieuws over de hulpvraag van Noor');
    expect(mail.text).toContain('De hulpvraag van Noor heeft nu de status in behandeling. Kijk in Kindkans: http://127.0.0.1:');
    expect(mail.text).toContain('Met vriendelijke groet, het ondersteuningsteam van PO2507 Stromenland.');
    expect(mail.text.match(/Met vriendelijke groet/g)).toHaveLength(1); // the closing text is the sign-off
    // Nothing of the dossier beyond what the template says.
    for (const secret of [TITLE, DESCRIPTION, 'Vertrouwelijk', 'rekenen', PDF_NAME, 'Workflowsma', '06-05-2015', '2015-05-06']) {
      expect(mail.subject + mail.text + mail.html, `the mail must not contain ${secret}`).not.toContain(secret);
    }
    expect(mail.raw).not.toContain(PDF_NAME); // and no attachment
    // The rule mails the guardians only: the coordinator got nothing from it.
    expect(server.smtp.mails.filter((m) => m.to.includes(COORDINATOR_EMAIL) && m.subject.startsWith('Nieuws'))).toEqual([]);
  });
});
