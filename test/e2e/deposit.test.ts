import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import { createRateActivities } from '../../activities/rates.ts';
import { EmulatorClient } from '../../bot/emulator/client.ts';
import { startEmulator, type RunningEmulator } from '../../bot/emulator/index.ts';
import { startHttpServer } from '../../bot/http-server.ts';
import { createLogger } from '../../bot/logger.ts';
import { createTelegramBot } from '../../bot/telegram-api.ts';
import { workflowDispatch } from '../../bot/webhooks/dispatch.ts';
import { createWebhookHandler } from '../../bot/webhooks/handler.ts';
import { webhookSources } from '../../bot/webhooks/sources.ts';
import { depositWorkflowId } from '../../workflows/contract.ts';
import { replyTo } from '../support/chat.ts';
import { startPollingBot, type PollingBot } from '../support/polling-bot.ts';
import { startStack, type Stack } from '../support/stack.ts';

// Add funds as a person sees it: the emulator, the bot, the sandbox crypto processor posting
// signed webhooks to the bot's endpoint, the deposit workflow and the ledger.
describe('a deposit end to end', () => {
  let stack: Stack;
  let emulator: RunningEmulator;
  let http: Server;
  let client: EmulatorClient;
  let polling: PollingBot;
  const logger = createLogger('silent');

  before(async () => {
    const port = await freePort();
    emulator = await startEmulator({ port: 0 });
    const telegramConfig = {
      telegram: { token: undefined, apiRoot: emulator.url, webhook: undefined, usesEmulator: true },
    };
    stack = await startStack({
      env: { PUBLIC_URL: `http://127.0.0.1:${port}`, RATE_MAX_AGE_SECONDS: '300' },
      telegram: createTelegramBot(telegramConfig).api,
    });
    const handler = createWebhookHandler({
      db: stack.db,
      sources: webhookSources(stack.config.providers),
      dispatch: workflowDispatch({
        client: stack.client,
        db: stack.db,
        taskQueue: stack.taskQueue,
        logger,
      }),
      logger,
    });
    http = await startHttpServer({ port, host: '127.0.0.1', webhooks: handler, logger });

    client = new EmulatorClient(emulator.url);
    polling = await startPollingBot(stack, emulator.url);
  });
  after(async () => {
    await polling?.stop();
    await new Promise((done) => http?.close(done));
    await emulator?.close();
    await stack?.teardown();
  });

  it('credits a BTC deposit once at the current rate and tells the user', async () => {
    const refresh = createRateActivities({ db: stack.db, source: stack.rails.rates });
    stack.rails.rates.set('BTC', 'USD', '50000');
    await refresh.refreshRates();

    const ada = client.user(7001, { first_name: 'Ada' });
    await replyTo(ada, () => ada.send('/start'), /Welcome to LockBay/);
    await replyTo(ada, () => ada.pressButton('Get started'), /Your e-mail/);
    await replyTo(ada, () => ada.pressButton('Skip'), /Terms of use/);
    await replyTo(ada, () => ada.pressButton('Accept'), /Main menu/);
    await replyTo(ada, () => ada.pressButton('Add funds'), /Which asset/);
    const shown = await replyTo(ada, () => ada.pressButton('Bitcoin (BTC)'), /Send Bitcoin/);
    const address = /Address:\n(\S+)/.exec(shown.text ?? '')?.[1];
    assert.ok(address, shown.text);

    // Two webhooks (seen, confirmed) each delivered five times, the confirmation first.
    await replyTo(
      ada,
      () =>
        stack.rails.crypto.pay(address, '0.002', {
          confirmations: 1,
          duplicates: 4,
          order: 'reverse',
        }),
      /Deposit credited[\s\S]*\$100\.00 was added/,
    );

    const [deposit] = await stack.db.query(`SELECT id FROM deposits WHERE address = $1`, [address]);
    const events = await stack.db.query(
      `SELECT status, count(*)::int AS n FROM provider_events GROUP BY status`,
    );
    assert.deepEqual(events, [{ status: 'dispatched', n: 2 }]);
    const credits = await stack.db.query(
      `SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'deposit'`,
    );
    assert.equal(credits[0].n, 1);
    assert.deepEqual((await checkLedger(stack.db)).violations, []);

    const menu = await replyTo(ada, () => ada.send('/menu'), /Main menu/);
    assert.match(menu.text ?? '', /Wallet: \$100\.00 available/);
    const running = await stack.client.workflow.getHandle(depositWorkflowId(deposit.id)).describe();
    assert.equal(running.status.name, 'RUNNING', 'still watching the address for more payments');
  });

  it('never prices a deposit with a stale rate: it waits for the next refresh', async () => {
    const bea = client.user(7002, { first_name: 'Bea' });
    await replyTo(bea, () => bea.send('/start'), /Welcome to LockBay/);
    await replyTo(bea, () => bea.pressButton('Get started'), /Your e-mail/);
    await replyTo(bea, () => bea.pressButton('Skip'), /Terms of use/);
    await replyTo(bea, () => bea.pressButton('Accept'), /Main menu/);
    await replyTo(bea, () => bea.pressButton('Add funds'), /Which asset/);
    const shown = await replyTo(bea, () => bea.pressButton('Litecoin (LTC)'), /Send Litecoin/);
    const address = /Address:\n(\S+)/.exec(shown.text ?? '')?.[1] ?? '';

    await stack.db.query(`UPDATE rates SET fetched_at = now() - interval '1 hour'`);
    await replyTo(
      bea,
      () => stack.rails.crypto.pay(address, '2', { confirmations: 1 }),
      /Deposit seen/,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const early = await stack.db.query(
      `SELECT count(*)::int AS n FROM ledger_transfers t WHERE t.metadata->>'txid' IS NOT NULL
         AND t.metadata->>'depositId' = (SELECT id::text FROM deposits WHERE address = $1)`,
      [address],
    );
    assert.equal(early[0].n, 0, 'nothing credited at a stale rate');

    stack.rails.rates.set('LTC', 'USD', '80');
    await createRateActivities({ db: stack.db, source: stack.rails.rates }).refreshRates();
    await replyTo(bea, async () => undefined, /Deposit credited[\s\S]*\$160\.00 was added/);
    assert.deepEqual((await checkLedger(stack.db)).violations, []);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
