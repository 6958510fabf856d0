import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { Api, TelegramApiError } from 'node-telegram-bot-api';
import type { CallbackQuery, Message, Update, User } from 'node-telegram-bot-api/types';

import { EmulatorClient, EmulatorRequestError } from '../../bot/emulator/client.ts';
import { type RunningEmulator, startEmulator } from '../../bot/emulator/index.ts';

let emulator: RunningEmulator;
let api: Api;
let client: EmulatorClient;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, webhookRetry: { attempts: 3, baseDelayMs: 10 } });
  api = new Api('123:abc', { apiRoot: emulator.url, maxRetries: 0 });
  client = new EmulatorClient(emulator.url);
});

afterEach(() => emulator.close());

const keyboard = (...buttons: Array<[text: string, data: string]>) => ({
  inline_keyboard: [buttons.map(([text, callback_data]) => ({ text, callback_data }))],
});

function messageOf(update: Update | undefined): Message {
  assert.ok(update && 'message' in update, `not a message update: ${JSON.stringify(update)}`);
  return update.message;
}

function callbackQueryOf(update: Update | undefined): CallbackQuery {
  assert.ok(update && 'callback_query' in update, `not a callback: ${JSON.stringify(update)}`);
  return update.callback_query;
}

/** Matches a TelegramApiError by HTTP code and description. */
const apiError = (code: number, description: RegExp) => (error: unknown) =>
  error instanceof TelegramApiError &&
  error.errorCode === code &&
  description.test(error.description);

describe('getUpdates', () => {
  test('a long poll sleeps until a user writes, then answers at once', async () => {
    const ada = client.user(1001, { first_name: 'Ada' });
    await ada.register();
    const started = Date.now();

    const poll = api.getUpdates({ timeout: 5 });
    setTimeout(() => void ada.send('/start now'), 150);
    const [update, ...rest] = await poll;

    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 140 && elapsed < 2000, `answered after ${elapsed} ms`);
    assert.equal(rest.length, 0);
    const message = messageOf(update);
    assert.equal(message.text, '/start now');
    assert.deepEqual(message.entities, [{ type: 'bot_command', offset: 0, length: 6 }]);
    assert.deepEqual(message.chat, { id: 1001, type: 'private', first_name: 'Ada' });
  });

  test('a long poll with nothing to deliver answers [] when its timeout passes', async () => {
    const started = Date.now();
    assert.deepEqual(await api.getUpdates({ timeout: 1 }), []);
    assert.ok(Date.now() - started >= 950);
  });

  test('an offset confirms every earlier update', async () => {
    const ada = client.user(1001);
    const ids = [];
    for (const text of ['a', 'b', 'c']) ids.push((await ada.send(text)).update_id);

    assert.equal((await api.getUpdates()).length, 3);
    const fromB = await api.getUpdates({ offset: ids[1] });
    assert.deepEqual(
      fromB.map((update) => messageOf(update).text),
      ['b', 'c'],
    );
    assert.deepEqual(await api.getUpdates({ offset: (ids[2] ?? 0) + 1 }), []);
    assert.deepEqual(await api.getUpdates(), [], 'confirmed updates are forgotten');
  });

  test('sending an earlier update_id again hands the bot that same update once more', async () => {
    const ada = client.user(1001);
    const sent = await ada.send('/start');
    const [original] = await api.getUpdates();
    assert.deepEqual(await api.getUpdates({ offset: sent.update_id + 1 }), []);

    assert.deepEqual(await ada.send('/start', { updateId: sent.update_id }), sent);
    assert.deepEqual(await api.getUpdates({ offset: sent.update_id + 1 }), [original]);
    assert.deepEqual(await api.getUpdates({ offset: sent.update_id + 1 }), []);
    assert.equal((await ada.messages()).length, 1, 'the user still wrote once');

    await assert.rejects(ada.send('/help', { updateId: sent.update_id }), /not "\/help"/);
  });
});

describe('the node-telegram-bot-api client against the emulator', () => {
  test('getMe, sendMessage, answerCallbackQuery, editMessageText and setMyCommands', async () => {
    const me = await api.getMe();
    assert.deepEqual(
      [me.is_bot, me.first_name, me.username],
      [true, 'LockBay', 'lockbay_local_bot'],
    );

    const ada = client.user(1001, { first_name: 'Ada' });
    await ada.register();
    const sent = await api.sendMessage({
      chat_id: ada.id,
      text: '<b>Welcome</b> to LockBay &amp; co',
      parse_mode: 'HTML',
      reply_markup: keyboard(['Get started', 'start:v1'], ['Cancel', 'cancel:v1']),
    });
    assert.equal(sent.text, 'Welcome to LockBay & co');
    assert.equal(sent.from?.id, me.id);
    assert.ok(!('html' in sent), 'the bot never sees the emulator-only html field');
    assert.equal((await ada.lastBotMessage())?.html, '<b>Welcome</b> to LockBay &amp; co');

    const pressed = await ada.pressButton('Get started');
    const query = callbackQueryOf((await api.getUpdates()).at(-1));
    assert.equal(query.id, pressed.callback_query_id);
    assert.equal(
      await api.answerCallbackQuery({ callback_query_id: query.id, text: 'On it' }),
      true,
    );

    const edited = await api.editMessageText({
      chat_id: ada.id,
      message_id: sent.message_id,
      text: 'Step 2',
    });
    assert.ok(typeof edited === 'object');
    assert.equal(edited.text, 'Step 2');
    assert.equal(edited.reply_markup, undefined, 'an edit without reply_markup drops the keyboard');

    const scope = { type: 'all_private_chats' as const };
    const commands = [{ command: 'start', description: 'Open LockBay' }];
    assert.equal(await api.setMyCommands({ commands, scope }), true);
    assert.deepEqual(await api.getMyCommands({ scope }), commands);
    assert.deepEqual(await client.commands(scope), commands);
    assert.deepEqual(await client.commands(), [], 'the default scope is separate');

    const { events } = await ada.events();
    const kinds = events.map((event) => event.kind);
    assert.deepEqual(kinds, ['message', 'callback_answer', 'edit']);
  });

  test('an edit that changes nothing fails with "message is not modified"', async () => {
    await client.user(1001).register();
    const markup = keyboard(['Yes', 'yes']);
    const sent = await api.sendMessage({ chat_id: 1001, text: 'Sure?', reply_markup: markup });
    const same = {
      chat_id: 1001,
      message_id: sent.message_id,
      text: 'Sure?',
      reply_markup: markup,
    };

    await assert.rejects(
      api.editMessageText(same),
      apiError(400, /^Bad Request: message is not modified/),
    );
    await assert.rejects(
      api.editMessageReplyMarkup({
        chat_id: 1001,
        message_id: sent.message_id,
        reply_markup: markup,
      }),
      apiError(400, /message is not modified/),
    );
  });

  test('callback data over 64 bytes is refused with BUTTON_DATA_INVALID', async () => {
    await client.user(1001).register();
    const send = (data: string) =>
      api.sendMessage({ chat_id: 1001, text: 'Pick', reply_markup: keyboard(['Go', data]) });

    await send('x'.repeat(64));
    await assert.rejects(send('é'.repeat(33)), apiError(400, /^Bad Request: BUTTON_DATA_INVALID$/));
  });

  test('sendMessage refuses what Telegram refuses', async () => {
    await client.user(1001).register();
    const send = (chat_id: number, text: string, parse_mode?: string) =>
      api.sendMessage({ chat_id, text, ...(parse_mode && { parse_mode }) });

    await assert.rejects(send(1001, '  '), apiError(400, /message text is empty/));
    await assert.rejects(send(1001, 'x'.repeat(4097)), apiError(400, /message is too long/));
    await assert.rejects(send(4242, 'hi'), apiError(400, /^Bad Request: chat not found$/));
    await assert.rejects(
      send(1001, 'if 1 < 2 then', 'HTML'),
      apiError(400, /can't parse entities/),
    );
    await assert.rejects(send(1001, '<b>open', 'HTML'), apiError(400, /end tag .*"b"/));
    await assert.rejects(api.sendDice({ chat_id: 1001 }), apiError(404, /method sendDice is not/));
  });

  test('form, JSON and query-string parameters are all understood', async () => {
    await client.user(1001).register();
    const call = (path: string, init?: RequestInit) =>
      fetch(`${emulator.url}/bot1:x/${path}`, init).then(
        (response) => response.json() as Promise<{ result: Message & User }>,
      );

    const json = await call('sendMessage', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: 1001, text: 'json', reply_markup: keyboard(['A', 'a']) }),
    });
    assert.equal(json.result.reply_markup?.inline_keyboard[0]?.[0]?.callback_data, 'a');
    assert.equal((await call('sendMessage?chat_id=1001&text=query')).result.text, 'query');
    assert.equal((await call('getme')).result.username, 'lockbay_local_bot');
  });
});

describe('buttons', () => {
  test('a press queues a callback_query with the message as it is now', async () => {
    const ada = client.user(1001, { first_name: 'Ada' });
    await ada.register();
    const sent = await api.sendMessage({
      chat_id: 1001,
      text: 'Pay?',
      reply_markup: keyboard(['Pay', 'pay:1']),
    });
    await api.editMessageReplyMarkup({
      chat_id: 1001,
      message_id: sent.message_id,
      reply_markup: keyboard(['Pay now', 'pay:2']),
    });

    await assert.rejects(ada.press(sent.message_id, 'pay:1'), (error) => {
      return error instanceof EmulatorRequestError && error.status === 400;
    });
    const pressed = await ada.press(sent.message_id, 'pay:2');
    const [update] = await api.getUpdates();
    assert.equal(update?.update_id, pressed.update_id);

    const query = callbackQueryOf(update);
    assert.equal(query.data, 'pay:2');
    assert.equal(query.from.first_name, 'Ada');
    assert.deepEqual(query.message, {
      ...sent,
      ...query.message,
      reply_markup: keyboard(['Pay now', 'pay:2']),
    });

    await api.answerCallbackQuery({ callback_query_id: query.id });
    await assert.rejects(
      api.answerCallbackQuery({ callback_query_id: query.id }),
      apiError(400, /query is too old/),
    );
  });
});

/** A stand-in for the bot's webhook endpoint that fails its first POST with 502. */
async function startFlakyReceiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: Update }> = [];
  let onSecond = () => {};
  const secondArrived = new Promise<void>((resolve) => (onSecond = resolve));

  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ headers: req.headers, body: JSON.parse(body) as Update });
    res.writeHead(received.length === 1 ? 502 : 200).end();
    if (received.length === 2) onSecond();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`;
  return { url, received, secondArrived, close: () => server.close() };
}

describe('webhook', () => {
  test('POSTs carry the secret and a failed one is retried', { timeout: 5_000 }, async (t) => {
    const receiver = await startFlakyReceiver();
    t.after(receiver.close);

    await api.setWebhook({ url: receiver.url, secret_token: 'local-secret_1' });
    await assert.rejects(api.getUpdates(), apiError(409, /webhook is active/));
    await client.user(1001).send('hello');
    await receiver.secondArrived;

    const [failed, retried] = receiver.received;
    assert.deepEqual(retried?.body, failed?.body, 'the failed update is sent again');
    assert.equal(retried?.headers['x-telegram-bot-api-secret-token'], 'local-secret_1');
    assert.equal(messageOf(retried?.body).text, 'hello');
    const info = await api.getWebhookInfo();
    assert.equal(info.url, receiver.url);
    assert.match(info.last_error_message ?? '', /502/);

    await api.deleteWebhook();
    assert.deepEqual(await api.getUpdates(), [], 'delivered updates are not delivered again');
  });
});

describe('the client side', () => {
  test('a chat long poll wakes when the bot writes', async () => {
    const ada = client.user(1001);
    await ada.send('/start');
    const { seq } = await ada.events();
    const started = Date.now();

    setTimeout(() => void api.sendMessage({ chat_id: 1001, text: 'Hello Ada' }), 100);
    const log = await ada.events(seq, 3000);

    assert.ok(Date.now() - started < 2000);
    assert.equal(log.seq, seq + 1);
    assert.deepEqual(
      log.events.map((event) => [event.seq, event.kind, event.kind === 'message' && event.from]),
      [[seq + 1, 'message', 'bot']],
    );
  });

  test('waitFor returns the matching bot message, or fails with the transcript', async () => {
    const ada = client.user(1001);
    await ada.send('/start');
    setTimeout(() => void api.sendMessage({ chat_id: 1001, text: 'Ready' }), 50);

    const ready = await ada.waitFor((message) => message.text === 'Ready', 2000);
    assert.equal(ready.text, 'Ready');
    await assert.rejects(
      ada.waitFor((message) => message.text === 'Never', 200),
      (error: Error) => {
        return (
          /no bot message matched/.test(error.message) &&
          /you: \/start\nbot: Ready/.test(error.message)
        );
      },
    );
  });

  test('lists the simulated users in the order they were created', async () => {
    await client.user(1002, { first_name: 'Bo' }).register();
    await client.user(1001, { first_name: 'Ada', username: 'ada' }).register();

    const users = await client.users();
    assert.deepEqual(
      users.map(({ id, first_name, username }) => ({ id, first_name, username })),
      [
        { id: 1002, first_name: 'Bo', username: undefined },
        { id: 1001, first_name: 'Ada', username: 'ada' },
      ],
    );
  });

  test('the stream pushes chat events as server-sent events', { timeout: 5_000 }, async () => {
    const ada = client.user(1001);
    await ada.send('hi');
    const controller = new AbortController();
    const response = await fetch(`${emulator.url}/client/users/1001/stream`, {
      signal: controller.signal,
    });
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');

    const reader = response.body?.getReader();
    const first = new TextDecoder().decode((await reader?.read())?.value);
    controller.abort();
    assert.match(first, /^id: 1\ndata: \{"seq":1,"kind":"message","from":"user"/);
  });
});

describe('formatting by entities', () => {
  test('keeps the entities a bot sends and refuses one outside the text', async () => {
    const emulator = await startEmulator({ port: 0 });
    try {
      const api = new Api('1:entities', { apiRoot: emulator.url, maxRetries: 0 });
      const ada = new EmulatorClient(emulator.url).user(9101, { first_name: 'Ada' });
      await ada.register();
      const bold = [{ type: 'bold' as const, offset: 0, length: 5 }];
      await api.sendMessage({ chat_id: 9101, text: 'Hello Ada', entities: bold });
      assert.deepEqual((await ada.lastBotMessage())?.entities, bold);

      await assert.rejects(
        api.sendMessage({
          chat_id: 9101,
          text: 'Hi',
          entities: [{ type: 'bold', offset: 1, length: 5 }],
        }),
        /can't parse entities/,
      );
    } finally {
      await emulator.close();
    }
  });
});
