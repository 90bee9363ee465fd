import { and, eq, like } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';

/** `Jan de Vries` → `j.devries`; `Émile` → `emile`; nothing usable → `gebruiker`. */
export function usernameBase(displayName: string): string {
  const words = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[\s'’-]+/)
    .map((w) => w.replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  if (words.length === 0) return 'gebruiker';
  const base = words.length === 1 ? words[0]! : `${words[0]![0]}.${words.slice(1).join('')}`;
  return base.slice(0, 40);
}

/** A readable username unused in the organisation: the base, else the base with 2, 3, … */
export async function generateUsername(db: DbOrTx, organisationId: string, displayName: string): Promise<string> {
  const base = usernameBase(displayName);
  const taken = new Set(
    (await db.select({ u: users.username }).from(users).where(and(eq(users.organisationId, organisationId), like(users.username, `${base}%`)))).map((r) => r.u),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}
