// Test helper: a mailer for tests and benchmarks that do not look at mail.
import type { Logger } from '../src/lib/logger.ts';
import type { MailMessage, Mailer } from '../src/mail/types.ts';

/** A mailer without a database (tests that do not look at mail): logs, never dispatches. */
export function createLogMailer(logger: Logger): Mailer {
  return {
    async deliver(message: MailMessage) {
      logger.info('mail (no SMTP_URL configured: not sent)', { to: message.to, subject: message.subject });
    },
    kick() {},
    async flush() {},
    async close() {},
  };
}
