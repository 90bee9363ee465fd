// A local SMTP server that keeps every message, and a helper that waits for a link in one.
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports';

export interface Mail {
  to: string[];
  raw: string;
  text: string;
}

/** Undoes quoted-printable and base64 parts well enough to find links and names. */
export function decodeMail(raw: string): string {
  const qp = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const base64Parts = [...raw.matchAll(/Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/gi)]
    .map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64').toString('utf8'));
  return Buffer.from([qp, ...base64Parts].join('\n'), 'latin1').toString('utf8');
}

export async function startSmtp() {
  const mails: Mail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('latin1');
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, text: decodeMail(raw) });
        waiters.splice(0).forEach((wake) => wake());
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));

  /** Waits for a mail to `to` and returns the activation token in its /activate/ link. */
  async function activationToken(to: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const mail of mails) {
        if (!mail.to.includes(to)) continue;
        const match = /\/activate\/([A-Za-z0-9_-]{16,})/.exec(mail.text);
        if (match) return match[1]!;
      }
      if (Date.now() > deadline) throw new Error(`no activation mail for ${to} (got ${mails.length} mails)`);
      await new Promise<void>((wake) => {
        waiters.push(wake);
        setTimeout(wake, 500);
      });
    }
  }

  return {
    port,
    mails,
    activationToken,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
