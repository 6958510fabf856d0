import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { getStateNodes } from '@xstate/graph';
import type { StateValue } from 'xstate';
import { decodeButton } from '../../bot/codecs/index.ts';
import { say } from '../../bot/views/cashout-parts.ts';
import { renderResult, type View } from '../../bot/views/index.ts';
import type { CashoutContext } from '../../machines/cashout-context.ts';
import { priceQuote } from '../../machines/cashout-quote.ts';
import { cashoutMachine, screenOfCashout } from '../../machines/cashout.ts';
import type { Notice } from '../../machines/flow.ts';
import { aCashoutInput, cashoutSettings, someCashoutFacts } from '../support/cashout-builders.ts';

const stamp = 'c0de1f';
const BTC_ADDRESS = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
const CASHOUT_ID = '6f1c2b9e-4d3a-4c55-9b1e-0a7d2f3e4c5b';

// Saved destinations as the database names them: bigint ids.
const facts = someCashoutFacts({
  addresses: [
    {
      id: '11',
      label: 'Ledger',
      asset: 'BTC',
      masked: 'bc1q…3t4',
      lastUsedAt: '2026-01-02T10:00Z',
    },
    { id: '12', label: 'Spare', asset: 'BTC', masked: '3J98…NLy', lastUsedAt: null },
  ],
  bankAccounts: [
    {
      id: '21',
      label: 'Salary',
      bankCode: '058',
      masked: '******6789',
      accountName: 'ADA LOVELACE',
      lastUsedAt: null,
    },
  ],
  lastDestinationId: '11',
});

const quoteOf = (amountUsd: string, method: 'crypto' | 'bank') => {
  const quote = priceQuote(
    amountUsd,
    method === 'crypto' ? { method, asset: 'BTC' } : { method, bankCode: '058' },
    method === 'crypto'
      ? {
          ...lock,
          usdPerUnit: '95000',
          unitsPerUsd: '0.0000105263157894736842',
          networkFee: '0.00002',
        }
      : { ...lock, usdPerUnit: '0.000666666666666667', unitsPerUsd: '1500', networkFee: '0' },
    cashoutSettings,
  );
  assert.ok(quote);
  return quote;
};
const lock = { outcome: 'quoted', expiresAt: '2026-12-04T10:10:00.000Z' } as const;

/** Where a cashout can be going, as the machine's context holds it once chosen. */
const variants: Record<string, Partial<CashoutContext>> = {
  newAddress: {
    method: 'crypto',
    asset: 'BTC',
    destination: { kind: 'address', address: BTC_ADDRESS },
    quote: quoteOf('123.45', 'crypto'),
  },
  newAccount: {
    method: 'bank',
    bankCode: '058',
    destination: { kind: 'account', accountNumber: '0123456789', accountName: 'ADA LOVELACE' },
    quote: quoteOf('123.45', 'bank'),
  },
  savedAgain: {
    method: 'crypto',
    asset: 'BTC',
    destination: { kind: 'saved', id: '11', label: 'Ledger', masked: 'bc1q…3t4' },
    fixedByShortcut: true,
    quote: quoteOf('123.45', 'crypto'),
  },
  savedAccount: {
    method: 'bank',
    bankCode: '058',
    destination: {
      kind: 'saved',
      id: '21',
      label: 'Salary',
      masked: '******6789',
      accountName: 'ADA LOVELACE',
    },
    quote: quoteOf('123.45', 'bank'),
  },
};

function aContext(overrides: Partial<CashoutContext> = {}): CashoutContext {
  const { party, settings } = aCashoutInput();
  return {
    party,
    settings,
    shortcut: null,
    facts,
    amount: '123.45',
    method: null,
    asset: null,
    bankCode: null,
    destination: null,
    accountNumber: null,
    saveAs: null,
    fixedByShortcut: false,
    quote: null,
    verificationId: 'v1',
    codeVerified: false,
    submitted: { cashoutId: CASHOUT_ID, awaitingReview: false },
    notice: null,
    ...overrides,
  };
}

/** `pricing.quoted.reviewing` → `{ pricing: { quoted: 'reviewing' } }`. */
function valueOf(state: string): StateValue {
  const keys = state.split('.');
  const leaf = keys.pop()!;
  return keys.reduceRight<StateValue>((child, key) => ({ [key]: child }), leaf);
}

/** The message the bot sends for the machine in `state` with `context`. */
function render(state: string, context: CashoutContext = aContext(variants.newAddress)): View {
  const screen = screenOfCashout({ value: valueOf(state), context });
  const result = { screen, stamp, ended: false, superseded: false };
  return renderResult(result, { botUsername: 'lockbay_bot' });
}

const buttonsOf = (view: View) => view.keyboard?.inline_keyboard.flat() ?? [];
const labelsOf = (view: View) => buttonsOf(view).map((button) => button.text);
const eventOf = (view: View, label: string) => {
  const button = buttonsOf(view).find((candidate) => candidate.text === label);
  assert.ok(button, `no button "${label}" in ${JSON.stringify(labelsOf(view))}`);
  return decodeButton(button.callback_data ?? '');
};

// Left within the same step, never shown: the machine's `always` routers.
const shownStates = getStateNodes(cashoutMachine.root)
  .filter((node) => node.type === 'atomic' || node.type === 'final')
  .map((node) => node.path.join('.'))
  .filter((state) => !state.startsWith('routing'));

const waitingStates = [
  'choosingAmount',
  'typingAmount',
  'choosingMethod',
  'choosingAsset',
  'choosingBank',
  'choosingDestination',
  'enteringDestination',
  'choosingSave',
  'typingLabel',
  'pricing.quoted.reviewing',
  'pricing.quoted.awaitingCode',
];

describe('cashout views', () => {
  it('render every state of the cashout machine for every kind of destination', () => {
    assert.ok(shownStates.length >= 22, shownStates.join(', '));
    for (const [name, variant] of Object.entries(variants)) {
      for (const state of shownStates) {
        const view = render(state, aContext(variant));
        assert.ok(view.text.length > 0 && view.text.length <= 4096, `${name} ${state}`);
        for (const button of buttonsOf(view)) {
          const data = button.callback_data ?? '';
          assert.ok(Buffer.byteLength(data) <= 64, `${state}: ${button.text}`);
          assert.equal(decodeButton(data).kind, 'event', `${state}: ${button.text} → ${data}`);
        }
      }
    }
  });

  it('render the steps before a destination is chosen, and the endings, with nothing chosen', () => {
    const before = ['choosingAmount', 'typingAmount', 'choosingMethod', 'choosingAsset'];
    const endings = ['refused', 'suspended', 'needsOnboarding', 'cancelled', 'timedOut'];
    for (const state of [...before, 'choosingBank', ...endings]) {
      assert.ok(render(state, aContext()).text.length > 0, state);
    }
    assert.doesNotMatch(render('choosingAmount', aContext()).text, /To /);
  });

  it('give every waiting step Back and Cancel, stamped with the screen', () => {
    for (const state of waitingStates) {
      const view = render(state);
      assert.deepEqual(eventOf(view, 'Back'), {
        kind: 'event',
        event: { type: 'step.back' },
        stamp,
      });
      assert.deepEqual(eventOf(view, 'Cancel'), {
        kind: 'event',
        event: { type: 'flow.cancel' },
        stamp,
      });
    }
  });

  it('offer the whole balance or another amount, naming a destination fixed beforehand', () => {
    const view = render('choosingAmount', aContext(variants.savedAgain));

    assert.match(view.text, /To Ledger: Bitcoin \(BTC\) address bc1q…3t4/);
    assert.match(view.text, /You can cash out \$300\.00\. A cashout is \$1\.00 to \$500\.00\./);
    assert.deepEqual(eventOf(view, 'All ($300.00)'), {
      kind: 'event',
      event: { type: 'amount.all' },
      stamp,
    });
    assert.equal(eventOf(view, 'Other amount').kind, 'event');
  });

  it('say the e-mail cap while the e-mail is not verified', () => {
    const unverified = someCashoutFacts({}, { verifiedEmail: null });
    const view = render('typingAmount', aContext({ facts: unverified }));

    assert.match(view.text, /\$1\.00 to \$50\.00 while your e-mail is not verified/);
  });

  it('offer every payout asset, each bank and each saved destination as a button', () => {
    const assets = render('choosingAsset');
    const banks = render('choosingBank', aContext({ method: 'bank' }));
    const saved = render('choosingDestination', aContext({ method: 'crypto', asset: 'BTC' }));

    const events = (view: View) =>
      buttonsOf(view).map((button) => {
        const pressed = decodeButton(button.callback_data ?? '');
        return pressed.kind === 'event' ? pressed.event : pressed;
      });
    assert.deepEqual(
      events(assets).slice(0, 5),
      ['BTC', 'ETH', 'LTC', 'USDT_TRC20', 'USDT_ERC20'].map((asset) => ({
        type: 'asset.choose',
        asset,
      })),
    );
    assert.deepEqual(events(banks).slice(0, 2), [
      { type: 'bank.choose', bankCode: '058' },
      { type: 'bank.choose', bankCode: '044' },
    ]);
    assert.deepEqual(labelsOf(banks).slice(0, 2), ['GTBank', 'Access Bank']);
    assert.deepEqual(events(saved).slice(0, 3), [
      { type: 'destination.choose', destinationId: '11' },
      { type: 'destination.choose', destinationId: '12' },
      { type: 'destination.new' },
    ]);
    assert.deepEqual(labelsOf(saved).slice(0, 3), [
      'Ledger · bc1q…3t4',
      'Spare · 3J98…NLy',
      'New address',
    ]);
  });

  it('show a new destination in full before asking to save it', () => {
    const address = render('choosingSave', aContext(variants.newAddress));
    const account = render('choosingSave', aContext(variants.newAccount));

    assert.ok(address.text.includes(BTC_ADDRESS));
    assert.match(account.text, /0123456789 at GTBank, held by ADA LOVELACE/);
    assert.equal(eventOf(address, 'Save').kind, 'event');
    assert.equal(eventOf(address, 'Use once').kind, 'event');
  });

  it('say what is happening on the steps that wait for a provider', () => {
    assert.match(render('resolvingAccount').text, /checking the account/i);
    assert.match(render('pricing.quoting').text, /getting a quote/i);
    assert.deepEqual(labelsOf(render('pricing.quoting')), ['Cancel']);
  });

  it('show the quote: amount, fees, what arrives in 8 decimals and the rate held', () => {
    const view = render('pricing.quoted.reviewing', aContext(variants.newAddress));

    assert.match(view.text, /Amount: \$123\.45/);
    assert.match(view.text, /Platform fee: \$2\.47/);
    assert.match(view.text, /Network fee: 0\.00002000 BTC/);
    assert.match(view.text, /You receive: 0\.00125347 BTC/);
    assert.match(view.text, /Rate: 1 BTC = \$95,000\.00, held for 10 minutes/);
    assert.match(view.text, /e-mail you a 6-digit code/);
    assert.doesNotMatch(view.text, /admin review/);
    assert.deepEqual(labelsOf(view), ['Confirm', 'Back', 'Cancel']);
    assert.deepEqual(eventOf(view, 'Confirm'), {
      kind: 'event',
      event: { type: 'cashout.confirm' },
      stamp,
    });
  });

  it('show a naira quote to the kobo, and say when an admin reviews the cashout', () => {
    const large = aContext({ ...variants.newAccount, quote: quoteOf('300', 'bank') });
    const view = render('pricing.quoted.reviewing', large);

    assert.match(view.text, /You receive: ₦441,000\.00/);
    assert.match(view.text, /Rate: \$1 = ₦1,500\.00, held for 10 minutes/);
    assert.match(view.text, /needs admin review/);
  });

  it('ask for the 6-digit code sent to the masked e-mail, with Resend, Back and Cancel', () => {
    const view = render('pricing.quoted.awaitingCode');

    assert.match(view.text, /6-digit code we sent to a\*\*\*@example\.com/);
    assert.deepEqual(labelsOf(view), ['Resend code', 'Back', 'Cancel']);
  });

  it('show the cashout id, its status and what arrives once submitted', () => {
    const paying = render('done');
    const held = render('done', {
      ...aContext(variants.newAddress),
      submitted: { cashoutId: CASHOUT_ID, awaitingReview: true },
    });

    assert.match(paying.text, new RegExp(`Cashout id: ${CASHOUT_ID}`));
    assert.match(paying.text, /being paid out/);
    assert.match(paying.text, /You will receive 0\.00125347 BTC for \$123\.45/);
    assert.match(held.text, /awaiting admin review/);
  });

  it('put no amount into any callback data', () => {
    for (const variant of Object.values(variants)) {
      for (const state of shownStates) {
        for (const button of buttonsOf(render(state, aContext(variant)))) {
          const data = button.callback_data ?? '';
          assert.doesNotMatch(data, /[.$₦]|123|300/, `${state}: ${button.text} → ${data}`);
        }
      }
    }
  });
});

describe('cashout notices', () => {
  const codes = cashoutNoticeCodes();

  it('are found in the machine sources, templates expanded', () => {
    for (const code of ['amount.belowMinimum', 'amount.badGrouping', 'address.wrongNetwork']) {
      assert.ok(codes.includes(code), code);
    }
    for (const code of ['account.length', 'label.taken', 'code.verified', 'cashout.submitting']) {
      assert.ok(codes.includes(code), code);
    }
  });

  it('have words for every code the cashout machine can set', () => {
    const unworded = codes.filter((code) => say({ code }) === code);
    assert.deepEqual(unworded, [], 'add these codes to bot/views/cashout-notices.ts');
  });

  it('fill every placeholder, with dollars formatted', () => {
    const values: Notice['values'] = {
      minUsd: '1',
      maxUsd: '500',
      capUsd: '50',
      withdrawableUsd: '0.5',
      amountUsd: '2',
      platformFeeUsd: '2',
      networkFee: '0.0001',
      currency: 'BTC',
      looksLike: 'ethereum',
      digits: 9,
      max: 32,
      cashoutId: CASHOUT_ID,
      validMinutes: 10,
      seconds: 30,
      minutes: 20,
      triesLeft: 2,
    };
    for (const code of codes) {
      assert.doesNotMatch(say({ code, values }) ?? '', /\{\w+\}/, code);
    }
    assert.equal(say({ code: 'amount.belowMinimum', values }), 'The smallest cashout is $1.00.');
  });

  it('show a code that has no words as itself, on the screen it came with', () => {
    const view = render('choosingAmount', aContext({ notice: { code: 'amount.unheardOf' } }));
    assert.match(view.text, /amount\.unheardOf/);
  });
});

/**
 * Every notice code the cashout machine's sources can set: literal codes, `notice('…')`,
 * `refuse('…')`, a flow's success code, and the `amount.${reason}` and `address.${reason}`
 * templates expanded over their reason unions. A new kind of template fails here until this
 * test learns its reasons.
 */
function cashoutNoticeCodes(): string[] {
  const machines = new URL('../../machines/', import.meta.url);
  const read = (file: string) => readFileSync(new URL(file, machines), 'utf8');
  const files = readdirSync(machines)
    .filter((file) => /^cashout.*\.ts$/.test(file))
    .concat(['amount-input.ts', 'address-check.ts', 'email-code.ts']);
  const source = files.map(read).join('\n');

  const literals = [
    /code: '([\w.]+)'/g,
    /notice\('([\w.]+)'\)/g,
    /refuse\('([\w.]+)'/g,
    /codeCheckedNotice\([^()]*, '([\w.]+)'\)/g,
  ];
  const codes = literals.flatMap((pattern) =>
    [...source.matchAll(pattern)].map(([, code]) => code!),
  );

  const reasons: Record<string, string[]> = {
    amount: unionOf(read('amount-input.ts'), 'AmountProblem'),
    address: unionOf(read('address-check.ts'), 'AddressProblem'),
  };
  for (const [, prefix = ''] of source.matchAll(/code: `(\w+)\.\$\{/g)) {
    assert.ok(reasons[prefix], `notice template "${prefix}.\${…}": list its reasons here`);
    codes.push(...reasons[prefix].map((reason) => `${prefix}.${reason}`));
  }
  return [...new Set(codes)].sort();
}

function unionOf(source: string, type: string): string[] {
  const union = new RegExp(`export type ${type} =([^;]+);`).exec(source)?.[1];
  assert.ok(union, `type ${type} not found`);
  return [...union.matchAll(/'(\w+)'/g)].map(([, member]) => member!);
}
