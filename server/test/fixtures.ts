import { randomBytes } from 'node:crypto';
import type { Db } from '../src/db/client.ts';
import { dossiers, guardians, schools, staffSchools, users, type Role } from '../src/db/schema/index.ts';
import { createSession, sessionPolicy } from '../src/features/auth/session.ts';
import { createOrganisation } from '../src/features/organisations/service.ts';
import type { Env } from '../src/env.ts';

const suffix = () => randomBytes(3).toString('hex');

export async function makeOrganisation(db: Db, code = `T${suffix().toUpperCase()}`, name = 'Testverband') {
  return createOrganisation(db, { code, name });
}

export async function makeSchool(db: Db, organisationId: string, overrides: Partial<typeof schools.$inferInsert> = {}) {
  const [row] = await db
    .insert(schools)
    .values({ organisationId, brin: `${suffix().toUpperCase().slice(0, 4)}00`, name: `School ${suffix()}`, city: 'Nijmegen', ...overrides })
    .returning();
  return row!;
}

/** An active account (no password or TOTP: tests that need a real login use the accounts flow). */
export async function makeUser(db: Db, organisationId: string, role: Role, overrides: Partial<typeof users.$inferInsert> = {}) {
  const name = `${role}-${suffix()}`;
  const [row] = await db
    .insert(users)
    .values({ organisationId, role, username: name, email: `${name}@example.org`, displayName: `Test ${name}`, status: 'active', ...overrides })
    .returning();
  return { ...row!, role };
}

export async function makeDossier(db: Db, organisationId: string, schoolId: string, overrides: Partial<typeof dossiers.$inferInsert> = {}) {
  const [row] = await db
    .insert(dossiers)
    .values({ organisationId, schoolId, firstName: 'Kim', lastName: `Jansen ${suffix()}`, birthDate: '2014-05-06', ...overrides })
    .returning();
  return row!;
}

export async function linkGuardian(db: Db, dossierId: string, userId: string) {
  await db.insert(guardians).values({ dossierId, userId });
}

export async function linkStaffSchool(db: Db, userId: string, schoolId: string) {
  await db.insert(staffSchools).values({ userId, schoolId });
}

/** A live session for `userId` at `now`, without the login flow; returns the bearer token. */
export async function signIn(db: Db, userId: string, now: Date, env: Env): Promise<string> {
  const { token } = await createSession(db, userId, now, sessionPolicy(env));
  return token;
}
