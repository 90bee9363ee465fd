import type { ComponentChildren } from 'preact';

interface Props {
  kind: 'error' | 'success' | 'info';
  children: ComponentChildren;
}

/** A message box; errors are announced at once by screen readers. */
export function Alert({ kind, children }: Props) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
