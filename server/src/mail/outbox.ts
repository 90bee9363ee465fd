import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { mailOutbox } from '../db/schema/index.ts';
import { createSecretBox, type SecretBox } from '../lib/crypto.ts';
import { renderMail, type MailTemplate } from './templates.ts';
import type { MailMessage } from './types.ts';

export const mailBox = (appSecret: string): SecretBox => createSecretBox(appSecret, 'mail');

/**
 * After this many failed attempts a mail is marked `failed` (it stays in the table, sealed):
 * with the backoff below that is about a day of a mail server that is down.
 */
const MAX_ATTEMPTS = 300;
/** A claimed row is not picked up by another dispatcher for this long. */
const LEASE_MS = 5 * 60_000;

/** Writes a mail to the outbox in the caller's transaction; the body is sealed. Call `mailer.kick()` after commit. */
export async function enqueueMail(
  db: DbOrTx,
  appSecret: string,
  entry: { to: string; organisationId?: string | null; now: Date; about?: { dossierId: string; hulpvraagId?: string } } & { mail: MailTemplate },
): Promise<string> {
  const message = renderMail(entry.to, entry.mail);
  const [row] = await db
    .insert(mailOutbox)
    .values({
      organisationId: entry.organisationId ?? null,
      dossierId: entry.about?.dossierId ?? null,
      hulpvraagId: entry.about?.hulpvraagId ?? null,
      template: entry.mail.template,
      toAddress: entry.to,
      subject: message.subject,
      bodyEnc: mailBox(appSecret).encrypt(JSON.stringify({ text: message.text, html: message.html })),
      nextAttemptAt: entry.now,
      createdAt: entry.now,
    })
    .returning({ id: mailOutbox.id });
  return row!.id;
}

/**
 * Backoff after `attempts` failures: 30 s, 1 min, 2 min, 4 min, then every 5 minutes, so that
 * mail goes out within minutes of a mail server coming back, however long it was down.
 */
export const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 300_000);

/** An SMTP 5xx answer (e.g. 550 no such mailbox) will not get better by retrying. */
const isPermanent = (err: unknown) => {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

/**
 * Delivers due mails: claims a batch (SKIP LOCKED, so several processes can dispatch), sends
 * each, wipes the body of sent ones and records the error and next attempt of failed ones.
 * Returns how many were sent.
 */
export async function dispatchDueMail(
  db: Db,
  appSecret: string,
  send: (message: MailMessage) => Promise<void>,
  now: () => Date,
  batch = 20,
): Promise<{ sent: number; failed: number }> {
  const box = mailBox(appSecret);
  const claimed = await db.transaction(async (tx) => {
    const due = await tx
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, now())))
      .orderBy(asc(mailOutbox.nextAttemptAt))
      .limit(batch)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(mailOutbox)
      .set({ nextAttemptAt: new Date(now().getTime() + LEASE_MS) })
      .where(inArray(mailOutbox.id, due.map((d) => d.id)))
      .returning();
  });
  let sent = 0;
  let failed = 0;
  for (const row of claimed) {
    try {
      if (!row.bodyEnc) throw new Error('the mail has no body');
      const body = JSON.parse(box.decrypt(row.bodyEnc)) as { text: string; html: string };
      await send({ to: row.toAddress, subject: row.subject, text: body.text, html: body.html });
      await db.update(mailOutbox).set({ status: 'sent', sentAt: now(), bodyEnc: null, lastError: null, attempts: row.attempts + 1 }).where(eq(mailOutbox.id, row.id));
      sent++;
    } catch (err) {
      failed++;
      const attempts = row.attempts + 1;
      await db
        .update(mailOutbox)
        .set({
          attempts,
          lastError: String((err as Error).message ?? err).slice(0, 500),
          status: attempts >= MAX_ATTEMPTS || isPermanent(err) ? 'failed' : 'pending',
          nextAttemptAt: new Date(now().getTime() + backoffMs(attempts)),
        })
        .where(eq(mailOutbox.id, row.id));
    }
  }
  return { sent, failed };
}

/** The outbox as an admin sees it in /health details: of one organisation, or all mail. */
export async function outboxState(db: DbOrTx, organisationId?: string) {
  const scope = organisationId ? eq(mailOutbox.organisationId, organisationId) : undefined;
  const [counts] = await db
    .select({
      pending: sql<number>`count(*) filter (where ${mailOutbox.status} = 'pending')::int`,
      failed: sql<number>`count(*) filter (where ${mailOutbox.status} = 'failed')::int`,
      retrying: sql<number>`count(*) filter (where ${mailOutbox.status} = 'pending' and ${mailOutbox.attempts} > 0)::int`,
      oldestPendingAt: sql<string | null>`min(${mailOutbox.createdAt}) filter (where ${mailOutbox.status} = 'pending')`,
    })
    .from(mailOutbox)
    .where(scope);
  const [last] = await db
    .select({ lastError: mailOutbox.lastError })
    .from(mailOutbox)
    .where(and(scope, sql`${mailOutbox.lastError} is not null`, sql`${mailOutbox.status} <> 'sent'`))
    .orderBy(sql`${mailOutbox.nextAttemptAt} desc`)
    .limit(1);
  const oldest = counts?.oldestPendingAt;
  return {
    pending: counts?.pending ?? 0,
    failed: counts?.failed ?? 0,
    retrying: counts?.retrying ?? 0,
    oldestPendingAt: oldest ? new Date(oldest).toISOString() : null,
    lastError: last?.lastError ?? null,
  };
}
