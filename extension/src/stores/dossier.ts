// The dossiers of the logged-in parent and the chosen child; kept while the popup is open so
// going back from a hulpvraag does not reload everything.
import { signal } from '@preact/signals';
import type { DossierSummary } from '../lib/server-routes';

export const dossiers = signal<DossierSummary[] | null>(null);
export const chosenDossierId = signal<string>('');
export const hulpvragenPage = signal(1);

export function resetDossierStore() {
  dossiers.value = null;
  chosenDossierId.value = '';
  hulpvragenPage.value = 1;
}
