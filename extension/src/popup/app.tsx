import { browser } from '../lib/browser';
import { t } from '../lib/i18n';
import { sendToBackground } from '../lib/messages';
import { Header } from '../components/header';
import { session, sessionLoaded } from '../stores/session';
import { lang } from '../stores/settings';
import { route } from '../stores/route';
import { LoginScreen } from './login-screen';
import { HomeScreen } from './home-screen';
import { HulpvraagScreen } from './hulpvraag-screen';
import { AccessLogScreen } from './access-log-screen';

/** The staff panel in a tab of its own; it shares this login (the token in storage.session). */
async function openAdmin() {
  await browser.tabs.create({ url: browser.runtime.getURL('admin.html') });
  window.close();
}

export function App() {
  const current = session.value;
  void lang.value; // re-render everything when the language changes

  if (!sessionLoaded.value) return <p class="screen muted">{t('loading')}</p>;
  if (!current) return <LoginScreen />;

  const r = route.value;
  return (
    <>
      <Header
        name={current.user.displayName}
        onLogout={() => void sendToBackground({ type: 'logout', reason: 'user' })}
        onAdmin={current.user.role === 'parent' ? undefined : () => void openAdmin()}
      />
      {r.name === 'home' && <HomeScreen session={current} />}
      {r.name === 'hulpvraag' && <HulpvraagScreen id={r.id} />}
      {r.name === 'access-log' && <AccessLogScreen dossierId={r.dossierId} />}
    </>
  );
}
