import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cashoutButtons, cashoutChoiceButtons } from '../../bot/codecs/cashout.ts';
import { decodeButton } from '../../bot/codecs/index.ts';
import { menuButtons, menuValueButtons } from '../../bot/codecs/menu.ts';
import { commands } from '../../bot/commands.ts';

const stamp = 'c0de1f';

describe('button codecs', () => {
  it('round-trip every cashout button with its screen stamp', () => {
    const expected = {
      all: { type: 'amount.all' },
      custom: { type: 'amount.custom' },
      crypto: { type: 'method.choose', method: 'crypto' },
      bank: { type: 'method.choose', method: 'bank' },
      btc: { type: 'asset.choose', asset: 'BTC' },
      eth: { type: 'asset.choose', asset: 'ETH' },
      ltc: { type: 'asset.choose', asset: 'LTC' },
      usdttrc: { type: 'asset.choose', asset: 'USDT_TRC20' },
      usdterc: { type: 'asset.choose', asset: 'USDT_ERC20' },
      new: { type: 'destination.new' },
      save: { type: 'destination.save' },
      once: { type: 'destination.useOnce' },
      confirm: { type: 'cashout.confirm' },
      resend: { type: 'code.resend' },
      back: { type: 'step.back' },
      cancel: { type: 'flow.cancel' },
    } as const;
    for (const [action, event] of Object.entries(expected)) {
      const data = cashoutButtons.encode(action as keyof typeof expected, stamp);
      assert.deepEqual(decodeButton(data), { kind: 'event', event, stamp }, data);
    }
  });

  it('round-trip bank and saved-destination choices: `cb1:<b|d>:<value>:<stamp>`', () => {
    const bank = cashoutChoiceButtons.encode('b', '058', stamp);
    const saved = cashoutChoiceButtons.encode('d', '123456789012345678', stamp);

    assert.equal(bank, 'cb1:b:058:c0de1f');
    assert.deepEqual(decodeButton(bank), {
      kind: 'event',
      event: { type: 'bank.choose', bankCode: '058' },
      stamp,
    });
    assert.deepEqual(decodeButton(saved), {
      kind: 'event',
      event: { type: 'destination.choose', destinationId: '123456789012345678' },
      stamp,
    });
    assert.ok(Buffer.byteLength(saved) <= 64);
  });

  it('open the wallet, activity and cashout from menu buttons, without a stamp', () => {
    const opens = {
      wallet: { type: 'flow.open', flow: 'menu', param: 'wallet' },
      activity: { type: 'flow.open', flow: 'menu', param: 'activity' },
      cashout: { type: 'flow.open', flow: 'cashout' },
      cashoutall: { type: 'flow.open', flow: 'cashout', param: 'all' },
    } as const;
    for (const [action, event] of Object.entries(opens)) {
      const data = menuButtons.encode(action as keyof typeof opens);
      assert.deepEqual(decodeButton(data), { kind: 'event', event }, data);
    }
  });

  it('open a cashout to the last destination by its id: `mv1:again:<id>`', () => {
    const data = menuValueButtons.encode('again', '42');

    assert.equal(data, 'mv1:again:42');
    assert.deepEqual(decodeButton(data), {
      kind: 'event',
      event: { type: 'flow.open', flow: 'cashout', param: 'again_42' },
    });
  });

  it('answer malformed, made-up and older data as outdated', () => {
    for (const data of [
      'cb1:b:12:c0de1f',
      'cb1:b:1234567:c0de1f',
      'cb1:b:O58:c0de1f',
      'cb1:d:abc:c0de1f',
      'cb1:d:12.50:c0de1f',
      'cb1:d:1234567890123456789:c0de1f',
      'cb1:d:-4:c0de1f',
      'cb1:d::c0de1f',
      'cb1:d:42:',
      'cb1:d:42',
      'cb1:d:42:c0de1f:extra',
      'cb1:d:42:not-a-stamp',
      'cb1:x:42:c0de1f',
      'cb1:b',
      'cb2:b:058:c0de1f',
      'cs1:sendall:c0de1f',
      'cs1:',
      'cs0:confirm:c0de1f',
      'mv1:again:',
      'mv1:again:12.5',
      'mv1:again:all',
      'mv1:again:42:extra',
      'mn1:cashoutnow',
    ]) {
      assert.deepEqual(decodeButton(data), { kind: 'outdated' }, data);
    }
  });

  it('answer data over 64 bytes and data of no known keyboard as outdated', () => {
    for (const data of [
      `cs1:confirm:${'a'.repeat(60)}`,
      `cb1:d:42:${'a'.repeat(60)}`,
      `mv1:again:${'4'.repeat(60)}`,
      '',
      'confirm',
      'zz1:all:c0de1f',
      'cb:d:42',
    ]) {
      assert.deepEqual(decodeButton(data), { kind: 'outdated' }, data);
    }
    assert.equal(cashoutChoiceButtons.decode('mv1:again:42'), null);
    assert.equal(menuValueButtons.decode('cb1:d:42:c0de1f'), null);
  });

  it('refuse to encode a value its button does not take, so no amount becomes data', () => {
    assert.throws(() => cashoutChoiceButtons.encode('d', '12.50', stamp), /does not take/);
    assert.throws(() => cashoutChoiceButtons.encode('b', 'GTB', stamp), /does not take/);
    assert.throws(() => menuValueButtons.encode('again', '$5'), /does not take/);
    assert.throws(() => cashoutChoiceButtons.encode('d', '1', 'x'.repeat(60)), /64 bytes/);
    assert.throws(() => cashoutChoiceButtons.encode('d', '1'), /takes a stamp/);
    assert.throws(() => menuValueButtons.encode('again', '1', stamp), /takes no stamp/);
  });

  it('open the wallet with /wallet and a cashout with /cashout, ignoring any typed amount', () => {
    assert.deepEqual(commands.wallet?.event(undefined), {
      type: 'flow.open',
      flow: 'menu',
      param: 'wallet',
    });
    assert.deepEqual(commands.cashout?.event('50'), { type: 'flow.open', flow: 'cashout' });
  });
});
