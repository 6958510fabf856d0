import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import { EmulatorClient, type ChatUser } from '../../bot/emulator/client.ts';
import { startEmulator, type RunningEmulator } from '../../bot/emulator/index.ts';
import type { EmulatedMessage } from '../../bot/emulator/protocol.ts';
import { startHttpServer } from '../../bot/http-server.ts';
import { createLogger } from '../../bot/logger.ts';
import { createTelegramBot } from '../../bot/telegram-api.ts';
import { workflowDispatch } from '../../bot/webhooks/dispatch.ts';
import { createWebhookHandler } from '../../bot/webhooks/handler.ts';
import { webhookSources } from '../../bot/webhooks/sources.ts';
import { cashoutHelpers } from '../support/cashout-stack.ts';
import { replyTo } from '../support/chat.ts';
import { deposit } from '../support/ledger.ts';
import { startPollingBot, type PollingBot } from '../support/polling-bot.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BTC_ADDRESS = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';
const BANK = { code: '058', name: 'Guaranty Trust Bank' };
const ACCOUNT = { number: '0123456789', name: 'ADA LOVELACE' };
const CASHOUT_ID = /Cashout id: ([0-9a-f-]{36})/;

// Cashouts as a person sees them: the emulator, the polling bot, the cashout and payout
// workflows, the sandbox rails settling payouts and posting signed webhooks to the bot's
// endpoint, the worker's notices reaching the chat, and the ledger underneath.
describe('cashouts end to end through the Bot API emulator', () => {
  let stack: Stack;
  let emulator: RunningEmulator;
  let http: Server;
  let client: EmulatorClient;
  let polling: PollingBot;
  let t: ReturnType<typeof cashoutHelpers>;
  const logger = createLogger('silent');

  before(async () => {
    const port = await freePort();
    emulator = await startEmulator({ port: 0 });
    const telegramConfig = {
      telegram: { token: undefined, apiRoot: emulator.url, webhook: undefined, usesEmulator: true },
    };
    stack = await startStack({
      env: {
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        RATE_MAX_AGE_SECONDS: '3600',
        PAYOUT_POLL_INITIAL_SECONDS: '1',
        PAYOUT_POLL_MAX_SECONDS: '2',
      },
      telegram: createTelegramBot(telegramConfig).api,
    });
    const handler = createWebhookHandler({
      db: stack.db,
      sources: webhookSources(stack.config.providers),
      dispatch: workflowDispatch({ ...stack, logger }),
      logger,
    });
    http = await startHttpServer({ port, host: '127.0.0.1', webhooks: handler, logger });

    client = new EmulatorClient(emulator.url);
    polling = await startPollingBot(stack, emulator.url);
    t = cashoutHelpers(stack, 7_100_000);
    await t.freshRates();
  });
  after(async () => {
    await polling?.stop();
    await new Promise((done) => http?.close(done));
    await emulator?.close();
    await stack?.teardown();
  });

  const say = (user: ChatUser, text: string, pattern: RegExp) =>
    replyTo(user, () => user.send(text), pattern);
  const tap = (user: ChatUser, label: string | RegExp, pattern: RegExp) =>
    replyTo(user, () => user.pressButton(label), pattern);
  const codeFor = (email: string) =>
    /(\d{6})/.exec(stack.mailer.latestTo(email)?.subject ?? '')?.[1] ?? '';
  const labels = (message: EmulatedMessage) =>
    message.reply_markup?.inline_keyboard.flat().map((button) => button.text) ?? [];

  /**
   * Confirms the quote on screen, types the e-mailed code and returns the submitted screen. The
   * codes used at sign-up and for the cashout before do not make the user wait.
   */
  async function confirmWithCode(user: ChatUser, email: string) {
    await tap(user, 'Confirm', /Check your e-mail/);
    const done = await say(user, codeFor(email), /Cashout submitted/);
    const cashoutId = CASHOUT_ID.exec(done.text ?? '')?.[1];
    assert.ok(cashoutId, done.text);
    return { done, cashoutId };
  }

  async function balancesOf(userId: string) {
    const rows: Array<{ bucket: string; balance: string }> = await stack.db.query(
      `SELECT bucket, trim_scale(balance)::text AS balance FROM ledger_accounts
       WHERE owner_user_id = $1 AND currency = 'USD' ORDER BY bucket`,
      [userId],
    );
    return Object.fromEntries(rows.map((row) => [row.bucket, row.balance]));
  }

  it('cashes out $40 to a new BTC address, then the rest to a saved bank account', async () => {
    const email = 'ada7100500@example.com';
    const ada = client.user(7_100_500, { first_name: 'Ada' });
    await say(ada, '/start', /Welcome to LockBay/);
    await tap(ada, 'Get started', /Your e-mail/);
    await say(ada, email, /We sent a 6-digit code/);
    await say(ada, codeFor(email), /E-mail verified/);
    await tap(ada, 'Accept', /Main menu/);
    const [{ id: userId }] = await stack.db.query(`SELECT id FROM users WHERE telegram_id = $1`, [
      ada.id,
    ]);
    const accounts = await t.ledger.ensureUserAccounts(userId, ['USD', 'NGN']);
    await deposit(t.ledger, accounts.USD!.available, 'USD', '100');

    const wallet = await say(ada, '/wallet', /Wallet/);
    assert.match(wallet.text ?? '', /Available: \$100\.00/);
    assert.match(wallet.text ?? '', /Held: \$0\.00/);
    assert.match(wallet.text ?? '', /You can cash out \$100\.00\./);
    assert.deepEqual(labels(wallet), [
      'Add funds',
      'Cash out',
      'Cash out all ($100.00)',
      'Activity',
      'Back to menu',
    ]);

    // 1. $40 to a new BTC address, saved under a label.
    const amount = await tap(ada, 'Cash out', /How much do you want to cash out\?/);
    assert.match(
      amount.text ?? '',
      /You can cash out \$100\.00\. A cashout is \$1\.00 to \$500\.00\./,
    );
    await tap(ada, 'Other amount', /Type the amount in dollars/);
    await say(ada, '40', /Cash out \$40\.00[\s\S]*Where should the money go\?/);
    await tap(ada, 'Crypto', /Which asset\?/);
    await tap(ada, 'Bitcoin (BTC)', /Paste the Bitcoin \(BTC\) address/);
    const check = await say(ada, BTC_ADDRESS, /Save this destination\?/);
    assert.match(check.text ?? '', new RegExp(`address:\\n${BTC_ADDRESS}`));
    await tap(ada, 'Save', /Name this destination/);
    const btcQuote = await say(ada, 'Cold wallet', /Your quote/);
    for (const line of [
      /Amount: \$40\.00/,
      /Platform fee: \$2\.00, included in the amount/,
      /Network fee: 0\.00002000 BTC, taken from what is sent/,
      /You receive: 0\.00038000 BTC/,
      new RegExp(`To Bitcoin \\(BTC\\) address:\\n${BTC_ADDRESS}`),
      /Rate: 1 BTC = \$95,000\.00, held for 10 minutes\./,
      /we e-mail you a 6-digit code/,
    ]) {
      assert.match(btcQuote.text ?? '', line);
    }

    stack.rails.payouts.script('succeeded');
    const { seq: beforeBtc } = await ada.events(0);
    const btc = await confirmWithCode(ada, email);
    assert.match(btc.done.text ?? '', /You will receive 0\.00038000 BTC for \$40\.00\./);
    assert.match(btc.done.text ?? '', /Status: being paid out/);
    const btcSent = await shownSince(ada, beforeBtc, /Cashout sent/);
    assert.match(btcSent.text ?? '', /0\.00038000 BTC to bc1qxy…0wlh: done\./);
    assert.match(btcSent.text ?? '', /Transaction reference: sbx_[0-9a-f]{24}/);
    assert.match(btcSent.text ?? '', new RegExp(`Cashout id: ${btc.cashoutId}`));
    assert.doesNotMatch(btcSent.text ?? '', new RegExp(BTC_ADDRESS), 'the address is masked');

    // 2. Everything left to a saved naira account.
    stack.rails.bank.addAccount(BANK.code, ACCOUNT.number, ACCOUNT.name);
    await stack.db.query(
      `INSERT INTO saved_destinations (user_id, method, bank_code, account_number, account_name, label)
       VALUES ($1, 'bank', $2, $3, $4, 'Salary')`,
      [userId, BANK.code, ACCOUNT.number, ACCOUNT.name],
    );
    await t.freshRates();
    const after40 = await say(ada, '/wallet', /Wallet/);
    assert.match(after40.text ?? '', /Available: \$60\.00/);
    assert.match(after40.text ?? '', /You can cash out \$60\.00\./);
    assert.ok(labels(after40).includes('BTC again · Cold wallet'), labels(after40).join(' | '));

    await tap(ada, 'Cash out all ($60.00)', /Cash out \$60\.00[\s\S]*Where should the money go\?/);
    await tap(ada, 'Nigerian bank (NGN)', /Which bank holds your naira account\?/);
    const accountsShown = await tap(ada, BANK.name, /Send it to which account at/);
    assert.match(accountsShown.text ?? '', new RegExp(`account at ${BANK.name}\\?`));
    const ngnQuote = await tap(ada, 'Salary · ******6789', /Your quote/);
    for (const line of [
      /Amount: \$60\.00/,
      /Platform fee: \$2\.00, included in the amount/,
      /Transfer fee: ₦0\.00/,
      /You receive: ₦87,000\.00/,
      /To Salary: account \*{6}6789 \(ADA LOVELACE\) at Guaranty Trust Bank/,
      /Rate: \$1 = ₦1,500\.00, held for 10 minutes\./,
    ]) {
      assert.match(ngnQuote.text ?? '', line);
    }

    stack.rails.bank.scriptPayouts('succeeded');
    const { seq: beforeNgn } = await ada.events(0);
    const ngn = await confirmWithCode(ada, email);
    assert.match(ngn.done.text ?? '', /You will receive ₦87,000\.00 for \$60\.00\./);
    const ngnSent = await shownSince(ada, beforeNgn, /Cashout sent/);
    assert.match(
      ngnSent.text ?? '',
      /₦87,000\.00 to bank account \*\*\*\*\*\*6789 \(ADA LOVELACE\): done\./,
    );
    assert.match(ngnSent.text ?? '', /Transaction reference: sbx_[0-9a-f]{24}/);
    assert.match(ngnSent.text ?? '', new RegExp(`Cashout id: ${ngn.cashoutId}`));

    // 3. What is left behind.
    assert.deepEqual(await balancesOf(userId), { available: '0', held: '0', trading_credit: '0' });
    const cashouts = await stack.db.query(
      `SELECT id, status, method, trim_scale(amount_usd)::text AS amount, payout_currency,
              trim_scale(payout_amount)::text AS payout
       FROM cashouts WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
    assert.deepEqual(cashouts, [
      {
        id: btc.cashoutId,
        status: 'succeeded',
        method: 'crypto',
        amount: '40',
        payout_currency: 'BTC',
        payout: '0.0004',
      },
      {
        id: ngn.cashoutId,
        status: 'succeeded',
        method: 'bank',
        amount: '60',
        payout_currency: 'NGN',
        payout: '87000',
      },
    ]);
    const saved = await stack.db.query(
      `SELECT method, asset, address, bank_code, label FROM saved_destinations
       WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
    assert.deepEqual(saved, [
      {
        method: 'crypto',
        asset: 'BTC',
        address: BTC_ADDRESS,
        bank_code: null,
        label: 'Cold wallet',
      },
      { method: 'bank', asset: null, address: null, bank_code: BANK.code, label: 'Salary' },
    ]);
    const ledger = await checkLedger(stack.db);
    assert.deepEqual(ledger.violations, []);
    assert.ok(ledger.ok);

    const emptied = await say(ada, '/wallet', /Wallet/);
    assert.match(emptied.text ?? '', /Available: \$0\.00[\s\S]*Held: \$0\.00/);
    assert.ok(labels(emptied).includes('Bank again · Salary'), labels(emptied).join(' | '));
    assert.ok(!labels(emptied).some((label) => label.startsWith('Cash out all')));
  });

  it('answers /cancel midway and writes nothing', async () => {
    const seeded = await t.aUser('25', 'cy@example.com');
    const cy = client.user(seeded.telegramId, { first_name: 'Cy' });
    await say(cy, '/cashout', /How much do you want to cash out\?/);
    await tap(cy, 'Other amount', /Type the amount in dollars/);
    await say(cy, '10', /Where should the money go\?/);
    await tap(cy, 'Crypto', /Which asset\?/);

    const cancelled = await say(cy, '/cancel', /Cancelled/);
    assert.match(cancelled.text ?? '', /Nothing was sent and your balance is unchanged\./);
    const [written] = await stack.db.query(
      `SELECT (SELECT count(*) FROM cashouts WHERE user_id = $1)::int AS cashouts,
              (SELECT count(*) FROM saved_destinations WHERE user_id = $1)::int AS saved,
              (SELECT count(*) FROM ledger_holds h JOIN ledger_accounts a ON a.id = h.available_account_id
               WHERE a.owner_user_id = $1)::int AS holds`,
      [seeded.userId],
    );
    assert.deepEqual(written, { cashouts: 0, saved: 0, holds: 0 });
    assert.deepEqual(await balancesOf(seeded.userId), {
      available: '25',
      held: '0',
      trading_credit: '0',
    });
  });
});

/**
 * The first bot message or edit after chat event `since` whose text matches. The worker's
 * notices can land before the reply that precedes them is read, so this looks back to `since`.
 */
async function shownSince(
  user: ChatUser,
  since: number,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<EmulatedMessage> {
  const deadline = Date.now() + timeoutMs;
  let seq = since;
  while (Date.now() < deadline) {
    const log = await user.events(seq, 1_000);
    seq = log.seq;
    for (const event of log.events) {
      const shown = event.kind === 'edit' || (event.kind === 'message' && event.from === 'bot');
      if (shown && pattern.test(event.message.text ?? '')) return event.message;
    }
  }
  throw new Error(`no message matching ${pattern}\n${await user.transcript()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
