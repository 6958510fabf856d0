import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { OutboxMail } from './protocol.ts';

/**
 * The development mailer's outbox folder (one JSON file per e-mail, see DevMailer), read for
 * the sandbox page. A file caught half-written is skipped; the write's own change event brings
 * it back a moment later.
 */
export class OutboxFolder {
  constructor(readonly dir: string) {}

  /** Creates the folder if needed, so it can be watched before the first e-mail. */
  async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** The newest `limit` e-mails, newest first. */
  async latest(limit: number): Promise<OutboxMail[]> {
    const names = (await readdir(this.dir).catch(() => [])).filter((name) =>
      name.endsWith('.json'),
    );
    // Names start with the ISO time they were sent, so the newest sort first in reverse.
    const newest = names.sort().reverse().slice(0, limit);
    const mails = await Promise.all(newest.map((name) => this.read(name)));

    // Stable: e-mails of the same millisecond keep the reverse order of their names.
    return mails
      .filter((mail): mail is OutboxMail => mail !== undefined)
      .sort((a, b) => b.sentAt.localeCompare(a.sentAt));
  }

  /** Calls `listener` when files in the folder change; returns the stop. */
  watch(listener: () => void, onError: (error: Error) => void): () => void {
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.dir, { persistent: false }, listener);
      watcher.on('error', onError);
    } catch (error) {
      onError(error as Error);
    }
    return () => watcher?.close();
  }

  private async read(name: string): Promise<OutboxMail | undefined> {
    try {
      const mail = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as Partial<OutboxMail>;
      const complete = [mail.to, mail.subject, mail.text, mail.sentAt].every(
        (field) => typeof field === 'string',
      );
      return complete ? (mail as OutboxMail) : undefined;
    } catch {
      return undefined;
    }
  }
}
