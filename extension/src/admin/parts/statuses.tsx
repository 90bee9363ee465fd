// The organisation's hulpvraag statuses (Beheer → Statussen) wherever the panel offers or shows
// one: loaded through the typed client, in the organisation's order, never a list of our own.
import { formatStatus } from '../../lib/format';
import { useLoad, type Loaded } from '../../components/use-load';
import { adminApi, type HulpvraagStatus } from '../api';
import { at } from '../i18n';

const loadStatuses = () => adminApi.statuses();

/** The statuses, fresh from the server each time a screen that needs them opens. */
export function useStatuses(): Loaded<HulpvraagStatus[]> {
  return useLoad(loadStatuses);
}

/** Whether reaching this status closes a hulpvraag (false for a name the list does not know). */
export const closes = (statuses: readonly HulpvraagStatus[] | null, name: string) => statuses?.some((s) => s.name === name && s.closes) ?? false;

/** An option's text: the name, and that it closes the hulpvraag. */
export const statusOption = (s: HulpvraagStatus) => (s.closes ? at('statusOptionCloses', { status: formatStatus(s.name) }) : formatStatus(s.name));

/**
 * The status Status wijzigen proposes: the next one in the organisation's order, else the
 * first other one; a status missing from the list (renamed meanwhile) proposes the first.
 */
export function proposedStatus(statuses: readonly HulpvraagStatus[], current: string): string {
  const i = statuses.findIndex((s) => s.name === current);
  return (statuses[i + 1] ?? statuses.find((s) => s.name !== current))?.name ?? current;
}

/** A status as a cell shows it, with a quiet "afgesloten" when it closes the hulpvraag. */
export function StatusText({ name, statuses }: { name: string; statuses: readonly HulpvraagStatus[] | null }) {
  return <>{formatStatus(name)}{closes(statuses, name) && <span class="tag tag-muted">{at('closedTag')}</span>}</>;
}
