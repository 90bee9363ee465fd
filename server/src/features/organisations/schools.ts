import type { DbOrTx } from '../../db/client.ts';
import { schools } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';

/** A BRIN code: four characters (two digits, two letters) and optionally a two-digit location. */
const BRIN = /^[0-9]{2}[A-Z]{2}([0-9]{2})?$/;

export async function createSchool(db: DbOrTx, organisationId: string, input: { brin: string; name: string; city?: string }) {
  const brin = input.brin.trim().toUpperCase();
  const name = input.name.trim();
  if (!BRIN.test(brin)) throw new AppError('validation_failed', `BRIN "${input.brin}" is not valid: expected two digits and two letters, optionally two more digits (e.g. 12AB or 12AB00).`);
  if (!name || name.length > 200) throw new AppError('validation_failed', 'School name must be 1–200 characters.');
  const [row] = await db
    .insert(schools)
    .values({ organisationId, brin, name, city: (input.city ?? '').trim() })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError('already_exists', `A school with BRIN ${brin} already exists in this organisation.`);
  return row;
}
