import { html } from 'hono/html';
import { AppError } from '../../lib/errors.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext } from '../audit/service.ts';
import { throttleAddress } from '../auth/throttle.ts';
import { errorBox, page, PAGE_HEADERS } from '../activation/layout.ts';
import { linkProblem } from '../activation/pages.ts';
import { completePasswordReset, getPasswordReset } from './service.ts';

type ResetInfo = Awaited<ReturnType<typeof getPasswordReset>>;
const field = (v: unknown) => (typeof v === 'string' ? v.slice(0, 1024) : '');

const resetForm = (info: ResetInfo, error: string | null, code = '') =>
  page(
    'Nieuw wachtwoord',
    html`<h1>Nieuw wachtwoord instellen</h1>
<div class="card"><dl><dt>Organisatie</dt><dd>${info.organisation.code} ${info.organisation.name}</dd><dt>Gebruikersnaam</dt><dd>${info.username}</dd></dl></div>
${errorBox(error)}
<form method="post" class="card" autocomplete="off">
<label for="password">Nieuw wachtwoord</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="128" aria-describedby="pw-hint">
<p class="hint" id="pw-hint">Minstens 10 tekens. Na het opslaan wordt u overal afgemeld.</p>
<label for="password2">Herhaal het wachtwoord</label><input id="password2" name="password2" type="password" autocomplete="new-password" required minlength="10" maxlength="128">
<label for="code">Code uit uw authenticator-app</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" required value="${code}">
<p class="hint">Telefoon kwijt? Vraag de beheerder om uw tweestapsverificatie opnieuw in te stellen.</p>
<button type="submit">Opslaan</button>
</form>`,
  );

/** `GET/POST /reset/{token}`: the server-rendered password reset page. */
export const passwordResetPages = createRouter()
  .get('/reset/:token', async (c) => {
    try {
      return c.html(resetForm(await getPasswordReset(c.var.deps.db, c.req.param('token'), c.var.deps.clock.now()), null), 200, PAGE_HEADERS);
    } catch (err) {
      return linkProblem(c, err);
    }
  })
  .post('/reset/:token', async (c) => {
    const { db, env, clock, mailer } = c.var.deps;
    const token = c.req.param('token');
    let info: ResetInfo;
    try {
      info = await getPasswordReset(db, token, clock.now());
    } catch (err) {
      return linkProblem(c, err);
    }
    const form = await c.req.parseBody().catch((): Record<string, unknown> => ({}));
    const password = field(form.password);
    const code = field(form.code).replace(/\s+/g, '').slice(0, 12);
    const again = (message: string, status: 400 | 429) => c.html(resetForm(info, message, code), status, PAGE_HEADERS);
    if (password !== field(form.password2)) return again('De twee wachtwoorden zijn niet gelijk.', 400);
    try {
      await throttleAddress(c, 'token');
      await completePasswordReset(db, env.APP_SECRET, token, { password, code }, clock.now(), auditContext(c));
      mailer.kick();
    } catch (err) {
      if (err instanceof AppError && err.code === 'too_many_attempts') return again('Te veel pogingen. Wacht even en probeer het opnieuw.', 429);
      if (err instanceof AppError && (err.code === 'weak_password' || err.code === 'invalid_code')) return again(err.detail ?? err.title, 400);
      return linkProblem(c, err);
    }
    return c.html(
      page('Gelukt', html`<h1>Gelukt</h1><div class="card"><p class="ok" role="status">Uw wachtwoord is gewijzigd. U bent overal afgemeld.</p><p>Meld u opnieuw aan in de Kindkans-extensie met uw nieuwe wachtwoord.</p><p lang="en" class="hint">Your password was changed; every session was ended.</p></div>`),
      200,
      PAGE_HEADERS,
    );
  });
