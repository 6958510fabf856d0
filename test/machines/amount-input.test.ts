import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkLimits,
  readCashoutAmount,
  readUsd,
  type AmountLimits,
} from '../../machines/amount-input.ts';

const limits: AmountLimits = {
  minUsd: '1',
  maxUsd: '500',
  noEmailCapUsd: null,
  withdrawableUsd: '300',
};

describe('readUsd', () => {
  for (const [typed, amount] of <Array<[string, string]>>[
    ['12.50', '12.5'],
    ['12', '12'],
    ['0.5', '0.5'],
    ['1,000', '1000'],
    ['1,000.5', '1000.5'],
    ['12,345,678.90', '12345678.9'],
    ['$20', '20'],
    ['  7.05 ', '7.05'],
    ['007', '7'],
    ['999999999', '999999999'],
  ]) {
    it(`reads ${JSON.stringify(typed)} as ${amount}`, () => {
      assert.deepEqual(readUsd(typed), { ok: true, amount });
    });
  }

  for (const [typed, reason] of <Array<[string, string]>>[
    ['', 'empty'],
    ['   ', 'empty'],
    ['abc', 'notANumber'],
    ['12 000', 'notANumber'],
    ['12.', 'notANumber'],
    ['.5', 'notANumber'],
    ['1.2.3', 'notANumber'],
    ['+5', 'notANumber'],
    ['NaN', 'notANumber'],
    ['Infinity', 'notANumber'],
    ['٥', 'notANumber'],
    ['-5', 'negative'],
    ['-0.01', 'negative'],
    ['-1e3', 'negative'],
    ['1e3', 'exponent'],
    ['1E-2', 'exponent'],
    ['0.001', 'tooManyDecimals'],
    ['12.345', 'tooManyDecimals'],
    ['12,34,5', 'badGrouping'],
    ['1,2345', 'badGrouping'],
    [',100', 'badGrouping'],
    ['100,', 'badGrouping'],
    ['1.000,50', 'badGrouping'],
    ['9'.repeat(20), 'tooLarge'],
    ['1,000,000,000', 'tooLarge'],
    ['1'.repeat(10_000), 'tooLarge'],
  ]) {
    it(`refuses ${JSON.stringify(typed.slice(0, 24))} as ${reason}`, () => {
      assert.deepEqual(readUsd(typed), { ok: false, reason });
    });
  }
});

describe('checkLimits', () => {
  for (const [amount, reason] of <Array<[string, string]>>[
    ['0', 'belowMinimum'],
    ['0.99', 'belowMinimum'],
    ['500.01', 'aboveMaximum'],
    ['300.01', 'aboveWithdrawable'],
  ]) {
    it(`refuses ${amount} as ${reason}`, () => {
      assert.deepEqual(checkLimits(amount, limits), { ok: false, reason });
    });
  }

  it('accepts the bounds themselves', () => {
    assert.deepEqual(checkLimits('1', limits), { ok: true, amount: '1' });
    assert.deepEqual(checkLimits('300', limits), { ok: true, amount: '300' });
  });

  it('applies the no-e-mail cap before the balance', () => {
    const capped = { ...limits, noEmailCapUsd: '50' };
    assert.deepEqual(checkLimits('50', capped), { ok: true, amount: '50' });
    assert.deepEqual(checkLimits('301', capped), { ok: false, reason: 'aboveNoEmailCap' });
  });

  it('names the maximum before the balance, which the user cannot change by waiting', () => {
    assert.deepEqual(readCashoutAmount('1,000', limits), { ok: false, reason: 'aboveMaximum' });
  });
});
