// Beheer → Rechten (admins): who sees a dossier and why, or what an account sees and why, as the
// server derives it from its own authorisation rules; as a table here and as CSV.
import { useCallback, useState } from 'preact/hooks';
import { useLoad } from '../../components/use-load';
import { errorMessage } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { auditApi, downloadCsv, type DossierRights, type UserRights } from '../audit-api';
import { at, type AdminKey } from '../i18n';

type Right = DossierRights['items'][number];

const roleText = (role: string) => at(`role_${role}` as AdminKey);

/** Why a principal sees the dossier, in the panel's language. */
function reason(r: Right): string {
  if (r.kind === 'token') return at('grant_token', { scopes: (r.scopes ?? []).join(', ') });
  if (r.grant === 'guardian') return at('grant_guardian');
  if (r.grant === 'school') return at('grant_school', { school: r.school ? `${r.school.name} (${r.school.brin})` : '' });
  return at('grant_organisation', { role: roleText(r.role) });
}

function ExportButton({ path }: { path: string }) {
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const run = async () => {
    try {
      setMessage({ kind: 'success', text: at('exported', { file: await downloadCsv(path) }) });
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };
  return (
    <>
      <button type="button" class="button" onClick={() => void run()}>{at('exportCsv')}</button>
      {message && <p class={`alert alert-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
    </>
  );
}

export function RightsScreen({ kind, id }: { kind: 'dossier' | 'account'; id: string }) {
  return kind === 'dossier' ? <DossierRightsView id={id} /> : <AccountRightsView id={id} />;
}

function DossierRightsView({ id }: { id: string }) {
  const loaded = useLoad(useCallback(() => auditApi.dossierRights(id), [id]));
  if (loaded.error) return <p class="alert alert-error" role="alert">{errorMessage(loaded.error)}</p>;
  const r = loaded.data;
  if (!r) return <p class="muted">{at('loading')}</p>;
  return (
    <section aria-labelledby="rights-title">
      <div class="section-head">
        <h2 id="rights-title">{at('rightsOfDossier', { name: r.dossier.name })}</h2>
        <ExportButton path={`dossiers/${encodeURIComponent(id)}/rights/export`} />
      </div>
      <p class="muted">{at('rightsDossierIntro')}</p>
      <p><a href={`#/dossiers/${id}/basisgegevens`}>{at('back')}</a> · <a href={`#/beheer/auditlog/dossier/${id}`}>{at('auditOfDossier')}</a></p>
      <table class="table" data-testid="dossier-rights">
        <caption class="sr-only">{at('rightsOfDossier', { name: r.dossier.name })}</caption>
        <thead><tr><th scope="col">{at('displayName')}</th><th scope="col">{at('kind')}</th><th scope="col">{at('role')}</th><th scope="col">{at('why')}</th><th scope="col">{at('onlyShared')}</th></tr></thead>
        <tbody>
          {r.items.map((p) => (
            <tr key={`${p.kind}-${p.id}`}>
              <td>{p.kind === 'user' ? <a href={`#/beheer/rechten/account/${p.id}`} title={at('rightsOf', { name: p.displayName })}>{p.displayName}</a> : p.displayName}</td>
              <td>{at(`kind_${p.kind}`)}</td>
              <td>{roleText(p.role)}</td>
              <td>{reason(p)}</td>
              <td>{p.onlyShared ? at('yes_') : at('no_')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function grantText(r: UserRights): string {
  if (r.grant === 'guardian') return at('userGrant_guardian');
  if (r.grant === 'school') return at('userGrant_school', { schools: r.schools.map((s) => `${s.name} (${s.brin})`).join(', ') || '—' });
  return at('userGrant_organisation', { role: roleText(r.user.role) });
}

function AccountRightsView({ id }: { id: string }) {
  const loaded = useLoad(useCallback(() => auditApi.userRights(id), [id]));
  if (loaded.error) return <p class="alert alert-error" role="alert">{errorMessage(loaded.error)}</p>;
  const r = loaded.data;
  if (!r) return <p class="muted">{at('loading')}</p>;
  return (
    <section aria-labelledby="rights-title">
      <div class="section-head">
        <h2 id="rights-title">{at('rightsOfAccount', { name: r.user.displayName })}</h2>
        <ExportButton path={`users/${encodeURIComponent(id)}/rights/export`} />
      </div>
      <p class="muted">{r.user.username} · {roleText(r.user.role)} · {at(`status_${r.user.status}`)} · <a href={`#/beheer/auditlog/account/${id}`}>{at('auditOfAccount')}</a></p>
      {!r.canSignIn && <p class="alert alert-error" role="status">{at('cannotSignIn', { status: at(`status_${r.user.status}`) })}</p>}
      <p>{grantText(r)} {at('dossierCount', { n: r.dossierCount })}</p>
      {r.dossiers.length > 0 && (
        <table class="table" data-testid="account-rights">
          <caption class="sr-only">{at('rightsOfAccount', { name: r.user.displayName })}</caption>
          <thead><tr><th scope="col">{at('child')}</th><th scope="col">{at('birthDate')}</th><th scope="col">{at('school')}</th></tr></thead>
          <tbody>
            {r.dossiers.map((d) => (
              <tr key={d.id}>
                <td><a href={`#/beheer/rechten/dossier/${d.id}`}>{d.name}</a></td>
                <td>{formatDate(d.birthDate)}</td>
                <td>{d.school.name} ({d.school.brin})</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>{at('mayDo')}</summary>
        <ul class="plain-list">{r.actions.map((a) => <li key={a}><code>{a}</code></li>)}</ul>
      </details>
    </section>
  );
}
