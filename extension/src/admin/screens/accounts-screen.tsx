// Beheer → Accounts: search with filters (remembered per user), invite, and the actions on an
// account, each behind a confirmation that says what will happen.
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { adminApi, type InviteInput, type UserAction, type UserItem, type UserQuery } from '../api';
import { at, type AdminKey } from '../i18n';
import { confirm } from '../parts/confirm';
import { SchoolPicker } from '../parts/school-picker';
import { recall, remember } from '../remembered';

const roles = ['parent', 'school', 'coordinator', 'admin'] as const;
const actionLabels: Record<UserAction, AdminKey> = {
  'resend-invitation': 'act_resend', deactivate: 'act_deactivate', reactivate: 'act_reactivate', 'reset-2fa': 'act_reset2fa', 'end-sessions': 'act_endSessions', unlock: 'act_unlock',
};
const confirmTexts: Record<UserAction, AdminKey> = {
  'resend-invitation': 'confirm_resend', deactivate: 'confirm_deactivate', reactivate: 'confirm_reactivate', 'reset-2fa': 'confirm_reset-2fa', 'end-sessions': 'confirm_end-sessions', unlock: 'confirm_unlock',
};

/** The actions that make sense for an account in its state. */
function actionsFor(u: UserItem, selfId: string): UserAction[] {
  if (u.id === selfId) return [];
  if (u.status === 'invited') return ['resend-invitation', 'deactivate'];
  if (u.status === 'deactivated') return ['reactivate'];
  // Unlock lifts a lock after too many wrong codes (for an account that is not locked it changes nothing).
  return ['end-sessions', 'unlock', 'reset-2fa', 'deactivate'];
}

export function AccountsScreen({ userId, role }: { userId: string; role: string }) {
  const [query, setQuery] = useState<UserQuery>({});
  const [ready, setReady] = useState(false);
  const [round, setRound] = useState(0);
  const [items, setItems] = useState<UserItem[] | null>(null);
  const [total, setTotal] = useState(0);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [inviting, setInviting] = useState(false);

  useEffect(() => void recall(userId).then((r) => { setQuery({ ...r.accounts } as UserQuery); setReady(true); }), [userId]);
  useEffect(() => {
    if (!ready) return;
    adminApi.users(query).then((p) => { setItems(p.items); setTotal(p.total); }, (e: unknown) => setMessage({ kind: 'error', text: errorMessage(e) }));
    // The search runs when it is asked for (Zoeken bumps `round`), not at every keystroke in the filters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, round]);

  const apply = (e: Event) => {
    e.preventDefault();
    const { q: _q, ...kept } = query;
    void remember(userId, { accounts: kept });
    setRound((n) => n + 1);
  };
  const set = (k: keyof UserQuery) => (e: Event) => setQuery({ ...query, [k]: (e.currentTarget as HTMLSelectElement).value || undefined });

  async function act(u: UserItem, action: UserAction) {
    if (!(await confirm(at(confirmTexts[action], { name: u.displayName }), at(actionLabels[action])))) return;
    try {
      await adminApi.userAction(u.id, action);
      setMessage({ kind: 'success', text: `${at(actionLabels[action])}: ${u.displayName}. ${at('done')}` });
      setRound((n) => n + 1);
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  }

  return (
    <section aria-labelledby="accounts-title">
      <div class="section-head">
        <h2 id="accounts-title">{at('accounts')}</h2>
        {role !== 'coordinator' && <button type="button" class="button" aria-expanded={inviting} onClick={() => setInviting(!inviting)}>+ {at('invite')}</button>}
      </div>
      {inviting && <InviteForm role={role} onDone={(text) => { setInviting(false); setMessage({ kind: 'success', text }); setRound((n) => n + 1); }} />}
      <form class="filters filters-inline" role="search" onSubmit={apply}>
        <span class="field"><label for="a-q">{at('search')}</label>
        <input id="a-q" value={query.q ?? ''} onInput={set('q')} /></span>
        <span class="field"><label for="a-role">{at('role')}</label>
        <select id="a-role" value={query.role ?? ''} onChange={set('role')}>
          <option value="">{at('anyRole')}</option>
          {roles.map((r) => <option key={r} value={r}>{at(`role_${r}`)}</option>)}
        </select></span>
        <span class="field"><label for="a-status">{at('status')}</label>
        <select id="a-status" value={query.status ?? ''} onChange={set('status')}>
          <option value="">{at('anyStatus')}</option>
          {(['invited', 'active', 'deactivated'] as const).map((s) => <option key={s} value={s}>{at(`status_${s}`)}</option>)}
        </select></span>
        <span class="field"><SchoolPicker id="a-school" label={at('school')} value={query.school ?? ''} allowAny onChange={(school) => setQuery({ ...query, school: school || undefined })} /></span>
        <span class="field"><label for="a-login">{at('lastLogin')}</label>
        <select id="a-login" value={query.lastLogin ?? ''} onChange={set('lastLogin')}>
          <option value="">{at('anyLogin')}</option>
          {(['never', 'last30', 'over30', 'over90'] as const).map((l) => <option key={l} value={l}>{at(`login_${l}`)}</option>)}
        </select></span>
        <button type="submit" class="button button-primary">{at('search')}</button>
      </form>
      {message && <p class={`alert alert-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      {items && (items.length === 0 ? <p class="muted">{at('noAccounts')}</p> : (
        <table class="table" data-testid="accounts-table">
          <caption class="sr-only">{at('accounts')} ({total})</caption>
          <thead><tr><th scope="col">{at('displayName')}</th><th scope="col">{at('username')}</th><th scope="col">{at('role')}</th><th scope="col">{at('status')}</th><th scope="col">{at('lastLogin')}</th><th scope="col">{at('actions')}</th></tr></thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id}>
                <td>{u.displayName}<br /><span class="muted small">{u.email}</span></td>
                <td>{u.username}</td>
                <td>{at(`role_${u.role}`)}</td>
                <td><span class={`tag tag-${u.status}`}>{at(`status_${u.status}`)}</span></td>
                <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : at('login_never')}</td>
                <td class="actions-cell">
                  {role === 'admin' && <a class="button button-small" href={`#/beheer/rechten/account/${u.id}`} aria-label={at('rightsOf', { name: u.displayName })}>{at('rights')}</a>}
                  {role !== 'coordinator' && actionsFor(u, userId).map((a) => (
                    <button key={a} type="button" class="button button-small" aria-label={`${at(actionLabels[a])}: ${u.displayName}`} onClick={() => void act(u, a)}>{at(actionLabels[a])}</button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}

function InviteForm({ role, onDone }: { role: string; onDone: (text: string) => void }) {
  const [v, setV] = useState<InviteInput>({ role: 'parent', email: '', displayName: '' });
  const [school, setSchool] = useState('');
  const [error, setError] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    try {
      const r = await adminApi.invite({ ...v, ...(v.role === 'school' && school ? { schoolBrins: [school] } : {}) });
      onDone(at('invited', { name: v.displayName, username: r.username }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const invitable = role === 'admin' ? roles : (['parent'] as const);
  return (
    <form class="form panel-form" onSubmit={submit} aria-labelledby="invite-title">
      <h3 id="invite-title">{at('inviteTitle')}</h3>
      <label for="i-role">{at('role')}</label>
      <select id="i-role" value={v.role} onChange={(e) => setV({ ...v, role: e.currentTarget.value as InviteInput['role'] })}>
        {invitable.map((r) => <option key={r} value={r}>{at(`role_${r}`)}</option>)}
      </select>
      <label for="i-name">{at('displayName')}</label>
      <input id="i-name" required maxLength={120} value={v.displayName} onInput={(e) => setV({ ...v, displayName: e.currentTarget.value })} />
      <label for="i-email">{at('email')}</label>
      <input id="i-email" type="email" required maxLength={254} value={v.email} onInput={(e) => setV({ ...v, email: e.currentTarget.value })} />
      {v.role === 'school' && <SchoolPicker id="i-school" label={at('school')} value={school} onChange={setSchool} />}
      {error && <p class="alert alert-error" role="alert">{error}</p>}
      <div class="row"><button type="submit" class="button button-primary">{at('invite')}</button></div>
    </form>
  );
}
