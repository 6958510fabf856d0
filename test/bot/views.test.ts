import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getStateNodes } from '@xstate/graph';
import { addFundsMachine } from '../../machines/add-funds.ts';
import { menuMachine } from '../../machines/menu.ts';
import { onboardingMachine } from '../../machines/onboarding.ts';
import { formatMoney } from '../../bot/views/money.ts';
import { noticeText } from '../../bot/views/notices.ts';
import { renderResult } from '../../bot/views/index.ts';
import { someMenuFacts } from '../support/builders.ts';

const context = { botUsername: 'lockbay_bot' };
const shownStates = (
  machine: typeof onboardingMachine | typeof menuMachine | typeof addFundsMachine,
) =>
  getStateNodes(machine.root)
    .filter((node) => node.type === 'atomic' || node.type === 'final')
    .map((node) => node.path.join('.'))
    .filter((state) => !passing.includes(state));

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
