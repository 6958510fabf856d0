import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createCashoutActivities } from '../../activities/cashouts.ts';
import { createLedger, type Ledger } from '../../activities/ledger/index.ts';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import { selectRails } from '../../activities/providers/index.ts';
import { ProviderError } from '../../activities/providers/types.ts';
import { decodeButton } from '../../bot/codecs/index.ts';
import { startHttpServer } from '../../bot/http-server.ts';
import { createLogger } from '../../bot/logger.ts';
import { workflowDispatch } from '../../bot/webhooks/dispatch.ts';
import { createWebhookHandler } from '../../bot/webhooks/handler.ts';
import { webhookSources } from '../../bot/webhooks/sources.ts';
import type { PayoutSettings } from '../../machines/payout.ts';
import {
  entityWorkflowTypes,
  payoutWorkflowId,
  searchAttributes,
  type PayoutStart,
} from '../../workflows/contract.ts';
import { deposit } from '../support/ledger.ts';
import { startStack, type Stack } from '../support/stack.ts';

const ADDRESS = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';
const ADMIN = 9001;
const blip = () => new ProviderError('sandbox', 'timeout', 'the provider timed out', true);

// The payout workflow against the sandbox rails, whose signed webhooks reach the workflow
// through the bot's webhook endpoint. The workflow cache is off: every step replays.
describe('payout workflow (cache off, every step replays)', () => {
  let stack: Stack;
  let http: Server;
  let ledger: Ledger;
  let cashouts: ReturnType<typeof createCashoutActivities>;
  let dropPayoutWebhooks = false;
  let withdrawals: string[] = [];
  let telegramIds = 8_000_000;
  const logger = createLogger('silent');

  before(async () => {
    const port = await freePort();
    stack = await startStack({
      maxCachedWorkflows: 0,
      env: { PUBLIC_URL: `http://127.0.0.1:${port}` },
    });
    const dispatch = workflowDispatch({ ...stack, logger });
    const handler = createWebhookHandler({
      db: stack.db,
      sources: webhookSources(stack.config.providers),
      dispatch: async (event) =>
        dropPayoutWebhooks && event.kind === 'payout' ? 'unmatched' : dispatch(event),
      logger,
    });
    http = await startHttpServer({ port, host: '127.0.0.1', webhooks: handler, logger });

    ledger = createLedger({ db: stack.db });
    const rails = selectRails(stack.config.providers, stack.rails);
    cashouts = createCashoutActivities({
      db: stack.db,
      ledger,
      rails,
      limits: stack.config.cashout,
    });
    await stack.db.query(
      `INSERT INTO users (telegram_id, first_name, referral_code, role, onboarded_at)
       VALUES ($1, 'Root', 'ADMIN001', 'admin', now())`,
      [ADMIN],
    );

    const payouts = stack.rails.payouts;
    const withdraw = payouts.withdraw.bind(payouts);
    payouts.withdraw = async (request) => {
      withdrawals.push(request.idempotencyKey);
      return withdraw(request);
    };
  });
  after(async () => {
    await new Promise((done) => http?.close(done));
    await stack?.teardown();
  });
  beforeEach(() => {
    dropPayoutWebhooks = false;
    withdrawals = [];
  });

  /** An onboarded user holding `funded` USD; with `email`, a verified e-mail and code. */
  async function aUser(funded: string, email = false) {
    telegramIds += 1;
    const [user] = await stack.db.query(
      `INSERT INTO users (telegram_id, first_name, referral_code, onboarded_at, email, email_verified_at)
       VALUES ($1, 'Ada', $2, now(), $3, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END)
       RETURNING id`,
      [telegramIds, `P${telegramIds}`, email ? `p${telegramIds}@example.com` : null],
    );
    const accounts = await ledger.ensureUserAccounts(user.id, ['USD', 'NGN']);
    await deposit(ledger, accounts.USD!.available, 'USD', funded);
    const [code] = email
      ? await stack.db.query(
          `INSERT INTO email_codes (user_id, email, code_hash, idempotency_key, expires_at, verified_at)
           VALUES ($1, 'p@example.com', 'h', $2, now() + interval '10 minutes', now()) RETURNING id`,
          [user.id, `code/${telegramIds}`],
        )
      : [];
    return { telegramId: telegramIds, userId: user.id as string, codeId: code?.id ?? null };
  }

  /** Submits a BTC cashout of `amountUsd` (fee $2) and starts its payout workflow. */
  async function cashOut(
    user: Awaited<ReturnType<typeof aUser>>,
    amountUsd: string,
    settings: Partial<PayoutSettings> = { pollInitialMs: 60_000 },
  ) {
    const submitted = await cashouts.submitCashout({
      telegramUserId: user.telegramId,
      idempotencyKey: `chat-${user.telegramId}/run/submitCashout/1`,
      quote: {
        amountUsd,
        platformFeeUsd: '2',
        payoutAmount: '0.00196',
        currency: 'BTC',
        networkFee: '0.00002',
        usdPerUnit: '50000',
        expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      },
      payout: { method: 'crypto', asset: 'BTC' },
      destination: { kind: 'address', address: ADDRESS },
      saveAs: null,
      verificationId: user.codeId,
    });
    assert.equal(submitted.outcome, 'submitted', JSON.stringify(submitted));
    const cashoutId = submitted.outcome === 'submitted' ? submitted.cashoutId : '';
    const start: PayoutStart = { cashoutId, settings };
    const handle = await stack.client.workflow.start(entityWorkflowTypes.payout, {
      workflowId: payoutWorkflowId(cashoutId),
      taskQueue: stack.taskQueue,
      args: [start],
    });
    return { cashoutId, handle };
  }

  async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>) {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  const sentPayout = (cashoutId: string) =>
    until('the payout at the sandbox', () => stack.rails.payout(cashoutId));
  const messagesTo = (chatId: number) =>
    stack.sent.filter((message) => message.chat_id === chatId).map((message) => message.text);
  const balanceOf = async (userId: string) => (await ledger.balances(userId)).USD;
  const cashoutRow = async (cashoutId: string) =>
    (
      await stack.db.query(
        `SELECT status, transaction_ref, failure_reason FROM cashouts WHERE id = $1`,
        [cashoutId],
      )
    )[0];

  it('pays out, hears the webhook, settles once and tells the user the reference', async () => {
    const user = await aUser('40');
    const { cashoutId, handle } = await cashOut(user, '40');

    const payout = await sentPayout(cashoutId);
    assert.deepEqual([payout.amount, payout.destination], ['0.00196', ADDRESS]);
    await stack.rails.settle(cashoutId, 'succeeded');

    assert.equal(await handle.result(), 'succeeded');
    const { transactionRef } = stack.rails.payout(cashoutId)!.status as { transactionRef: string };
    assert.deepEqual(await cashoutRow(cashoutId), {
      status: 'succeeded',
      transaction_ref: transactionRef,
      failure_reason: null,
    });
    assert.deepEqual(withdrawals, [cashoutId]);
    assert.equal((await balanceOf(user.userId))?.held, '0');
    const [told] = messagesTo(user.telegramId);
    assert.match(told ?? '', new RegExp(`Cashout sent[\\s\\S]*${transactionRef}`));
    assert.deepEqual((await checkLedger(stack.db)).violations, []);

    const described = await handle.describe();
    assert.equal(described.typedSearchAttributes.get(searchAttributes.flowType), 'payout');
    assert.equal(described.typedSearchAttributes.get(searchAttributes.flowState), 'succeeded');
  });

  it('refunds a payout the provider failed, and tells the user why', async () => {
    const user = await aUser('40');
    const { cashoutId, handle } = await cashOut(user, '40');

    await sentPayout(cashoutId);
    await stack.rails.settle(cashoutId, 'failed', { reason: 'the address is on a blocklist' });

    assert.equal(await handle.result(), 'failed');
    assert.equal((await cashoutRow(cashoutId)).failure_reason, 'the address is on a blocklist');
    assert.equal((await balanceOf(user.userId))?.available, '40');
    assert.equal((await balanceOf(user.userId))?.held, '0');
    assert.match(
      messagesTo(user.telegramId)[0] ?? '',
      /Cashout failed[\s\S]*blocklist[\s\S]*back in your wallet/,
    );
    assert.deepEqual((await checkLedger(stack.db)).violations, []);
  });

  it('retries a provider blip with backoff and pays once', async () => {
    stack.rails.payouts.script({ error: blip() }, 'succeeded');
    const user = await aUser('40');
    const { cashoutId, handle } = await cashOut(user, '40');

    assert.equal(await handle.result(), 'succeeded');
    assert.deepEqual(withdrawals, [cashoutId, cashoutId], 'sent again after the blip');
    assert.equal(stack.rails.payout(cashoutId)?.status.state, 'succeeded');
    assert.equal((await cashoutRow(cashoutId)).status, 'succeeded');
  });

  it('never sends twice when the provider took a payout whose answer was lost', async () => {
    stack.rails.payouts.script({ error: blip(), accepted: true });
    const user = await aUser('40');
    const { cashoutId, handle } = await cashOut(user, '40');

    await sentPayout(cashoutId);
    // The retry asks first, finds the payout pending and waits for its verdict.
    await until('the retry', async () => {
      const history = await handle.fetchHistory();
      const retried = history.events?.some(
        (event) => (event.activityTaskStartedEventAttributes?.attempt ?? 0) > 1,
      );
      return retried ? true : undefined;
    });
    await stack.rails.settle(cashoutId, 'succeeded');

    assert.equal(await handle.result(), 'succeeded');
    assert.deepEqual(withdrawals, [cashoutId], 'one call to withdraw');
  });

  it('refunds at once when the provider refuses the payout', async () => {
    const refused = new ProviderError('sandbox', 'invalid_address', 'address refused', false);
    stack.rails.payouts.script({ error: refused });
    const user = await aUser('40');
    const { cashoutId, handle } = await cashOut(user, '40');

    assert.equal(await handle.result(), 'failed');
    assert.deepEqual(withdrawals, [cashoutId]);
    assert.match((await cashoutRow(cashoutId)).failure_reason, /address refused/);
    assert.equal((await balanceOf(user.userId))?.available, '40');
  });

  it('asks the provider on a backing-off timer when no webhook comes', async () => {
    dropPayoutWebhooks = true;
    const user = await aUser('40');
    const { cashoutId, handle } = await cashOut(user, '40', { pollInitialMs: 200, pollMaxMs: 400 });

    await sentPayout(cashoutId);
    await stack.rails.settle(cashoutId, 'succeeded');

    assert.equal(await handle.result(), 'succeeded');
    const history = await handle.fetchHistory();
    const timers = history.events?.filter((event) => event.timerStartedEventAttributes) ?? [];
    assert.ok(timers.length >= 1, 'it waited on a durable timer');
  });

  it('waits for an admin above $250: others are refused, an approval pays out', async () => {
    const user = await aUser('300', true);
    const { cashoutId, handle } = await cashOut(user, '300');

    const request = await until('the review request', () =>
      stack.sent.find((message) => message.chat_id === ADMIN),
    );
    const approve = buttonData(request, 'Approve');
    assert.deepEqual(decodeButton(approve), { kind: 'review', cashoutId, decision: 'approve' });
    await until('the user told', () =>
      messagesTo(user.telegramId).find((text) => /awaiting review/.test(text)),
    );
    assert.equal(stack.rails.payout(cashoutId), undefined, 'nothing is sent before review');

    const byOwner = await stack.conversations.review(cashoutId, 1, {
      from: user.telegramId,
      decision: 'approve',
    });
    assert.equal(byOwner.kind === 'refused' && byOwner.refusal, 'notReviewer');

    const approved = await stack.conversations.review(cashoutId, 2, {
      from: ADMIN,
      decision: 'approve',
    });
    assert.deepEqual(approved, {
      kind: 'reviewed',
      result: { cashoutId, decision: 'approve', amountUsd: '300' },
    });
    const late = await stack.conversations.review(cashoutId, 3, {
      from: ADMIN,
      decision: 'reject',
    });
    assert.equal(late.kind === 'refused' && late.refusal, 'reviewClosed');

    await sentPayout(cashoutId);
    await stack.rails.settle(cashoutId, 'succeeded');
    assert.equal(await handle.result(), 'succeeded');
    const [reviewer] = await stack.db.query(
      `SELECT r.telegram_id FROM cashouts c JOIN users r ON r.id = c.reviewed_by WHERE c.id = $1`,
      [cashoutId],
    );
    assert.equal(Number(reviewer.telegram_id), ADMIN);

    const afterward = await stack.conversations.review(cashoutId, 4, {
      from: ADMIN,
      decision: 'reject',
    });
    assert.equal(afterward.kind === 'refused' && afterward.refusal, 'reviewClosed');
  });

  it('returns the money when an admin rejects', async () => {
    const user = await aUser('300', true);
    const { cashoutId, handle } = await cashOut(user, '300');
    await until('the review request', () =>
      stack.sent.find((message) => message.chat_id === ADMIN && message.text.includes(cashoutId)),
    );

    const rejected = await stack.conversations.review(cashoutId, 5, {
      from: ADMIN,
      decision: 'reject',
    });
    assert.equal(rejected.kind, 'reviewed');

    assert.equal(await handle.result(), 'rejected');
    assert.equal(stack.rails.payout(cashoutId), undefined);
    assert.equal((await cashoutRow(cashoutId)).status, 'rejected');
    assert.equal((await balanceOf(user.userId))?.available, '300');
    assert.match(messagesTo(user.telegramId).at(-1) ?? '', /Cashout declined/);
    assert.deepEqual((await checkLedger(stack.db)).violations, []);
  });
});

function buttonData(message: Stack['sent'][number], label: string): string {
  const markup = message.reply_markup as
    { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
  const button = markup?.inline_keyboard.flat().find((each) => each.text === label);
  assert.ok(button?.callback_data, `no ${label} button`);
  return button.callback_data;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
