import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Bot } from 'node-telegram-bot-api';
import type { Update } from 'node-telegram-bot-api/types';
import pino from 'pino';
import { EmulatorClient } from '../../bot/emulator/client.ts';
import { startEmulator, type RunningEmulator } from '../../bot/emulator/index.ts';
import { TelegramBot } from '../../bot/telegram-bot.ts';
import type { Conversations, Delivery, ReviewDelivery } from '../../bot/conversations.ts';
import { renderReviewRequest } from '../../bot/views/payout.ts';
import { aPayoutFacts } from '../support/builders.ts';
import { aWelcomeDelivery } from '../support/builders.ts';
import type { StepRequest } from '../../workflows/contract.ts';

const welcome = aWelcomeDelivery();

describe('the Telegram edge', () => {
  let emulator: RunningEmulator;
  let client: EmulatorClient;
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }),
  );
  let next: (request: StepRequest) => Promise<Delivery> = async () => welcome;
  let reviewed: Parameters<Conversations['review']>[] = [];
  let reviewAnswer: ReviewDelivery = { kind: 'refused', refusal: 'notReviewer', detail: 'test' };
  let bot: TelegramBot;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
    client = new EmulatorClient(emulator.url);
    // Commands and chat actions fail as if Telegram were having a bad minute.
    const flaky: typeof fetch = async (input, init) => {
      const url = String(input);
      if (/setMyCommands|sendChatAction/.test(url)) {
        return new Response(
          JSON.stringify({ ok: false, error_code: 500, description: 'Internal' }),
          { status: 500 },
        );
      }
      return fetch(input, init);
    };
    bot = new TelegramBot({
      bot: new Bot('1:test', { apiRoot: emulator.url, maxRetries: 0, fetch: flaky }),
      conversations: {
        deliver: (_party, request) => next(request),
        review: async (...args) => (reviewed.push(args), reviewAnswer),
      },
      otpSecret: 'a-test-secret-of-at-least-thirty-two-chars',
      logger,
      viewContext: { botUsername: 'lockbay_local_bot' },
    });
  });
  after(() => emulator?.close());

  /** Feeds the user's update straight to the bot, as the webhook or the poller would. */
  const handled = async (sent: Promise<{ update_id: number }>) => {
    const { update_id } = await sent;
    const response = await fetch(
      `${emulator.url}/bot1:test/getUpdates?offset=${update_id}&timeout=0`,
    );
    const { result } = (await response.json()) as { result: Update[] };
    assert.ok(result[0], `update ${update_id} is waiting`);
    await bot.dispatch(result[0]);
  };

  it('logs failed non-essential calls and carries on', async () => {
    await bot.registerCommands();
    const ada = client.user(4001, { first_name: 'Ada' });
    await handled(ada.send('/start'));

    assert.match((await ada.lastBotMessage())?.text ?? '', /Welcome to LockBay, Ada!/);
    const failed = lines
      .filter((line) => line.msg === 'non-essential Bot API call failed')
      .map((l) => l.method);
    assert.deepEqual(failed.sort(), ['sendChatAction', 'setMyCommands']);
  });

  it('turns an error into a friendly message and a structured log line, never silence', async () => {
    next = async () => {
      throw new Error('temporal is down');
    };
    const bob = client.user(4002, { first_name: 'Bob' });
    await handled(bob.send('hello'));

    assert.match((await bob.lastBotMessage())?.text ?? '', /something went wrong/);
    const logged = lines.find((line) => line.msg === 'step failed');
    assert.equal(logged?.chatId, 4002);
    assert.ok(!JSON.stringify(lines).includes('hello'), 'what users type stays out of the logs');
  });

  it('answers every button press, including refused ones', async () => {
    next = async () => welcome;
    const cy = client.user(4003, { first_name: 'Cy' });
    await handled(cy.send('/start'));
    const message = await cy.lastBotMessage();

    next = async () => ({ kind: 'refused', refusal: 'staleButton', detail: 'old' });
    const pressed = cy.pressButton('Get started');
    await handled(pressed);
    const { events } = await cy.events();
    const answer = events.find((event) => event.kind === 'callback_answer');
    assert.ok(message);
    assert.match(answer?.kind === 'callback_answer' ? (answer.text ?? '') : '', /earlier step/);
  });

  it('sends a review button to the payout, from whoever pressed it, and shows the decision', async () => {
    const facts = aPayoutFacts({ reviewers: [4004] });
    const admin = client.user(4004, { first_name: 'Dee' });
    await admin.send('hello'); // a chat exists once its user wrote
    const sender = new Bot('1:test', { apiRoot: emulator.url, maxRetries: 0 });
    const request = renderReviewRequest(facts);
    await sender.api.sendMessage({
      chat_id: 4004,
      text: request.text,
      entities: request.entities,
      reply_markup: request.keyboard!,
    });

    reviewed = [];
    reviewAnswer = {
      kind: 'reviewed',
      result: { cashoutId: facts.cashoutId, decision: 'approve', amountUsd: facts.amountUsd },
    };
    const pressed = admin.pressButton('Approve');
    const { update_id } = await pressed;
    await handled(pressed);
    assert.deepEqual(reviewed, [[facts.cashoutId, update_id, { from: 4004, decision: 'approve' }]]);
    assert.match((await admin.lastBotMessage())?.text ?? '', /You approved cashout/);
  });

  it('answers a refused review press politely', async () => {
    const facts = aPayoutFacts();
    const eve = client.user(4005, { first_name: 'Eve' });
    await eve.send('hello');
    const sender = new Bot('1:test', { apiRoot: emulator.url, maxRetries: 0 });
    const request = renderReviewRequest(facts);
    await sender.api.sendMessage({
      chat_id: 4005,
      text: request.text,
      reply_markup: request.keyboard!,
    });

    reviewAnswer = { kind: 'refused', refusal: 'notReviewer', detail: 'not an admin' };
    await handled(eve.pressButton('Reject'));
    const { events } = await eve.events();
    const answer = events.findLast((event) => event.kind === 'callback_answer');
    assert.match(
      answer?.kind === 'callback_answer' ? (answer.text ?? '') : '',
      /Only LockBay admins/,
    );
  });
});
