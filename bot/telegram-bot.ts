import { Bot, longPoll, TelegramApiError, type Api } from 'node-telegram-bot-api';
import type { Update } from 'node-telegram-bot-api/types';
import type { Logger } from 'pino';
import { ChatQueue } from './chat-queue.ts';
import { commands } from './commands.ts';
import type { Conversations } from './conversations.ts';
import { decodeUpdate, type ReviewPress, type Source } from './decode.ts';
import { renderResult, type View, type ViewContext } from './views/index.ts';
import { renderReviewResult } from './views/payout.ts';
import { refusalText } from './views/refusals.ts';

export interface TelegramBotOptions {
  bot: Bot;
  conversations: Pick<Conversations, 'deliver' | 'review'>;
  otpSecret: string;
  logger: Logger;
  viewContext: ViewContext;
}

/**
 * The edge between Telegram and the flows: decode each update into an event, deliver it to
 * the chat's workflow, render the screen that comes back. It keeps no conversation state and
 * decides nothing about a conversation. Every button press gets an answer, every failure a
 * friendly message and a log line.
 */
export class TelegramBot {
  private readonly queue = new ChatQueue();
  private readonly api: Api;

  constructor(private readonly options: TelegramBotOptions) {
    this.api = options.bot.api;
    options.bot.use(async (ctx) => this.handle(ctx.update));
    options.bot.catch((error, ctx) => {
      options.logger.error({ err: error, updateId: ctx.update.update_id }, 'update failed');
    });
  }

  /** Queues an update behind earlier ones of the same chat; resolves when it is handled. */
  dispatch(update: Update): Promise<void> {
    return this.queue.run(chatIdOf(update), () => this.options.bot.handleUpdate(update));
  }

  /** Long polling: chats run concurrently, each in order. Resolves when the signal aborts. */
  async poll(signal: AbortSignal): Promise<void> {
    await this.optional('deleteWebhook', () => this.api.deleteWebhook({}));
    const updates = longPoll(
      this.api,
      {
        timeout: 25,
        allowedUpdates: ['message', 'callback_query'],
        onError: (error) => this.options.logger.warn({ err: error }, 'polling failed, retrying'),
      },
      signal,
    );
    for await (const update of updates) void this.dispatch(update);
    await this.queue.drain();
  }

  /** Advertises the commands in Telegram's menu; failure is logged, not fatal. */
  async registerCommands(): Promise<void> {
    const list = Object.entries(commands).map(([command, { description }]) => ({
      command,
      description,
    }));
    await this.optional('setMyCommands', () => this.api.setMyCommands({ commands: list }));
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  private async handle(update: Update): Promise<void> {
    const started = performance.now();
    const incoming = decodeUpdate(update, this.options.otpSecret);
    if (incoming.kind === 'ignored') return;

    const { party, source } = incoming;
    const log = this.options.logger.child({ chatId: party.chatId, updateId: update.update_id });
    try {
      if (incoming.kind === 'remark')
        return await this.answer(party.chatId, source, incoming.remark);
      if (incoming.kind === 'review')
        return await this.review(party.chatId, source, incoming.review, log);

      if (source.kind === 'message') {
        void this.optional('sendChatAction', () =>
          this.api.sendChatAction({ chat_id: party.chatId, action: 'typing' }),
        );
      }
      const delivery = await this.options.conversations.deliver(party, incoming.request);
      if (delivery.kind === 'refused') {
        log.info({ refusal: delivery.refusal, detail: delivery.detail }, 'step refused');
        return await this.answer(party.chatId, source, delivery.refusal);
      }

      const { screen } = delivery.result;
      await this.show(
        party.chatId,
        source,
        renderResult(delivery.result, this.options.viewContext),
      );
      log.info(
        { flow: screen.flow, state: screen.state, ms: Math.round(performance.now() - started) },
        'step shown',
      );
    } catch (error) {
      log.error({ err: error }, 'step failed');
      await this.answer(party.chatId, source, 'failure').catch((failure: unknown) =>
        log.error({ err: failure }, 'could not tell the user about a failure'),
      );
    }
  }

  /** An admin's Approve or Reject: the payout's workflow decides; its answer replaces the request. */
  private async review(chatId: number, source: Source, press: ReviewPress, log: Logger) {
    const delivery = await this.options.conversations.review(
      press.cashoutId,
      press.updateId,
      press.request,
    );
    if (delivery.kind === 'refused') {
      log.info({ refusal: delivery.refusal, detail: delivery.detail }, 'review refused');
      return this.answer(chatId, source, delivery.refusal);
    }
    await this.show(chatId, source, renderReviewResult(delivery.result));
    log.info({ cashoutId: press.cashoutId, decision: press.request.decision }, 'review taken');
  }

  /** Edits the pressed message in place; sends a new message for typed input. */
  private async show(chatId: number, source: Source, shown: View): Promise<void> {
    const content = {
      chat_id: chatId,
      text: shown.text,
      entities: shown.entities,
      ...(shown.keyboard ? { reply_markup: shown.keyboard } : {}),
    };
    if (source.kind === 'callback') {
      await this.optional('answerCallbackQuery', () =>
        this.api.answerCallbackQuery({ callback_query_id: source.callbackQueryId }),
      );
      if (source.messageId !== undefined && (await this.edit(source.messageId, content))) return;
    }
    await this.api.sendMessage(content);
  }

  private async edit(
    messageId: number,
    content: Parameters<Api['editMessageText']>[0],
  ): Promise<boolean> {
    try {
      await this.api.editMessageText({ ...content, message_id: messageId });
      return true;
    } catch (error) {
      if (error instanceof TelegramApiError && /message is not modified/.test(error.description)) {
        return true;
      }
      // Too old to edit, or deleted: the screen goes out as a new message instead.
      this.options.logger.warn({ err: error, messageId }, 'edit failed, sending instead');
      return false;
    }
  }

  private async answer(chatId: number, source: Source, said: Parameters<typeof refusalText>[0]) {
    if (source.kind === 'callback') {
      await this.api.answerCallbackQuery({
        callback_query_id: source.callbackQueryId,
        text: refusalText(said, 'button'),
      });
      return;
    }
    await this.api.sendMessage({ chat_id: chatId, text: refusalText(said, 'message') });
  }

  /** Calls that make the bot nicer but are not essential: logged and swallowed on failure. */
  private async optional(method: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.options.logger.warn({ err: error, method }, 'non-essential Bot API call failed');
    }
  }
}

function chatIdOf(update: Update): number {
  if ('message' in update) return update.message.chat.id;
  if ('callback_query' in update)
    return update.callback_query.message?.chat.id ?? update.callback_query.from.id;
  return 0;
}
