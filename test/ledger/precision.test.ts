import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAmount, sub, toStorage } from '../../machines/money.ts';
import { aUserWithAccounts, deposit, openLedger, type LedgerFixture } from '../support/ledger.ts';

describe('ledger precision', () => {
  let f: LedgerFixture;
  before(async () => {
    f = await openLedger();
  });
  after(() => f?.close());

  const extremes = [
    '99999999999999999999.999999999999999999',
    '12345678901234567890.123456789012345678',
    '0.000000000000000001',
    '1.100000000000000001',
  ];

  for (const [i, text] of extremes.entries()) {
    it(`keeps ${text} unchanged through money, SQL, balances and history`, async () => {
      const amount = toStorage(parseAmount(text));
      assert.equal(amount, text);
      const { userId, accounts } = await aUserWithAccounts(f, ['BTC']);
      // A clearing account each: one at minus the largest amount has no room left.
      await deposit(f.ledger, accounts.BTC!.available, 'BTC', amount, `precision-${i}`);

      const [stored] = await f.db.query(`SELECT balance::text FROM ledger_accounts WHERE id = $1`, [
        accounts.BTC!.available,
      ]);
      assert.equal(toStorage(stored.balance), text);
      assert.equal((await f.ledger.balances(userId)).BTC?.available, text);
      const [item] = (await f.ledger.history(userId)).items;
      assert.deepEqual(item?.entries, [{ currency: 'BTC', bucket: 'available', amount: text }]);
    });
  }

  it('moves the smallest unit out of the largest balance exactly', async () => {
    const { userId, accounts } = await aUserWithAccounts(f, ['ETH']);
    await deposit(f.ledger, accounts.ETH!.available, 'ETH', extremes[0]!, 'precision-tiny');
    const held = await f.ledger.hold({
      userId,
      currency: 'ETH',
      amount: '0.000000000000000001',
      idempotencyKey: 'tiny',
    });
    assert.equal(held.outcome, 'held');

    const balance = (await f.ledger.balances(userId)).ETH!;
    assert.equal(balance.available, sub(extremes[0]!, '0.000000000000000001'));
    assert.equal(balance.available, '99999999999999999999.999999999999999998');
    assert.equal(balance.held, '0.000000000000000001');
  });
});
