// A school chosen by BRIN: a select filled from GET /schools (the schools the caller may use).
import { useEffect, useState } from 'preact/hooks';
import { adminApi, type School } from '../api';
import { at } from '../i18n';

let cache: Promise<School[]> | null = null;
/** The caller's schools, fetched once per page load (a handful per organisation). */
const loadSchools = () => (cache ??= adminApi.schools('').then((p) => p.items).catch((e: unknown) => { cache = null; throw e; }));

export function SchoolPicker({ id, label, value, onChange, allowAny = false, required = false }: { id: string; label: string; value: string; onChange: (brin: string) => void; allowAny?: boolean; required?: boolean }) {
  const [schools, setSchools] = useState<School[]>([]);
  useEffect(() => void loadSchools().then(setSchools, () => setSchools([])), []);
  return (
    <>
      <label for={id}>{label}</label>
      <select id={id} value={value} required={required} onChange={(e) => onChange(e.currentTarget.value)}>
        {(allowAny || !value) && <option value="">{allowAny ? at('anySchool') : '—'}</option>}
        {schools.map((s) => <option key={s.brin} value={s.brin}>{`${s.brin} · ${s.name}${s.city ? ` (${s.city})` : ''}`}</option>)}
      </select>
    </>
  );
}
