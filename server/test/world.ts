// Test helper (not a test): two organisations with schools, dossiers, hulpvragen, attachments and
// one account per role, each signed in with a real session (`signIn`), and one API token of
// organisation A per scope, for the dossier API tests and the authorisation matrix.
import { Readable } from 'node:stream';
import type { AuthUser } from '../src/app-env.ts';
import { scopes, type Scope } from '../src/authz/principal.ts';
import type { Db } from '../src/db/client.ts';
import { hulpvragen } from '../src/db/schema/index.ts';
import type { Env } from '../src/env.ts';
import { createApiToken } from '../src/features/api-tokens/service.ts';
import { storeUpload, type AttachmentOwner } from '../src/features/attachments/upload.ts';
import { withBearer } from './app.ts';
import { linkGuardian, linkStaffSchool, makeDossier, makeOrganisation, makeSchool, makeUser, signIn } from './fixtures.ts';
import { BOUNDARY, multipartBody } from './multipart.ts';

export type Target = 'own' | 'otherSchool' | 'otherOrg' | 'otherChild';
export type Actor = 'parent' | 'unlinkedParent' | 'school' | 'coordinator' | 'admin';
export const targets: Target[] = ['own', 'otherSchool', 'otherOrg', 'otherChild'];
export const actors: Actor[] = ['parent', 'unlinkedParent', 'school', 'coordinator', 'admin'];

const asAuthUser = (u: { id: string; username: string; displayName: string; email: string; role: AuthUser['role']; organisationId: string }): AuthUser => ({
  id: u.id, username: u.username, displayName: u.displayName, email: u.email, role: u.role, organisationId: u.organisationId, organisation: { code: 'T', name: 'T' },
});

/** Stores a small text attachment through the real upload service. */
export async function addAttachment(db: Db, uploader: AuthUser, ownerId: string | AttachmentOwner, text = 'Verslag van het gesprek.\n', filename = 'verslag.txt') {
  return storeUpload(db, {
    user: uploader, owner: typeof ownerId === 'string' ? { hulpvraagId: ownerId } : ownerId, boundary: BOUNDARY, maxBytes: 1024 * 1024, now: new Date(),
    body: Readable.from([multipartBody(Buffer.from(text), filename)]),
    audit: { action: 'attachment.create', outcome: 'success' },
  });
}

export async function createWorld(db: Db, env: Env, now: Date) {
  const orgA = await makeOrganisation(db);
  const orgB = await makeOrganisation(db);
  const schoolA1 = await makeSchool(db, orgA.id);
  const schoolA2 = await makeSchool(db, orgA.id);
  const schoolB1 = await makeSchool(db, orgB.id);

  const users = {
    parent: await makeUser(db, orgA.id, 'parent'),
    unlinkedParent: await makeUser(db, orgA.id, 'parent'),
    otherParent: await makeUser(db, orgA.id, 'parent'),
    spareParent: await makeUser(db, orgA.id, 'parent'),
    school: await makeUser(db, orgA.id, 'school'),
    coordinator: await makeUser(db, orgA.id, 'coordinator'),
    admin: await makeUser(db, orgA.id, 'admin'),
    coordinatorB: await makeUser(db, orgB.id, 'coordinator'),
    otherSchoolParent: await makeUser(db, orgA.id, 'parent'),
    parentB: await makeUser(db, orgB.id, 'parent'),
  };
  await linkStaffSchool(db, users.school.id, schoolA1.id);

  const dossiers = {
    own: await makeDossier(db, orgA.id, schoolA1.id, { firstName: 'Sam', lastName: 'Eigen' }),
    otherSchool: await makeDossier(db, orgA.id, schoolA2.id, { firstName: 'Noa', lastName: 'Anderschool' }),
    otherOrg: await makeDossier(db, orgB.id, schoolB1.id, { firstName: 'Lev', lastName: 'Anderverband' }),
    otherChild: await makeDossier(db, orgA.id, schoolA1.id, { firstName: 'Mila', lastName: 'Anderkind' }),
  };
  await linkGuardian(db, dossiers.own.id, users.parent.id);
  await linkGuardian(db, dossiers.otherChild.id, users.otherParent.id);
  await linkGuardian(db, dossiers.otherOrg.id, users.parent.id).catch(() => {}); // a cross-org link must not help
  await linkGuardian(db, dossiers.otherSchool.id, users.otherSchoolParent.id);
  await linkGuardian(db, dossiers.otherOrg.id, users.parentB.id);
  /** A guardian of each target dossier (for the account routes). */
  const guardianOf: Record<Target, typeof users.parent> = { own: users.parent, otherSchool: users.otherSchoolParent, otherOrg: users.parentB, otherChild: users.otherParent };

  const staffOf = (t: Target) => asAuthUser(t === 'otherOrg' ? users.coordinatorB : users.coordinator);
  const hulpvraag = {} as Record<Target, string>;
  const attachment = {} as Record<Target, string>;
  for (const t of targets) {
    const d = dossiers[t];
    const [h] = await db.insert(hulpvragen).values({ organisationId: d.organisationId, dossierId: d.id, date: '2024-01-15', title: `Hulpvraag ${t}` }).returning();
    hulpvraag[t] = h!.id;
    attachment[t] = (await addAttachment(db, staffOf(t), h!.id)).id;
  }

  const tokens = {} as Record<Actor, string>;
  for (const a of actors) tokens[a] = await signIn(db, users[a].id, now, env);
  /** One API token of organisation A per scope, each with that scope only. */
  const apiTokens = {} as Record<Scope, string>;
  for (const scope of scopes) {
    apiTokens[scope] = (await createApiToken(db, orgA.id, { name: `Koppeling ${scope}`, scopes: [scope], expiresInDays: 90 }, { now, createdBy: { id: users.admin.id, displayName: 'Test' }, audit: {} })).token;
  }
  const brin: Record<Target, string> = { own: schoolA1.brin, otherSchool: schoolA2.brin, otherOrg: schoolB1.brin, otherChild: schoolA1.brin };
  /** Request options as `who`: their session token and a `test-<who>` user agent, over `init`. */
  const as = (who: Actor, init: RequestInit = {}): RequestInit => withBearer(tokens[who]!, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), 'user-agent': `test-${who}` } });
  return { orgA, orgB, schoolA1, schoolA2, schoolB1, users, dossiers, hulpvraag, attachment, tokens, apiTokens, brin, staffOf, asAuthUser, as, guardianOf };
}

export type World = Awaited<ReturnType<typeof createWorld>>;
