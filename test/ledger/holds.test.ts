import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  IdempotencyConflictError,
  InvalidTransferError,
  UnknownHoldError,
} from '../../activities/ledger/errors.ts';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import { aUserWithAccounts, deposit, openLedger, type LedgerFixture } from '../support/ledger.ts';

describe('ledger holds', () => {
  let f: LedgerFixture;
  before(async () => {
    f = await openLedger(20);
  });
  after(() => f?.close());

  const funded = async (amount: string) => {
    const user = await aUserWithAccounts(f, ['USD']);
    await deposit(f.ledger, user.accounts.USD!.available, 'USD', amount);
    return user;
  };
  const holdOf = async (userId: string, amount: string, key: string) => {
    const held = await f.ledger.hold({ userId, currency: 'USD', amount, idempotencyKey: key });
    assert.equal(held.outcome, 'held');
    return held.outcome === 'held' ? held.holdId : '';
  };

  it('holds, posts and voids in one statement each', async () => {
    const { userId } = await funded('20');
    const revenue = await f.ledger.systemAccount('platform_revenue', 'USD');

    const held = await f.queries.count(() =>
      f.ledger.hold({ userId, currency: 'USD', amount: '8', idempotencyKey: 'h/1' }),
    );
    assert.equal(held.tally.statements, 1);
    assert.deepEqual((await f.ledger.balances(userId)).USD, {
      available: '12',
      held: '8',
      tradingCredit: '0',
      withdrawable: '12',
    });

    const holdId = held.result.outcome === 'held' ? held.result.holdId : '';
    const posted = await f.queries.count(() =>
      f.ledger.post({ holdId, idempotencyKey: 'p/1', to: [{ account: revenue }] }),
    );
    assert.equal(posted.tally.statements, 1);
    assert.equal(posted.result.outcome, 'posted');

    const other = await holdOf(userId, '2', 'h/2');
    const voided = await f.queries.count(() =>
      f.ledger.void({ holdId: other, idempotencyKey: 'v/2' }),
    );
    assert.equal(voided.tally.statements, 1);
    assert.equal(voided.result.outcome, 'voided');
    assert.deepEqual((await f.ledger.balances(userId)).USD?.available, '12');
  });

  it('settles once: a retry is replayed, anything else finds it already settled', async () => {
    const { userId } = await funded('5');
    const holdId = await holdOf(userId, '5', 'h/3');

    const first = await f.ledger.void({ holdId, idempotencyKey: 'v/3' });
    assert.deepEqual(await f.ledger.void({ holdId, idempotencyKey: 'v/3' }), {
      outcome: 'replayed',
      status: 'voided',
      transferId: first.outcome === 'voided' ? first.transferId : '',
    });
    const revenue = await f.ledger.systemAccount('platform_revenue', 'USD');
    assert.deepEqual(
      await f.ledger.post({ holdId, idempotencyKey: 'p/3', to: [{ account: revenue }] }),
      {
        outcome: 'alreadySettled',
        status: 'voided',
      },
    );
    await assert.rejects(
      f.ledger.post({ holdId, idempotencyKey: 'v/3', to: [{ account: revenue }] }),
      IdempotencyConflictError,
    );
    await assert.rejects(
      f.ledger.void({ holdId: '999999', idempotencyKey: 'v/none' }),
      UnknownHoldError,
    );
  });

  it('replays a hold by its key and refuses one beyond the available balance', async () => {
    const { userId } = await funded('3');
    const holdId = await holdOf(userId, '2', 'h/4');
    const again = await f.ledger.hold({
      userId,
      currency: 'USD',
      amount: '2',
      idempotencyKey: 'h/4',
    });
    assert.equal(again.outcome === 'replayed' && again.holdId, holdId);
    await assert.rejects(
      f.ledger.hold({ userId, currency: 'USD', amount: '1', idempotencyKey: 'h/4' }),
      IdempotencyConflictError,
    );
    assert.deepEqual(
      await f.ledger.hold({ userId, currency: 'USD', amount: '1.01', idempotencyKey: 'h/5' }),
      { outcome: 'insufficientFunds' },
    );
    await assert.rejects(
      f.ledger.hold({ userId, currency: 'USD', amount: '0', idempotencyKey: 'h/0' }),
      InvalidTransferError,
    );
  });

  it('posts to several destinations when their amounts add up to the hold', async () => {
    const { userId } = await funded('10');
    const { userId: seller, accounts } = await aUserWithAccounts(f, ['USD']);
    const revenue = await f.ledger.systemAccount('platform_revenue', 'USD');
    const holdId = await holdOf(userId, '10', 'h/6');

    const to = [
      { account: accounts.USD!.available, amount: '9.5' },
      { account: revenue, amount: '0.5' },
    ];
    assert.equal((await f.ledger.post({ holdId, idempotencyKey: 'p/6', to })).outcome, 'posted');
    assert.equal((await f.ledger.balances(seller)).USD?.available, '9.5');
  });

  it('lets exactly one of a post and a void win, 100 times over', async () => {
    const revenue = await f.ledger.systemAccount('platform_revenue', 'USD');
    const { userId } = await funded('100');
    const holds = [];
    for (let i = 0; i < 100; i += 1) holds.push(await holdOf(userId, '1', `race/${i}`));

    const wins = { posted: 0, voided: 0 };
    await Promise.all(
      holds.map(async (holdId) => {
        const [post, cancel] = await Promise.all([
          f.ledger.post({
            holdId,
            idempotencyKey: `race/${holdId}/post`,
            to: [{ account: revenue }],
          }),
          f.ledger.void({ holdId, idempotencyKey: `race/${holdId}/void` }),
        ]);
        const outcomes = [post.outcome, cancel.outcome].sort();
        assert.ok(
          ['alreadySettled,posted', 'alreadySettled,voided'].includes(outcomes.join()),
          `hold ${holdId}: ${outcomes.join(' and ')}`,
        );
        if (post.outcome === 'posted') wins.posted += 1;
        if (cancel.outcome === 'voided') wins.voided += 1;
      }),
    );

    assert.equal(wins.posted + wins.voided, 100);
    const balance = (await f.ledger.balances(userId)).USD!;
    assert.equal(balance.held, '0');
    assert.equal(balance.available, String(wins.voided));
    assert.deepEqual((await checkLedger(f.db)).violations, []);
  });
});
