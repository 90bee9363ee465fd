// Anonimiseren: irreversible, so the dialog says what goes and asks the admin to type the child's
// name; the button works only when it matches (the server checks it again). Escape cancels.
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { at } from '../i18n';

/** The name as a person types it: spaces collapsed, any case (the server compares the same way). */
const sameName = (a: string, b: string) => {
  const n = (s: string) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase('nl');
  return n(a) !== '' && n(a) === n(b);
};

export function AnonymiseDialog({ what, childName, onConfirm, onClose }: {
  what: 'dossier' | 'hulpvraag';
  childName: string;
  onConfirm: (confirm: string) => Promise<void>;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const returnTo = document.activeElement as HTMLElement | null;
    input.current?.focus();
    return () => returnTo?.focus?.();
  }, []);
  const matches = sameName(typed, childName);
  async function submit(e: Event) {
    e.preventDefault();
    if (!matches || busy) return;
    setBusy(true);
    try {
      await onConfirm(typed);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }
  return (
    <div class="modal-backdrop">
      <div
        class="modal" role="dialog" aria-modal="true" aria-labelledby="anonymise-title" aria-describedby="anonymise-text"
        onKeyDown={(e) => e.key === 'Escape' && onClose()} data-testid="anonymise-dialog"
      >
        <form onSubmit={submit}>
          <h2 id="anonymise-title">{at(what === 'dossier' ? 'anonymiseDossier' : 'anonymiseHulpvraag')}</h2>
          <p id="anonymise-text">{at(what === 'dossier' ? 'anonymiseDossierText' : 'anonymiseHulpvraagText')} <strong>{at('anonymiseIrreversible')}</strong></p>
          <label for="anonymise-confirm">{at('anonymiseTypeName', { name: childName })}</label>
          <input id="anonymise-confirm" ref={input} autocomplete="off" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} aria-invalid={typed !== '' && !matches} />
          {error && <p class="alert alert-error" role="alert">{error}</p>}
          <div class="modal-actions">
            <button type="button" class="button" onClick={onClose}>{at('cancel')}</button>
            <button type="submit" class="button button-danger" disabled={!matches || busy}>{at('anonymiseFinal')}</button>
          </div>
        </form>
      </div>
    </div>
  );
}
