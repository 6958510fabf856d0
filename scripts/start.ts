/**
 * `npm start`: LockBay on embedded defaults. Starts what is not configured (a Temporal dev
 * server, an embedded PostgreSQL, the Bot API emulator when there is no BOT_TOKEN), runs the
 * migrations, the worker and the bot in this process. Ctrl-C stops all of it in order; the
 * next start finds the data under DATA_DIR and running flows go on.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from '../activities/config.ts';
import { outboxOf } from '../activities/mail/index.ts';
import { runWorker } from '../activities/run-worker.ts';
import { EncryptionCodec } from '../activities/codec/encryption-codec.ts';
import { startCodecServer } from '../bot/codec-server.ts';
import { startEmulator } from '../bot/emulator/index.ts';
import { startSandboxPage } from '../bot/sandbox/index.ts';
import { railsSandboxProvider } from '../bot/sandbox/rails-provider.ts';
import { realWebhookSources } from '../activities/providers/real.ts';
import { workflowDispatch } from '../bot/webhooks/dispatch.ts';
import { webhookSources } from '../bot/webhooks/sources.ts';
import {
  createSandboxRails,
  sandboxWebhookUrl,
  usesSandboxRails,
} from '../activities/providers/sandbox/index.ts';
import { createLogger, installTemporalLogger } from '../bot/logger.ts';
import { runBot } from '../bot/run-bot.ts';
import { startEmbeddedPostgres } from './services/postgres.ts';
import { startTemporalDevServer } from './services/temporal.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const logger = createLogger(config.logLevel, 'lockbay', { pretty: process.stdout.isTTY });
installTemporalLogger(logger);
const dataDir = resolve(config.dataDir);
await mkdir(dataDir, { recursive: true });

const stops: Array<() => Promise<void>> = [];
const stopAll = async () => {
  for (const stop of stops.reverse())
    await stop().catch((error: unknown) => logger.error({ err: error }, 'stop failed'));
};

try {
  const [current, ...previous] = config.payloadKeys;
  const codecUrl = `http://127.0.0.1:${config.codecServer.port}`;
  const codecServer = await startCodecServer({
    port: config.codecServer.port,
    codec: new EncryptionCodec(current!, previous),
    uiOrigin: `http://127.0.0.1:${config.temporal.uiPort}`,
    logger,
  });
  stops.push(() => new Promise((done) => codecServer.close(() => done())));

  const temporal = config.temporal.address
    ? { address: config.temporal.address, uiUrl: undefined, stop: async () => {} }
    : await startTemporalDevServer({
        dataDir,
        port: config.temporal.devPort,
        uiPort: config.temporal.uiPort,
        uiCodecEndpoint: codecUrl,
        logger,
      });
  stops.push(temporal.stop);

  const postgres = config.database.url
    ? { url: config.database.url, stop: async () => {} }
    : await startEmbeddedPostgres({ dataDir, port: config.database.embeddedPort, logger });
  stops.push(postgres.stop);

  // The sandbox rails' state lives in this process: the worker's activities and the sandbox
  // page (with `npm run sandbox`) act on the same deposits and payouts.
  const { providers } = config;
  const rails = usesSandboxRails(providers)
    ? createSandboxRails({
        secret: providers.sandboxWebhookSecret,
        webhookUrl: sandboxWebhookUrl(providers.publicUrl),
        logger,
      })
    : undefined;
  if (rails) stops.push(() => rails.close());

  let sandboxPageUrl: string | undefined;
  if (config.telegram.usesEmulator) {
    const emulator = await startEmulator({ port: config.emulator.port });
    stops.push(emulator.close);
    const sandboxPage = await startSandboxPage({
      port: config.sandboxPage.port,
      emulatorUrl: config.telegram.apiRoot,
      outboxDir: outboxOf(dataDir),
      providers: rails ? [railsSandboxProvider(rails)] : [],
      logger,
    });
    stops.push(sandboxPage.close);
    sandboxPageUrl = sandboxPage.url;
  }

  const worker = await runWorker(config, {
    temporalAddress: temporal.address,
    databaseUrl: postgres.url,
    logger,
    ...(rails ? { sandbox: rails } : {}),
  });
  stops.push(worker.stop);
  const bot = await runBot(config, {
    temporalAddress: temporal.address,
    logger,
    webhooks: {
      db: worker.db,
      sources: webhookSources(providers, realWebhookSources(providers)),
      createDispatch: (client) =>
        workflowDispatch({ client, db: worker.db, taskQueue: config.temporal.taskQueue, logger }),
    },
  });
  stops.push(bot.stop);

  logger.info(
    {
      temporalUi: temporal.uiUrl ?? 'see your Temporal cluster',
      codecServer: codecUrl,
      bot: `@${bot.botUsername}`,
      ...(sandboxPageUrl
        ? {
            sandboxPage: sandboxPageUrl,
            emulator: config.telegram.apiRoot,
            chat: 'npm run chat (in another terminal)',
            ...(rails ? { payments: 'npm run sandbox -- list (in another terminal)' } : {}),
          }
        : {}),
    },
    'LockBay is running; Ctrl-C stops it',
  );
} catch (error) {
  logger.fatal({ err: error }, 'LockBay could not start');
  await stopAll();
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void stopAll().then(() => process.exit(0));
  });
}
