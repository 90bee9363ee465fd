import { render } from 'preact';
import { t } from '../lib/i18n';
import { lang, loadLanguage } from '../stores/settings';
import '../components/base.css';

// Placeholder: the staff admin panel (accounts, dossiers, news, …) comes in a later issue.
function AdminPage() {
  void lang.value; // re-render on a language change
  return (
    <main style={{ maxWidth: '40rem', margin: '2rem auto', padding: '1.5rem' }}>
      <h1>{t('adminTitle')}</h1>
      <p>{t('adminSoon')}</p>
    </main>
  );
}

void loadLanguage().then(() => {
  document.title = t('adminTitle');
  render(<AdminPage />, document.getElementById('app')!);
});
