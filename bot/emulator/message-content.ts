import type { InlineKeyboardMarkup } from 'node-telegram-bot-api/types';

import { badRequest } from './errors.ts';
import { htmlToPlain } from './html.ts';
import type { Params } from './params.ts';
import type { EmulatedMessage } from './protocol.ts';

const MAX_TEXT_LENGTH = 4096;
const MAX_CALLBACK_DATA_BYTES = 64;
const BUTTON_ACTIONS = [
  'callback_data',
  'url',
  'web_app',
  'login_url',
  'copy_text',
  'pay',
  'callback_game',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
];

/** What sendMessage and editMessageText set: the text, its HTML or entities, the keyboard. */
export type MessageContent = Pick<EmulatedMessage, 'text' | 'html' | 'entities' | 'reply_markup'>;

/**
 * Reads `text`, `parse_mode` and `reply_markup` with Telegram's checks: text neither empty nor
 * over 4096 characters once parsed, HTML well formed, callback data 1–64 bytes.
 */
export function readContent(params: Params): MessageContent {
  const raw = params.optionalString('text') ?? '';
  const html = params.optionalString('parse_mode') === 'HTML';
  // TODO(emulator): Markdown and MarkdownV2 are kept as sent, markup characters included.
  const text = html ? htmlToPlain(raw) : raw;

  if (text.trim() === '') throw badRequest('message text is empty');
  if (text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');

  const replyMarkup = readInlineKeyboard(params);
  const entities = html ? undefined : readEntities(params, text);
  return {
    text,
    ...(html && { html: raw }),
    ...(entities && { entities }),
    ...(replyMarkup && { reply_markup: replyMarkup }),
  };
}

/** Formatting given as `entities` (bold, links…), checked to lie within the text. */
function readEntities(params: Params, text: string): EmulatedMessage['entities'] {
  const entities = params.optionalJson('entities', 'array of MessageEntity');
  if (entities === undefined) return undefined;
  const valid =
    Array.isArray(entities) &&
    entities.every(
      (entity) =>
        isObject(entity) &&
        typeof entity.type === 'string' &&
        Number.isInteger(entity.offset) &&
        Number.isInteger(entity.length) &&
        (entity.offset as number) >= 0 &&
        (entity.offset as number) + (entity.length as number) <= text.length,
    );
  if (!valid) throw badRequest("can't parse entities: an entity lies outside the text");
  return entities as EmulatedMessage['entities'];
}

/**
 * The `reply_markup` inline keyboard, checked button by button; `undefined` when absent.
 * TODO(emulator): reply keyboards (keyboard, remove_keyboard, force_reply) are accepted and
 * ignored, so a flow that relies on them cannot be exercised here.
 */
export function readInlineKeyboard(params: Params): InlineKeyboardMarkup | undefined {
  const markup = params.optionalJson('reply_markup', 'reply keyboard markup JSON object');
  if (markup === undefined || (isObject(markup) && !('inline_keyboard' in markup)))
    return undefined;

  const rows = isObject(markup) ? markup.inline_keyboard : undefined;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest(
      'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
    );
  }
  for (const button of rows.flat()) checkButton(button);
  return markup as InlineKeyboardMarkup;
}

function checkButton(button: unknown): void {
  if (!isObject(button) || typeof button.text !== 'string') {
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  }
  if (!BUTTON_ACTIONS.some((action) => action in button)) {
    throw badRequest(`can't parse inline keyboard button: button "${button.text}" has no action`);
  }

  const data = button.callback_data;
  if (data === undefined) return;
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : 0;
  if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when `next` would change nothing the user sees (Telegram's "message is not modified"). */
export function sameContent(current: MessageContent, next: MessageContent): boolean {
  return (
    current.text === next.text &&
    current.html === next.html &&
    JSON.stringify(current.entities) === JSON.stringify(next.entities) &&
    JSON.stringify(current.reply_markup) === JSON.stringify(next.reply_markup)
  );
}
