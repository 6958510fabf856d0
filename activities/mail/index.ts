import { join } from 'node:path';
import type { Config } from '../config.ts';
import { DevMailer } from './dev-mailer.ts';
import type { Mailer } from './mailer.ts';
import { SmtpMailer } from './smtp-mailer.ts';

/** The mailer configuration asks for: SMTP, or the development outbox under DATA_DIR. */
export function createMailer(config: Pick<Config, 'mail' | 'dataDir'>): Mailer {
  if (config.mail.transport === 'smtp' && config.mail.smtpUrl) {
    return new SmtpMailer(config.mail.smtpUrl, config.mail.from);
  }
  return new DevMailer(outboxOf(config.dataDir));
}

export function outboxOf(dataDir: string): string {
  return join(dataDir, 'outbox');
}

export type { Mailer } from './mailer.ts';
