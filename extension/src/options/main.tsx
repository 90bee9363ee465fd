import { render } from 'preact';
import { t } from '../lib/i18n';
import { lang, loadLanguage } from '../stores/settings';
import { OptionsForm } from './options-form';
import '../components/base.css';
import './options.css';

function OptionsPage() {
  void lang.value; // re-render on a language change
  return (
    <main class="page">
      <h1>{t('optionsTitle')}</h1>
      <OptionsForm />
    </main>
  );
}

void loadLanguage().then(() => {
  document.title = t('optionsTitle');
  render(<OptionsPage />, document.getElementById('app')!);
});
