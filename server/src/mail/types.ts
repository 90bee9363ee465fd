/** One e-mail as the templates produce it. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Delivers mail. `createApp` receives one; the features write mail to the outbox in their own
 * transaction and call `mailer.kick()` afterwards so delivery happens promptly.
 */
export interface Mailer {
  /** Deliver one message now (SMTP) or log it (no SMTP configured). Throws on failure. */
  deliver(message: MailMessage): Promise<void>;
  /** Ask the outbox dispatcher to run soon; never throws. */
  kick(): void;
  close(): Promise<void>;
}
