import { Bot } from 'node-telegram-bot-api';
import type { Config } from '../activities/config.ts';

// The emulator accepts any token; a fixed one keeps local runs free of secrets.
const EMULATOR_TOKEN = '1000:local-emulator';

/** The Bot API client configuration asks for: Telegram, or the local emulator. */
export function createTelegramBot({ telegram }: Pick<Config, 'telegram'>): Bot {
  return new Bot(telegram.token ?? EMULATOR_TOKEN, {
    apiRoot: telegram.apiRoot,
    ...(telegram.usesEmulator ? { maxRetries: 0 } : {}),
  });
}
