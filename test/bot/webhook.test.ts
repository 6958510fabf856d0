import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Bot } from 'node-telegram-bot-api';
import { EmulatorClient } from '../../bot/emulator/client.ts';
import { startEmulator, type RunningEmulator } from '../../bot/emulator/index.ts';
import { startHttpServer } from '../../bot/http-server.ts';
import { createLogger } from '../../bot/logger.ts';
import { TelegramBot } from '../../bot/telegram-bot.ts';
import { aWelcomeDelivery } from '../support/builders.ts';

const secret = 'webhook-secret-for-tests_0123456789';
const refusedReview = { kind: 'refused', refusal: 'reviewClosed', detail: 'unused' } as const;
const welcome = aWelcomeDelivery();

describe('webhook mode', () => {
  let emulator: RunningEmulator;
  let server: Server;
  let url: string;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
    const telegram = new TelegramBot({
      bot: new Bot('1:test', { apiRoot: emulator.url, maxRetries: 0 }),
      conversations: { deliver: async () => welcome, review: async () => refusedReview },
      otpSecret: 'a-test-secret-of-at-least-thirty-two-chars',
      logger: createLogger('silent'),
      viewContext: { botUsername: 'lockbay_local_bot' },
    });
    server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      telegram: {
        path: '/telegram/updates',
        secret,
        onUpdate: (update) => void telegram.dispatch(update),
      },
      logger: createLogger('silent'),
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/updates`;
    const api = new Bot('1:test', { apiRoot: emulator.url }).api;
    await api.setWebhook({ url, secret_token: secret });
  });
  after(async () => {
    await new Promise((done) => server?.close(done));
    await emulator?.close();
  });

  it('takes updates Telegram posts with the secret token and answers them', async () => {
    const ada = new EmulatorClient(emulator.url).user(6001, { first_name: 'Ada' });
    await ada.send('/start');
    const shown = await ada.waitFor((message) => /Welcome to LockBay/.test(message.text ?? ''));
    assert.ok(shown);
  });

  it('refuses a post without the secret, or with a wrong one, with 401', async () => {
    const body = JSON.stringify({
      update_id: 1,
      message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: '/start' },
    });
    const headers = { 'content-type': 'application/json' };
    const missing = await fetch(url, { method: 'POST', body, headers });
    const wrong = await fetch(url, {
      method: 'POST',
      body,
      headers: { ...headers, 'x-telegram-bot-api-secret-token': `${secret}x` },
    });
    assert.deepEqual([missing.status, wrong.status], [401, 401]);
  });
});
