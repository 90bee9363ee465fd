import { render } from 'preact';
import { lang, loadLanguage } from '../stores/settings';
import { at } from './i18n';
import { AdminApp } from './app';
import { listenToHash } from './router';
import { loadAdminSession } from './session';
import '../components/base.css';
import './admin.css';

void Promise.all([loadLanguage(), loadAdminSession()]).then(() => {
  listenToHash();
  const title = () => (document.title = at('panelTitle'));
  title();
  lang.subscribe(title);
  render(<AdminApp />, document.getElementById('app')!);
});
