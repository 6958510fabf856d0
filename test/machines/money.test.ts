import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AmountError,
  add,
  cmp,
  formatAmount,
  mul,
  neg,
  parseAmount,
  roundTo,
  sub,
  toStorage,
} from '../../machines/money.ts';

describe('money', () => {
  it('parses strictly and returns the canonical form', () => {
    assert.equal(parseAmount('0012.500'), '12.5');
    assert.equal(parseAmount('-0.000000000000000001'), '-0.000000000000000001');
    assert.equal(parseAmount('-0'), '0');
    for (const bad of [
      '',
      '1e5',
      '+1',
      '1.',
      '.5',
      '1,000',
      ' 1',
      '1.0000000000000000001',
      '1'.repeat(21),
    ]) {
      assert.throws(() => parseAmount(bad), AmountError, bad);
    }
  });

  it('adds, subtracts and multiplies exactly at 38 digits', () => {
    const big = '99999999999999999999.999999999999999999';
    assert.equal(add(big, '0.000000000000000001'), '100000000000000000000');
    assert.equal(sub('0.1', '0.3'), '-0.2');
    assert.equal(mul('0.000000000000000001', '0.5'), '0.0000000000000000005');
    assert.equal(neg('5'), '-5');
    assert.equal(cmp('1.10', '1.1'), 0);
  });

  it('rounds half up: fiat to 2 places, crypto to 8', () => {
    assert.equal(roundTo('USD', '2.345'), '2.35');
    assert.equal(roundTo('NGN', '-2.345'), '-2.35');
    assert.equal(roundTo('BTC', '0.123456785'), '0.12345679');
    assert.equal(roundTo('USDT', '0.123456784999'), '0.12345678');
    assert.equal(formatAmount('USD', '5'), '5.00');
  });

  it('stores at most 18 places and refuses more than 20 integer digits', () => {
    assert.equal(toStorage('1.0000000000000000005'), '1.000000000000000001');
    assert.equal(toStorage('12.340000000000000000'), '12.34');
    assert.throws(() => toStorage('100000000000000000000'), AmountError);
  });

  it('refuses JavaScript numbers', () => {
    assert.throws(() => add(0.1 as unknown as string, '1'), AmountError);
  });
});
