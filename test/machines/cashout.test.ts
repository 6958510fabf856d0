import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import type {
  QuoteInput,
  QuoteResult,
  ResolveAccountInput,
  ResolveAccountResult,
  SendCashoutCodeResult,
  SubmitInput,
  SubmitResult,
  VerifyCodeInput,
  VerifyCodeResult,
} from '../../machines/cashout-actors.ts';
import type { CashoutInput } from '../../machines/cashout-facts.ts';
import { cashoutMachine, screenOfCashout, type CashoutEvent } from '../../machines/cashout.ts';
import { stateName } from '../../machines/flow.ts';
import { cmp } from '../../machines/money.ts';
import { aCashoutInput, cashoutSettings, someCashoutFacts } from '../support/cashout-builders.ts';

interface Fakes {
  resolve?: (input: ResolveAccountInput) => ResolveAccountResult;
  quote?: (input: QuoteInput, count: number) => QuoteResult;
  send?: () => SendCashoutCodeResult;
  verify?: (input: VerifyCodeInput) => VerifyCodeResult;
  submit?: (input: SubmitInput) => SubmitResult;
}

const BTC_ADDRESS = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
const ETH_ADDRESS = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

/**
 * The provider's `count`th quote (the first is 1), locked until 10:10, 10:20…: BTC at $95,000
 * with a 0.00002 BTC network fee, naira at ₦1,500 with a ₦50 transfer fee.
 */
function providerQuote(input: QuoteInput, count: number): QuoteResult {
  const bank = input.payout.method === 'bank';
  return {
    outcome: 'quoted',
    usdPerUnit: bank ? '0.000666666666666667' : '95000',
    unitsPerUsd: bank ? '1500' : '0.0000105263157894736842',
    networkFee: bank ? '50' : '0.00002',
    expiresAt: lockedUntil(count),
  };
}

const lockedUntil = (count: number) =>
  new Date(Date.UTC(2026, 11, 4, 10, 10 * count)).toISOString();

/** A live actor with scripted actors on a simulated clock; records every actor call. */
function start(input: CashoutInput = aCashoutInput(), fakes: Fakes = {}) {
  const calls: Array<{ actor: string; input: unknown }> = [];
  const clock = new SimulatedClock();
  const fake = <I, O>(actor: string, run: (input: I) => O) =>
    fromPromise<O, I>(async ({ input }) => {
      calls.push({ actor, input });
      return run(input);
    });
  const count = (actor: string) => calls.filter((call) => call.actor === actor).length;

  const machine = cashoutMachine.provide({
    actors: {
      resolveAccount: fake(
        'resolveAccount',
        fakes.resolve ?? (() => ({ outcome: 'found', accountName: 'ADA LOVELACE' })),
      ),
      quote: fake('quote', (quoteInput: QuoteInput) =>
        (fakes.quote ?? providerQuote)(quoteInput, count('quote')),
      ),
      sendCode: fake(
        'sendCode',
        fakes.send ?? (() => ({ outcome: 'sent', verificationId: 'v1', validMinutes: 10 })),
      ),
      verifyCode: fake('verifyCode', fakes.verify ?? (() => ({ outcome: 'verified' }))),
      submit: fake(
        'submit',
        fakes.submit ??
          ((submitInput: SubmitInput) => ({
            outcome: 'submitted',
            cashoutId: 'c1',
            awaitingReview: cmp(submitInput.quote.amountUsd, '250') > 0,
          })),
      ),
    },
  });
  const actor = createActor(machine, { input, clock }).start();

  const send = async (...events: CashoutEvent[]) => {
    for (const event of events) {
      actor.send(event);
      await settle();
    }
  };
  const state = () => stateName(actor.getSnapshot().value);
  const context = () => actor.getSnapshot().context;
  const screen = () => screenOfCashout(actor.getSnapshot());
  const inputsOf = <T>(name: string) =>
    calls.filter((call) => call.actor === name).map((call) => call.input as T);
  return { actor, send, state, context, screen, calls, count, inputsOf, clock };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const text = (typed: string): CashoutEvent => ({ type: 'text.entered', text: typed });
const code: CashoutEvent = { type: 'code.entered', digest: 'digest' };
const back: CashoutEvent = { type: 'step.back' };
const confirm: CashoutEvent = { type: 'cashout.confirm' };
const custom: CashoutEvent = { type: 'amount.custom' };
const crypto: CashoutEvent = { type: 'method.choose', method: 'crypto' };
const bank: CashoutEvent = { type: 'method.choose', method: 'bank' };
const btc: CashoutEvent = { type: 'asset.choose', asset: 'BTC' };
const eth: CashoutEvent = { type: 'asset.choose', asset: 'ETH' };
const newDestination: CashoutEvent = { type: 'destination.new' };
const useOnce: CashoutEvent = { type: 'destination.useOnce' };

/** Amount typed, crypto, BTC, a new address used once: the quote is on screen. */
const toBtcQuote = (amount = '120'): CashoutEvent[] => [
  custom,
  text(amount),
  crypto,
  btc,
  newDestination,
  text(BTC_ADDRESS),
  useOnce,
];

const withoutEmail = () => aCashoutInput({ facts: someCashoutFacts({}, { verifiedEmail: null }) });

describe('cashout machine: the two rails end to end', () => {
  it('cashes out to a new BTC address saved with a label, after the e-mail code', async () => {
    const flow = start();
    assert.equal(flow.state(), 'choosingAmount');
    await flow.send(custom, text('120'), crypto, btc);
    assert.equal(flow.state(), 'choosingDestination');

    await flow.send(newDestination, text(`  ${BTC_ADDRESS.toUpperCase()} `));
    assert.equal(flow.state(), 'choosingSave');
    await flow.send({ type: 'destination.save' }, text('Cold wallet'));
    assert.equal(flow.state(), 'pricing.quoted.reviewing');

    assert.deepEqual(flow.context().quote, {
      amountUsd: '120',
      platformFeeUsd: '2.4',
      payoutAmount: '0.00123789',
      currency: 'BTC',
      networkFee: '0.00002',
      usdPerUnit: '95000',
      expiresAt: '2026-12-04T10:10:00.000Z',
      receive: '0.00121789',
      unitsPerUsd: '0.0000105263157894736842',
    });
    assert.deepEqual(flow.inputsOf('quote'), [
      {
        telegramUserId: 1001,
        amountUsd: '120',
        payout: { method: 'crypto', asset: 'BTC' },
        lockMs: 600_000,
      },
    ]);
    assert.equal(flow.screen().data.rateLockMinutes, 10);
    assert.equal(flow.screen().data.needsCode, true);

    await flow.send(confirm);
    assert.equal(flow.state(), 'pricing.quoted.awaitingCode');
    assert.deepEqual(flow.screen().data, { email: 'a***@example.com' });
    await flow.send(code);

    assert.equal(flow.state(), 'done');
    const [submitted] = flow.inputsOf<SubmitInput>('submit');
    assert.deepEqual(submitted?.destination, { kind: 'address', address: BTC_ADDRESS });
    assert.equal(submitted?.saveAs, 'Cold wallet');
    assert.equal(submitted?.verificationId, 'v1');
    assert.deepEqual(flow.screen().data.cashoutId, 'c1');
    assert.equal(flow.screen().data.awaitingReview, false);
    assert.equal(flow.context().facts, null);
    assert.equal(flow.context().destination, null);
  });

  it('cashes out everything to a new NGN account resolved to its holder, used once', async () => {
    const flow = start();
    await flow.send({ type: 'amount.all' }, bank);
    assert.equal(flow.state(), 'choosingBank');
    await flow.send({ type: 'bank.choose', bankCode: '044' });
    assert.equal(flow.state(), 'enteringDestination', 'no saved account at Access Bank');

    await flow.send(text('0123 456 789'));
    assert.deepEqual(flow.inputsOf('resolveAccount'), [
      { bankCode: '044', accountNumber: '0123456789' },
    ]);
    assert.equal(flow.state(), 'choosingSave');
    assert.equal(
      (flow.screen().data.destination as { accountName: string }).accountName,
      'ADA LOVELACE',
    );

    await flow.send(useOnce);
    assert.equal(flow.state(), 'pricing.quoted.reviewing');
    assert.equal(flow.screen().data.needsReview, true);
    const quote = flow.context().quote;
    assert.deepEqual(
      [quote?.platformFeeUsd, quote?.payoutAmount, quote?.networkFee, quote?.receive],
      ['6', '441000', '50', '441000'],
      'the bank rail pays the payout in full',
    );
    assert.equal(quote?.currency, 'NGN');

    await flow.send(confirm, code);
    assert.equal(flow.state(), 'done');
    const [submitted] = flow.inputsOf<SubmitInput>('submit');
    assert.deepEqual(submitted?.payout, { method: 'bank', bankCode: '044' });
    assert.deepEqual(submitted?.destination, {
      kind: 'account',
      accountNumber: '0123456789',
      accountName: 'ADA LOVELACE',
    });
    assert.equal(submitted?.saveAs, null);
  });

  it('lists saved destinations last used first and pays a saved one by id', async () => {
    const flow = start();
    await flow.send(custom, text('100'), crypto, btc);
    const saved = flow.screen().data.saved as Array<{ id: string }>;
    assert.deepEqual(
      saved.map((destination) => destination.id),
      ['a1', 'a2', 'a3'],
    );

    await flow.send({ type: 'destination.choose', destinationId: 'a2' });
    assert.equal(flow.state(), 'pricing.quoted.reviewing');
    await flow.send(confirm, code);
    const [submitted] = flow.inputsOf<SubmitInput>('submit');
    assert.deepEqual(submitted?.destination, {
      kind: 'saved',
      id: 'a2',
      label: 'Old',
      masked: '1A1z…fNa',
    });
  });

  it('refuses a saved destination of another asset, or of nobody', async () => {
    const flow = start();
    await flow.send(custom, text('100'), crypto, btc);
    for (const destinationId of ['t1', 'b1', 'zz']) {
      await flow.send({ type: 'destination.choose', destinationId });
      assert.equal(flow.state(), 'choosingDestination');
      assert.deepEqual(flow.context().notice, { code: 'destination.unknown' });
    }
  });
});

describe('cashout machine: typed amounts', () => {
  const refusals: Array<[string, string, Record<string, string>?]> = [
    ['', 'amount.empty'],
    ['abc', 'amount.notANumber'],
    ['-5', 'amount.negative'],
    ['1e3', 'amount.exponent'],
    ['0.001', 'amount.tooManyDecimals'],
    ['12,34,5', 'amount.badGrouping'],
    ['9'.repeat(20), 'amount.tooLarge'],
    ['0.99', 'amount.belowMinimum', { minUsd: '1' }],
    ['500.01', 'amount.aboveMaximum', { maxUsd: '500' }],
    ['1,000', 'amount.aboveMaximum', { maxUsd: '500' }],
    ['300.01', 'amount.aboveWithdrawable', { withdrawableUsd: '300' }],
  ];

  for (const [typed, notice, values] of refusals) {
    it(`keeps asking for the amount after ${JSON.stringify(typed.slice(0, 12))}: ${notice}`, async () => {
      const flow = start();
      await flow.send(custom, text(typed));
      assert.equal(flow.state(), 'typingAmount');
      assert.deepEqual(flow.context().notice, values ? { code: notice, values } : { code: notice });
      assert.equal(flow.context().amount, null);
      assert.deepEqual(flow.calls, []);
    });
  }

  it('takes "12.50" as the canonical amount 12.5', async () => {
    const flow = start();
    await flow.send(custom, text('12.50'));
    assert.equal(flow.context().amount, '12.5');
    assert.equal(flow.state(), 'choosingMethod');
  });

  it('treats six typed digits (delivered as a code) as an amount over the maximum', async () => {
    const flow = start();
    await flow.send(custom, code);
    assert.equal(flow.state(), 'typingAmount');
    assert.deepEqual(flow.context().notice, {
      code: 'amount.aboveMaximum',
      values: { maxUsd: '500' },
    });
  });

  it('caps users without a verified e-mail at $50 and asks them for no code', async () => {
    const flow = start(withoutEmail());
    assert.deepEqual(flow.screen().data, {
      withdrawableUsd: '300',
      minUsd: '1',
      maxUsd: '50',
      capped: true,
      destination: null,
    });
    await flow.send({ type: 'amount.all' });
    assert.equal(flow.state(), 'choosingAmount');
    assert.deepEqual(flow.context().notice, {
      code: 'amount.aboveNoEmailCap',
      values: { capUsd: '50' },
    });

    await flow.send(custom, text('50.01'));
    assert.deepEqual(flow.context().notice?.code, 'amount.aboveNoEmailCap');
    await flow.send(text('50'), crypto, btc, newDestination, text(BTC_ADDRESS), useOnce, confirm);

    assert.equal(flow.state(), 'done');
    assert.equal(flow.count('sendCode'), 0);
    assert.equal(flow.inputsOf<SubmitInput>('submit')[0]?.verificationId, null);
  });

  it('sends amounts above $250 for review, and $250 itself straight to payout', async () => {
    for (const [amount, review] of [
      ['250.01', true],
      ['250', false],
    ] as const) {
      const flow = start();
      await flow.send(...toBtcQuote(amount));
      assert.equal(flow.screen().data.needsReview, review, 'told before confirming');
      await flow.send(confirm, code);
      assert.equal(flow.screen().data.awaitingReview, review, amount);
    }
  });

  it('sends the user back to the amount when the fees would eat it', async () => {
    const flow = start();
    await flow.send(...toBtcQuote('3'));
    assert.equal(flow.state(), 'choosingAmount');
    assert.deepEqual(flow.context().notice, {
      code: 'quote.nothingArrives',
      values: { amountUsd: '3', platformFeeUsd: '2', networkFee: '0.00002', currency: 'BTC' },
    });

    await flow.send(custom, text('40'));
    assert.equal(flow.state(), 'pricing.quoted.reviewing', 'the destination is kept');
  });
});

describe('cashout machine: destinations', () => {
  const addressRefusals: Array<[string, CashoutEvent, string, string, Record<string, string>?]> = [
    ['an ETH address for BTC', btc, ETH_ADDRESS, 'address.wrongNetwork', { looksLike: 'ethereum' }],
    ['a BTC address for ETH', eth, BTC_ADDRESS, 'address.wrongNetwork', { looksLike: 'bitcoin' }],
    [
      'a testnet address',
      btc,
      'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
      'address.wrongNetwork',
      { looksLike: 'testnet' },
    ],
    [
      'a broken EIP-55 checksum',
      eth,
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD',
      'address.badChecksum',
    ],
    ['a mistyped BTC address', btc, '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', 'address.badChecksum'],
    ['10,000 characters', btc, 'a'.repeat(10_000), 'address.tooLong'],
    ['nothing', btc, '   ', 'address.empty'],
  ];

  for (const [label, asset, typed, notice, values] of addressRefusals) {
    it(`keeps asking for the address after ${label}`, async () => {
      const flow = start();
      await flow.send(custom, text('100'), crypto, asset);
      if (flow.state() === 'choosingDestination') await flow.send(newDestination);

      const started = performance.now();
      await flow.send(text(typed));
      assert.ok(performance.now() - started < 100, 'refused quickly');
      assert.equal(flow.state(), 'enteringDestination');
      assert.deepEqual(flow.context().notice, values ? { code: notice, values } : { code: notice });
      assert.equal(flow.context().destination, null);
    });
  }

  for (const [typed, notice] of [
    ['012345678', { code: 'account.length', values: { digits: 9 } }],
    ['01234567890', { code: 'account.length', values: { digits: 11 } }],
    ['01234S6789', { code: 'account.notDigits' }],
  ] as const) {
    it(`refuses the account number ${typed} without asking the bank`, async () => {
      const flow = start();
      await flow.send(custom, text('100'), bank, { type: 'bank.choose', bankCode: '044' });
      await flow.send(text(typed));
      assert.equal(flow.state(), 'enteringDestination');
      assert.deepEqual(flow.context().notice, notice);
      assert.equal(flow.count('resolveAccount'), 0);
    });
  }

  it('keeps asking when the bank knows no such account, or cannot answer', async () => {
    let answer: 'notFound' | 'down' = 'notFound';
    const flow = start(aCashoutInput(), {
      resolve: () => {
        if (answer === 'down') throw new Error('bank down');
        return { outcome: 'notFound' };
      },
    });
    await flow.send(custom, text('100'), bank, { type: 'bank.choose', bankCode: '044' });
    await flow.send(text('0123456789'));
    assert.equal(flow.state(), 'enteringDestination');
    assert.deepEqual(flow.context().notice, { code: 'account.notFound' });

    answer = 'down';
    await flow.send(text('0123456789'));
    assert.deepEqual(flow.context().notice, { code: 'service.unavailable' });
  });

  it('refuses an empty, overlong or taken label', async () => {
    const flow = start();
    await flow.send(custom, text('100'), crypto, btc, newDestination, text(BTC_ADDRESS));
    await flow.send({ type: 'destination.save' });
    for (const [typed, notice] of [
      ['  ', 'label.empty'],
      ['x'.repeat(33), 'label.tooLong'],
      ['ledger', 'label.taken'],
    ]) {
      await flow.send(text(typed ?? ''));
      assert.equal(flow.state(), 'typingLabel');
      assert.equal(flow.context().notice?.code, notice);
    }
  });
});

describe('cashout machine: the code and the rate lock', () => {
  it('stops verifying after five wrong codes until a new code is sent; never submits', async () => {
    let triesLeft = 5;
    const flow = start(aCashoutInput(), {
      verify: () => {
        triesLeft -= 1;
        return triesLeft > 0 ? { outcome: 'wrong', triesLeft } : { outcome: 'locked' };
      },
    });
    await flow.send(...toBtcQuote(), confirm);
    for (let i = 0; i < 4; i += 1) await flow.send(code);
    assert.deepEqual(flow.context().notice, { code: 'code.wrong', values: { triesLeft: 1 } });

    await flow.send(code);
    assert.deepEqual(flow.context().notice, { code: 'code.locked' });
    await flow.send(code);
    assert.equal(flow.state(), 'pricing.quoted.awaitingCode');
    assert.deepEqual(flow.context().notice, { code: 'code.resendNeeded' });
    assert.equal(flow.count('verifyCode'), 5);
    assert.equal(flow.count('submit'), 0);
  });

  it('keeps the code step after a resend inside the cooldown, and on typed text', async () => {
    let sends = 0;
    const flow = start(aCashoutInput(), {
      send: () =>
        (sends += 1) > 1
          ? { outcome: 'cooldown', retryInSeconds: 42 }
          : { outcome: 'sent', verificationId: 'v1', validMinutes: 10 },
    });
    await flow.send(...toBtcQuote(), confirm, { type: 'code.resend' });
    assert.equal(flow.state(), 'pricing.quoted.awaitingCode');
    assert.deepEqual(flow.context().notice, {
      code: 'code.resendTooSoon',
      values: { seconds: 42 },
    });
    await flow.send(text('12 34'));
    assert.deepEqual(flow.context().notice, { code: 'code.format' });
  });

  it('quotes again when the rate lock runs out, and times out an idle quote', async () => {
    const flow = start();
    await flow.send(...toBtcQuote());
    assert.equal(flow.context().quote?.expiresAt, lockedUntil(1));

    flow.clock.increment(cashoutSettings.rateLockMs - 1);
    await settle();
    assert.equal(flow.count('quote'), 1);

    flow.clock.increment(1);
    await settle();
    assert.equal(flow.state(), 'pricing.quoted.reviewing');
    assert.equal(flow.context().quote?.expiresAt, lockedUntil(2));
    assert.deepEqual(flow.context().notice, { code: 'quote.expired' });

    flow.clock.increment(cashoutSettings.rateLockMs);
    await settle();
    flow.clock.increment(cashoutSettings.rateLockMs);
    await settle();
    assert.equal(flow.state(), 'timedOut');
    assert.equal(flow.context().facts, null);
  });

  it('keeps the verified code across a re-quote after the commit failed', async () => {
    let attempts = 0;
    const flow = start(aCashoutInput(), {
      submit: () => {
        attempts += 1;
        if (attempts === 1) throw new Error('database down');
        return { outcome: 'submitted', cashoutId: 'c9', awaitingReview: false };
      },
    });
    await flow.send(...toBtcQuote(), confirm, code);
    assert.equal(flow.state(), 'pricing.quoted.reviewing');
    assert.deepEqual(flow.context().notice, { code: 'service.unavailable' });
    assert.equal(flow.count('quote'), 2);

    await flow.send(confirm);
    assert.equal(flow.state(), 'done');
    assert.equal(flow.count('sendCode'), 1);
    assert.equal(flow.inputsOf<SubmitInput>('submit')[1]?.quote.expiresAt, lockedUntil(2));
  });

  it('goes back to the amount when the balance changed, and re-quotes an expired quote', async () => {
    const outcomes: SubmitResult[] = [
      { outcome: 'quoteExpired' },
      { outcome: 'insufficientFunds' },
    ];
    const flow = start(aCashoutInput(), { submit: () => outcomes.shift()! });
    await flow.send(...toBtcQuote(), confirm, code);
    assert.equal(flow.state(), 'pricing.quoted.reviewing');
    assert.deepEqual(flow.context().notice, { code: 'quote.expired' });

    await flow.send(confirm);
    assert.equal(flow.state(), 'choosingAmount');
    assert.deepEqual(flow.context().notice, { code: 'cashout.insufficientFunds' });
    assert.equal(flow.context().codeVerified, false);
  });

  it('takes the facts the host reloaded after a refused commit', async () => {
    const now = someCashoutFacts({ balances: { available: '25', withdrawable: '25' } });
    const flow = start(aCashoutInput(), {
      submit: () => ({ outcome: 'insufficientFunds', refreshed: now }),
    });
    await flow.send(...toBtcQuote(), confirm, code);

    assert.equal(flow.state(), 'choosingAmount');
    assert.equal(flow.screen().data.withdrawableUsd, '25');
  });

  it('asks for a new code when the commit says the verified one is too old', async () => {
    const outcomes: SubmitResult[] = [
      { outcome: 'codeRequired' },
      { outcome: 'submitted', cashoutId: 'c3', awaitingReview: false },
    ];
    const flow = start(aCashoutInput(), { submit: () => outcomes.shift()! });
    await flow.send(...toBtcQuote(), confirm, code);
    assert.equal(flow.state(), 'pricing.quoted.reviewing');
    assert.deepEqual(flow.context().notice, { code: 'code.required' });

    await flow.send(confirm);
    assert.equal(flow.state(), 'pricing.quoted.awaitingCode');
    await flow.send(code);
    assert.equal(flow.state(), 'done');
    assert.equal(flow.count('sendCode'), 2);
  });

  for (const [label, outcome, state, notice] of [
    [
      'a limit changed',
      { outcome: 'outsideLimits', minUsd: '5', maxUsd: '100' },
      'choosingAmount',
      { code: 'amount.outsideLimits', values: { minUsd: '5', maxUsd: '100' } },
    ],
    [
      'the no-e-mail cap applies after all',
      { outcome: 'noEmailCap', capUsd: '50' },
      'choosingAmount',
      { code: 'amount.aboveNoEmailCap', values: { capUsd: '50' } },
    ],
    [
      'the saved destination was deleted',
      { outcome: 'unknownDestination' },
      'choosingMethod',
      { code: 'destination.gone' },
    ],
    ['the user was blocked', { outcome: 'blocked' }, 'suspended', null],
    [
      'another cashout started',
      { outcome: 'alreadyActive', cashoutId: 'c8' },
      'refused',
      { code: 'cashout.alreadyActive', values: { cashoutId: 'c8' } },
    ],
  ] as const) {
    it(`follows the commit's refusal when ${label}`, async () => {
      const flow = start(aCashoutInput(), { submit: () => outcome });
      await flow.send(...toBtcQuote(), confirm, code);
      assert.equal(flow.state(), state);
      assert.deepEqual(flow.context().notice, notice);
      const ended = flow.actor.getSnapshot().status === 'done';
      assert.equal(ended ? flow.context().facts : flow.context().quote, null);
    });
  }

  it('does not let a cancel interrupt the commit in flight', async () => {
    let release: (result: SubmitResult) => void = () => {};
    const machine = cashoutMachine.provide({
      actors: {
        quote: fromPromise(async ({ input }: { input: QuoteInput }) => providerQuote(input, 0)),
        submit: fromPromise(() => new Promise<SubmitResult>((resolve) => (release = resolve))),
      },
    });
    const actor = createActor(machine, { input: withoutEmail() }).start();
    for (const event of [...toBtcQuote('20'), confirm]) {
      actor.send(event);
      await settle();
    }

    actor.send({ type: 'flow.cancel' });
    assert.equal(stateName(actor.getSnapshot().value), 'submitting');
    assert.deepEqual(actor.getSnapshot().context.notice, { code: 'cashout.submitting' });

    release({ outcome: 'submitted', cashoutId: 'c2', awaitingReview: false });
    await settle();
    assert.equal(stateName(actor.getSnapshot().value), 'done');
    assert.equal(actor.getSnapshot().context.submitted?.cashoutId, 'c2');
  });
});

describe('cashout machine: refusals, shortcuts, back and cancel', () => {
  for (const [label, facts, state, notice] of [
    ['a blocked user', someCashoutFacts({}, { blocked: true }), 'suspended', null],
    [
      'a user who never onboarded',
      someCashoutFacts({}, { onboarded: false }),
      'needsOnboarding',
      null,
    ],
    [
      'an active cashout',
      someCashoutFacts({ activeCashoutId: 'c7' }),
      'refused',
      { code: 'cashout.alreadyActive', values: { cashoutId: 'c7' } },
    ],
    [
      'a stale rate',
      someCashoutFacts({ rates: [{ currency: 'BTC', rate: '95000', ageMs: 5 * 60_000 + 1 }] }),
      'refused',
      { code: 'rates.stale' },
    ],
    ['no rates at all', someCashoutFacts({ rates: [] }), 'refused', { code: 'rates.stale' }],
    [
      'less than the minimum withdrawable',
      someCashoutFacts({ balances: { available: '5', withdrawable: '0.99' } }),
      'refused',
      { code: 'cashout.nothingToWithdraw', values: { minUsd: '1', withdrawableUsd: '0.99' } },
    ],
  ] as const) {
    it(`refuses to start for ${label} and drops the facts`, () => {
      const flow = start(aCashoutInput({ facts }));
      assert.equal(flow.state(), state);
      assert.equal(flow.actor.getSnapshot().status, 'done');
      assert.deepEqual(flow.context().notice, notice);
      assert.equal(flow.context().facts, null);
    });
  }

  it('"Cash out all" skips the amount with the prefetched withdrawable, never a carried amount', async () => {
    const shortcut = { kind: 'all', amount: '0.01' } as unknown as CashoutInput['shortcut'];
    const flow = start(aCashoutInput({ shortcut }));
    assert.equal(flow.state(), 'choosingMethod');
    assert.equal(flow.context().amount, '300');
    assert.deepEqual(flow.context().shortcut, { kind: 'all' });
  });

  it('"BTC again" fixes method and destination, asks only for the amount, and Back returns to it', async () => {
    const shortcut = {
      kind: 'again',
      destinationId: 'a1',
      amount: '499',
    } as unknown as CashoutInput['shortcut'];
    const flow = start(aCashoutInput({ shortcut }));
    assert.equal(flow.state(), 'choosingAmount');
    assert.equal(flow.context().amount, null);
    assert.equal((flow.screen().data.destination as { label: string }).label, 'Ledger');

    await flow.send(custom, text('100'));
    assert.equal(flow.state(), 'pricing.quoted.reviewing');
    assert.deepEqual(flow.inputsOf<QuoteInput>('quote')[0]?.payout, {
      method: 'crypto',
      asset: 'BTC',
    });

    await flow.send(back);
    assert.equal(flow.state(), 'choosingAmount');
    await flow.send(back);
    assert.equal(flow.state(), 'cancelled');
  });

  it('"again" with a destination that is gone falls back to the full flow', async () => {
    const flow = start(aCashoutInput({ shortcut: { kind: 'again', destinationId: 'deleted' } }));
    assert.equal(flow.state(), 'choosingAmount');
    assert.deepEqual(flow.context().notice, { code: 'destination.gone' });
    await flow.send(custom, text('100'));
    assert.equal(flow.state(), 'choosingMethod');
  });

  it('walks Back from the quote to the first step, forgetting each choice', async () => {
    const flow = start();
    await flow.send(...toBtcQuote());
    const visited = [flow.state()];
    while (flow.actor.getSnapshot().status === 'active') {
      await flow.send(back);
      visited.push(flow.state());
    }
    assert.deepEqual(visited, [
      'pricing.quoted.reviewing',
      'choosingSave',
      'enteringDestination',
      'choosingDestination',
      'choosingAsset',
      'choosingMethod',
      'choosingAmount',
      'cancelled',
    ]);
  });

  const steps: Array<[string, CashoutEvent[], CashoutInput?]> = [
    ['choosingAmount', []],
    ['typingAmount', [custom]],
    ['choosingMethod', [custom, text('100')]],
    ['choosingAsset', [custom, text('100'), crypto]],
    ['choosingBank', [custom, text('100'), bank]],
    ['choosingDestination', [custom, text('100'), crypto, btc]],
    ['enteringDestination', [custom, text('100'), crypto, btc, newDestination]],
    ['choosingSave', [custom, text('100'), crypto, btc, newDestination, text(BTC_ADDRESS)]],
    [
      'typingLabel',
      [
        custom,
        text('100'),
        crypto,
        btc,
        newDestination,
        text(BTC_ADDRESS),
        { type: 'destination.save' },
      ],
    ],
    ['pricing.quoted.reviewing', toBtcQuote()],
    ['pricing.quoted.awaitingCode', [...toBtcQuote(), confirm]],
  ];
  for (const [state, events] of steps) {
    it(`cancels from ${state} and drops the facts and the destination`, async () => {
      const flow = start();
      await flow.send(...events);
      assert.equal(flow.state(), state);
      await flow.send({ type: 'flow.cancel' });
      assert.equal(flow.state(), 'cancelled');
      assert.equal(flow.actor.getSnapshot().status, 'done');
      assert.equal(flow.context().facts, null);
      assert.equal(flow.context().destination, null);
      assert.equal(flow.context().verificationId, null);
    });
  }

  it('times out after the configured inactivity and restarts the timer on a mistake', async () => {
    const flow = start();
    await flow.send(custom);
    flow.clock.increment(cashoutSettings.inactivityMs - 1);
    await flow.send(text('nonsense'));
    flow.clock.increment(cashoutSettings.inactivityMs - 1);
    assert.equal(flow.state(), 'typingAmount');

    flow.clock.increment(1);
    assert.equal(flow.state(), 'timedOut');
    assert.equal(flow.context().facts, null);
  });

  it('takes refreshed facts while waiting, e.g. a deposit that landed', async () => {
    const flow = start();
    await flow.send(custom);
    const richer = someCashoutFacts({ balances: { available: '450', withdrawable: '450' } });
    await flow.send({ type: 'facts.refreshed', facts: richer }, text('400'));
    assert.equal(flow.state(), 'choosingMethod');
    assert.equal(flow.context().amount, '400');
  });
});
