import { Bot } from 'node-telegram-bot-api';
import { createLogger } from '../../bot/logger.ts';
import { TelegramBot } from '../../bot/telegram-bot.ts';
import type { Stack } from './stack.ts';

export interface PollingBot {
  bot: TelegramBot;
  /** Stops polling and waits for every update already taken. */
  stop(): Promise<void>;
}

/** The real bot, polling the emulator at `apiRoot` and delivering to the stack's workflows. */
export async function startPollingBot(stack: Stack, apiRoot: string): Promise<PollingBot> {
  const polling = new AbortController();
  const bot = new TelegramBot({
    bot: new Bot('1:test', { apiRoot, maxRetries: 0 }),
    conversations: stack.conversations,
    otpSecret: stack.config.otp.secret,
    logger: createLogger('silent'),
    viewContext: { botUsername: 'lockbay_local_bot' },
  });
  await bot.registerCommands();
  void bot.poll(polling.signal);

  return {
    bot,
    async stop() {
      polling.abort();
      await bot.drain();
    },
  };
}
