import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdempotencyConflictError, InvalidTransferError } from '../../activities/ledger/errors.ts';
import { aUserWithAccounts, deposit, openLedger, type LedgerFixture } from '../support/ledger.ts';

describe('ledger conversions', () => {
  let f: LedgerFixture;
  before(async () => {
    f = await openLedger();
  });
  after(() => f?.close());

  const usdToNgn = (
    accounts: Awaited<ReturnType<typeof aUserWithAccounts>>['accounts'],
    key: string,
    rate: string,
  ) => ({
    idempotencyKey: key,
    from: { account: accounts.USD!.available, currency: 'USD' as const, amount: '10.01' },
    to: { account: accounts.NGN!.available, currency: 'NGN' as const },
    rate,
  });

  it('converts through the conversion accounts, rounding half up, in one statement once warm', async () => {
    const { userId, accounts } = await aUserWithAccounts(f);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '30');

    const first = await f.queries.count(() =>
      f.ledger.convert(usdToNgn(accounts, 'c/1', '1530.555')),
    );
    assert.equal(first.result.outcome, 'applied');
    assert.equal(first.result.toAmount, '15320.86'); // 15320.85555 → half up
    assert.equal(first.tally.statements, 2, 'the first call also looks up the conversion accounts');

    const warm = await f.queries.count(() =>
      f.ledger.convert(usdToNgn(accounts, 'c/2', '1530.555')),
    );
    assert.equal(warm.tally.statements, 1);

    const balances = await f.ledger.balances(userId);
    assert.equal(balances.USD?.available, '9.98');
    assert.equal(balances.NGN?.available, '30641.72');
    const [pools] = await f.db.query(
      `SELECT json_object_agg(currency, balance::text) AS b FROM ledger_accounts WHERE system_code = 'conversion'`,
    );
    assert.deepEqual(pools.b, { USD: '20.020000000000000000', NGN: '-30641.720000000000000000' });

    const { items } = await f.ledger.history(userId, { kind: 'conversion' });
    assert.equal(items.length, 2);
    assert.deepEqual(items[0]?.metadata, {
      rate: '1530.555',
      from: { currency: 'USD', amount: '10.01' },
      to: { currency: 'NGN', amount: '15320.86' },
    });
  });

  it('replays a retried conversion and refuses the key at another rate', async () => {
    const { accounts } = await aUserWithAccounts(f);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '20');
    const done = await f.ledger.convert(usdToNgn(accounts, 'c/3', '1500'));
    const again = await f.ledger.convert(usdToNgn(accounts, 'c/3', '1500'));
    assert.deepEqual(again, { ...done, outcome: 'replayed' });
    await assert.rejects(
      f.ledger.convert(usdToNgn(accounts, 'c/3', '1501')),
      IdempotencyConflictError,
    );
  });

  it('refuses a conversion beyond the balance, and one that buys nothing', async () => {
    const { accounts } = await aUserWithAccounts(f, ['USD', 'NGN', 'BTC']);
    assert.equal(
      (await f.ledger.convert(usdToNgn(accounts, 'c/4', '1500'))).outcome,
      'insufficientFunds',
    );
    await assert.rejects(
      f.ledger.convert({
        idempotencyKey: 'c/5',
        from: { account: accounts.NGN!.available, currency: 'NGN', amount: '0.01' },
        to: { account: accounts.BTC!.available, currency: 'BTC' },
        rate: '0.0000000001',
      }),
      InvalidTransferError,
    );
  });
});
