import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getStateNodes } from '@xstate/graph';
import { addFundsMachine } from '../../machines/add-funds.ts';
import { menuMachine } from '../../machines/menu.ts';
import { onboardingMachine } from '../../machines/onboarding.ts';
import { decodeButton } from '../../bot/codecs/index.ts';
import { formatMoney } from '../../bot/views/money.ts';
import { noticeText } from '../../bot/views/notices.ts';
import { renderResult, type View } from '../../bot/views/index.ts';
import type { MenuFacts } from '../../machines/menu.ts';
import { someMenuFacts } from '../support/builders.ts';

const context = { botUsername: 'lockbay_bot' };
const shownStates = (
  machine: typeof onboardingMachine | typeof menuMachine | typeof addFundsMachine,
) =>
  getStateNodes(machine.root)
    .filter((node) => node.type === 'atomic' || node.type === 'final')
    .map((node) => node.path.join('.'))
    .filter((state) => !passing.includes(state));

const menuPage = (state: string, facts: MenuFacts) =>
  renderResult(
    {
      screen: { flow: 'menu', state, data: { ...facts } },
      stamp: 'x',
      ended: true,
      superseded: false,
    },
    context,
  );
const buttonsOf = (view: View) => view.keyboard?.inline_keyboard.flat() ?? [];
const pressed = (view: View) =>
  Object.fromEntries(
    buttonsOf(view).map((button) => {
      const decoded = decodeButton(button.callback_data ?? '');
      return [button.text, decoded.kind === 'event' ? decoded.event : decoded];
    }),
  );

const walletFacts = someMenuFacts({
  onboarded: true,
  wallets: {
    USD: { available: '12.5', held: '3', tradingCredit: '5' },
    NGN: { available: '1500', held: '0', tradingCredit: '0' },
  },
  withdrawableUsd: '12.5',
  lastDestination: { id: '42', label: 'Ledger', method: 'crypto', asset: 'BTC' },
});

// States a user never sees: they are left within the same step (routing, activity calls).
const passing = ['routing', 'sendingCode', 'verifyingCode', 'finishing', 'done', 'openingDeposit'];

describe('views', () => {
  it('render every state a user can see in onboarding, with buttons that fit Telegram', () => {
    for (const state of shownStates(onboardingMachine)) {
      const view = renderResult(
        {
          screen: { flow: 'onboarding', state, data: { firstName: 'Ada', email: 'a@b.co' } },
          stamp: 'ab12',
          ended: false,
          superseded: false,
        },
        context,
      );
      assert.ok(view.text.length > 0 && view.text.length <= 4096, state);
      for (const button of view.keyboard?.inline_keyboard.flat() ?? []) {
        assert.ok(Buffer.byteLength(button.callback_data ?? '') <= 64, `${state}: ${button.text}`);
      }
    }
  });

  it('render every state of add funds', () => {
    const deposit = {
      depositId: 'd1',
      asset: 'USDT_TRC20',
      address: 'TXyzExampleAddress',
      minimum: '1.000000000000000000',
      expiresAt: '2026-12-04T00:00:00.000Z',
    };
    for (const state of shownStates(addFundsMachine)) {
      const view = renderResult(
        {
          screen: { flow: 'addFunds', state, data: deposit },
          stamp: 'ab12',
          ended: false,
          superseded: false,
        },
        context,
      );
      assert.ok(view.text.length > 0, state);
      if (state === 'showingAddress')
        assert.match(view.text, /TXyzExampleAddress[\s\S]*at least 1 USDT TRC20/);
    }
  });

  it('render every page of the menu', () => {
    for (const state of shownStates(menuMachine)) {
      const view = renderResult(
        {
          screen: { flow: 'menu', state, data: { ...someMenuFacts() } },
          stamp: 'x',
          ended: true,
          superseded: false,
        },
        context,
      );
      assert.ok(view.text.length > 0, state);
    }
  });

  it('put the referral deep link on the invite page', () => {
    const view = renderResult(
      {
        screen: {
          flow: 'menu',
          state: 'invite',
          data: { ...someMenuFacts({ referralCode: 'ADA23456' }) },
        },
        stamp: 'x',
        ended: true,
        superseded: false,
      },
      context,
    );
    assert.match(view.text, /https:\/\/t\.me\/lockbay_bot\?start=ref_ADA23456/);
  });

  it('put a Wallet button with the balance on the main menu', () => {
    const view = menuPage('main', walletFacts);
    assert.deepEqual(pressed(view)['Wallet ($12.50)'], {
      type: 'flow.open',
      flow: 'menu',
      param: 'wallet',
    });
  });

  it('show the wallet balances with add, cash out, cash out all, again and activity', () => {
    const view = menuPage('wallet', walletFacts);

    assert.match(view.text, /Available: \$12\.50\nHeld: \$3\.00[^\n]*\nTrading credit: \$5\.00/);
    assert.match(view.text, /Naira available: ₦1,500\.00/);
    assert.match(view.text, /You can cash out \$12\.50\./);
    assert.deepEqual(pressed(view), {
      'Add funds': { type: 'flow.open', flow: 'addFunds' },
      'Cash out': { type: 'flow.open', flow: 'cashout' },
      'Cash out all ($12.50)': { type: 'flow.open', flow: 'cashout', param: 'all' },
      'BTC again · Ledger': { type: 'flow.open', flow: 'cashout', param: 'again_42' },
      Activity: { type: 'flow.open', flow: 'menu', param: 'activity' },
      'Back to menu': { type: 'flow.open', flow: 'menu' },
    });
  });

  it('leave out cash out all with nothing withdrawable, and again with no last cashout', () => {
    const empty = menuPage('wallet', someMenuFacts({ onboarded: true }));
    const bank = menuPage(
      'wallet',
      someMenuFacts({
        withdrawableUsd: '0',
        lastDestination: { id: '7', label: 'Salary', method: 'bank', asset: null },
      }),
    );

    assert.deepEqual(Object.keys(pressed(empty)), [
      'Add funds',
      'Cash out',
      'Activity',
      'Back to menu',
    ]);
    assert.doesNotMatch(empty.text, /Naira/);
    assert.ok('Bank again · Salary' in pressed(bank));
    assert.ok(!Object.keys(pressed(bank)).some((label) => label.startsWith('Cash out all')));
  });

  it('put no amount in the callback data of the wallet', () => {
    for (const button of buttonsOf(menuPage('wallet', walletFacts))) {
      assert.doesNotMatch(button.callback_data ?? '', /[.$₦]|12|1500/, button.text);
    }
  });

  it('list wallet activity signed, with currency, bucket, description and date', () => {
    const view = menuPage(
      'activity',
      someMenuFacts({
        activity: [
          {
            kind: 'cashout',
            description: 'Cashout to Ledger',
            currency: 'USD',
            bucket: 'held',
            amount: '-120.5',
            at: '2026-12-04T10:00:00Z',
          },
          {
            kind: 'deposit',
            description: 'Deposit of 0.001 BTC',
            currency: 'USD',
            bucket: 'available',
            amount: '95',
            at: '2026-12-03T09:00:00Z',
          },
        ],
      }),
    );

    assert.match(view.text, /4 Dec 2026 · Cashout to Ledger\n−\$120\.50 USD · held/);
    assert.match(view.text, /3 Dec 2026 · Deposit of 0\.001 BTC\n\+\$95\.00 USD · available/);
    assert.ok(view.text.indexOf('Cashout') < view.text.indexOf('Deposit'));
    assert.deepEqual(pressed(view), {
      'Back to wallet': { type: 'flow.open', flow: 'menu', param: 'wallet' },
    });
  });

  it('say when there is no activity yet', () => {
    assert.match(menuPage('activity', someMenuFacts({ activity: [] })).text, /No activity yet\./);
  });

  it('say every notice the onboarding machine can show in words', () => {
    for (const code of [
      'email.empty',
      'email.tooLong',
      'email.invalid',
      'email.looksLikeCode',
      'email.taken',
      'code.format',
      'code.locked',
      'code.expired',
      'service.unavailable',
    ]) {
      assert.notEqual(noticeText({ code }), code);
    }
    assert.equal(
      noticeText({ code: 'code.wrong', values: { triesLeft: 2 } }),
      'That code is not right. 2 tries left.',
    );
  });

  it('format money from decimal strings, half up, grouped', () => {
    assert.equal(formatMoney('1234567.005000000000000000', 'USD'), '$1,234,567.01');
    assert.equal(formatMoney('0.004999999999999999', 'USD'), '$0.00');
    assert.equal(formatMoney('99999999999999999999.995', 'NGN'), '₦100,000,000,000,000,000,000.00');
  });
});
