import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdempotencyConflictError, InvalidTransferError } from '../../activities/ledger/errors.ts';
import { aUserWithAccounts, deposit, openLedger, type LedgerFixture } from '../support/ledger.ts';

describe('ledger transfers', () => {
  let f: LedgerFixture;
  before(async () => {
    f = await openLedger();
  });
  after(() => f?.close());

  const balance = async (account: string) =>
    (await f.db.query(`SELECT balance::text FROM ledger_accounts WHERE id = $1`, [account]))[0]
      .balance as string;
  const count = async (table: string) =>
    Number((await f.db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('creates a user’s accounts once, in one statement', async () => {
    const { userId, accounts } = await aUserWithAccounts(f, ['USD']);
    const again = await f.queries.count(() => f.ledger.ensureUserAccounts(userId, ['USD', 'BTC']));
    assert.equal(again.tally.statements, 1);
    assert.deepEqual(again.result.USD, accounts.USD);
    assert.deepEqual(Object.keys(again.result.BTC ?? {}).sort(), [
      'available',
      'held',
      'trading_credit',
    ]);
  });

  it('applies a balanced transfer in exactly one statement', async () => {
    const { accounts } = await aUserWithAccounts(f);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '100');
    const revenue = await f.ledger.systemAccount('platform_revenue', 'USD');

    const { result, tally } = await f.queries.count(() =>
      f.ledger.transfer({
        kind: 'fee',
        idempotencyKey: 'fee/1',
        description: 'cashout fee',
        entries: [
          { account: accounts.USD!.available, currency: 'USD', amount: '-1.25' },
          { account: revenue, currency: 'USD', amount: '1.25' },
        ],
      }),
    );
    assert.equal(tally.statements, 1, tally.sql.join('\n'));
    assert.equal(result.outcome, 'applied');
    assert.equal(await balance(accounts.USD!.available), '98.750000000000000000');
    assert.equal(await balance(revenue), '1.250000000000000000');
  });

  it('replays a known key without changing anything, and refuses a different movement under it', async () => {
    const { accounts } = await aUserWithAccounts(f);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '10');
    const escrow = await f.ledger.systemAccount('escrow_holdings', 'USD');
    const move = (amount: string) => ({
      kind: 'escrow.fund',
      idempotencyKey: 'escrow/7',
      entries: [
        { account: accounts.USD!.available, currency: 'USD' as const, amount: `-${amount}` },
        { account: escrow, currency: 'USD' as const, amount },
      ],
    });

    const first = await f.ledger.transfer(move('4'));
    const entries = await count('ledger_entries');
    const replay = await f.queries.count(() => f.ledger.transfer(move('4.000')));
    assert.deepEqual(replay.result, {
      outcome: 'replayed',
      transferId: first.outcome === 'applied' ? first.transferId : '',
    });
    assert.equal(replay.tally.statements, 2);
    assert.equal(await count('ledger_entries'), entries);
    assert.equal(await balance(accounts.USD!.available), '6.000000000000000000');

    await assert.rejects(f.ledger.transfer(move('5')), IdempotencyConflictError);
  });

  it('refuses an overdraft as a whole, in the database', async () => {
    const { accounts } = await aUserWithAccounts(f);
    const { accounts: other } = await aUserWithAccounts(f);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '5');
    const transfers = await count('ledger_transfers');

    const result = await f.ledger.transfer({
      kind: 'split',
      idempotencyKey: 'split/1',
      entries: [
        { account: accounts.USD!.available, currency: 'USD', amount: '-5.01' },
        { account: other.USD!.available, currency: 'USD', amount: '5.01' },
      ],
    });
    assert.deepEqual(result, { outcome: 'insufficientFunds' });
    assert.equal(await count('ledger_transfers'), transfers);
    assert.equal(await balance(other.USD!.available), '0.000000000000000000');
  });

  it('checks the shape of entries before touching the database', async () => {
    const { accounts } = await aUserWithAccounts(f);
    const a = accounts.USD!.available;
    const invalid = [
      [
        { account: a, currency: 'USD', amount: '1' },
        { account: a, currency: 'USD', amount: '-0.99' },
      ],
      [
        { account: a, currency: 'USD', amount: '0' },
        { account: a, currency: 'USD', amount: '0' },
      ],
      [{ account: a, currency: 'USD', amount: '1' }],
    ] as const;
    for (const entries of invalid) {
      const { tally } = await f.queries.count(() =>
        assert.rejects(
          f.ledger.transfer({ kind: 'x', idempotencyKey: 'bad', entries }),
          InvalidTransferError,
        ),
      );
      assert.equal(tally.statements, 0);
    }
  });

  it('refuses at commit an entry in another currency than its account', async () => {
    const { accounts } = await aUserWithAccounts(f);
    const ngnPool = await f.ledger.systemAccount('provider_clearing:test', 'NGN');
    await assert.rejects(
      f.ledger.transfer({
        kind: 'deposit',
        idempotencyKey: 'wrong-currency',
        entries: [
          { account: ngnPool, currency: 'NGN', amount: '-1' },
          { account: accounts.USD!.available, currency: 'NGN', amount: '1' },
        ],
      }),
      /is in NGN, but account/,
    );
  });

  it('joins a caller’s transaction, and a refusal leaves that transaction usable', async () => {
    const { accounts } = await aUserWithAccounts(f);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '3');
    const revenue = await f.ledger.systemAccount('platform_revenue', 'USD');
    const fee = (key: string, amount: string) => ({
      kind: 'fee',
      idempotencyKey: key,
      entries: [
        { account: accounts.USD!.available, currency: 'USD' as const, amount: `-${amount}` },
        { account: revenue, currency: 'USD' as const, amount },
      ],
    });

    await f.db.transaction(async (manager) => {
      assert.equal(
        (await f.ledger.transfer(fee('tx/1', '50'), manager)).outcome,
        'insufficientFunds',
      );
      assert.equal((await f.ledger.transfer(fee('tx/2', '1'), manager)).outcome, 'applied');
    });
    assert.equal(await balance(accounts.USD!.available), '2.000000000000000000');

    await assert.rejects(
      f.db.transaction(async (manager) => {
        await f.ledger.transfer(fee('tx/3', '1'), manager);
        throw new Error('the caller gives up');
      }),
      /gives up/,
    );
    assert.equal(await balance(accounts.USD!.available), '2.000000000000000000');
  });
});
