import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import { codeDigest } from '../../activities/otp.ts';
import { ProviderError } from '../../activities/providers/types.ts';
import {
  contextChangedSignal,
  conversationId,
  payoutWorkflowId,
  type StepResult,
} from '../../workflows/contract.ts';
import {
  BTC_ADDRESS,
  cashoutHelpers,
  toNewBtcAddress,
  until,
  type Step,
} from '../support/cashout-stack.ts';
import { deposit } from '../support/ledger.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SAVED_ADDRESS = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const ADMIN = 9001;
// Nothing listens there: the sandbox's payout webhooks are refused and the payout workflow
// finds each outcome by polling, on the short timers below.
const NOWHERE = 'http://127.0.0.1:9';
const blip = () => new ProviderError('sandbox', 'timeout', 'the provider timed out', true);

const open: Step = [{ type: 'flow.open', flow: 'cashout' }, 'choosingAmount'];
const confirm: Step = [{ type: 'cashout.confirm' }, 'done'];

/** Amount, BTC and a new address used once: the shortest road to a quote. */
function toBtcQuote(amountUsd: string): Step[] {
  return [
    ...toNewBtcAddress(amountUsd),
    [{ type: 'destination.useOnce' }, 'pricing.quoted.reviewing'],
  ];
}

type Helpers = ReturnType<typeof cashoutHelpers>;
type User = Awaited<ReturnType<Helpers['aUser']>>;

// The cashout conversation against the sandbox rails. The workflow cache is off: every step
// replays the run from its history first.
describe('cashout workflow (cache off, every step replays)', () => {
  let stack: Stack;
  let t: Helpers;
  let withdrawals: string[] = [];
  let emails = 0;

  before(async () => {
    ({ stack, t } = await cashoutStack(0, {
      OTP_RESEND_COOLDOWN_SECONDS: '1',
      ADMIN_TELEGRAM_IDS: String(ADMIN),
    }));
    await t.anAdmin(ADMIN);

    const payouts = stack.rails.payouts;
    const withdraw = payouts.withdraw.bind(payouts);
    payouts.withdraw = async (request) => {
      withdrawals.push(request.idempotencyKey);
      return withdraw(request);
    };
  });
  after(() => stack?.teardown());
  beforeEach(() => {
    withdrawals = [];
  });

  const payout = (cashoutId: string) =>
    stack.client.workflow.getHandle(payoutWorkflowId(cashoutId));
  const conversation = (chat: number) => stack.client.workflow.getHandle(conversationId(chat));
  const anEmail = () => `cashout${(emails += 1)}@example.com`;
  const notice = (result: StepResult) => result.screen.notice;

  /** A cashout of `amountUsd` to a new BTC address, by a user without an e-mail (no code). */
  async function cashOut(user: User, amountUsd: string) {
    await t.walk(user.telegramId, toBtcQuote(amountUsd));
    return submitted(await t.walk(user.telegramId, [confirm]));
  }

  it('cashes out $40 to a new BTC address with an e-mail code and pays it out', async () => {
    const email = 'smoke@example.com';
    const user = await t.aUser('100', email);
    stack.rails.payouts.script('succeeded');
    const chat = user.telegramId;
    const state = async (event: Parameters<typeof t.say>[1]) =>
      t.screenOf(await t.say(chat, event)).screen;

    assert.equal((await state({ type: 'flow.open', flow: 'cashout' })).state, 'choosingAmount');
    assert.equal((await state({ type: 'amount.custom' })).state, 'typingAmount');
    assert.equal((await state({ type: 'text.entered', text: '40' })).state, 'choosingMethod');
    assert.equal((await state({ type: 'method.choose', method: 'crypto' })).state, 'choosingAsset');
    assert.equal(
      (await state({ type: 'asset.choose', asset: 'BTC' })).state,
      'enteringDestination',
    );
    assert.equal((await state({ type: 'text.entered', text: BTC_ADDRESS })).state, 'choosingSave');
    assert.equal((await state({ type: 'destination.save' })).state, 'typingLabel');
    const quote = await state({ type: 'text.entered', text: 'Cold wallet' });
    assert.equal(quote.state, 'pricing.quoted.reviewing', JSON.stringify(quote));
    assert.equal((await state({ type: 'cashout.confirm' })).state, 'pricing.quoted.awaitingCode');
    const done = await state({ type: 'code.entered', digest: t.codeFor(chat, email) });
    assert.equal(done.state, 'done', JSON.stringify(done));
    const cashoutId = String(done.data.cashoutId);

    await conversation(chat).result();
    await payout(cashoutId).result();
    const [row] = await stack.db.query(
      'SELECT status, amount_usd::text FROM cashouts WHERE id = $1',
      [cashoutId],
    );
    assert.equal(row.status, 'succeeded');
    assert.equal(row.amount_usd, '40.000000000000000000');
    const left = await t.machineState(chat);
    assert.equal(left?.state, 'done');
    assert.equal((left?.context as { facts: unknown }).facts, null, 'the facts were dropped');
  });

  it('pays naira to a new account resolved to its holder, saves it and offers it first next time', async () => {
    const user = await t.aUser('100');
    const chat = user.telegramId;
    stack.rails.bank.addAccount('058', '0123456789', 'Adaeze Bankole');
    stack.rails.bank.scriptPayouts('succeeded', 'succeeded');

    const resolved = await t.walk(chat, [
      open,
      [{ type: 'amount.custom' }, 'typingAmount'],
      [{ type: 'text.entered', text: '50' }, 'choosingMethod'],
      [{ type: 'method.choose', method: 'bank' }, 'choosingBank'],
      [{ type: 'bank.choose', bankCode: '058' }, 'enteringDestination'],
      [{ type: 'text.entered', text: '012 345 6789' }, 'choosingSave'],
    ]);
    assert.deepEqual(resolved.screen.data.destination, {
      method: 'bank',
      bankCode: '058',
      bankName: 'Guaranty Trust Bank',
      kind: 'account',
      accountNumber: '0123456789',
      accountName: 'Adaeze Bankole',
    });
    const quoted = await t.walk(chat, [
      [{ type: 'destination.save' }, 'typingLabel'],
      [{ type: 'text.entered', text: 'Salary' }, 'pricing.quoted.reviewing'],
    ]);
    // $50 less the $2 minimum fee, at ₦1,500 per dollar; the bank rail passes on no fee.
    const quote = quoted.screen.data.quote as Record<string, string>;
    assert.deepEqual(
      [quote.currency, quote.amountUsd, quote.platformFeeUsd, quote.payoutAmount, quote.receive],
      ['NGN', '50', '2', '72000', '72000'],
    );
    assert.equal(quote.networkFee, '0');
    assert.equal(quoted.screen.data.needsCode, false, 'no e-mail, and $50 is within the cap');

    const { cashoutId } = submitted(await t.walk(chat, [confirm]));
    assert.equal(await payout(cashoutId).result(), 'succeeded');
    const [row] = await t.cashoutsOf(user.userId);
    assert.deepEqual(
      {
        status: row?.status,
        method: row?.method,
        currency: row?.payout_currency,
        amount: row?.payout_amount,
        account: [row?.account_number, row?.account_name],
      },
      {
        status: 'succeeded',
        method: 'bank',
        currency: 'NGN',
        amount: '72000',
        account: ['0123456789', 'Adaeze Bankole'],
      },
    );
    assert.equal(stack.rails.payout(cashoutId)?.destination, '058 / 0123456789');
    assert.deepEqual(await t.balancesOf(user.userId), { available: '50', held: '0' });
    assert.match(t.messagesTo(chat).at(-1) ?? '', /Cashout sent[\s\S]*Adaeze Bankole/);

    const [saved] = await stack.db.query(
      `SELECT id::text AS id, label, account_name FROM saved_destinations
       WHERE user_id = $1 AND method = 'bank'`,
      [user.userId],
    );
    assert.deepEqual([saved.label, saved.account_name], ['Salary', 'Adaeze Bankole']);
    assert.equal(row?.destination_id, saved.id);
    // A never-used account at the same bank lists after the one just paid.
    await stack.db.query(
      `INSERT INTO saved_destinations (user_id, method, bank_code, account_number, account_name, label)
       VALUES ($1, 'bank', '058', '9876543210', 'Adaeze Bankole', 'Old')`,
      [user.userId],
    );

    const offered = await t.walk(chat, [
      open,
      [{ type: 'amount.custom' }, 'typingAmount'],
      [{ type: 'text.entered', text: '20' }, 'choosingMethod'],
      [{ type: 'method.choose', method: 'bank' }, 'choosingBank'],
      [{ type: 'bank.choose', bankCode: '058' }, 'choosingDestination'],
    ]);
    const list = offered.screen.data.saved as Array<{ id: string; label: string; masked: string }>;
    assert.deepEqual(
      list.map(({ label, masked }) => [label, masked]),
      [
        ['Salary', '******6789'],
        ['Old', '******3210'],
      ],
    );
    await t.walk(chat, [
      [{ type: 'destination.choose', destinationId: list[0]!.id }, 'pricing.quoted.reviewing'],
    ]);
    const again = submitted(await t.walk(chat, [confirm]));
    assert.equal(await payout(again.cashoutId).result(), 'succeeded');
    const [, second] = await t.cashoutsOf(user.userId);
    assert.deepEqual(
      [second?.destination_id, second?.account_number, second?.payout_amount],
      [saved.id, '0123456789', '27000'],
    );
    assert.deepEqual(await t.balancesOf(user.userId), { available: '30', held: '0' });
  });

  it('voids the hold when the provider fails the payout, and tells the user why', async () => {
    stack.rails.payouts.script({ outcome: 'failed', reason: 'the address is on a blocklist' });
    const user = await t.aUser('100');
    const { cashoutId } = await cashOut(user, '40');

    assert.equal(await payout(cashoutId).result(), 'failed');
    const [row] = await t.cashoutsOf(user.userId);
    assert.deepEqual(
      [row?.status, row?.failure_reason],
      ['failed', 'the address is on a blocklist'],
    );
    assert.deepEqual(await t.balancesOf(user.userId), { available: '100', held: '0' });
    assert.deepEqual(await t.holdsOf(user.userId), ['voided']);
    assert.match(
      t.messagesTo(user.telegramId).at(-1) ?? '',
      /Cashout failed[\s\S]*blocklist[\s\S]*back in your wallet/,
    );
    assert.deepEqual((await checkLedger(stack.db)).violations, []);
  });

  it('retries a provider blip and pays once', async () => {
    stack.rails.payouts.script({ error: blip() }, 'succeeded');
    const user = await t.aUser('100');
    const { cashoutId } = await cashOut(user, '40');

    assert.equal(await payout(cashoutId).result(), 'succeeded');
    // The blip came before the provider recorded anything; the retry's payout is the only one.
    assert.deepEqual(withdrawals, [cashoutId, cashoutId]);
    assert.equal(stack.rails.payout(cashoutId)?.status.state, 'succeeded');
    assert.deepEqual(stack.rails.payouts.book.pending(), []);
    assert.equal((await t.cashoutsOf(user.userId))[0]?.status, 'succeeded');
    assert.deepEqual(await t.balancesOf(user.userId), { available: '60', held: '0' });
    assert.deepEqual(await t.holdsOf(user.userId), ['posted']);
    assert.deepEqual((await checkLedger(stack.db)).violations, []);
  });

  it('never sends again when the provider took the payout but its answer was lost', async () => {
    stack.rails.payouts.script({ error: blip(), accepted: true });
    const user = await t.aUser('100');
    const { cashoutId } = await cashOut(user, '40');

    await until('the payout at the sandbox', () => stack.rails.payout(cashoutId));
    // The retry asks the provider first, finds the payout pending and waits for its verdict.
    await until('the retry', async () => {
      const history = await payout(cashoutId).fetchHistory();
      const retried = history.events?.some(
        (event) => (event.activityTaskStartedEventAttributes?.attempt ?? 0) > 1,
      );
      return retried ? true : undefined;
    });
    assert.deepEqual(await t.balancesOf(user.userId), { available: '60', held: '40' });
    await stack.rails.settle(cashoutId, 'succeeded');

    assert.equal(await payout(cashoutId).result(), 'succeeded');
    assert.deepEqual(withdrawals, [cashoutId], 'one call to withdraw');
    assert.equal((await t.cashoutsOf(user.userId))[0]?.status, 'succeeded');
    assert.deepEqual(await t.balancesOf(user.userId), { available: '60', held: '0' });
  });

  it('holds a cashout above $250 for an admin, who approves it: it is paid', async () => {
    const email = anEmail();
    const user = await t.aUser('400', email);
    const { cashoutId } = await reviewed(user, email);

    stack.rails.payouts.script('succeeded');
    const approved = await stack.conversations.review(cashoutId, 1, {
      from: ADMIN,
      decision: 'approve',
    });
    assert.equal(approved.kind, 'reviewed', JSON.stringify(approved));

    assert.equal(await payout(cashoutId).result(), 'succeeded');
    assert.deepEqual(withdrawals, [cashoutId]);
    const [row] = await stack.db.query(
      `SELECT c.status, r.telegram_id FROM cashouts c JOIN users r ON r.id = c.reviewed_by
       WHERE c.id = $1`,
      [cashoutId],
    );
    assert.deepEqual([row.status, Number(row.telegram_id)], ['succeeded', ADMIN]);
    assert.deepEqual(await t.balancesOf(user.userId), { available: '100', held: '0' });
    assert.deepEqual(await t.holdsOf(user.userId), ['posted']);
    assert.match(t.messagesTo(user.telegramId).at(-1) ?? '', /Cashout sent/);
  });

  it('holds a cashout above $250 for an admin, who rejects it: the money comes back', async () => {
    const email = anEmail();
    const user = await t.aUser('400', email);
    const { cashoutId } = await reviewed(user, email);

    const rejected = await stack.conversations.review(cashoutId, 2, {
      from: ADMIN,
      decision: 'reject',
    });
    assert.equal(rejected.kind, 'reviewed', JSON.stringify(rejected));

    assert.equal(await payout(cashoutId).result(), 'rejected');
    assert.deepEqual(withdrawals, []);
    assert.equal(stack.rails.payout(cashoutId), undefined);
    assert.equal((await t.cashoutsOf(user.userId))[0]?.status, 'rejected');
    assert.deepEqual(await t.balancesOf(user.userId), { available: '400', held: '0' });
    assert.deepEqual(await t.holdsOf(user.userId), ['voided']);
    assert.match(t.messagesTo(user.telegramId).at(-1) ?? '', /Cashout declined/);
    assert.deepEqual((await checkLedger(stack.db)).violations, []);
  });

  /** A $300 cashout through the conversation, left awaiting review with the admin asked. */
  async function reviewed(user: User, email: string) {
    const chat = user.telegramId;
    const quoted = await t.walk(chat, toBtcQuote('300'));
    assert.deepEqual([quoted.screen.data.needsReview, quoted.screen.data.needsCode], [true, true]);
    await t.walk(chat, [[{ type: 'cashout.confirm' }, 'pricing.quoted.awaitingCode']]);
    const done = await t.walk(chat, [
      [{ type: 'code.entered', digest: t.codeFor(chat, email) }, 'done'],
    ]);
    const { cashoutId } = submitted(done);
    assert.equal(done.screen.data.awaitingReview, true);

    assert.equal((await t.cashoutsOf(user.userId))[0]?.status, 'awaiting_review');
    assert.deepEqual(await t.balancesOf(user.userId), { available: '100', held: '300' });
    await until('the review request', () =>
      stack.sent.find((message) => message.chat_id === ADMIN && message.text.includes(cashoutId)),
    );
    await until('the owner told', () =>
      t.messagesTo(chat).find((text) => /awaiting review/.test(text)),
    );
    assert.equal(stack.rails.payout(cashoutId), undefined, 'nothing is sent before review');
    return { cashoutId };
  }

  it('kills a code after five wrong tries; only a new code confirms the cashout', async () => {
    const email = anEmail();
    const user = await t.aUser('100', email);
    const chat = user.telegramId;
    stack.rails.payouts.script('succeeded');
    await t.walk(chat, toBtcQuote('40'));
    const sent = await t.walk(chat, [[{ type: 'cashout.confirm' }, 'pricing.quoted.awaitingCode']]);
    assert.equal(notice(sent)?.code, 'code.sent');
    const right = t.codeFor(chat, email);
    const wrong = [codeDigest(stack.config.otp.secret, chat, '000000'), 'not-the-digest'].find(
      (digest) => digest !== right,
    )!;
    const typed = (digest: string): Step => [
      { type: 'code.entered', digest },
      'pricing.quoted.awaitingCode',
    ];

    for (const triesLeft of [4, 3, 2, 1]) {
      const tried = await t.walk(chat, [typed(wrong)]);
      assert.deepEqual(notice(tried), { code: 'code.wrong', values: { triesLeft } });
    }
    assert.deepEqual(notice(await t.walk(chat, [typed(wrong)])), { code: 'code.locked' });
    const [dead] = await stack.db.query(
      `SELECT e.id, e.attempts, e.verified_at FROM email_codes e JOIN users u ON u.id = e.user_id
       WHERE u.telegram_id = $1`,
      [chat],
    );
    assert.deepEqual([dead.attempts, dead.verified_at], [5, null]);

    // The dead code is not even tried again: the machine forgot it and asks for a new one.
    const refused = await t.walk(chat, [typed(right)]);
    assert.deepEqual(notice(refused), { code: 'code.resendNeeded' });
    assert.equal(
      ((await t.machineState(chat))?.context as { verificationId: unknown }).verificationId,
      null,
    );

    await sleep(stack.config.otp.resendCooldownSeconds * 1000);
    const resent = await t.walk(chat, [[{ type: 'code.resend' }, 'pricing.quoted.awaitingCode']]);
    assert.equal(notice(resent)?.code, 'code.sent');
    const fresh = t.codeFor(chat, email);
    const { cashoutId } = submitted(
      await t.walk(chat, [[{ type: 'code.entered', digest: fresh }, 'done']]),
    );

    assert.equal(await payout(cashoutId).result(), 'succeeded');
    const codes = await stack.db.query(
      `SELECT e.id, e.superseded_at IS NOT NULL AS superseded, e.verified_at IS NOT NULL AS verified
       FROM email_codes e JOIN users u ON u.id = e.user_id WHERE u.telegram_id = $1
       ORDER BY e.created_at`,
      [chat],
    );
    assert.deepEqual(
      codes.map((code: { superseded: boolean; verified: boolean }) => [
        code.superseded,
        code.verified,
      ]),
      [
        [true, false],
        [false, true],
      ],
    );
    assert.equal((await t.cashoutsOf(user.userId))[0]?.verification_id, codes[1].id);
  });

  // Every state that waits for the user, and a road to it. The user has a verified e-mail (so
  // the quote asks for a code) and a saved BTC address (so BTC offers it first).
  const roadToCode: Step[] = [
    open,
    [{ type: 'amount.custom' }, 'typingAmount'],
    [{ type: 'text.entered', text: '40' }, 'choosingMethod'],
    [{ type: 'method.choose', method: 'crypto' }, 'choosingAsset'],
    [{ type: 'asset.choose', asset: 'BTC' }, 'choosingDestination'],
    [{ type: 'destination.new' }, 'enteringDestination'],
    [{ type: 'text.entered', text: BTC_ADDRESS }, 'choosingSave'],
    [{ type: 'destination.save' }, 'typingLabel'],
    [{ type: 'text.entered', text: 'Spare' }, 'pricing.quoted.reviewing'],
    [{ type: 'cashout.confirm' }, 'pricing.quoted.awaitingCode'],
  ];
  const roadToBank: Step[] = [
    ...roadToCode.slice(0, 3),
    [{ type: 'method.choose', method: 'bank' }, 'choosingBank'],
  ];
  const waitingStates = [...roadToCode.map(([, state]) => state), 'choosingBank'];

  for (const waiting of waitingStates) {
    it(`drops everything when cancelled in ${waiting}`, async () => {
      const user = await t.aUser('100', anEmail());
      await t.savedAddress(user.userId, 'Cold', SAVED_ADDRESS);
      const chat = user.telegramId;
      const road =
        waiting === 'choosingBank'
          ? roadToBank
          : roadToCode.slice(0, roadToCode.findIndex(([, state]) => state === waiting) + 1);
      await t.walk(chat, road);

      const cancelled = t.screenOf(await t.say(chat, { type: 'flow.cancel' }));
      assert.deepEqual([cancelled.screen.state, cancelled.ended], ['cancelled', true]);
      assert.equal((await conversation(chat).result()).state, 'cancelled');
      assert.equal((await conversation(chat).describe()).status.name, 'COMPLETED');
      const left = await t.machineState(chat);
      const context = left?.context as { facts: unknown; destination: unknown };
      assert.deepEqual(
        [left?.state, context.facts, context.destination],
        ['cancelled', null, null],
      );

      assert.deepEqual(await t.cashoutsOf(user.userId), []);
      assert.deepEqual(await t.holdsOf(user.userId), []);
      assert.deepEqual(await t.balancesOf(user.userId), { available: '100', held: '0' });
    });
  }

  it('refreshes the facts when a deposit lands during the cashout', async () => {
    const user = await t.aUser('10', anEmail());
    const chat = user.telegramId;
    const opened = await t.walk(chat, [open]);
    assert.equal(opened.screen.data.withdrawableUsd, '10');

    await deposit(t.ledger, user.accounts.USD!.available, 'USD', '50');
    // What the deposit workflow does once the money is credited.
    await conversation(chat).signal(contextChangedSignal);
    const refreshed = await until('the refreshed facts', async () => {
      const shown = await t.currentScreen(chat);
      return shown?.screen.data.withdrawableUsd === '60' ? shown : undefined;
    });
    assert.equal(refreshed.screen.state, 'choosingAmount');

    const all = await t.walk(chat, [[{ type: 'amount.all' }, 'choosingMethod']]);
    assert.equal(all.screen.data.amountUsd, '60');
    await t.say(chat, { type: 'flow.cancel' });
  });

  it('touches the database only to load, quote and commit', async () => {
    const user = await t.aUser('100');
    const chat = user.telegramId;
    stack.rails.payouts.script('succeeded');
    const statements = async (step: Step) =>
      (await t.statementsDuring(() => t.walk(chat, [step]))).sql;

    assert.equal((await statements(open)).length, 1, 'the prefetch');
    const conversational: Step[] = [
      [{ type: 'amount.custom' }, 'typingAmount'],
      [{ type: 'text.entered', text: '40' }, 'choosingMethod'],
      [{ type: 'method.choose', method: 'crypto' }, 'choosingAsset'],
      [{ type: 'asset.choose', asset: 'BTC' }, 'enteringDestination'],
      [{ type: 'text.entered', text: BTC_ADDRESS }, 'choosingSave'],
      [{ type: 'destination.save' }, 'typingLabel'],
    ];
    for (const step of conversational) {
      assert.deepEqual(await statements(step), [], `${step[0].type} → ${step[1]}`);
    }
    // The label itself is free; the quote it leads to reads the rate once (the network fee
    // comes from the rail).
    const quoting = await statements([
      { type: 'text.entered', text: 'Cold wallet' },
      'pricing.quoted.reviewing',
    ]);
    assert.equal(quoting.length, 1);
    assert.match(quoting[0]!, /^SELECT rate::text AS rate FROM rates/);

    const { result: done, sql } = await t.statementsDuring(() => t.walk(chat, [confirm]));
    // One transaction of seven statements: the facts read, the ledger hold (one statement
    // inside a savepoint, so an overdraft rolls back to it and becomes an answer), and the
    // cashout insert that also saves the address.
    const commit = sql.slice(0, sql.indexOf('COMMIT') + 1);
    assert.deepEqual(
      commit.map((statement) => statement.split(' ', 2).join(' ')),
      [
        'START TRANSACTION',
        'SELECT u.id',
        'SAVEPOINT ledger_movement',
        'WITH acct',
        'RELEASE SAVEPOINT',
        'WITH saved_address',
        'COMMIT',
      ],
      sql.join('\n'),
    );
    // Anything after it is the payout workflow the commit started, loading its cashout.
    for (const later of sql.slice(commit.length)) {
      assert.match(later, /FROM cashouts c JOIN users u ON u\.id = c\.user_id WHERE c\.id = \$1/);
    }
    const { cashoutId } = submitted(done);
    assert.equal(await payout(cashoutId).result(), 'succeeded');
  });
});

// A separate stack: its rate lock is two seconds, far too short for the flows above.
describe('cashout workflow with a short rate lock (cache off)', () => {
  let stack: Stack;
  let t: Helpers;

  before(async () => {
    ({ stack, t } = await cashoutStack(0, { CASHOUT_RATE_LOCK_SECONDS: '2' }));
  });
  after(() => stack?.teardown());

  it('quotes again when the rate lock runs out, and the new quote can be confirmed', async () => {
    const user = await t.aUser('100');
    const chat = user.telegramId;
    stack.rails.payouts.script('succeeded');

    const { result, sql } = await t.statementsDuring(async () => {
      const first = await t.walk(chat, toBtcQuote('40'));
      const again = await until('the new quote', async () => {
        const shown = await t.currentScreen(chat);
        const expired = shown?.screen.notice?.code === 'quote.expired';
        return expired && shown?.screen.state === 'pricing.quoted.reviewing' ? shown : undefined;
      });
      return { first, again };
    });
    const quoteOf = (shown: StepResult) => shown.screen.data.quote as { expiresAt: string };
    assert.ok(quoteOf(result.again).expiresAt > quoteOf(result.first).expiresAt, 'a new lock');
    const rateReads = sql.filter((statement) => statement.startsWith('SELECT rate::text'));
    assert.equal(rateReads.length, 2, 'the quote activity ran twice');

    const { cashoutId } = submitted(await t.walk(chat, [confirm]));
    assert.equal(
      await stack.client.workflow.getHandle(payoutWorkflowId(cashoutId)).result(),
      'succeeded',
    );
    assert.equal((await t.cashoutsOf(user.userId))[0]?.status, 'succeeded');
  });
});

// Two chats of one user confirm at the same moment. The workflow cache is on here: with it off
// the worker holds no run between activations, so the two commits never overlap, and the SDK
// loses one local activity's completion on eviction (it logs "This is an SDK bug") and the
// Update waits out the 10 s workflow task timeout.
describe('cashout races (workflow cache on)', () => {
  let stack: Stack;
  let t: Helpers;

  before(async () => {
    ({ stack, t } = await cashoutStack(undefined));
  });
  after(() => stack?.teardown());

  const payout = (cashoutId: string) =>
    stack.client.workflow.getHandle(payoutWorkflowId(cashoutId));

  it('submits one of two cashouts confirmed at once from two chats of one user', async () => {
    const user = await t.aUser('100');
    const chats = [user.telegramId, user.telegramId + 500_000];
    const owner = { from: user.telegramId };
    stack.rails.payouts.script('succeeded');
    for (const chat of chats) await t.walk(chat, toBtcQuote('40'), owner);

    const screens = (
      await Promise.all(chats.map((chat) => t.say(chat, { type: 'cashout.confirm' }, owner)))
    ).map((delivery) => t.screenOf(delivery).screen);
    const done = screens.filter((screen) => screen.state === 'done');
    assert.equal(done.length, 1, JSON.stringify(screens));
    const cashoutId = String(done[0]!.data.cashoutId);
    const other = screens.find((screen) => screen.state !== 'done');
    assert.deepEqual(
      [other?.state, other?.notice],
      ['refused', { code: 'cashout.alreadyActive', values: { cashoutId } }],
    );

    assert.equal((await t.cashoutsOf(user.userId)).length, 1);
    assert.equal((await t.holdsOf(user.userId)).length, 1);
    assert.equal(await payout(cashoutId).result(), 'succeeded');
    assert.deepEqual(await t.balancesOf(user.userId), { available: '60', held: '0' });
  });

  it('never overdraws when two chats confirm more than the balance covers', async () => {
    const user = await t.aUser('60');
    const chats = [user.telegramId, user.telegramId + 500_000];
    const owner = { from: user.telegramId };
    stack.rails.payouts.script('succeeded');
    for (const chat of chats) await t.walk(chat, toBtcQuote('40'), owner);

    const results = await Promise.all(
      chats.map((chat) => t.say(chat, { type: 'cashout.confirm' }, owner)),
    );
    const screens = results.map((delivery) => t.screenOf(delivery).screen);
    const winner = screens.findIndex((screen) => screen.state === 'done');
    assert.notEqual(winner, -1, JSON.stringify(screens));
    const cashoutId = String(screens[winner]!.data.cashoutId);
    // The loser is refused by whichever check it meets first: the active cashout (when it read
    // after the winner committed) or the hold (when it waited on the winner's row lock).
    const loser = screens[1 - winner]!;
    const refusal = [loser.state, loser.notice?.code];
    assert.ok(
      ['refused,cashout.alreadyActive', 'choosingAmount,cashout.insufficientFunds'].includes(
        refusal.join(),
      ),
      JSON.stringify(loser),
    );
    if (loser.state === 'choosingAmount') {
      // The refused commit reloaded the facts: the screen shows what is left, not the $60.
      assert.equal(loser.data.withdrawableUsd, '20');
      await t.say(chats[1 - winner]!, { type: 'flow.cancel' }, owner);
    }

    assert.equal((await t.cashoutsOf(user.userId)).length, 1);
    assert.equal((await t.holdsOf(user.userId)).length, 1);
    assert.equal(await payout(cashoutId).result(), 'succeeded');
    assert.deepEqual(await t.balancesOf(user.userId), { available: '20', held: '0' });
    const [negative] = await stack.db.query(
      `SELECT count(*)::int AS n FROM ledger_accounts WHERE owner_user_id = $1 AND balance < 0`,
      [user.userId],
    );
    assert.equal(negative.n, 0);
    assert.deepEqual((await checkLedger(stack.db)).violations, []);
  });
});

/** A stack for cashout tests: fresh rates, short payout polling, no webhook endpoint. */
async function cashoutStack(
  maxCachedWorkflows: number | undefined,
  env: Record<string, string> = {},
) {
  const stack = await startStack({
    ...(maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows }),
    env: {
      PAYOUT_POLL_INITIAL_SECONDS: '1',
      PAYOUT_POLL_MAX_SECONDS: '2',
      PUBLIC_URL: NOWHERE,
      ...env,
    },
  });
  const t = cashoutHelpers(stack);
  await t.freshRates();
  return { stack, t };
}

/** The cashout id a `done` screen names; fails unless the commit submitted. */
function submitted(done: StepResult): { cashoutId: string } {
  assert.equal(done.screen.state, 'done', JSON.stringify(done));
  assert.equal(done.ended, true);
  return { cashoutId: String(done.screen.data.cashoutId) };
}
