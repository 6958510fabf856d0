import type { Message, MessageEntity } from 'node-telegram-bot-api/types';

import { forBot, unixNow } from './bot-call.ts';
import type { PrivateChat } from './chat.ts';
import { HttpError } from './errors.ts';
import { buttonsOf } from './keyboard.ts';
import type { PressedButton, SentMessage } from './protocol.ts';
import type { EmulatorStore } from './store.ts';

const BOT_COMMAND = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?/;

/**
 * The user types `text`: the message joins the chat and a `message` update is queued. With
 * `updateId` of an earlier update, that same update is queued again instead (Telegram
 * redelivering it); with an unused `updateId`, the new update gets that id.
 */
export function userSends(
  store: EmulatorStore,
  chat: PrivateChat,
  text: string,
  updateId?: number,
): SentMessage {
  const earlier = updateId === undefined ? undefined : store.updates.find(updateId);
  if (earlier) {
    const same = 'message' in earlier && earlier.message.chat.id === chat.id;
    if (!same || earlier.message.text !== text) {
      throw new HttpError(
        400,
        `update ${updateId} is not "${text}" from user ${chat.id}; a redelivery repeats an update unchanged`,
      );
    }
    store.updates.push(earlier, { redelivery: true });
    return { update_id: earlier.update_id, message_id: earlier.message.message_id };
  }

  const message: Message = {
    message_id: chat.nextMessageId(),
    from: chat.user,
    chat: chat.telegramChat,
    date: unixNow(),
    text,
    ...commandEntities(text),
  };
  chat.add(message);
  const update = { update_id: updateId ?? store.updates.nextId(), message };
  store.updates.push(update, { redelivery: updateId !== undefined });
  return { update_id: update.update_id, message_id: message.message_id };
}

/**
 * The user taps the button carrying `data` on bot message `messageId`: a `callback_query`
 * update with the message as it is now. Data that is not on the message's current keyboard
 * is refused, since no Telegram app could send it.
 */
export function userPresses(
  store: EmulatorStore,
  chat: PrivateChat,
  messageId: number,
  data: string,
): PressedButton {
  const message = chat.message(messageId);
  if (!message?.from?.is_bot) {
    throw new HttpError(404, `chat ${chat.id} has no bot message ${messageId}`);
  }
  const offered = buttonsOf(message).flatMap((button) => button.callback_data ?? []);
  if (!offered.includes(data)) {
    const list = offered.map((each) => JSON.stringify(each)).join(', ') || 'none';
    throw new HttpError(
      400,
      `message ${messageId} has no button with callback data ${JSON.stringify(data)}; it offers: ${list}`,
    );
  }

  const callbackQueryId = store.openCallbackQuery(chat);
  const callbackQuery = {
    id: callbackQueryId,
    from: chat.user,
    message: forBot(message),
    chat_instance: `instance-${chat.id}`,
    data,
  };
  const updateId = store.updates.nextId();
  store.updates.push({ update_id: updateId, callback_query: callbackQuery });
  return { update_id: updateId, callback_query_id: callbackQueryId };
}

function commandEntities(text: string): { entities?: MessageEntity[] } {
  const command = BOT_COMMAND.exec(text);
  if (!command) return {};
  return { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] };
}
