import { html, raw } from 'hono/html';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { AppError } from '../../lib/errors.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext } from '../audit/service.ts';
import { throttleAddress } from '../auth/throttle.ts';
import { errorBox, linkProblemPage, page, PAGE_HEADERS } from './layout.ts';
import { completeActivation, getActivation, type ActivationInfo } from './service.ts';

const field = (v: unknown) => (typeof v === 'string' ? v.slice(0, 1024) : '');

function activationForm(info: ActivationInfo, error: string | null, code = '') {
  const enrol = info.purpose === 'totp_enrolment';
  return page(
    enrol ? 'Authenticator koppelen' : 'Account activeren',
    html`<h1>${enrol ? 'Nieuwe authenticator koppelen' : 'Account activeren'}</h1>
<div class="card"><dl><dt>Organisatie</dt><dd>${info.organisation.code} ${info.organisation.name}</dd><dt>Gebruikersnaam</dt><dd>${info.username}</dd></dl></div>
${errorBox(error)}
<form method="post" class="card" autocomplete="off">
${enrol
  ? html`<label for="password">Uw huidige wachtwoord</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">`
  : html`<label for="password">Nieuw wachtwoord</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="128" aria-describedby="pw-hint">
<p class="hint" id="pw-hint">Minstens 10 tekens. Een zin van een paar woorden is sterk en goed te onthouden.</p>
<label for="password2">Herhaal het wachtwoord</label><input id="password2" name="password2" type="password" autocomplete="new-password" required minlength="10" maxlength="128">`}
<h2>Authenticator-app</h2>
<ol><li>Open uw authenticator-app (bijvoorbeeld Google Authenticator, Microsoft Authenticator of FreeOTP).</li><li>Scan de QR-code, of typ de sleutel over.</li><li>Vul de code van 6 cijfers in die de app toont.</li></ol>
<div role="img" aria-label="QR-code voor de authenticator-app">${raw(info.totp.qrSvg.replace('<svg ', '<svg class="qr" focusable="false" '))}</div>
<p class="hint">Sleutel:</p><p class="key">${info.totp.secretGrouped}</p>
<label for="code">Code uit de app</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" required value="${code}">
<button type="submit">Opslaan</button>
</form>`,
  );
}

const donePage = (info: ActivationInfo) =>
  page(
    'Gelukt',
    html`<h1>Gelukt</h1><div class="card"><p class="ok" role="status">${info.purpose === 'totp_enrolment' ? 'Uw nieuwe authenticator is gekoppeld.' : 'Uw account is geactiveerd.'}</p>
<p>U kunt nu aanmelden in de Kindkans-extensie met organisatie <strong>${info.organisation.code} ${info.organisation.name}</strong>, naam <strong>${info.username}</strong>, uw wachtwoord en de code uit uw app.</p>
<p lang="en" class="hint">Done. You can now log in with the Kindkans browser extension.</p></div>`,
  );

/** Dead or unknown links become a page; other errors go to the app's error handler. */
export function linkProblem(c: Context<AppEnv>, err: unknown) {
  if (err instanceof AppError && (err.code === 'not_found' || err.code === 'token_expired')) {
    return c.html(linkProblemPage(err.code), err.status === 404 ? 404 : 410, PAGE_HEADERS);
  }
  throw err;
}

/** `GET/POST /activate/{token}`: the server-rendered activation page (works without JavaScript). */
export const activationPages = createRouter()
  .get('/activate/:token', async (c) => {
    const { db, env, clock } = c.var.deps;
    try {
      return c.html(activationForm(await getActivation(db, env.APP_SECRET, c.req.param('token'), clock.now()), null), 200, PAGE_HEADERS);
    } catch (err) {
      return linkProblem(c, err);
    }
  })
  .post('/activate/:token', async (c) => {
    const { db, env, clock } = c.var.deps;
    const token = c.req.param('token');
    let info: ActivationInfo;
    try {
      info = await getActivation(db, env.APP_SECRET, token, clock.now());
    } catch (err) {
      return linkProblem(c, err);
    }
    const form = await c.req.parseBody().catch((): Record<string, unknown> => ({}));
    const password = field(form.password);
    const code = field(form.code).replace(/\s+/g, '').slice(0, 12);
    const again = (message: string, status: 400 | 401 | 429) => c.html(activationForm(info, message, code), status, PAGE_HEADERS);
    if (info.purpose === 'activation' && password !== field(form.password2)) return again('De twee wachtwoorden zijn niet gelijk.', 400);
    try {
      await throttleAddress(c, 'token');
      await completeActivation(db, env.APP_SECRET, token, { password, code }, clock.now(), auditContext(c));
    } catch (err) {
      if (err instanceof AppError && err.code === 'too_many_attempts') return again('Te veel pogingen. Wacht even en probeer het opnieuw.', 429);
      if (err instanceof AppError && (err.code === 'weak_password' || err.code === 'invalid_code' || err.code === 'invalid_credentials')) {
        return again(err.detail ?? err.title, err.status === 401 ? 401 : 400);
      }
      return linkProblem(c, err);
    }
    return c.html(donePage(info), 200, PAGE_HEADERS);
  });
