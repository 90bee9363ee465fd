import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { browser } from '../lib/browser';
import type { Organisation } from '../lib/server-routes';
import { errorMessage } from '../lib/errors';
import { t } from '../lib/i18n';
import { send } from '../lib/messages';
import { getLocal, setLocal } from '../lib/storage';
import { Alert } from '../components/alert';
import { useLoad } from '../components/use-load';
import { FarewellNotice } from './farewell-notice';
import { ForgotScreen } from './forgot-screen';

export function LoginScreen() {
  const organisations = useLoad(() => api.organisations(), []);
  const [organisation, setOrganisation] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [forgot, setForgot] = useState(false);

  // The remembered organisation, or the only one there is.
  useEffect(() => {
    const list: Organisation[] = organisations.data ?? [];
    if (!list.length || organisation) return;
    void getLocal('organisation').then((saved) => {
      const known = list.find((o) => o.code === saved);
      setOrganisation(known ? known.code : list.length === 1 ? list[0]!.code : '');
    });
  }, [organisations.data]);

  if (forgot) return <ForgotScreen organisations={organisations.data ?? []} initial={organisation} onBack={() => setForgot(false)} />;

  async function submit(event: Event) {
    event.preventDefault();
    setError('');
    setBusy(true);
    try {
      const login = await api.login({ organisation, username: username.trim(), password, code: code.replace(/\s/g, '') });
      await setLocal('organisation', organisation);
      await send({ type: 'session-start', login });
    } catch (failure) {
      setError(errorMessage(failure));
      setCode('');
      setBusy(false);
    }
  }

  return (
    <main class="screen screen-login">
      <FarewellNotice />
      <h1 class="brand">
        <img src="icons/icon-32.png" width={28} height={28} alt="" />
        {t('loginTitle')}
      </h1>
      {organisations.error ? (
        <Alert kind="error">
          {t('organisationsFailed')} {errorMessage(organisations.error)}{' '}
          <button type="button" class="link" onClick={organisations.reload}>{t('retry')}</button>
        </Alert>
      ) : null}
      <form class="form" onSubmit={submit}>
        <label for="organisation">{t('organisation')}</label>
        <select id="organisation" name="organisation" required value={organisation}
          onChange={(e) => setOrganisation(e.currentTarget.value)}>
          <option value="" disabled>{t('chooseOrganisation')}</option>
          {(organisations.data ?? []).map((o) => <option key={o.code} value={o.code}>{o.label}</option>)}
        </select>

        <label for="username">{t('username')}</label>
        <input id="username" name="username" required autocomplete="username" autocapitalize="none"
          spellcheck={false} value={username} onInput={(e) => setUsername(e.currentTarget.value)} />

        <label for="password">{t('password')}</label>
        <input id="password" name="password" type="password" required autocomplete="current-password"
          value={password} onInput={(e) => setPassword(e.currentTarget.value)} />

        <label for="code">{t('code')}</label>
        <input id="code" name="code" required inputMode="numeric" autocomplete="one-time-code"
          pattern="[0-9 ]{6,7}" maxLength={7} aria-describedby="code-hint" value={code}
          onInput={(e) => setCode(e.currentTarget.value)} />
        <p id="code-hint" class="hint">{t('codeHint')}</p>

        {error && <Alert kind="error">{error}</Alert>}

        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
      <p class="below-form">
        <button type="button" class="link" onClick={() => setForgot(true)}>{t('forgotPassword')}</button>
      </p>
      <p class="below-form muted">
        <button type="button" class="link link-quiet" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('settings')}
        </button>
      </p>
    </main>
  );
}
