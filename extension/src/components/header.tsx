import { PersonIcon } from './person-icon';
import { t } from '../lib/i18n';

interface Props {
  name: string;
  onLogout: () => void;
}

/** The bar on every screen after login: who is logged in, and always a way out. */
export function Header({ name, onLogout }: Props) {
  return (
    <header class="app-header">
      <h1 class="sr-only">Kindkans</h1>
      <span class="user">
        <PersonIcon />
        <span class="user-name" title={t('signedInAs', { name })}>{name}</span>
      </span>
      <button type="button" class="button button-logout" onClick={onLogout}>
        {t('signOut')}
      </button>
    </header>
  );
}
