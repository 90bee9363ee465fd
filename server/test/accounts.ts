import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/client.ts';
import { users, type Role } from '../src/db/schema/index.ts';
import { totpBox } from '../src/features/activation/service.ts';
import { hashPassword } from '../src/lib/password.ts';
import { newTotpSecret, totpCode } from '../src/lib/totp.ts';
import { makeUser } from './fixtures.ts';

export const TEST_PASSWORD = 'paarse-olifant-danst-traag';
let hashed: Promise<string> | undefined;

/** An active account with TEST_PASSWORD and a TOTP secret (the argon2 hash is made once per file). */
export async function makeLoginUser(db: Db, appSecret: string, organisationId: string, role: Role = 'parent', overrides: Partial<typeof users.$inferInsert> = {}) {
  hashed ??= hashPassword(TEST_PASSWORD);
  const secret = newTotpSecret();
  const user = await makeUser(db, organisationId, role, { passwordHash: await hashed, totpSecretEnc: totpBox(appSecret).encrypt(secret), ...overrides });
  return { user, secret, password: TEST_PASSWORD, code: (at: Date) => totpCode(secret, at) };
}

export async function userRow(db: Db, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row!;
}
