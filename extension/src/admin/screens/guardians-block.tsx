// Ouders/verzorgers of a dossier: unlink (confirmed), find a parent by name or e-mail and link,
// or invite a new parent right here (linked to this dossier by the invitation itself).
import { useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { adminApi, type Dossier, type ParentMatch } from '../api';
import { at } from '../i18n';
import { confirm } from '../parts/confirm';

export function GuardiansBlock({ dossier, mayEdit, onChange }: { dossier: Dossier; mayEdit: boolean; onChange: () => void }) {
  const [q, setQ] = useState('');
  const [matches, setMatches] = useState<ParentMatch[] | null>(null);
  const [invite, setInvite] = useState({ displayName: '', email: '' });
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const fail = (e: unknown) => setMessage({ kind: 'error', text: errorMessage(e) });

  async function find(e: Event) {
    e.preventDefault();
    try { setMatches(await adminApi.parents(q)); } catch (err) { fail(err); }
  }
  async function link(p: ParentMatch) {
    try { await adminApi.linkGuardian(dossier.id, p.id); setMatches(null); setQ(''); onChange(); } catch (err) { fail(err); }
  }
  async function unlink(g: { id: string; displayName: string }) {
    if (!(await confirm(at('unlinkConfirm', { name: g.displayName }), at('unlink')))) return;
    try { await adminApi.unlinkGuardian(dossier.id, g.id); onChange(); } catch (err) { fail(err); }
  }
  async function sendInvite(e: Event) {
    e.preventDefault();
    try {
      const r = await adminApi.invite({ role: 'parent', displayName: invite.displayName, email: invite.email, dossierIds: [dossier.id] });
      setMessage({ kind: 'success', text: at('invited', { name: invite.displayName, username: r.username }) });
      setInvite({ displayName: '', email: '' });
      onChange();
    } catch (err) { fail(err); }
  }

  return (
    <section class="block" aria-labelledby="guardians-title">
      <h2 id="guardians-title">{at('guardians')}</h2>
      {dossier.guardians.length === 0 ? <p class="muted">{at('noGuardians')}</p> : (
        <ul class="plain-list">
          {dossier.guardians.map((g) => (
            <li key={g.id}>{g.displayName} {mayEdit && <button type="button" class="button button-small button-quiet" onClick={() => void unlink(g)}>{at('unlink')}</button>}</li>
          ))}
        </ul>
      )}
      {message && <p class={`alert alert-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      {mayEdit && (
        <div class="two-col">
          <form onSubmit={find} class="form">
            <label for="g-find">{at('findParent')}</label>
            <div class="row"><input id="g-find" value={q} minLength={2} required onInput={(e) => setQ(e.currentTarget.value)} /><button type="submit" class="button">{at('search')}</button></div>
            {matches && (matches.length === 0 ? <p class="muted">{at('noAccounts')}</p> : (
              <ul class="plain-list">
                {matches.map((p) => (
                  <li key={p.id}>{p.displayName} <span class="muted">{p.email}</span> <button type="button" class="button button-small" onClick={() => void link(p)}>{at('link')}</button></li>
                ))}
              </ul>
            ))}
          </form>
          <form onSubmit={sendInvite} class="form">
            <span class="form-title">{at('inviteParentHere')}</span>
            <label for="g-name">{at('displayName')}</label>
            <input id="g-name" required maxLength={120} value={invite.displayName} onInput={(e) => setInvite({ ...invite, displayName: e.currentTarget.value })} />
            <label for="g-email">{at('email')}</label>
            <input id="g-email" type="email" required value={invite.email} onInput={(e) => setInvite({ ...invite, email: e.currentTarget.value })} />
            <div class="row"><button type="submit" class="button">{at('invite')}</button></div>
          </form>
        </div>
      )}
    </section>
  );
}
