// One confirmation dialog for the whole panel: `await confirm(text, action)` says what will happen
// and waits for a choice. Keyboard: focus starts on Cancel, Escape cancels, Tab stays inside.
import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { at } from '../i18n';

interface Pending { text: string; action: string; resolve: (ok: boolean) => void }
const pending = signal<Pending | null>(null);

export function confirm(text: string, action: string): Promise<boolean> {
  return new Promise((resolve) => (pending.value = { text, action, resolve }));
}

function close(ok: boolean) {
  pending.value?.resolve(ok);
  pending.value = null;
}

export function ConfirmDialog() {
  const p = pending.value;
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!p) return;
    const returnTo = document.activeElement as HTMLElement | null;
    cancel.current?.focus();
    return () => returnTo?.focus?.();
  }, [p]);
  if (!p) return null;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') close(false);
    if (e.key === 'Tab') {
      const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll('button')];
      const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
      e.preventDefault();
      buttons[(i + (e.shiftKey ? buttons.length - 1 : 1)) % buttons.length]?.focus();
    }
  };
  return (
    <div class="modal-backdrop">
      <div class="modal" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-text" onKeyDown={onKey}>
        <h2 id="confirm-title">{at('confirmTitle')}</h2>
        <p id="confirm-text">{p.text}</p>
        <div class="modal-actions">
          <button ref={cancel} type="button" class="button" onClick={() => close(false)}>{at('cancel')}</button>
          <button type="button" class="button button-danger" onClick={() => close(true)}>{p.action}</button>
        </div>
      </div>
    </div>
  );
}
