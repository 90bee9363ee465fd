// The panel's hash router: `#/dossiers/<id>/aanpak` and the like. The hash is the state, so the
// browser's back button, reloads and bookmarks (without personal data: ids only) just work.
import { signal } from '@preact/signals';

export type Tab = 'basisgegevens' | 'schoolgegevens' | 'hulpvraag' | 'aanpak' | 'tlv' | 'overlegronden' | 'notes';
export const tabs: Tab[] = ['basisgegevens', 'schoolgegevens', 'hulpvraag', 'aanpak', 'tlv', 'overlegronden', 'notes'];

export type Route =
  | { name: 'hulpvragen' }
  | { name: 'dossiers'; id?: string; tab?: Tab; hulpvraagId?: string }
  | { name: 'dossier-new' }
  | { name: 'kengetallen' }
  | { name: 'planning' }
  | { name: 'accounts' }
  | { name: 'news' }
  | { name: 'statuses' }
  | { name: 'sleeping' }
  | { name: 'automation' }
  | { name: 'mail-templates' };

/** Beheer → Automatisering and Mailsjablonen, by their path segment. */
const workflowScreens: Record<string, 'automation' | 'mail-templates'> = { automatisering: 'automation', mailsjablonen: 'mail-templates' };

export function parseHash(hash: string): Route {
  const [section, a, b, c] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const workflow = section === 'beheer' && b === undefined ? workflowScreens[a ?? ''] : undefined;
  if (workflow) return { name: workflow };
  switch (section) {
    case 'hulpvragen': return { name: 'hulpvragen' };
    case 'kengetallen': return { name: 'kengetallen' };
    case 'planning': return { name: 'planning' };
    case 'beheer': return b !== undefined ? { name: 'accounts' } : a === 'nieuws' ? { name: 'news' } : a === 'statussen' ? { name: 'statuses' } : a === 'slapend' ? { name: 'sleeping' } : { name: 'accounts' };
    case 'dossiers':
      if (a === 'nieuw') return { name: 'dossier-new' };
      if (!a) return { name: 'dossiers' };
      return { name: 'dossiers', id: a, tab: tabs.includes(b as Tab) ? (b as Tab) : 'basisgegevens', ...(b === 'hulpvraag' && c ? { hulpvraagId: c } : {}) };
    default: return { name: 'dossiers' };
  }
}

function toHash(r: Route): string {
  switch (r.name) {
    case 'dossiers': return r.id ? `#/dossiers/${r.id}/${r.tab ?? 'basisgegevens'}${r.hulpvraagId ? `/${r.hulpvraagId}` : ''}` : '#/dossiers';
    case 'dossier-new': return '#/dossiers/nieuw';
    case 'accounts': return '#/beheer/accounts';
    case 'news': return '#/beheer/nieuws';
    case 'statuses': return '#/beheer/statussen';
    case 'sleeping': return '#/beheer/slapend';
    case 'automation': return '#/beheer/automatisering';
    case 'mail-templates': return '#/beheer/mailsjablonen';
    default: return `#/${r.name}`;
  }
}

export const route = signal<Route>(parseHash(location.hash));

export function go(r: Route) {
  const hash = toHash(r);
  if (location.hash !== hash) location.hash = hash;
  route.value = r;
}

export function listenToHash(): () => void {
  const onChange = () => (route.value = parseHash(location.hash));
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}
