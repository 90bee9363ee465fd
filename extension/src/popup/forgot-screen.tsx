import { useState } from 'preact/hooks';
import { api } from '../lib/api';
import type { Organisation } from '../lib/server-routes';
import { errorMessage } from '../lib/errors';
import { t } from '../lib/i18n';
import { Alert } from '../components/alert';

interface Props {
  organisations: Organisation[];
  initial: string;
  onBack: () => void;
}

/** Wachtwoord vergeten?: asks the server for a reset e-mail (always the same answer). */
export function ForgotScreen({ organisations, initial, onBack }: Props) {
  const [organisation, setOrganisation] = useState(initial);
  const [username, setUsername] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api.requestPasswordReset({ organisation, username: username.trim() });
      setSent(true);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="screen screen-forgot">
      <h1 class="brand">{t('resetTitle')}</h1>
      {sent ? (
        <Alert kind="success">{t('resetSent')}</Alert>
      ) : (
        <form class="form" onSubmit={submit}>
          <p class="intro">{t('resetIntro')}</p>
          <label for="reset-organisation">{t('organisation')}</label>
          <select id="reset-organisation" required value={organisation}
            onChange={(e) => setOrganisation(e.currentTarget.value)}>
            <option value="" disabled>{t('chooseOrganisation')}</option>
            {organisations.map((o) => <option key={o.code} value={o.code}>{o.label}</option>)}
          </select>
          <label for="reset-username">{t('username')}</label>
          <input id="reset-username" required autocomplete="username" autocapitalize="none" spellcheck={false}
            value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
          {error && <Alert kind="error">{error}</Alert>}
          <button type="submit" class="button button-primary" disabled={busy}>{t('resetSubmit')}</button>
        </form>
      )}
      <p class="below-form">
        <button type="button" class="link" onClick={onBack}>{t('backToLogin')}</button>
      </p>
    </main>
  );
}
