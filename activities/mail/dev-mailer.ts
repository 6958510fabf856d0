import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mail, Mailer } from './mailer.ts';

export interface KeptMail extends Mail {
  sentAt: string;
}

/**
 * Keeps e-mails instead of sending them: in memory for tests, and as JSON files in an outbox
 * folder that `npm run chat` (`/mail`) and the sandbox page read. For local runs only.
 */
export class DevMailer implements Mailer {
  readonly kept: KeptMail[] = [];

  constructor(private readonly outbox?: string) {}

  async send(mail: Mail): Promise<void> {
    const kept = { ...mail, sentAt: new Date().toISOString() };
    this.kept.push(kept);
    if (!this.outbox) return;

    await mkdir(this.outbox, { recursive: true });
    const name = `${kept.sentAt.replace(/[:.]/g, '-')}-${this.kept.length}.json`;
    await writeFile(join(this.outbox, name), JSON.stringify(kept, null, 2));
  }

  /** The newest e-mail to an address, if any. */
  latestTo(address: string): KeptMail | undefined {
    return this.kept.findLast((mail) => mail.to === address);
  }
}
