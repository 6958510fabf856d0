import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { lockbayDataConverter } from '../activities/codec/data-converter.ts';
import type { Config } from '../activities/config.ts';
import type { WebhookSource } from '../activities/providers/types.ts';
import { Conversations } from './conversations.ts';
import { startHttpServer } from './http-server.ts';
import { createTelegramBot } from './telegram-api.ts';
import { TelegramBot } from './telegram-bot.ts';
import { createWebhookHandler, type EventDispatch } from './webhooks/handler.ts';

/** What the bot needs to take payment providers' webhooks. */
export interface ProviderWebhooks {
  /** Where `provider_events` lives (the bot does not migrate it: the worker does). */
  db: DataSource;
  sources: WebhookSource[];
  /** Builds the dispatch over the bot's Temporal client. */
  createDispatch(client: Client): EventDispatch;
}

// Events whose dispatch failed (Temporal away, say) are handed over again this often.
const REDISPATCH_EVERY_MS = 60_000;

export interface RunningBot {
  botUsername: string;
  stop(): Promise<void>;
}

/**
 * Connects to Temporal and Telegram (or the emulator), starts the HTTP server (providers'
 * webhooks, and Telegram's in webhook mode), then polls or waits for Telegram's posts.
 */
export async function runBot(
  config: Config,
  where: { temporalAddress: string; logger: Logger; webhooks?: ProviderWebhooks },
): Promise<RunningBot> {
  const { telegram } = config;
  const connection = await Connection.connect({ address: where.temporalAddress });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: lockbayDataConverter(config.payloadKeys),
  });
  const bot = createTelegramBot(config);

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

  const webhooks = where.webhooks
    ? createWebhookHandler({
        db: where.webhooks.db,
        sources: where.webhooks.sources,
        dispatch: where.webhooks.createDispatch(client),
        logger: where.logger,
      })
    : undefined;
  const server = await startHttpServer({
    port: config.http.port,
    logger: where.logger,
    ...(webhooks ? { webhooks } : {}),
    ...(telegram.webhook
      ? {
          telegram: {
            path: new URL(telegram.webhook.url).pathname,
            secret: telegram.webhook.secret,
            onUpdate: (update) => void telegramBot.dispatch(update),
          },
        }
      : {}),
  });
  const redispatch = webhooks
    ? setInterval(() => {
        webhooks.redispatch(REDISPATCH_EVERY_MS).catch((error: unknown) => {
          where.logger.error({ err: error }, 'provider events could not be redispatched');
        });
      }, REDISPATCH_EVERY_MS)
    : undefined;

  const aborter = new AbortController();
  let polling: Promise<void> | undefined;
  if (telegram.webhook) {
    await bot.api.setWebhook({ url: telegram.webhook.url, secret_token: telegram.webhook.secret });
  } else {
    polling = telegramBot.poll(aborter.signal);
  }
  where.logger.info(
    {
      bot: me.username,
      mode: telegram.webhook ? 'webhook' : 'polling',
      httpPort: config.http.port,
      providerWebhooks: where.webhooks?.sources.map((source) => source.provider) ?? [],
    },
    'bot running',
  );

  return {
    botUsername: me.username ?? '',
    async stop() {
      aborter.abort();
      clearInterval(redispatch);
      await polling?.catch(() => undefined);
      await new Promise((resolve) => server.close(resolve));
      await telegramBot.drain();
      await webhooks?.settled();
      await connection.close();
    },
  };
}
