// A populated organisation for the soak and fault tests: families (a dossier, its parents,
// hulpvragen with attachments), staff and an admin, every account with a password and a TOTP
// key the load generator knows. Written straight into the database before the server starts.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../server/src/db/client.ts';
import { dossiers, guardians, hulpvragen, schools, users, type Role } from '../../server/src/db/schema/index.ts';
import { totpBox } from '../../server/src/features/activation/service.ts';
import { storeUpload } from '../../server/src/features/attachments/upload.ts';
import { encodeMultipart } from '../../server/src/features/attachments/multipart.ts';
import { createOrganisation } from '../../server/src/features/organisations/service.ts';
import { hashPassword } from '../../server/src/lib/password.ts';
import { newTotpSecret } from '../../server/src/lib/totp.ts';

export const WORLD_PASSWORD = 'zeven-zilveren-zwanen-zwemmen';

export interface Account {
  id: string;
  username: string;
  secret: string;
  role: Role;
  family: number | null;
}
interface WorldAttachment {
  id: string;
  filename: string;
  sha256: string;
  size: number;
}
export interface Family {
  dossierId: string;
  /** A word that appears in this family's data and nowhere else (for the isolation checker). */
  marker: string;
  hulpvraagIds: string[];
  attachments: WorldAttachment[];
}
export interface World {
  organisation: string;
  admin: Account;
  parents: Account[];
  staff: Account[];
  families: Family[];
}

/** A small valid PDF of `size` bytes (random after the header: every file distinct). */
export function pdfBytes(size: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(Math.max(0, size - 9))]);
}

/** An upload body with one `file` part (the encoder the tests and the demo seed use). */
export function multipart(filename: string, bytes: Buffer, boundary = `kk${randomBytes(8).toString('hex')}`) {
  return { body: Buffer.from(encodeMultipart(bytes, filename, boundary)), contentType: `multipart/form-data; boundary=${boundary}` };
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export async function seedWorld(
  db: Db,
  appSecret: string,
  options: { code?: string; families: number; parentsPerFamily: number; hulpvragenPerFamily: number; attachmentsPerFamily: number; attachmentBytes?: number; staff: number },
): Promise<World> {
  const passwordHash = await hashPassword(WORLD_PASSWORD);
  const box = totpBox(appSecret);
  const org = await createOrganisation(db, { code: options.code ?? 'SOAK', name: 'Soakverband' });
  const [school] = await db.insert(schools).values({ organisationId: org.id, brin: '77SK00', name: 'De Soakschool', city: 'Nijmegen' }).returning();
  const account = async (role: Role, name: string, family: number | null): Promise<Account> => {
    const secret = newTotpSecret();
    const [row] = await db
      .insert(users)
      .values({ organisationId: org.id, role, username: name, email: `${name}@example.org`, displayName: `Soak ${name}`, status: 'active', passwordHash, totpSecretEnc: box.encrypt(secret) })
      .returning();
    return { id: row!.id, username: name, secret, role, family };
  };
  const admin = await account('admin', 'soak.beheer', null);
  const staff: Account[] = [];
  for (let i = 0; i < options.staff; i++) staff.push(await account('coordinator', `soak.staf${i}`, null));
  const parents: Account[] = [];
  const families: Family[] = [];
  for (let f = 0; f < options.families; f++) {
    const marker = `gezin${f}x${randomBytes(4).toString('hex')}`;
    const [dossier] = await db.insert(dossiers).values({ organisationId: org.id, schoolId: school!.id, firstName: 'Kind', lastName: marker, birthDate: '2015-03-04' }).returning();
    for (let p = 0; p < options.parentsPerFamily; p++) {
      const parent = await account('parent', `soak.ouder${f}.${p}`, f);
      await db.insert(guardians).values({ dossierId: dossier!.id, userId: parent.id });
      parents.push(parent);
    }
    const family: Family = { dossierId: dossier!.id, marker, hulpvraagIds: [], attachments: [] };
    for (let h = 0; h < options.hulpvragenPerFamily; h++) {
      const [hv] = await db.insert(hulpvragen).values({ organisationId: org.id, dossierId: dossier!.id, date: `2026-0${1 + (h % 9)}-1${h % 10}`, title: `Hulpvraag ${marker} ${h}`, description: `Omschrijving ${marker}` }).returning();
      family.hulpvraagIds.push(hv!.id);
    }
    for (let a = 0; a < options.attachmentsPerFamily; a++) {
      const bytes = pdfBytes(options.attachmentBytes ?? 64 * 1024);
      const filename = `${marker}-${a}.pdf`;
      const { body, contentType } = multipart(filename, bytes);
      const row = await storeUpload(db, {
        user: { id: staff[0]?.id ?? admin.id, organisationId: org.id },
        owner: { hulpvraagId: family.hulpvraagIds[a % family.hulpvraagIds.length]! },
        body: [body],
        boundary: contentType.split('boundary=')[1]!,
        maxBytes: 25 * 2 ** 20,
        audit: { action: 'attachment.upload', outcome: 'success', organisationId: org.id },
        now: new Date(),
      });
      family.attachments.push({ id: row.id, filename, sha256: sha256(bytes), size: bytes.length });
    }
    families.push(family);
  }
  return { organisation: org.code, admin, parents, staff, families };
}
