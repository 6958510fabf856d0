/**
 * Chat with the bot as one Telegram user, through the local Bot API emulator.
 *
 *   npx tsx scripts/chat.ts [--url http://127.0.0.1:8081] [--user 1001] [--name Ada] [--username ada]
 *
 * Bot messages print as text with their buttons numbered. A line that is just the number of a
 * button presses it on the newest bot message with buttons; any other line is sent as typed
 * (/start and six-digit codes included). Local commands: /mail shows the newest e-mails of
 * the development outbox; /quit.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { clearLine, createInterface, cursorTo } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import { loadConfig } from '../activities/config.ts';
import { EmulatorClient, EmulatorRequestError } from '../bot/emulator/client.ts';
import { buttonsOf, findButton } from '../bot/emulator/keyboard.ts';
import type { ChatEvent } from '../bot/emulator/protocol.ts';
import { describeEvent } from '../bot/emulator/transcript.ts';

const HISTORY_EVENTS = 10;
const POLL_WAIT_MS = 25_000;
const MAIL_SHOWN = 3;

/** One e-mail of the development mailer's outbox (`DATA_DIR/outbox/*.json`). */
interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  sentAt: string;
}

/** Prints above the prompt line, then redraws the prompt with what was being typed. */
function say(text: string): void {
  clearLine(process.stdout, 0);
  cursorTo(process.stdout, 0);
  console.log(text);
  prompt.prompt(true);
}

/** Prints the chat's recent history, then every new event, for as long as the script runs. */
async function follow(): Promise<never> {
  const history = await user.events();
  history.events.slice(-HISTORY_EVENTS).forEach((event) => say(describeEvent(event)));
  let seq = history.seq;

  for (;;) {
    try {
      const log = await user.events(seq, POLL_WAIT_MS);
      log.events.filter(worthShowing).forEach((event) => say(describeEvent(event)));
      seq = log.seq;
    } catch (error) {
      say(`! lost the emulator at ${args.url} (${reason(error)}); retrying`);
      await sleep(2_000);
      // A restarted emulator has forgotten this user and starts its event log afresh.
      if (error instanceof EmulatorRequestError && error.status === 404) {
        await user.reconnect().catch(() => undefined);
        seq = 0;
      }
    }
  }
}

// What the person typed is on screen already; an empty callback answer shows nothing in Telegram.
const worthShowing = (event: ChatEvent) =>
  !(event.kind === 'message' && event.from === 'user') &&
  !(event.kind === 'callback_answer' && !event.text);

/** Presses button `number`; false when there is no such button (the line is then text). */
async function pressNumber(number: number): Promise<boolean> {
  const message = findButton(await user.messages(), () => true)?.message;
  const button = message && buttonsOf(message)[number - 1];

  if (!message || !button) return false;
  if (button.callback_data === undefined) say(`  ↗ ${button.url ?? 'not a chat button'}`);
  else await user.press(message.message_id, button.callback_data);
  return true;
}

async function showMail(): Promise<void> {
  const outbox = join(config.dataDir, 'outbox');
  const names = (await readdir(outbox).catch(() => [])).filter((name) => name.endsWith('.json'));
  if (names.length === 0) return say(`(no mail in ${outbox})`);

  const dated = await Promise.all(
    names.map(async (name) => ({ name, time: (await stat(join(outbox, name))).mtimeMs })),
  );
  const newest = dated.sort((a, b) => b.time - a.time).slice(0, MAIL_SHOWN);
  for (const { name } of newest) {
    const mail = JSON.parse(await readFile(join(outbox, name), 'utf8')) as OutboxMail;
    say(`✉ ${mail.subject}  (to ${mail.to}, ${mail.sentAt})\n${mail.text.replace(/^/gm, '    ')}`);
  }
}

async function handle(line: string): Promise<void> {
  if (line === '') return;
  if (line === '/quit') return void prompt.close();
  if (line === '/mail') return showMail();
  // A small number presses a button; longer digits (a code, an amount) are typed text.
  if (/^\d{1,2}$/.test(line) && (await pressNumber(Number(line)))) return;
  await user.send(line);
}

const config = loadConfig();
const { values: args } = parseArgs({
  options: {
    url: {
      type: 'string',
      default: process.env.EMULATOR_URL ?? `http://127.0.0.1:${config.emulator.port}`,
    },
    user: { type: 'string', default: '1001' },
    name: { type: 'string', default: 'Ada' },
    username: { type: 'string', default: 'ada' },
  },
});

const user = new EmulatorClient(args.url).user(Number(args.user), {
  first_name: args.name,
  username: args.username,
});
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

try {
  await user.register();
} catch (error) {
  console.error(`Cannot reach the emulator at ${args.url}: ${reason(error)}`);
  console.error('Start the bot without BOT_TOKEN (it runs the emulator), or pass --url.');
  process.exit(1);
}

// Created only now: lines typed while the user was being registered would otherwise be lost.
const prompt = createInterface({ input: process.stdin, output: process.stdout });
prompt.setPrompt(`${args.name}> `);

console.log(`Chatting as ${args.name} (user ${user.id}) on ${args.url}. /mail, /quit.`);
prompt.on('line', (line) => {
  handle(line.trim())
    .catch((error: unknown) => say(`! ${reason(error)}`))
    .finally(() => prompt.prompt());
});
prompt.on('close', () => process.exit(0));
prompt.prompt();
follow().catch((error: unknown) => say(`! stopped following the chat: ${reason(error)}`));
