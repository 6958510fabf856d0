import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aUserWithAccounts, deposit, openLedger, type LedgerFixture } from '../support/ledger.ts';

describe('ledger balances and history', () => {
  let f: LedgerFixture;
  before(async () => {
    f = await openLedger();
  });
  after(() => f?.close());

  it('reads every currency and bucket in one statement; trading credit is never withdrawable', async () => {
    const { userId, accounts } = await aUserWithAccounts(f, ['USD', 'NGN', 'BTC']);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '40');
    await deposit(f.ledger, accounts.BTC!.available, 'BTC', '0.00012345');
    const bonus = await f.ledger.systemAccount('referral_program', 'USD');
    await f.ledger.transfer({
      kind: 'referral.bonus',
      idempotencyKey: 'bonus/1',
      entries: [
        { account: bonus, currency: 'USD', amount: '-5' },
        { account: accounts.USD!.trading_credit, currency: 'USD', amount: '5' },
      ],
    });
    await f.ledger.hold({ userId, currency: 'USD', amount: '15.5', idempotencyKey: 'hold/1' });

    const { result, tally } = await f.queries.count(() => f.ledger.balances(userId));
    assert.equal(tally.statements, 1);
    assert.deepEqual(result, {
      USD: { available: '24.5', held: '15.5', tradingCredit: '5', withdrawable: '24.5' },
      NGN: { available: '0', held: '0', tradingCredit: '0', withdrawable: '0' },
      BTC: { available: '0.00012345', held: '0', tradingCredit: '0', withdrawable: '0.00012345' },
    });
    assert.deepEqual(await f.ledger.balances('0'), {});
  });

  it('pages the history ten at a time, newest first, filtered by kind, in one statement', async () => {
    const { userId, accounts } = await aUserWithAccounts(f, ['USD']);
    for (let i = 1; i <= 12; i += 1)
      await deposit(f.ledger, accounts.USD!.available, 'USD', `${i}`);
    await f.ledger.hold({ userId, currency: 'USD', amount: '1', idempotencyKey: 'hold/2' });

    const first = await f.queries.count(() => f.ledger.history(userId));
    assert.equal(first.tally.statements, 1);
    assert.equal(first.result.total, 13);
    assert.equal(first.result.items.length, 10);
    assert.equal(first.result.items[0]?.kind, 'hold');
    assert.deepEqual(first.result.items[0]?.entries, [
      { currency: 'USD', bucket: 'available', amount: '-1' },
      { currency: 'USD', bucket: 'held', amount: '1' },
    ]);
    assert.match(first.result.items[0]?.createdAt ?? '', /^\d{4}-\d\d-\d\dT/);

    const second = await f.ledger.history(userId, { page: 2 });
    assert.deepEqual(
      second.items.map((item) => item.entries[0]?.amount),
      ['3', '2', '1'],
    );
    const deposits = await f.ledger.history(userId, { kind: 'deposit', pageSize: 20 });
    assert.equal(deposits.total, 12);
    assert.ok(deposits.items.every((item) => item.kind === 'deposit'));
  });
});
