import type { Message } from 'node-telegram-bot-api/types';

import type { PrivateChat } from './chat.ts';
import { badRequest } from './errors.ts';
import type { Params } from './params.ts';
import type { EmulatedMessage } from './protocol.ts';
import type { EmulatorStore } from './store.ts';

/** One Bot API call: its parameters, the emulator's state, and a signal for a dropped client. */
export interface BotCall {
  params: Params;
  store: EmulatorStore;
  abort: AbortSignal;
}

/** A Bot API method; its return value becomes `result`, an HttpError an `ok: false` answer. */
export type BotMethod = (call: BotCall) => unknown;

/** The chat `chat_id` names. Only private chats that a user opened exist. */
export function targetChat({ params, store }: BotCall): PrivateChat {
  const id = params.string('chat_id');
  const chat = /^-?\d+$/.test(id) ? store.chat(Number(id)) : undefined;
  if (!chat) throw badRequest('chat not found');
  return chat;
}

/** A message as the bot receives it: without the emulator's `html` copy of the raw text. */
export function forBot(message: EmulatedMessage): Message {
  const { html: _html, ...telegram } = message;
  return telegram;
}

/** Telegram's clock: whole seconds. */
export const unixNow = () => Math.floor(Date.now() / 1000);
