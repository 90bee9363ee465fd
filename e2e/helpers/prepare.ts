// The shared "prepare" step of the browser specs (Chromium and Firefox alike): accounts and
// data made through the API, for the steps whose subject is not the invitation or the
// activation page itself. The demo admin and parent come ready from the server's first start
// (see startKindkans), so no spec activates an admin.
import { login, type Account, type Kindkans } from './server';

interface Page1<T> { items: T[]; total: number }

/** The demo admin with a session token for the API calls a spec makes as the school. */
export async function prepareAdmin(server: Kindkans): Promise<Account & { token: string }> {
  return { ...server.demo.admin, token: await login(server.api, server.demo.admin) };
}

/** The demo dossier (Sam de Vries) and its hulpvraag "Preventief SCP observatie". */
export async function demoDossier(server: Kindkans, token: string) {
  const dossier = (await server.api.call<Page1<{ id: string; firstName: string }>>('GET', '/dossiers?q=sam', undefined, token)).items[0]!;
  const hulpvragen = await server.api.call<Page1<{ id: string; title: string }>>('GET', `/dossiers/${dossier.id}/hulpvragen`, undefined, token);
  return { dossierId: dossier.id, hulpvraagId: hulpvragen.items.find((h) => h.title === 'Preventief SCP observatie')!.id };
}

/** The school invites a parent for the demo dossier; the activation mail goes to `email`. */
export async function inviteParent(server: Kindkans, token: string, email: string, displayName: string) {
  const { dossierId } = await demoDossier(server, token);
  const created = await server.api.call<{ username: string; status: string }>('POST', '/users', { role: 'parent', email, displayName, dossierIds: [dossierId] }, token);
  return { ...created, dossierId };
}
