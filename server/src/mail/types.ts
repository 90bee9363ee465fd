/** One e-mail as the templates produce it. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Delivers mail. `createApp` receives one; the features write mail to the outbox in their own
 * transaction (`enqueueMail`) and call `mailer.kick()` after commit so delivery happens promptly.
 */
export interface Mailer {
  /** Deliver one message now (SMTP) or log it (no SMTP configured). Throws on failure. */
  deliver(message: MailMessage): Promise<void>;
  /** Ask the outbox dispatcher to run soon; never throws. */
  kick(): void;
  /** Runs the dispatcher now (waiting for a run in progress first); resolves when done. */
  flush(): Promise<void>;
  /** Delivers what is due, then closes the SMTP connection. */
  close(): Promise<void>;
}
