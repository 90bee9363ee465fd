// Which popup screen is shown once logged in.
import { signal } from '@preact/signals';

export type Route =
  | { name: 'home' }
  | { name: 'hulpvraag'; id: string }
  | { name: 'access-log'; dossierId: string };

export const route = signal<Route>({ name: 'home' });

export function go(next: Route) {
  route.value = next;
}
