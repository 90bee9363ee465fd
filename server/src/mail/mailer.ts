import type { Logger } from '../lib/logger.ts';
import type { MailMessage, Mailer } from './types.ts';

/**
 * Minimal mailer: logs each message (no SMTP configured). The accounts work replaces this with
 * nodemailer over SMTP_URL and the outbox dispatcher.
 */
export function createLogMailer(logger: Logger): Mailer {
  return {
    async deliver(message: MailMessage) {
      logger.info('mail (no SMTP_URL configured: not sent)', { to: message.to, subject: message.subject });
    },
    kick() {},
    async close() {},
  };
}
