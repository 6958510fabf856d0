import type { InlineKeyboardButton } from 'node-telegram-bot-api/types';

import type { EmulatedMessage } from './protocol.ts';

/** The message's inline buttons, row by row, left to right: the order the chat numbers them. */
export function buttonsOf(message: EmulatedMessage): InlineKeyboardButton[] {
  return message.reply_markup?.inline_keyboard.flat() ?? [];
}

/** The newest message from the bot that has a button `matches` accepts, with that button. */
export function findButton(
  messages: EmulatedMessage[],
  matches: (button: InlineKeyboardButton) => boolean,
): { message: EmulatedMessage; button: InlineKeyboardButton } | undefined {
  for (const message of [...messages].reverse()) {
    if (!message.from?.is_bot) continue;
    const button = buttonsOf(message).find(matches);
    if (button) return { message, button };
  }
  return undefined;
}
