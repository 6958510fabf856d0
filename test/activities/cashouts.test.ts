import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCashoutSettlement } from '../../activities/cashout-settlement.ts';
import { createCashoutActivities } from '../../activities/cashouts.ts';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import type { Rails } from '../../activities/providers/index.ts';
import type { SubmitCashoutInput } from '../../machines/cashout-commit.ts';
import { deposit, openLedger, type LedgerFixture } from '../support/ledger.ts';

const limits = {
  minUsd: '1',
  maxUsd: '500',
  noEmailCapUsd: '50',
  reviewAboveUsd: '250',
  codeValidSeconds: 600,
};
const rails = {
  cryptoPayouts: { provider: 'sandbox' },
  ngnBank: { provider: 'sandbox' },
} as Pick<Rails, 'cryptoPayouts' | 'ngnBank'>;
const ADDRESS = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';

describe('cashout activities on PostgreSQL', () => {
  let f: LedgerFixture;
  let cashouts: ReturnType<typeof createCashoutActivities>;
  let books: ReturnType<typeof createCashoutSettlement>;
  let telegramIds = 7_000_000;
  let keys = 0;

  before(async () => {
    f = await openLedger(30);
    cashouts = createCashoutActivities({ db: f.db, ledger: f.ledger, rails, limits });
    books = createCashoutSettlement({ db: f.db, ledger: f.ledger });
  });
  after(() => f?.close());

  /** An onboarded user with `funded` USD available, and a verified e-mail code if asked. */
  async function aUser(
    options: { funded?: string; email?: boolean; role?: 'user' | 'admin'; blocked?: boolean } = {},
  ) {
    telegramIds += 1;
    const [user] = await f.db.query(
      `INSERT INTO users (telegram_id, first_name, referral_code, role, blocked, onboarded_at,
         email, email_verified_at)
       VALUES ($1, 'Ada', $2, $3, $4, now(), $5, CASE WHEN $5::text IS NULL THEN NULL ELSE now() END)
       RETURNING id`,
      [
        telegramIds,
        `R${telegramIds}`,
        options.role ?? 'user',
        options.blocked ?? false,
        options.email ? `u${telegramIds}@example.com` : null,
      ],
    );
    const accounts = await f.ledger.ensureUserAccounts(user.id, ['USD', 'NGN']);
    if (options.funded) await deposit(f.ledger, accounts.USD!.available, 'USD', options.funded);
    return { telegramId: telegramIds, userId: user.id as string };
  }

  async function aVerifiedCode(userId: string, verifiedAgo = '1 minute'): Promise<string> {
    const [code] = await f.db.query(
      `INSERT INTO email_codes (user_id, email, code_hash, idempotency_key, expires_at, verified_at)
       VALUES ($1, 'x@example.com', 'h', $2, now() + interval '10 minutes', now() - $3::interval)
       RETURNING id`,
      [userId, `code/${++keys}`, verifiedAgo],
    );
    return code.id;
  }

  const submission = (
    telegramUserId: number,
    overrides: Partial<SubmitCashoutInput> & { amountUsd?: string; expiresAt?: string } = {},
  ) => {
    const { amountUsd = '40', expiresAt, ...rest } = overrides;
    return {
      telegramUserId,
      idempotencyKey: `chat-${telegramUserId}/run/submitCashout/${++keys}`,
      quote: {
        amountUsd,
        platformFeeUsd: amountUsd === '0.5' ? '0.1' : '2',
        payoutAmount: '0.00196',
        currency: 'BTC' as const,
        networkFee: '0.00002',
        usdPerUnit: '50000',
        expiresAt: expiresAt ?? new Date(Date.now() + 10 * 60_000).toISOString(),
      },
      payout: { method: 'crypto' as const, asset: 'BTC' as const },
      destination: { kind: 'address' as const, address: ADDRESS },
      saveAs: null,
      verificationId: null,
      ...rest,
    };
  };

  const balance = async (userId: string) => (await f.ledger.balances(userId)).USD;
  const count = async (sql: string, params: unknown[]) =>
    Number((await f.db.query(sql, params))[0].n);
  const holdsOf = (userId: string) =>
    count(
      `SELECT count(*) AS n FROM ledger_holds h JOIN ledger_accounts a
       ON a.id = h.available_account_id WHERE a.owner_user_id = $1`,
      [userId],
    );

  it('submits in one transaction of seven statements: hold, cashout and saved address', async () => {
    const { telegramId, userId } = await aUser({ funded: '40' });
    const input = submission(telegramId, { saveAs: 'Cold wallet' });

    const { result, tally } = await f.queries.count(() => cashouts.submitCashout(input));
    assert.equal(result.outcome, 'submitted', JSON.stringify(result));
    assert.deepEqual(
      [tally.statements, tally.sql[0], tally.sql.at(-1)],
      [7, 'START TRANSACTION', 'COMMIT'],
      tally.sql.join('\n'),
    );
    assert.deepEqual(await balance(userId), {
      available: '0',
      held: '40',
      tradingCredit: '0',
      withdrawable: '0',
    });

    const [row] = await f.db.query(
      `SELECT c.status, c.review_required, c.address, c.provider, s.label, s.last_used_at IS NOT NULL AS used
       FROM cashouts c JOIN saved_destinations s ON s.id = c.destination_id WHERE c.id = $1`,
      [result.outcome === 'submitted' ? result.cashoutId : ''],
    );
    assert.deepEqual(row, {
      status: 'paying',
      review_required: false,
      address: ADDRESS,
      provider: 'sandbox',
      label: 'Cold wallet',
      used: true,
    });
    assert.deepEqual((await checkLedger(f.db)).violations, []);
  });

  it('answers a retry of the same key with its first result, holding once', async () => {
    const { telegramId, userId } = await aUser({ funded: '300' });
    const input = submission(telegramId);

    const first = await cashouts.submitCashout(input);
    const again = await cashouts.submitCashout(input);
    assert.equal(first.outcome, 'submitted');
    assert.deepEqual(again, first);
    assert.equal(await holdsOf(userId), 1);
  });

  it('refuses what SQL says is wrong, writing nothing', async () => {
    const blocked = await aUser({ funded: '100', blocked: true });
    const poor = await aUser({ funded: '20' });
    const plain = await aUser({ funded: '600' });
    const verified = await aUser({ funded: '600', email: true });
    const stale = await aVerifiedCode(verified.userId, '20 minutes');
    const expired = new Date(Date.now() - 1_000).toISOString();

    const cases: Array<[ReturnType<typeof submission>, unknown]> = [
      [submission(blocked.telegramId), { outcome: 'blocked' }],
      [submission(poor.telegramId, { amountUsd: '30' }), { outcome: 'insufficientFunds' }],
      [
        submission(plain.telegramId, { amountUsd: '0.5' }),
        { outcome: 'outsideLimits', minUsd: '1', maxUsd: '500' },
      ],
      [
        submission(plain.telegramId, { amountUsd: '501' }),
        { outcome: 'outsideLimits', minUsd: '1', maxUsd: '500' },
      ],
      [submission(plain.telegramId, { amountUsd: '51' }), { outcome: 'noEmailCap', capUsd: '50' }],
      [submission(verified.telegramId), { outcome: 'codeRequired' }],
      [submission(verified.telegramId, { verificationId: stale }), { outcome: 'codeRequired' }],
      [
        submission(plain.telegramId, { amountUsd: '10', expiresAt: expired }),
        { outcome: 'quoteExpired' },
      ],
    ];
    for (const [input, expected] of cases) {
      assert.deepEqual(await cashouts.submitCashout(input), expected, JSON.stringify(expected));
    }
    for (const user of [blocked, poor, plain, verified]) {
      assert.equal(await holdsOf(user.userId), 0);
    }
    assert.equal(
      await count(`SELECT count(*) AS n FROM cashouts WHERE user_id = ANY($1::bigint[])`, [
        [blocked.userId, poor.userId, plain.userId, verified.userId],
      ]),
      0,
    );
  });

  it('takes a verified e-mail code once, and sends cashouts above $250 to review', async () => {
    const { telegramId, userId } = await aUser({ funded: '600', email: true });
    const code = await aVerifiedCode(userId);

    const first = await cashouts.submitCashout(
      submission(telegramId, { amountUsd: '300', verificationId: code }),
    );
    assert.equal(first.outcome, 'submitted');
    assert.equal(first.outcome === 'submitted' && first.awaitingReview, true);

    const admin = await aUser({ role: 'admin' });
    const cashoutId = first.outcome === 'submitted' ? first.cashoutId : '';
    await books.rejectCashout({ cashoutId, reviewer: admin.telegramId });
    assert.deepEqual(
      await cashouts.submitCashout(submission(telegramId, { verificationId: code })),
      { outcome: 'codeRequired' },
      'a spent code does not authorize a second cashout',
    );
  });

  it('pays a saved destination by id, and only the owner’s', async () => {
    const { telegramId } = await aUser({ funded: '200' });
    const other = await aUser({ funded: '200' });
    const first = await cashouts.submitCashout(submission(telegramId, { saveAs: 'Ledger' }));
    assert.equal(first.outcome, 'submitted');
    const cashoutId = first.outcome === 'submitted' ? first.cashoutId : '';
    await books.failCashout({ cashoutId, reason: 'test' });
    const [saved] = await f.db.query(`SELECT destination_id AS id FROM cashouts WHERE id = $1`, [
      cashoutId,
    ]);

    const destination = { kind: 'saved' as const, id: saved.id };
    assert.deepEqual(await cashouts.submitCashout(submission(other.telegramId, { destination })), {
      outcome: 'unknownDestination',
    });
    const again = await cashouts.submitCashout(submission(telegramId, { destination }));
    assert.equal(again.outcome, 'submitted');
    const [row] = await f.db.query(
      `SELECT address, destination_id AS id FROM cashouts WHERE id = $1`,
      [again.outcome === 'submitted' ? again.cashoutId : ''],
    );
    assert.deepEqual(row, { address: ADDRESS, id: saved.id });
  });

  it('lets one of twenty concurrent submits through; the others hear a cashout is active', async () => {
    const { telegramId, userId } = await aUser({ funded: '2000' });
    await Promise.all(Array.from({ length: 20 }, () => f.db.query('SELECT 1')));

    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => cashouts.submitCashout(submission(telegramId))),
    );
    const submitted = outcomes.filter((o) => o.outcome === 'submitted');
    assert.equal(submitted.length, 1);
    const winner = submitted[0]?.outcome === 'submitted' ? submitted[0].cashoutId : '';
    for (const outcome of outcomes.filter((o) => o.outcome !== 'submitted')) {
      assert.deepEqual(outcome, { outcome: 'alreadyActive', cashoutId: winner });
    }
    assert.equal(await holdsOf(userId), 1);
    assert.equal((await balance(userId))?.held, '40');
  });

  it('holds once when the balance covers one of two concurrent commits, never below zero', async () => {
    const { telegramId, userId } = await aUser({ funded: '40' });
    const outcomes = await Promise.all([
      cashouts.submitCashout(submission(telegramId)),
      cashouts.submitCashout(submission(telegramId)),
    ]);

    const names = outcomes.map((o) => o.outcome).sort();
    assert.equal(names.filter((name) => name === 'submitted').length, 1, names.join());
    assert.ok(
      ['alreadyActive', 'insufficientFunds'].includes(names.find((n) => n !== 'submitted')!),
    );
    assert.equal(await holdsOf(userId), 1);
    assert.deepEqual(await balance(userId), {
      available: '0',
      held: '40',
      tradingCredit: '0',
      withdrawable: '0',
    });
    assert.deepEqual((await checkLedger(f.db)).violations, []);
  });

  it('loads a cashout in one statement, with every admin but the owner as reviewer', async () => {
    const admin = await aUser({ role: 'admin' });
    const owner = await aUser({ funded: '40', role: 'admin' });
    const submitted = await cashouts.submitCashout(submission(owner.telegramId));
    const cashoutId = submitted.outcome === 'submitted' ? submitted.cashoutId : '';

    const { result, tally } = await f.queries.count(() => cashouts.loadCashout(cashoutId));
    assert.equal(tally.statements, 1);
    assert.ok(result.reviewers.includes(admin.telegramId));
    assert.ok(!result.reviewers.includes(owner.telegramId));
    assert.deepEqual(
      {
        ...result,
        reviewers: [],
      },
      {
        cashoutId,
        status: 'paying',
        owner: { telegramUserId: owner.telegramId, firstName: 'Ada', username: null },
        amountUsd: '40',
        feeUsd: '2',
        destination: { method: 'crypto', asset: 'BTC', address: ADDRESS },
        provider: 'sandbox',
        payoutCurrency: 'BTC',
        payoutAmount: '0.00196',
        networkFee: '0.00002',
        reviewers: [],
      },
    );
  });

  it('settles a success once: the fee to revenue, the rest to the provider', async () => {
    const { telegramId, userId } = await aUser({ funded: '40' });
    const submitted = await cashouts.submitCashout(submission(telegramId));
    const cashoutId = submitted.outcome === 'submitted' ? submitted.cashoutId : '';
    const revenue = await f.ledger.systemAccount('platform_revenue', 'USD');
    const before = await accountBalance(revenue);

    const success = { cashoutId, provider: 'sandbox', transactionRef: 'tx-1' };
    await books.succeedCashout(success);
    await books.succeedCashout(success);
    await assert.rejects(
      books.failCashout({ cashoutId, reason: 'late' }),
      /CashoutConflict|succeeded/,
    );

    assert.equal(Number(await accountBalance(revenue)) - Number(before), 2);
    assert.deepEqual(await balance(userId), {
      available: '0',
      held: '0',
      tradingCredit: '0',
      withdrawable: '0',
    });
    const [row] = await f.db.query(
      `SELECT status, transaction_ref, settled_at IS NOT NULL AS settled FROM cashouts WHERE id = $1`,
      [cashoutId],
    );
    assert.deepEqual(row, { status: 'succeeded', transaction_ref: 'tx-1', settled: true });
    assert.deepEqual((await checkLedger(f.db)).violations, []);
  });

  it('settles a failure once: the money is back in the wallet', async () => {
    const { telegramId, userId } = await aUser({ funded: '40' });
    const submitted = await cashouts.submitCashout(submission(telegramId));
    const cashoutId = submitted.outcome === 'submitted' ? submitted.cashoutId : '';

    await books.failCashout({ cashoutId, reason: 'invalid address' });
    await books.failCashout({ cashoutId, reason: 'invalid address' });
    await assert.rejects(
      books.succeedCashout({ cashoutId, provider: 'sandbox', transactionRef: 'tx' }),
      /failed/,
    );
    assert.equal((await balance(userId))?.available, '40');
    assert.equal((await balance(userId))?.held, '0');
    assert.deepEqual((await checkLedger(f.db)).violations, []);
  });

  it('takes a review only from an admin who is not the owner, once', async () => {
    const owner = await aUser({ funded: '300', email: true, role: 'admin' });
    const admin = await aUser({ role: 'admin' });
    const stranger = await aUser();
    const code = await aVerifiedCode(owner.userId);
    const submitted = await cashouts.submitCashout(
      submission(owner.telegramId, { amountUsd: '300', verificationId: code }),
    );
    const cashoutId = submitted.outcome === 'submitted' ? submitted.cashoutId : '';

    await assert.rejects(books.approveCashout({ cashoutId, reviewer: stranger.telegramId }));
    await assert.rejects(books.approveCashout({ cashoutId, reviewer: owner.telegramId }));
    await books.approveCashout({ cashoutId, reviewer: admin.telegramId });
    await books.approveCashout({ cashoutId, reviewer: admin.telegramId });
    await assert.rejects(books.rejectCashout({ cashoutId, reviewer: admin.telegramId }));

    const [row] = await f.db.query(
      `SELECT c.status, r.telegram_id FROM cashouts c JOIN users r ON r.id = c.reviewed_by
       WHERE c.id = $1`,
      [cashoutId],
    );
    assert.deepEqual(row, { status: 'paying', telegram_id: String(admin.telegramId) });
  });

  async function accountBalance(account: string): Promise<string> {
    const [row] = await f.db.query(`SELECT balance::text FROM ledger_accounts WHERE id = $1`, [
      account,
    ]);
    return row.balance;
  }
});
