import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { organisations } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { seedStatuses } from '../statuses/service.ts';
import type { Organisation } from './schemas.ts';

export const ORG_CODE = /^[A-Z0-9]{2,12}$/;

export async function listOrganisations(db: DbOrTx): Promise<Organisation[]> {
  const rows = await db.select().from(organisations).orderBy(asc(organisations.code));
  return rows.map((o) => ({ code: o.code, name: o.name, label: `${o.code} ${o.name}` }));
}

export async function findOrganisationByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.code, code.trim().toUpperCase())).limit(1);
  return row ?? null;
}

/** Creates a tenant with the default hulpvraag statuses. Codes are upper case letters and digits (e.g. PO2507). */
export async function createOrganisation(db: DbOrTx, input: { code: string; name: string }) {
  const code = input.code.trim().toUpperCase();
  const name = input.name.trim();
  if (!ORG_CODE.test(code)) throw new AppError('validation_failed', `Organisation code "${input.code}" must be 2–12 letters or digits, like PO2507.`);
  if (!name || name.length > 200) throw new AppError('validation_failed', 'Organisation name must be 1–200 characters.');
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(organisations).values({ code, name }).onConflictDoNothing().returning();
    if (!row) throw new AppError('already_exists', `Organisation ${code} already exists.`);
    await seedStatuses(tx, row.id);
    return row;
  });
}
