import pino, { type Logger } from 'pino';

/**
 * Structured logs for the bot, the worker's activities and the scripts. A message is a short
 * fixed phrase; ids, states and durations go in fields. Tokens and codes never appear: the
 * redaction list is a backstop, not a licence.
 */
export function createLogger(level: string, name = 'lockbay'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['token', 'botToken', 'secret', 'otpSecret', 'code', 'text', '*.token', '*.secret', '*.text'],
      censor: '[redacted]',
    },
  });
}

export type { Logger } from 'pino';
