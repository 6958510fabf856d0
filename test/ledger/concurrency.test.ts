import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import { aUserWithAccounts, deposit, openLedger, type LedgerFixture } from '../support/ledger.ts';

describe('ledger under concurrency', () => {
  let f: LedgerFixture;
  before(async () => {
    f = await openLedger(60);
  });
  after(() => f?.close());

  it('lets exactly 10 of 50 concurrent $10 debits through a $100 balance', async () => {
    const { userId, accounts } = await aUserWithAccounts(f, ['USD']);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '100');
    const escrow = await f.ledger.systemAccount('escrow_holdings', 'USD');
    // Every debit holds its own connection: 50 transactions really run at once.
    await Promise.all(Array.from({ length: 50 }, () => f.db.query('SELECT 1')));

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        f.ledger.transfer({
          kind: 'escrow.fund',
          idempotencyKey: `debit/${i}`,
          entries: [
            { account: accounts.USD!.available, currency: 'USD', amount: '-10' },
            { account: escrow, currency: 'USD', amount: '10' },
          ],
        }),
      ),
    );

    const count = (outcome: string) => outcomes.filter((o) => o.outcome === outcome).length;
    assert.equal(count('applied'), 10);
    assert.equal(count('insufficientFunds'), 40);
    assert.equal((await f.ledger.balances(userId)).USD?.available, '0');
    const [{ connections }] = await f.db.query(
      `SELECT count(*)::int AS connections FROM pg_stat_activity WHERE datname = current_database()`,
    );
    assert.ok(connections >= 50, `only ${connections} connections`);
    assert.deepEqual(await checkLedger(f.db), { ok: true, transfers: 11, violations: [] });
  });
});
