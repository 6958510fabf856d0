/** `npm run worker`: the worker alone, against TEMPORAL_ADDRESS and DATABASE_URL. */
import { existsSync } from 'node:fs';
import { loadConfig } from '../activities/config.ts';
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

const worker = await runWorker(config, { temporalAddress: address, databaseUrl: url, logger });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void worker.stop());
await worker.done;
