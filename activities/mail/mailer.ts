/** An e-mail LockBay sends. Plain text: codes and notices, nothing that needs markup. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends e-mail. Implementations: `SmtpMailer` (production) and `DevMailer` (local, tests). */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}
