import { Client, Connection } from '@temporalio/client';
import { Bot } from 'node-telegram-bot-api';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { lockbayDataConverter } from '../activities/codec/data-converter.ts';
import type { Config } from '../activities/config.ts';
import { Conversations } from './conversations.ts';
import { startWebhookServer } from './http-server.ts';
import { TelegramBot } from './telegram-bot.ts';

export interface RunningBot {
  botUsername: string;
  stop(): Promise<void>;
}

// The emulator accepts any token; a fixed one keeps local runs free of secrets.
const EMULATOR_TOKEN = '1000:local-emulator';

/** Connects to Temporal and Telegram (or the emulator), then polls or serves the webhook. */
export async function runBot(
  config: Config,
  where: { temporalAddress: string; logger: Logger },
): Promise<RunningBot> {
  const { telegram } = config;
  const connection = await Connection.connect({ address: where.temporalAddress });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: lockbayDataConverter(config.payloadKeys),
  });
  const bot = new Bot(telegram.token ?? EMULATOR_TOKEN, {
    apiRoot: telegram.apiRoot,
    ...(telegram.usesEmulator ? { maxRetries: 0 } : {}),
  });

  const me = await bot.api.getMe();
  const telegramBot = new TelegramBot({
    bot,
    conversations: new Conversations(client, {
      taskQueue: config.temporal.taskQueue,
      settings: config.flows,
    }),
    otpSecret: config.otp.secret,
    logger: where.logger,
    viewContext: { botUsername: me.username ?? 'lockbay_bot' },
  });
  await telegramBot.registerCommands();

  const aborter = new AbortController();
  let server: Server | undefined;
  let polling: Promise<void> | undefined;
  if (telegram.webhook) {
    server = await startWebhookServer({
      port: config.http.port,
      telegramPath: new URL(telegram.webhook.url).pathname,
      telegramSecret: telegram.webhook.secret,
      onUpdate: (update) => void telegramBot.dispatch(update),
      logger: where.logger,
    });
    await bot.api.setWebhook({ url: telegram.webhook.url, secret_token: telegram.webhook.secret });
  } else {
    polling = telegramBot.poll(aborter.signal);
  }
  where.logger.info(
    { bot: me.username, mode: telegram.webhook ? 'webhook' : 'polling' },
    'bot running',
  );

  return {
    botUsername: me.username ?? '',
    async stop() {
      aborter.abort();
      await polling?.catch(() => undefined);
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      await telegramBot.drain();
      await connection.close();
    },
  };
}
