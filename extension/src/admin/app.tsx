import { sendToBackground } from '../lib/messages';
import { lang } from '../stores/settings';
import { at, type AdminKey } from './i18n';
import { ConfirmDialog } from './parts/confirm';
import { route, type Route } from './router';
import { session, sessionLoaded } from './session';
import { AccountsScreen } from './screens/accounts-screen';
import { DossiersScreen } from './screens/dossiers-screen';
import { HulpvragenScreen } from './screens/hulpvragen-screen';
import { KengetallenScreen } from './screens/kengetallen-screen';
import { NewsScreen } from './screens/news-screen';
import { StatusesScreen } from './screens/statuses-screen';
import { SleepingScreen } from './screens/sleeping-screen';
import { AutomationScreen } from './screens/automation-screen';
import { MailTemplatesScreen } from './screens/mail-templates-screen';
import { wt } from './i18n-workflow';

type BeheerRoute = 'accounts' | 'news' | 'statuses' | 'sleeping' | 'automation' | 'mail-templates';
const beheerRoutes: string[] = ['accounts', 'news', 'statuses', 'sleeping', 'automation', 'mail-templates'] satisfies BeheerRoute[];

const menu: { key: AdminKey; href: string; active: (r: Route) => boolean }[] = [
  { key: 'menu_hulpvragen', href: '#/hulpvragen', active: (r) => r.name === 'hulpvragen' },
  { key: 'menu_dossiers', href: '#/dossiers', active: (r) => r.name === 'dossiers' || r.name === 'dossier-new' },
  { key: 'menu_kengetallen', href: '#/kengetallen', active: (r) => r.name === 'kengetallen' },
  { key: 'menu_planning', href: '#/planning', active: (r) => r.name === 'planning' },
  { key: 'menu_beheer', href: '#/beheer/accounts', active: (r) => beheerRoutes.includes(r.name) },
];

/** The staff panel: the session check, the top menu and the screen of the current route. */
export function AdminApp() {
  void lang.value; // re-render on a language change
  if (!sessionLoaded.value) return <p class="panel-message">{at('loading')}</p>;
  const s = session.value;
  if (!s) {
    return (
      <main class="panel-message">
        <h1>{at('notSignedIn')}</h1>
        <p>{at('notSignedInText')}</p>
      </main>
    );
  }
  if (s.user.role === 'parent') {
    return (
      <main class="panel-message">
        <h1>Kindkans</h1>
        <p>{at('parentRefusal')}</p>
      </main>
    );
  }
  const r = route.value;
  return (
    <>
      <header class="panel-header">
        <span class="brand">Kindkans <span class="brand-org">{`${s.user.organisation.code} ${s.user.organisation.name}`}</span></span>
        <nav aria-label={at('menu')}>
          <ul class="menu">
            {menu.map((m) => (
              <li key={m.key}><a href={m.href} aria-current={m.active(r) ? 'page' : undefined}>{at(m.key)}</a></li>
            ))}
          </ul>
        </nav>
        <span class="panel-user">{s.user.displayName} <span class="muted">({at(`role_${s.user.role}`)})</span></span>
        <button type="button" class="button button-small" onClick={() => void sendToBackground({ type: 'logout', reason: 'user' })}>{at('signOut')}</button>
      </header>
      <div class="panel-body">
        {r.name === 'hulpvragen' && <HulpvragenScreen />}
        {(r.name === 'dossiers' || r.name === 'dossier-new') && <DossiersScreen route={r} user={s.user} />}
        {r.name === 'kengetallen' && <KengetallenScreen role={s.user.role} />}
        {r.name === 'planning' && (
          <main class="panel-main soon"><h1>{at(`menu_${r.name}`)}</h1><p>{at('soon')}</p></main>
        )}
        {beheerRoutes.includes(r.name) && <BeheerScreen current={r.name as BeheerRoute} role={s.user.role} userId={s.user.id} />}
      </div>
      <ConfirmDialog />
    </>
  );
}

function BeheerScreen({ current, role, userId }: { current: BeheerRoute; role: string; userId: string }) {
  return (
    <main class="panel-main">
      <h1 class="sr-only">{at('menu_beheer')}</h1>
      <nav class="subnav" aria-label={at('menu_beheer')}>
        <a href="#/beheer/accounts" aria-current={current === 'accounts' ? 'page' : undefined}>{at('accounts')}</a>
        {(role === 'admin' || role === 'school') && <a href="#/beheer/slapend" aria-current={current === 'sleeping' ? 'page' : undefined}>{at('sleeping')}</a>}
        {role === 'admin' && <a href="#/beheer/nieuws" aria-current={current === 'news' ? 'page' : undefined}>{at('news')}</a>}
        {role === 'admin' && <a href="#/beheer/statussen" aria-current={current === 'statuses' ? 'page' : undefined}>{at('statuses')}</a>}
        {role === 'admin' && <a href="#/beheer/automatisering" aria-current={current === 'automation' ? 'page' : undefined}>{wt('automation')}</a>}
        {role === 'admin' && <a href="#/beheer/mailsjablonen" aria-current={current === 'mail-templates' ? 'page' : undefined}>{wt('mailTemplates')}</a>}
      </nav>
      {current === 'automation' ? <AutomationScreen /> : current === 'mail-templates' ? <MailTemplatesScreen /> :
        current === 'sleeping' ? <SleepingScreen role={role} /> : current === 'accounts' ? <AccountsScreen userId={userId} role={role} /> : current === 'news' ? <NewsScreen /> : <StatusesScreen />}
    </main>
  );
}
