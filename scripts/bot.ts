/** `npm run bot`: the Telegram edge alone, against TEMPORAL_ADDRESS. */
import { existsSync } from 'node:fs';
import { loadConfig } from '../activities/config.ts';
import { createLogger } from '../bot/logger.ts';
import { runBot } from '../bot/run-bot.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const logger = createLogger(config.logLevel, 'lockbay-bot');
if (!config.temporal.address) {
  logger.fatal('npm run bot needs TEMPORAL_ADDRESS; npm start runs everything locally');
  process.exit(1);
}

const bot = await runBot(config, { temporalAddress: config.temporal.address, logger });
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void bot.stop().then(() => process.exit(0)));
