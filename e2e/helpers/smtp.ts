// The test SMTP server shared with the server tests, plus the one thing the browser tests need
// from it: the activation token in the newest mail to an address.
import { linkIn, startTestSmtp } from '../../server/test/smtp.ts';

export async function startSmtp() {
  const smtp = await startTestSmtp();
  return {
    port: smtp.port,
    mails: smtp.mails,
    /** Waits for a mail to `to` with an /activate/ link and returns its token. */
    async activationToken(to: string, timeoutMs = 20_000): Promise<string> {
      const mail = await smtp.waitFor((m) => m.to.includes(to) && m.text.includes('/activate/'), timeoutMs);
      return linkIn(mail, '/activate/').token;
    },
    close: smtp.close,
  };
}
