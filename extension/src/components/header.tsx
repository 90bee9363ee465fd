import { PersonIcon } from './person-icon';
import { t } from '../lib/i18n';

interface Props {
  name: string;
  onLogout: () => void;
  /** Staff only: opens the staff panel (admin.html) in a tab. */
  onAdmin?: (() => void) | undefined;
}

/** The bar on every screen after login: who is logged in, and always a way out. */
export function Header({ name, onLogout, onAdmin }: Props) {
  return (
    <header class="app-header">
      <h1 class="sr-only">Kindkans</h1>
      <span class="user">
        <PersonIcon />
        <span class="user-name" title={t('signedInAs', { name })}>{name}</span>
      </span>
      {onAdmin && (
        <button type="button" class="button button-admin" title={t('openAdminHint')} onClick={onAdmin}>
          {t('openAdmin')}
        </button>
      )}
      <button type="button" class="button button-logout" onClick={onLogout}>
        {t('signOut')}
      </button>
    </header>
  );
}
