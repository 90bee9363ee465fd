import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { MailMessage } from './types.ts';

/** The mails the accounts feature sends: Dutch first, English second. */
export type MailTemplate =
  | { template: 'welcome'; displayName: string; organisation: string; username: string; link: string }
  | { template: 'password_reset'; displayName: string; organisation: string; username: string; link: string }
  | { template: 'password_known'; displayName: string; organisation: string; username: string; minutes: number }
  | { template: 'totp_reset'; displayName: string; organisation: string; username: string; link: string }
  /** Slapende accounts: the daily job's warning, a week (at least) before it deactivates the account. */
  | { template: 'sleeping_warning'; displayName: string; organisation: string; username: string; dateNl: string; dateEn: string; activated: boolean }
  /** Beheer → Mailsjablonen: subject and body as filled in from the organisation's template, and its closing text. */
  | { template: 'workflow'; organisation: string; subject: string; body: string; closing: string };

/** Paragraphs of a text an admin wrote (blank lines between them). */
const paragraphs = (text: string) => text.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean);

interface Parts {
  subject: string;
  nl: string[];
  en: string[];
  link?: { url: string; nl: string; en: string };
}

function parts(m: MailTemplate): Parts {
  switch (m.template) {
    case 'workflow':
      // Written by the organisation in its own words (Dutch); there is no English half.
      return { subject: m.subject, nl: [...paragraphs(m.body), ...paragraphs(m.closing)], en: [] };
    case 'sleeping_warning':
      return m.activated
        ? {
            subject: `Log in vóór ${m.dateNl} om uw account te houden / Log in to keep your account`,
            nl: [
              `Beste ${m.displayName},`,
              `U heeft al lange tijd niet ingelogd bij Kindkans (${m.organisation}) met uw account ${m.username}.`,
              `Log in vóór ${m.dateNl} om uw account te houden. Doet u dat niet, dan wordt uw account op die dag gedeactiveerd. U kunt dan niet meer inloggen tot de school of de beheerder het account weer activeert.`,
              'Inloggen gaat zoals altijd: in de Kindkans-extensie, met uw wachtwoord en een code uit uw authenticator-app.',
            ],
            en: [
              `You have not logged in to Kindkans (${m.organisation}) with your account ${m.username} for a long time.`,
              `Log in before ${m.dateEn} to keep your account. If you do not, your account will be deactivated on that day, and you cannot log in until your school or the administrator reactivates it.`,
            ],
          }
        : {
            subject: `Activeer uw account vóór ${m.dateNl} / Activate your account`,
            nl: [
              `Beste ${m.displayName},`,
              `Er is lang geleden een Kindkans-account voor u gemaakt bij ${m.organisation} (gebruikersnaam ${m.username}), maar het is nooit gebruikt.`,
              `Activeer het en log in vóór ${m.dateNl} om het te houden. Doet u dat niet, dan wordt het account op die dag gedeactiveerd. Werkt de link uit de uitnodiging niet meer? Vraag de school of de beheerder om een nieuwe uitnodiging.`,
            ],
            en: [
              `A Kindkans account was made for you at ${m.organisation} long ago (username ${m.username}), but it was never used.`,
              `Activate it and log in before ${m.dateEn} to keep it; otherwise it will be deactivated on that day. If the invitation link no longer works, ask your school or the administrator for a new invitation.`,
            ],
          };
    case 'welcome':
      return {
        subject: 'Welkom, nieuwe gebruiker / Welcome to Kindkans',
        nl: [
          `Beste ${m.displayName},`,
          `Welkom, nieuwe gebruiker. Er is een Kindkans-account voor u gemaakt bij ${m.organisation}.`,
          `Uw gebruikersnaam: ${m.username}`,
          'Open de link hieronder om een wachtwoord te kiezen en uw authenticator-app te koppelen. De link werkt één keer en is 72 uur geldig.',
        ],
        en: [
          `A Kindkans account was created for you at ${m.organisation}. Your username: ${m.username}.`,
          'Open the link to choose a password and set up your authenticator app. It works once, for 72 hours.',
        ],
        link: { url: m.link, nl: 'Account activeren', en: 'Activate account' },
      };
    case 'password_reset':
      return {
        subject: 'Nieuw wachtwoord instellen / Reset your password',
        nl: [
          `Beste ${m.displayName},`,
          `Er is gevraagd om een nieuw wachtwoord voor uw account ${m.username} bij ${m.organisation}.`,
          'Open de link hieronder binnen een uur. U heeft ook een code uit uw authenticator-app nodig. Heeft u dit niet zelf gevraagd? Dan kunt u deze e-mail negeren.',
        ],
        en: [
          `Someone asked for a new password for your account ${m.username} at ${m.organisation}.`,
          "Open the link within one hour; you also need a code from your authenticator app. If this wasn't you, ignore this e-mail.",
        ],
        link: { url: m.link, nl: 'Nieuw wachtwoord instellen', en: 'Set a new password' },
      };
    case 'password_known':
      return {
        subject: 'Iemand kent uw wachtwoord / Someone knows your password',
        nl: [
          `Beste ${m.displayName},`,
          `Iemand heeft bij het aanmelden op uw account ${m.username} bij ${m.organisation} het juiste wachtwoord gebruikt, maar steeds een verkeerde code. Het account is daarom ${m.minutes} minuten geblokkeerd.`,
          'Was u dit niet zelf? Dan kent iemand anders uw wachtwoord. Kies zo snel mogelijk een nieuw wachtwoord via "Wachtwoord vergeten?" in de Kindkans-extensie (u heeft daarvoor een code uit uw authenticator-app nodig).',
          'Gebeurt dit drie keer binnen 24 uur, dan blijft het account geblokkeerd tot u een nieuw wachtwoord instelt of de beheerder het account deblokkeert.',
        ],
        en: [
          `Someone logging in to your account ${m.username} at ${m.organisation} used the right password but wrong codes, so the account is locked for ${m.minutes} minutes.`,
          "If this wasn't you, someone else knows your password: choose a new one soon with \"Wachtwoord vergeten?\" (Forgot password) in the Kindkans extension; you need a code from your authenticator app.",
          'After three such locks within 24 hours the account stays locked until you set a new password or an administrator unlocks it.',
        ],
      };
    case 'totp_reset':
      return {
        subject: 'Nieuwe authenticator koppelen / Set up a new authenticator',
        nl: [
          `Beste ${m.displayName},`,
          `De tweestapsverificatie van uw account ${m.username} bij ${m.organisation} is opnieuw ingesteld door een beheerder. Alle sessies zijn beëindigd.`,
          'Open de link hieronder om uw authenticator-app opnieuw te koppelen. De link werkt één keer en is 72 uur geldig.',
        ],
        en: [
          `An administrator reset the two-factor login of your account ${m.username} at ${m.organisation}; every session was ended.`,
          'Open the link to set up your authenticator app again. It works once, for 72 hours.',
        ],
        link: { url: m.link, nl: 'Authenticator koppelen', en: 'Set up authenticator' },
      };
  }
}

/** Renders a template as a text and an HTML body (the HTML escapes every value). */
export function renderMail(to: string, m: MailTemplate): MailMessage {
  const p = parts(m);
  // A workflow mail with the organisation's own closing text (Afsluitende tekst) ends with that
  // text, not with it and our sign-off twice over.
  const signOff = !(m.template === 'workflow' && m.closing.trim());
  const text = [
    ...p.nl.flatMap((l) => [l, '']),
    ...(p.link ? [`${p.link.nl}: ${p.link.url}`, ''] : []),
    ...(signOff ? ['Met vriendelijke groet,', `Kindkans — ${m.organisation}`] : []),
    ...(p.en.length ? ['', '— English —', '', ...p.en.flatMap((l) => [l, '']), ...(p.link ? [`${p.link.en}: ${p.link.url}`, ''] : [])] : []),
  ].join('\n');
  const button = (label: string, url: string) =>
    html`<p><a href="${url}" style="display:inline-block;padding:10px 16px;background:#1d4e89;color:#fff;text-decoration:none;border-radius:6px">${label}</a></p><p style="font-size:13px;color:#555">${url}</p>`;
  const body = html`<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${p.subject}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;line-height:1.5;color:#1a1a1a;max-width:560px;margin:0 auto;padding:16px">
${p.nl.map((l) => html`<p>${l}</p>`)}
${p.link ? button(p.link.nl, p.link.url) : ''}
${signOff ? html`<p>Met vriendelijke groet,<br>Kindkans — ${m.organisation}</p>` : ''}
${p.en.length ? html`<hr style="border:none;border-top:1px solid #ddd">
<div lang="en" style="color:#444;font-size:14px">${p.en.map((l) => html`<p>${l}</p>`)}${p.link ? html`<p><a href="${p.link.url}">${p.link.en}</a></p>` : ''}</div>` : ''}
</body></html>`;
  return { to, subject: p.subject, text, html: (body as HtmlEscapedString).toString() }; // html`` is a promise only when a value is one; none is here
}
