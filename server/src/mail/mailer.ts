import nodemailer from 'nodemailer';
import type { Db } from '../db/client.ts';
import type { Env } from '../env.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { dispatchDueMail } from './outbox.ts';
import type { MailMessage, Mailer } from './types.ts';

const LINK = /https?:\/\/\S+/g;

/**
 * The real mailer: the outbox dispatcher delivers over SMTP (nodemailer) when `SMTP_URL` is set.
 * Without it, outside production, each mail is "delivered" as a log line with its links (so a
 * developer can follow them); in production without SMTP mails stay pending in the outbox.
 */
export function createMailer(options: { db: Db; env: Env; logger: Logger; clock?: Clock }): Mailer {
  const { db, env, logger } = options;
  const clock = options.clock ?? systemClock;
  const transport = env.SMTP_URL ? nodemailer.createTransport(env.SMTP_URL) : null;
  const canDeliver = transport !== null || env.NODE_ENV !== 'production';

  async function deliver(message: MailMessage): Promise<void> {
    if (transport) {
      await transport.sendMail({ from: env.MAIL_FROM, to: message.to, subject: message.subject, text: message.text, html: message.html });
      return;
    }
    logger.info('mail (no SMTP_URL configured: not sent, links below)', { to: message.to, subject: message.subject, links: [...new Set(message.text.match(LINK) ?? [])] });
  }

  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Immediate | null = null;

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const { sent, failed } = await dispatchDueMail(db, env.APP_SECRET, deliver, () => clock.now());
          if (failed) logger.warn('mail delivery failed; will retry', { sent, failed });
        } catch (err) {
          logger.warn('mail dispatcher failed', { err });
        }
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    deliver,
    kick() {
      if (!canDeliver || timer) return;
      timer = setImmediate(() => {
        timer = null;
        void run();
      });
    },
    async flush() {
      if (!canDeliver) return;
      if (running) await running;
      await run();
    },
    async close() {
      if (timer) clearImmediate(timer);
      timer = null;
      if (canDeliver) {
        if (running) await running;
        await run();
      }
      transport?.close();
    },
  };
}
