/** `npm run bot`: the Telegram edge alone, against TEMPORAL_ADDRESS and DATABASE_URL. */
import { existsSync } from 'node:fs';
import { loadConfig } from '../activities/config.ts';
import { createDataSource } from '../activities/db/data-source.ts';
import { createLogger } from '../bot/logger.ts';
import { runBot } from '../bot/run-bot.ts';
import { realWebhookSources } from '../activities/providers/real.ts';
import { workflowDispatch } from '../bot/webhooks/dispatch.ts';
import { webhookSources } from '../bot/webhooks/sources.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const logger = createLogger(config.logLevel, 'lockbay-bot');
const { address } = config.temporal;
const { url } = config.database;
if (!address || !url) {
  logger.fatal(
    'npm run bot needs TEMPORAL_ADDRESS and DATABASE_URL (it records provider webhooks); npm start runs everything locally',
  );
  process.exit(1);
}

// The worker runs the migrations; the bot only writes provider_events.
const db = await createDataSource({ url, poolSize: 5 }).initialize();
const bot = await runBot(config, {
  temporalAddress: address,
  logger,
  webhooks: {
    db,
    sources: webhookSources(config.providers, realWebhookSources(config.providers)),
    createDispatch: (client) =>
      workflowDispatch({ client, db, taskQueue: config.temporal.taskQueue, logger }),
  },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(
    signal,
    () =>
      void bot
        .stop()
        .then(() => db.destroy())
        .then(() => process.exit(0)),
  );
