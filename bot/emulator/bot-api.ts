import type { BotCall, BotMethod } from './bot-call.ts';
import { messageMethods } from './bot-messages.ts';
import { checkCommands } from './commands.ts';
import { HttpError, badRequest } from './errors.ts';
import type { Params } from './params.ts';

const MAX_POLL_SECONDS = 50;
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

const updateMethods: Record<string, BotMethod> = {
  getMe: ({ store }) => ({
    ...store.bot,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  }),

  getUpdates({ params, store, abort }) {
    if (store.webhook.active) {
      throw new HttpError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    store.updates.setAllowedUpdates(allowedUpdates(params));
    const limit = clamp(params.optionalInteger('limit') ?? 100, 1, 100);
    const timeout = clamp(params.optionalInteger('timeout') ?? 0, 0, MAX_POLL_SECONDS);
    const offset = params.optionalInteger('offset');
    return store.updates.poll({ offset, limit, timeoutMs: timeout * 1000 }, abort);
  },

  setWebhook({ params, store }) {
    const url = params.optionalString('url') ?? '';
    if (url !== '' && !/^https?:\/\/[^/]/.test(url)) {
      throw badRequest(`bad webhook: "${url}" is not an HTTP URL`);
    }
    const secret = params.optionalString('secret_token');
    if (secret !== undefined && !SECRET_TOKEN.test(secret)) {
      throw badRequest('secret token contains unallowed characters');
    }

    if (params.boolean('drop_pending_updates')) store.updates.clear();
    store.updates.setAllowedUpdates(allowedUpdates(params));
    // Like Telegram, an empty URL removes the webhook.
    if (url === '') store.webhook.remove();
    else store.webhook.set(url, secret);
    return true;
  },

  deleteWebhook({ params, store }) {
    if (params.boolean('drop_pending_updates')) store.updates.clear();
    store.webhook.remove();
    return true;
  },

  getWebhookInfo: ({ store }) => store.webhook.info(),
};

const commandMethods: Record<string, BotMethod> = {
  setMyCommands({ params, store }) {
    const commands = checkCommands(params.optionalJson('commands'));
    store.commands.set(
      commands,
      params.optionalJson('scope'),
      params.optionalString('language_code'),
    );
    return true;
  },

  getMyCommands: ({ params, store }) =>
    store.commands.get(params.optionalJson('scope'), params.optionalString('language_code')),

  deleteMyCommands({ params, store }) {
    store.commands.delete(params.optionalJson('scope'), params.optionalString('language_code'));
    return true;
  },
};

// Telegram matches method names case-insensitively.
const methods = new Map(
  Object.entries({ ...updateMethods, ...messageMethods, ...commandMethods }).map(
    ([name, method]) => [name.toLowerCase(), method],
  ),
);

/**
 * Runs Bot API method `name` and returns its `result`. Fails with an HttpError worded like
 * Telegram's, or a 404 for a method the emulator does not implement.
 */
export async function callBotApi(name: string, call: BotCall): Promise<unknown> {
  const method = methods.get(name.toLowerCase());
  if (!method) throw new HttpError(404, `Not Found: method ${name} is not emulated`);
  return method(call);
}

function allowedUpdates(params: Params): string[] | undefined {
  const types = params.optionalJson('allowed_updates');
  if (types === undefined) return undefined;
  if (!Array.isArray(types)) throw badRequest('field "allowed_updates" must be an Array');
  return types.map(String);
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
