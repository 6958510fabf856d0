/**
 * Runs the emulator on its own, for chatting with a bot started elsewhere:
 * `npx tsx bot/emulator/main.ts`, then point the bot's TELEGRAM_API_ROOT at the printed URL.
 */
import { loadConfig } from '../../activities/config.ts';
import { startEmulator } from './index.ts';

const emulator = await startEmulator({ port: loadConfig().emulator.port });
console.log(`Telegram Bot API emulator at ${emulator.url}`);
console.log(`Chat with the bot: npx tsx scripts/chat.ts --url ${emulator.url}`);

process.once('SIGINT', () => void emulator.close().then(() => process.exit(0)));
process.once('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
