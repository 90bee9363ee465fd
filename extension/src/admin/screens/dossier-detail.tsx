// One dossier: its name above, the seven tabs of the partnership's screens below. The tabs are a
// WAI-ARIA tablist (arrow keys move between them); the tab is part of the address (#/dossiers/<id>/<tab>).
import { useCallback, useRef, useState } from 'preact/hooks';
import type { User } from '../../lib/server-routes';
import { errorMessage } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { useLoad } from '../../components/use-load';
import { adminApi } from '../api';
import { at } from '../i18n';
import { go, tabs, type Tab } from '../router';
import { DossierForm } from './dossier-form';
import { EntriesTab } from './entries-tab';
import { GuardiansBlock } from './guardians-block';
import { HulpvraagTab } from './hulpvraag-tab';
import { NotesTab } from './notes-tab';
import { AnonymiseDialog } from '../parts/anonymise-dialog';

export function DossierDetail({ id, tab, hulpvraagId, user, onChanged }: { id: string; tab: Tab; hulpvraagId?: string | undefined; user: User; onChanged: () => void }) {
  const loaded = useLoad(useCallback(() => adminApi.dossier(id), [id]));
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const [anonymising, setAnonymising] = useState(false);
  const d = loaded.data;
  if (loaded.error) return <p class="alert alert-error" role="alert">{errorMessage(loaded.error)}</p>;
  if (!d) return <p class="muted">{at('loading')}</p>;
  const mayEdit = (user.role === 'school' || user.role === 'admin') && !d.anonymised;
  const childName = `${d.firstName} ${d.lastName}`.trim();
  const open = (t: Tab) => go({ name: 'dossiers', id, tab: t });
  const onKey = (e: KeyboardEvent, i: number) => {
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const j = (next + tabs.length) % tabs.length;
    open(tabs[j]!);
    tabRefs.current[j]?.focus();
  };
  const saved = () => { loaded.reload(); onChanged(); };

  return (
    <article class="dossier" aria-labelledby="dossier-name">
      <header class="dossier-head">
        <h1 id="dossier-name">{at('dossierOf', { name: d.anonymised ? at('anonymised') : childName })}</h1>
        {d.anonymised
          ? <p class="alert alert-info" role="status">{at('anonymisedText')}</p>
          : <p class="muted">{at('born', { date: formatDate(d.birthDate) })} · {d.school.name} ({d.school.brin}){d.schoolGroup ? ` · ${d.schoolGroup}` : ''}</p>}
        {user.role === 'admin' && !d.anonymised && (
          <button type="button" class="button button-danger button-small" onClick={() => setAnonymising(true)}>{at('anonymiseDossier')}</button>
        )}
        {user.role === 'admin' && <p class="dossier-links"><a href={`#/beheer/rechten/dossier/${d.id}`}>{at('rights')}</a></p>}
      </header>
      {anonymising && (
        <AnonymiseDialog
          what="dossier" childName={childName} onClose={() => setAnonymising(false)}
          onConfirm={async (confirm) => { await adminApi.anonymiseDossier(d.id, confirm); setAnonymising(false); saved(); }}
        />
      )}
      <div role="tablist" aria-label={at('tabs')} class="tabs">
        {tabs.map((t, i) => (
          <button
            key={t} ref={(el) => void (tabRefs.current[i] = el)} type="button" role="tab" id={`tab-${t}`} aria-controls={`panel-${t}`}
            aria-selected={t === tab} tabIndex={t === tab ? 0 : -1} class="tab" onClick={() => open(t)} onKeyDown={(e) => onKey(e, i)}
          >
            {at(`tab_${t}`)}
          </button>
        ))}
      </div>
      <section role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="tabpanel" data-testid={`panel-${tab}`}>
        {tab === 'basisgegevens' && (
          <>
            <DossierForm key={`b-${d.id}-${d.anonymised}`} dossier={d} part="basis" mayEdit={mayEdit} onSaved={saved} />
            <GuardiansBlock dossier={d} mayEdit={mayEdit} onChange={loaded.reload} />
          </>
        )}
        {tab === 'schoolgegevens' && <DossierForm key={`s-${d.id}-${d.anonymised}`} dossier={d} part="school" mayEdit={mayEdit} onSaved={saved} />}
        {tab === 'hulpvraag' && <HulpvraagTab dossierId={d.id} hulpvraagId={hulpvraagId} role={user.role} childName={d.anonymised ? undefined : childName} />}
        {tab === 'aanpak' && <EntriesTab kind="aanpak" dossierId={d.id} role={user.role} readOnly={d.anonymised} />}
        {tab === 'tlv' && <EntriesTab kind="tlv" dossierId={d.id} role={user.role} readOnly={d.anonymised} />}
        {tab === 'overlegronden' && <EntriesTab kind="overlegronden" dossierId={d.id} role={user.role} readOnly={d.anonymised} />}
        {tab === 'notes' && <NotesTab dossierId={d.id} />}
      </section>
    </article>
  );
}
