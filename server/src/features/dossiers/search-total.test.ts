import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionPrincipal, type Principal } from '../../authz/index.ts';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { makeDossier, makeOrganisation, makeSchool, makeUser } from '../../../test/fixtures.ts';
import { listDossiers } from './service.ts';

/** A name search gets its page and total from one scan (a window count): the total must hold on every page. */
let database: Database;
const testSession = { id: '00000000-0000-4000-8000-000000000000', createdAt: new Date(), lastSeenAt: new Date(), expiresAt: new Date(), idleExpiresAt: new Date() };
let coordinator: Principal;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const org = await makeOrganisation(db);
  const other = await makeOrganisation(db);
  const school = await makeSchool(db, org.id);
  const otherSchool = await makeSchool(db, other.id);
  for (let i = 0; i < 5; i++) await makeDossier(db, org.id, school.id, { firstName: 'Kim', lastName: `Zoekvan ${i}` });
  await makeDossier(db, org.id, school.id, { firstName: 'Anders', lastName: 'Niemand' });
  await makeDossier(db, other.id, otherSchool.id, { firstName: 'Kim', lastName: 'Zoekvan elders' }); // another organisation
  const user = await makeUser(db, org.id, 'coordinator');
  coordinator = sessionPrincipal({ id: user.id, username: user.username, displayName: user.displayName, email: user.email, role: 'coordinator', organisationId: org.id, organisation: { code: org.code, name: org.name } }, testSession);
});
afterAll(() => database?.close());

describe('dossier search total', () => {
  it('is the number of visible matches on the first, a partial and a past-the-end page', async () => {
    const search = (page: number) => listDossiers(database.db, coordinator, { q: 'zoekVAN' }, { page, pageSize: 2 });
    const first = await search(1);
    expect([first.total, first.items.map((d) => d.lastName)]).toEqual([5, ['Zoekvan 0', 'Zoekvan 1']]);
    const last = await search(3);
    expect([last.total, last.items.map((d) => d.lastName)]).toEqual([5, ['Zoekvan 4']]);
    expect(await search(9)).toEqual({ items: [], page: 9, pageSize: 2, total: 5 });
    expect(await listDossiers(database.db, coordinator, { q: 'bestaatniet' }, { page: 1, pageSize: 2 })).toEqual({ items: [], page: 1, pageSize: 2, total: 0 });
    expect((await listDossiers(database.db, coordinator, {}, { page: 1, pageSize: 2 })).total).toBe(6);
  });
});
