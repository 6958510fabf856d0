/** `npm run worker`: the worker alone, against TEMPORAL_ADDRESS and DATABASE_URL. */
import { existsSync } from 'node:fs';
import { loadConfig } from '../activities/config.ts';
import {
  createSandboxRails,
  sandboxWebhookUrl,
  usesSandboxRails,
} from '../activities/providers/sandbox/index.ts';
import { runWorker } from '../activities/run-worker.ts';
import { createLogger, installTemporalLogger } from '../bot/logger.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const logger = createLogger(config.logLevel, 'lockbay-worker');
installTemporalLogger(logger);
const { address } = config.temporal;
const { url } = config.database;
if (!address || !url) {
  logger.fatal(
    'npm run worker needs TEMPORAL_ADDRESS and DATABASE_URL; npm start runs everything locally',
  );
  process.exit(1);
}

// Sandbox rails post their webhooks to the bot at PUBLIC_URL, like a provider would.
const { providers } = config;
const sandbox = usesSandboxRails(providers)
  ? createSandboxRails({
      secret: providers.sandboxWebhookSecret,
      webhookUrl: sandboxWebhookUrl(providers.publicUrl),
      logger,
    })
  : undefined;
const worker = await runWorker(config, {
  temporalAddress: address,
  databaseUrl: url,
  logger,
  ...(sandbox ? { sandbox } : {}),
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void worker.stop());
await worker.done;
