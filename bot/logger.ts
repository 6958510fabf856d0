import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import pino, { type Logger } from 'pino';

/**
 * Structured logs for the bot, the worker's activities and the scripts. A message is a short
 * fixed phrase; ids, states and durations go in fields. Tokens and codes never appear: the
 * redaction list is a backstop, not a licence.
 */
export function createLogger(
  level: string,
  name = 'lockbay',
  options: { pretty?: boolean } = {},
): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'token',
        'botToken',
        'secret',
        'otpSecret',
        'code',
        'text',
        '*.token',
        '*.secret',
        '*.text',
      ],
      censor: '[redacted]',
    },
    ...(options.pretty
      ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
      : {}),
  });
}

const temporalLevels = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
} as const;

/**
 * Sends the Temporal SDK's own logs (worker lifecycle, workflow logger, bundler) through pino.
 * They are chatty at info, so they start at warn unless LOG_LEVEL asks for debug or trace.
 * Call once per process, before any worker or connection is created.
 */
export function installTemporalLogger(logger: Logger): void {
  const verbose = (['debug', 'trace'] as const).find((level) => level === logger.level);
  const threshold = verbose ?? 'warn';
  const child = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger(temporalLevels[threshold], (entry: LogEntry) => {
      const method = entry.level.toLowerCase() as keyof typeof temporalLevels;
      child[method]({ ...entry.meta }, entry.message);
    }),
  });
}

export type { Logger } from 'pino';
