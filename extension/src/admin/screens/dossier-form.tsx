// Create a dossier, or edit its Basisgegevens or Schoolgegevens (the same fields, split by tab).
import { useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { adminApi, type Dossier, type DossierInput } from '../api';
import { at } from '../i18n';
import { SchoolPicker } from '../parts/school-picker';

type Part = 'new' | 'basis' | 'school';

export function DossierForm({ dossier, part = 'new', mayEdit, onSaved }: { dossier?: Dossier; part?: Part; mayEdit: boolean; onSaved: (d: Dossier) => void }) {
  const [v, setV] = useState<DossierInput>({
    firstName: dossier?.firstName ?? '', lastName: dossier?.lastName ?? '', birthDate: dossier?.birthDate ?? '', schoolBrin: dossier?.school.brin ?? '',
    schoolGroup: dossier?.schoolGroup ?? '', contactName: dossier?.contactName ?? '', contactEmail: dossier?.contactEmail ?? '',
  });
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const field = (k: keyof DossierInput) => ({
    value: v[k] ?? '', disabled: !mayEdit, onInput: (e: Event) => { setSaved(false); setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value }); },
  });

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const basis = { firstName: v.firstName, lastName: v.lastName, birthDate: v.birthDate };
      const school = { schoolBrin: v.schoolBrin, schoolGroup: v.schoolGroup, contactName: v.contactName, contactEmail: v.contactEmail };
      const result = !dossier ? await adminApi.createDossier(v) : await adminApi.updateDossier(dossier.id, part === 'basis' ? basis : school);
      setSaved(true);
      onSaved(result);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form form-grid" onSubmit={submit}>
      {!dossier && <h1>{at('newDossier')}</h1>}
      {part !== 'school' && (
        <fieldset>
          <legend>{at('tab_basisgegevens')}</legend>
          <label for="d-first">{at('firstName')}</label>
          <input id="d-first" required maxLength={100} autoComplete="off" {...field('firstName')} />
          <label for="d-last">{at('lastName')}</label>
          <input id="d-last" required maxLength={100} autoComplete="off" {...field('lastName')} />
          <label for="d-birth">{at('birthDate')}</label>
          <input id="d-birth" type="date" required min="1900-01-01" max="2199-12-31" {...field('birthDate')} />
          <p class="hint">{at('noBsn')}</p>
        </fieldset>
      )}
      {part !== 'basis' && (
        <fieldset>
          <legend>{at('tab_schoolgegevens')}</legend>
          <SchoolPicker id="d-school" label={at('schoolBrin')} value={v.schoolBrin} required onChange={(schoolBrin) => setV({ ...v, schoolBrin })} />
          <label for="d-group">{at('schoolGroup')}</label>
          <input id="d-group" maxLength={50} {...field('schoolGroup')} />
          <label for="d-contact">{at('contactName')}</label>
          <input id="d-contact" maxLength={120} {...field('contactName')} />
          <label for="d-contact-email">{at('contactEmail')}</label>
          <input id="d-contact-email" type="email" maxLength={254} {...field('contactEmail')} />
        </fieldset>
      )}
      {error && <p class="alert alert-error" role="alert">{error}</p>}
      {saved && <p class="alert alert-success" role="status">{at('saved')}</p>}
      {mayEdit && <div class="row"><button type="submit" class="button button-primary" disabled={busy}>{dossier ? at('save') : at('create')}</button></div>}
    </form>
  );
}
