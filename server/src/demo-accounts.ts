import { randomInt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import { appMeta, dossiers, guardians, organisations, users } from './db/schema/index.ts';
import { totpBox } from './features/activation/service.ts';
import { generateUsername } from './features/users/usernames.ts';
import { hashPassword } from './lib/password.ts';
import { groupSecret, newTotpSecret } from './lib/totp.ts';

const KEY = 'demo_accounts';
/** Dutch words for the demo passphrases (each word adds log2 of the list's size in entropy). */
export const DEMO_WORDS: readonly string[] = [
  'appel', 'brug', 'duin', 'fiets', 'gracht', 'haven', 'kikker', 'molen', 'polder', 'regen', 'sloot', 'tulp',
  'vlinder', 'wolk', 'zeil', 'zomer', 'aarde', 'adres', 'akker', 'anker', 'avond', 'baai', 'bad', 'bakker',
  'bal', 'balk', 'bank', 'beek', 'beer', 'berg', 'bes', 'bever', 'bij', 'bloem', 'boek', 'boom', 'boot',
  'bord', 'bos', 'boter', 'brief', 'bril', 'broek', 'brood', 'bus', 'dak', 'dal', 'das', 'deken', 'deur',
  'dijk', 'dokter', 'dorp', 'draak', 'drop', 'duif', 'eend', 'eik', 'eiland', 'emmer', 'ezel', 'fluit',
  'fontein', 'gans', 'gat', 'geit', 'gitaar', 'glas', 'gras', 'grot', 'haas', 'hagel', 'hamer', 'hek', 'helm',
  'hemel', 'hert', 'hoed', 'hond', 'honing', 'hoorn', 'huis', 'hut', 'ijs', 'inkt', 'jas', 'jurk', 'kaas',
  'kaars', 'kam', 'kamer', 'kameel', 'kano', 'kast', 'kat', 'kerk', 'kers', 'kever', 'kip', 'klok', 'knoop',
  'koe', 'koek', 'koffer', 'kom', 'konijn', 'koning', 'kool', 'kop', 'kraan', 'kreeft', 'kruik', 'kus',
  'laars', 'lamp', 'lepel', 'leeuw', 'lente', 'lint', 'lucht', 'maan', 'mand', 'mantel', 'markt', 'meer',
  'melk', 'mes', 'mier', 'mol', 'mossel', 'muis', 'muur', 'mug', 'naald', 'nest', 'net', 'neus', 'noot',
  'oever', 'olifant', 'oom', 'oor', 'otter', 'oven', 'paard', 'pad', 'pan', 'pen', 'peer', 'pet', 'piano',
  'plank', 'plein', 'pluim', 'pomp', 'pop', 'pot', 'pijl', 'raam', 'raket', 'ridder', 'rivier', 'rok', 'roos',
  'rups', 'schaap', 'schip', 'schaal', 'school', 'schoen', 'sleutel', 'slak', 'slee', 'sok', 'spin', 'spons',
  'staart', 'stad', 'ster', 'stoel', 'storm', 'straat', 'strand', 'stroom', 'suiker', 'taart', 'tafel', 'tak',
  'tand', 'tent', 'tijger', 'toren', 'trein', 'trommel', 'trap', 'tuin', 'uil', 'ui', 'vaas', 'veer', 'veld',
  'venster', 'vis', 'vlag', 'vlam', 'vloer', 'vogel', 'vork', 'vos', 'vuur', 'wagen', 'wand', 'water', 'weg',
  'wiel', 'wind', 'winkel', 'wortel', 'zaag', 'zak', 'zand', 'zee', 'zeep', 'zon', 'zwaan', 'zwaluw', 'bloes',
  'boei', 'dweil', 'fazant', 'forel', 'garnaal', 'gieter', 'hazel', 'iglo', 'jacht', 'kabel', 'kanaal',
  'karper', 'kompas', 'krekel', 'kroon', 'lantaarn', 'lelie', 'matras', 'merel', 'mixer', 'nachtuil', 'oester',
  'palm', 'parel', 'pinguin', 'pompoen', 'radijs', 'reiger', 'robijn', 'salami', 'sjaal', 'smid', 'snoek',
  'spiegel', 'tegel', 'tomaat', 'tractor', 'tulband', 'vijver', 'walrus', 'wafel', 'zebra', 'zwam',
];
/** A demo password: this many random words and a number from 1000 to 9999 (see demoPasswordBits). */
export const DEMO_PASSWORD_WORDS = 6;
const NUMBER_MIN = 1000;
const NUMBER_MAX = 9999;

/** The entropy of a demo password in bits: words × log2(list size) + log2(how many numbers). */
export const demoPasswordBits = () => DEMO_PASSWORD_WORDS * Math.log2(new Set(DEMO_WORDS).size) + Math.log2(NUMBER_MAX - NUMBER_MIN + 1);

export interface DemoLogin {
  role: 'admin' | 'parent';
  displayName: string;
  username: string;
  /** Only on the start that created the account: it is stored nowhere in plain text. */
  password?: string;
  secretGrouped?: string;
}

/** E.g. `molen-zwaan-kompas-tegel-brug-vork-4821` (about 61 bits; a CSPRNG picks every part). */
export const demoPassphrase = () => `${Array.from({ length: DEMO_PASSWORD_WORDS }, () => DEMO_WORDS[randomInt(DEMO_WORDS.length)]).join('-')}-${randomInt(NUMBER_MIN, NUMBER_MAX + 1)}`;

/**
 * The demo admin and demo parent (guardian of the demo dossier), made once in the demo
 * organisation PO2507. The first call returns their passwords and TOTP keys; later calls only
 * the usernames (the passwords exist nowhere any more; `demo:code` still prints codes).
 */
export async function ensureDemoAccounts(db: Db, appSecret: string, now = new Date(), dataDir?: string): Promise<{ organisation: string; created: boolean; logins: DemoLogin[] } | null> {
  const [org] = await db.select().from(organisations).where(eq(organisations.code, 'PO2507')).limit(1);
  if (!org) return null;
  const [seen] = await db.select().from(appMeta).where(eq(appMeta.key, KEY)).limit(1);
  if (seen) {
    return { organisation: `${org.code} ${org.name}`, created: false, logins: (seen.value as { logins: DemoLogin[] }).logins };
  }
  const [dossier] = await db.select().from(dossiers).where(and(eq(dossiers.organisationId, org.id), eq(dossiers.firstName, 'Sam'))).limit(1);
  const wanted = [
    { role: 'admin' as const, displayName: 'Demo Beheerder', email: 'beheerder@demo.kindkans.invalid' },
    { role: 'parent' as const, displayName: 'Demo Ouder', email: 'ouder@demo.kindkans.invalid' },
  ];
  const prepared = await Promise.all(
    wanted.map(async (w) => {
      const password = demoPassphrase();
      return { ...w, password, secret: newTotpSecret(), hash: await hashPassword(password) };
    }),
  );
  const box = totpBox(appSecret);
  const logins = await db.transaction(async (tx) => {
    const inserted = await tx.insert(appMeta).values({ key: KEY, value: { logins: [] } }).onConflictDoNothing().returning();
    if (inserted.length === 0) return null;
    const logins: DemoLogin[] = [];
    for (const p of prepared) {
      const username = await generateUsername(tx, org.id, p.displayName);
      const [user] = await tx
        .insert(users)
        .values({ organisationId: org.id, username, email: p.email, displayName: p.displayName, role: p.role, status: 'active', passwordHash: p.hash, passwordChangedAt: now, totpSecretEnc: box.encrypt(p.secret) })
        .returning();
      if (p.role === 'parent' && dossier) await tx.insert(guardians).values({ dossierId: dossier.id, userId: user!.id });
      logins.push({ role: p.role, displayName: p.displayName, username, password: p.password, secretGrouped: groupSecret(p.secret) });
    }
    await tx.update(appMeta).set({ value: { logins: logins.map(({ role, displayName, username }) => ({ role, displayName, username })) } }).where(eq(appMeta.key, KEY));
    return logins;
  });
  if (!logins) return ensureDemoAccounts(db, appSecret, now, dataDir);
  if (dataDir) {
    // For `demo:code` while the server holds the embedded database: the keys, sealed like in the database.
    const sealed = Object.fromEntries(prepared.map((p, i) => [logins[i]!.username, box.encrypt(p.secret)]));
    writeFileSync(demoKeysFile(dataDir), JSON.stringify(sealed), { mode: 0o600 });
  }
  return { organisation: `${org.code} ${org.name}`, created: true, logins };
}

/** The console lines for the demo logins. */
export function describeDemoLogins(demo: { organisation: string; created: boolean; logins: DemoLogin[] }): string[] {
  const lines = [`Demo logins (organisation ${demo.organisation}):`];
  for (const l of demo.logins) {
    lines.push(`  ${l.role === 'admin' ? 'beheerder' : 'ouder    '}  naam ${l.username}${l.password ? `  wachtwoord ${l.password}  TOTP-sleutel ${l.secretGrouped}` : ''}`);
  }
  lines.push(
    demo.created
      ? '  Add the key to an authenticator app, or get a code with: npm run cli -- demo:code <naam>. The passwords are shown only now.'
      : '  Passwords were printed at the first start (they are stored nowhere in plain text). A current code: npm run cli -- demo:code <naam>',
  );
  return lines;
}

const demoKeysFile = (dataDir: string) => join(resolve(dataDir), 'demo-authenticators.json');

/** The sealed demo TOTP key of `username` from DATA_DIR, or null. */
export function readDemoKey(dataDir: string, username: string): string | null {
  try {
    return (JSON.parse(readFileSync(demoKeysFile(dataDir), 'utf8')) as Record<string, string>)[username] ?? null;
  } catch {
    return null;
  }
}
