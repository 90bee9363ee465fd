import { eq } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import { appMeta, dossiers, hulpvragen, news, schools } from './db/schema/index.ts';
import { insertStatusHistory } from './features/hulpvragen/status-facts.ts';
import { makePdf } from './lib/demo-pdf.ts';
import { createOrganisation } from './features/organisations/service.ts';
import { encodeMultipart } from './features/attachments/multipart.ts';
import { storeUpload } from './features/attachments/upload.ts';

export interface DemoSeed {
  organisation: { id: string; code: string; name: string };
  school: { id: string; brin: string; name: string };
  dossier: { id: string; firstName: string; lastName: string };
  hulpvraag: { id: string; title: string };
  attachment: { id: string; filename: string; size: number };
}

const DEMO_KEY = 'demo_seeded';

/**
 * Whether this start seeds the demo organisation and its accounts (whose passwords it prints).
 * Development on the embedded database: yes, unless `--no-demo`. Otherwise only with `--demo`;
 * with NODE_ENV=production that comes with a warning — a production server never gets the demo
 * admin by default.
 */
export function demoPlan(options: { nodeEnv: string; databaseKind: 'pglite' | 'postgres'; argv: string[] }): { seed: boolean; warning: string | null } {
  const asked = options.argv.includes('--demo');
  if (options.nodeEnv === 'production') {
    return asked
      ? { seed: true, warning: 'WARNING: --demo with NODE_ENV=production: seeding the demo organisation PO2507 with a demo admin whose password is printed below. Never do this on a server with real data.' }
      : { seed: false, warning: null };
  }
  return { seed: asked || (options.databaseKind === 'pglite' && !options.argv.includes('--no-demo')), warning: null };
}

/** Seeds the demo organisation once (a marker in app_meta); returns null when it was seeded before. */
export async function seedDemo(db: Db, now = new Date()): Promise<DemoSeed | null> {
  return db.transaction(async (tx) => {
    const inserted = await tx.insert(appMeta).values({ key: DEMO_KEY, value: { at: now.toISOString() } }).onConflictDoNothing().returning();
    if (inserted.length === 0) return null;

    const organisation = await createOrganisation(tx, { code: 'PO2507', name: 'Stromenland' });
    const [school] = await tx
      .insert(schools)
      .values({ organisationId: organisation.id, brin: '12AB00', name: 'De Regenboog', city: 'Nijmegen' })
      .returning();
    const [dossier] = await tx
      .insert(dossiers)
      .values({ organisationId: organisation.id, schoolId: school!.id, firstName: 'Sam', lastName: 'de Vries', birthDate: '2012-03-04' })
      .returning();
    const [hulpvraag] = await tx
      .insert(hulpvragen)
      .values({
        organisationId: organisation.id,
        dossierId: dossier!.id,
        date: '2020-06-12',
        title: 'Preventief SCP observatie',
        description: 'Observatie in de klas door het schoolondersteuningsprofiel-team, op verzoek van de intern begeleider.',
        status: 'aanmelding',
        labels: ['observatie'],
        createdAt: new Date('2020-06-12T08:00:00Z'),
      })
      .returning();
    await insertStatusHistory(tx, { hulpvraagId: hulpvraag!.id, fromStatus: null, toStatus: 'aanmelding', changedAt: new Date('2020-06-12T08:00:00Z') });

    const pdf = makePdf(['Kindkans - demo', 'Preventief SCP observatie', 'Aanmelding 12-06-2020', 'Dit is een voorbeeldbijlage.']);
    // Through the real upload path: multipart parsing, type on the bytes, SHA-256, 256 KiB chunks.
    const boundary = 'kindkans-demo-seed';
    const attachment = await storeUpload(tx, {
      user: { id: null, organisationId: organisation.id },
      owner: { hulpvraagId: hulpvraag!.id },
      body: [encodeMultipart(pdf, 'Aanmelding SCP observatie.pdf', boundary)],
      boundary,
      maxBytes: 25 * 1024 * 1024,
      now: new Date('2020-06-12T08:00:00Z'),
      audit: { action: 'attachment.create', outcome: 'success', organisationId: organisation.id, dossierId: dossier!.id, at: now, detail: { by: 'demo seed' } },
    });

    await tx.insert(news).values([
      {
        organisationId: organisation.id,
        title: 'Helpdesk Stromenland',
        body: 'Vragen over Kindkans? De helpdesk van Stromenland is bereikbaar op werkdagen van 8.30 tot 16.30 uur via helpdesk@stromenland.example.',
        publishedAt: new Date(now.getTime() - 86_400_000),
      },
      {
        organisationId: null,
        title: 'Nieuw in Kindkans',
        body: 'Aanmelden kan nu met de Kindkans-extensie in uw browser, en u ziet wie het dossier van uw kind heeft ingezien.',
        publishedAt: now,
      },
    ]);
    return {
      organisation: { id: organisation.id, code: organisation.code, name: organisation.name },
      school: { id: school!.id, brin: school!.brin, name: school!.name },
      dossier: { id: dossier!.id, firstName: dossier!.firstName, lastName: dossier!.lastName },
      hulpvraag: { id: hulpvraag!.id, title: hulpvraag!.title },
      attachment: { id: attachment.id, filename: attachment.filename, size: attachment.size },
    };
  });
}

export async function isDemoSeeded(db: Db): Promise<boolean> {
  const rows = await db.select().from(appMeta).where(eq(appMeta.key, DEMO_KEY)).limit(1);
  return rows.length > 0;
}
