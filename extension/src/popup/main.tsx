import { render } from 'preact';
import { loadSession } from '../stores/session';
import { loadLanguage } from '../stores/settings';
import { App } from './app';
import '../components/base.css';
import './popup.css';

void Promise.all([loadLanguage(), loadSession()]).then(() => {
  render(<App />, document.getElementById('app')!);
});
