import { useEffect, useState } from 'preact/hooks';
import { browser } from '../lib/browser';
import { t } from '../lib/i18n';
import { send } from '../lib/messages';
import { isSecureServerUrl, normaliseServerUrl } from '../lib/server-url';
import { DEFAULT_SERVER_URL, getLocal, getManaged, getSession, getSettings, setLocal, type Language, type Settings } from '../lib/storage';
import { Alert } from '../components/alert';

export function OptionsForm() {
  const [settings, setSettings] = useState<Settings | null>(null);
  /** The server set by the school through browser policy: shown, not editable. */
  const [managedServer, setManagedServer] = useState<string | null>(null);
  const [server, setServer] = useState('');
  const [language, setLanguage] = useState<Language>('auto');
  const [minutes, setMinutes] = useState('10');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  useEffect(() => {
    void Promise.all([getSettings(), getManaged()]).then(([s, managed]) => {
      setSettings(s);
      setManagedServer(managed.serverUrl ?? null);
      setServer(s.serverUrl);
      setLanguage(s.language);
      setMinutes(String(s.reminderMinutes));
    });
  }, []);

  function submit(event: Event) {
    event.preventDefault();
    setMessage(null);
    const url = managedServer ?? normaliseServerUrl(server);
    if (!url) return setMessage({ kind: 'error', text: t('invalidUrl') });
    if (!isSecureServerUrl(url)) return setMessage({ kind: 'error', text: t('insecureUrl') });
    const reminder = Number(minutes);
    if (!Number.isInteger(reminder) || reminder < 1 || reminder > 60) {
      return setMessage({ kind: 'error', text: t('invalidMinutes') });
    }
    // Ask for the permission first, while the click still counts as the user's gesture.
    const sameAsBuilt = new URL(url).origin === new URL(DEFAULT_SERVER_URL).origin;
    const allowed = sameAsBuilt ? Promise.resolve(true) : browser.permissions.request({ origins: [`${new URL(url).origin}/*`] });
    void allowed.then(async (granted) => {
      if (!granted) return setMessage({ kind: 'error', text: t('permissionDenied') });
      const changedServer = settings?.serverUrl !== url;
      // Under a policy the school's address stays in force; what was saved here is kept for later.
      const serverUrl = managedServer ? (await getLocal('settings')).serverUrl : url;
      await setLocal('settings', { serverUrl, language, reminderMinutes: reminder });
      const next: Settings = { serverUrl: url, language, reminderMinutes: reminder };
      setSettings(next);
      setServer(url);
      if (changedServer && (await getSession('session'))) await send({ type: 'logout', reason: 'settings' });
      setMessage({ kind: 'success', text: t('saved') });
    }, () => setMessage({ kind: 'error', text: t('permissionDenied') }));
  }

  if (!settings) return <p class="muted">{t('loading')}</p>;
  return (
    <form class="form options-form" onSubmit={submit} noValidate>
      <label for="server">{t('serverUrl')}</label>
      <input id="server" type="url" required value={server} aria-describedby="server-hint" readOnly={managedServer !== null}
        onInput={(e) => setServer(e.currentTarget.value)} />
      <p id="server-hint" class="hint">{managedServer ? t('serverUrlManaged') : t('serverUrlHint')}</p>

      <label for="language">{t('language')}</label>
      <select id="language" value={language} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
        <option value="auto">{t('languageAuto')}</option>
        <option value="nl">Nederlands</option>
        <option value="en">English</option>
      </select>

      <label for="reminder">{t('reminderMinutes')}</label>
      <input id="reminder" type="number" min={1} max={60} step={1} inputMode="numeric" required value={minutes}
        onInput={(e) => setMinutes(e.currentTarget.value)} />

      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <button type="submit" class="button button-primary">{t('save')}</button>
    </form>
  );
}
