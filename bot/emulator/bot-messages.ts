import type { BotCall, BotMethod } from './bot-call.ts';
import { forBot, targetChat, unixNow } from './bot-call.ts';
import type { PrivateChat } from './chat.ts';
import { badRequest } from './errors.ts';
import {
  type MessageContent,
  readContent,
  readInlineKeyboard,
  sameContent,
} from './message-content.ts';
import type { EmulatedMessage } from './protocol.ts';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/** The Bot API methods that change what the user sees in a chat. */
export const messageMethods: Record<string, BotMethod> = {
  sendMessage(call) {
    const chat = targetChat(call);
    const content = readContent(call.params);
    const message: EmulatedMessage = {
      message_id: chat.nextMessageId(),
      date: unixNow(),
      chat: chat.telegramChat,
      from: call.store.bot,
      ...content,
    };
    chat.add(message);
    return forBot(message);
  },

  editMessageText(call) {
    const { chat, message } = messageToEdit(call);
    return edit(chat, message, readContent(call.params));
  },

  editMessageReplyMarkup(call) {
    const { chat, message } = messageToEdit(call);
    const replyMarkup = readInlineKeyboard(call.params);
    const { text, html, entities } = message;
    return edit(chat, message, {
      text,
      html,
      ...(entities && { entities }),
      ...(replyMarkup && { reply_markup: replyMarkup }),
    });
  },

  deleteMessage(call) {
    const chat = targetChat(call);
    if (!chat.delete(call.params.integer('message_id'))) {
      throw badRequest('message to delete not found');
    }
    return true;
  },

  answerCallbackQuery({ params, store }) {
    const id = params.string('callback_query_id');
    const chat = store.answerCallbackQuery(id);
    if (!chat) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    const text = params.optionalString('text');
    const showAlert = params.boolean('show_alert');
    chat.record({ kind: 'callback_answer', callback_query_id: id, text, show_alert: showAlert });
    return true;
  },

  sendChatAction(call) {
    const chat = targetChat(call);
    const action = call.params.string('action');
    if (!CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
    chat.record({ kind: 'chat_action', action });
    return true;
  },
};

function messageToEdit(call: BotCall): { chat: PrivateChat; message: EmulatedMessage } {
  if (call.params.optionalString('inline_message_id') !== undefined) {
    // TODO(emulator): inline messages (sent via inline mode) do not exist here.
    throw badRequest('inline messages are not emulated; edit with chat_id and message_id');
  }
  const chat = targetChat(call);
  const message = chat.message(call.params.integer('message_id'));
  if (!message) throw badRequest('message to edit not found');
  if (!message.from?.is_bot) throw badRequest("message can't be edited");
  return { chat, message };
}

/** Replaces the content; an omitted keyboard is removed, as Telegram does. */
function edit(chat: PrivateChat, message: EmulatedMessage, content: MessageContent) {
  if (sameContent(message, content)) throw badRequest(NOT_MODIFIED);

  const { message_id, date, from } = message;
  const edited: EmulatedMessage = {
    message_id,
    date,
    chat: chat.telegramChat,
    from,
    ...content,
    edit_date: unixNow(),
  };
  chat.replace(edited);
  return forBot(edited);
}
