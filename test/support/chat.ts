import type { EmulatedMessage } from '../../bot/emulator/protocol.ts';
import type { ChatUser } from '../../bot/emulator/client.ts';

/**
 * Does something as (or for) a user, then waits for the bot's reply to it: a new bot message
 * or an edit whose text matches. Waiting for the reply, not the newest message, keeps two
 * equal answers in a row (two wrong codes) from being mistaken for each other.
 */
export async function replyTo(
  user: ChatUser,
  action: () => Promise<unknown>,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<EmulatedMessage> {
  let { seq } = await user.events(0);
  await action();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const log = await user.events(seq, 1_000);
    seq = log.seq;
    for (const event of log.events) {
      const shown = event.kind === 'edit' || (event.kind === 'message' && event.from === 'bot');
      if (shown && pattern.test(event.message.text ?? '')) return event.message;
    }
  }
  throw new Error(`no reply matching ${pattern}\n${await user.transcript()}`);
}
