import { stripVTControlCharacters } from 'node:util';

import type { Logger } from 'pino';
import type { Logger as ViteLogger } from 'vite';

/** Vite's messages through pino: its chatty info at debug, warnings and errors as they are. */
export function viteLogger(logger: Logger): ViteLogger {
  const warned = new Set<string>();
  const loggedErrors = new WeakSet<object>();
  const plain = (message: string) => stripVTControlCharacters(message).trim();

  const self: ViteLogger = {
    hasWarned: false,
    info: (message) => logger.debug({ detail: plain(message) }, 'sandbox page (vite)'),
    warn: (message) => {
      self.hasWarned = true;
      logger.warn({ detail: plain(message) }, 'sandbox page warning (vite)');
    },
    warnOnce: (message) => {
      if (warned.has(message)) return;
      warned.add(message);
      self.warn(message);
    },
    error: (message, options) => {
      if (options?.error) loggedErrors.add(options.error);
      logger.error({ err: options?.error, detail: plain(message) }, 'sandbox page error (vite)');
    },
    clearScreen: () => undefined,
    hasErrorLogged: (error) => loggedErrors.has(error),
  };
  return self;
}
