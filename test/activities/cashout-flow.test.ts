import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/activity';
import { createCashoutFlowActivities } from '../../activities/cashout-flow.ts';
import { createCashoutActivities } from '../../activities/cashouts.ts';
import { createMenuActivities } from '../../activities/menu.ts';
import {
  createSandboxRails,
  sandboxBanks,
  sandboxNetworkFees,
  UNKNOWN_ACCOUNT,
  type SandboxRails,
} from '../../activities/providers/sandbox/index.ts';
import { ProviderError, type Bank, type NgnBank } from '../../activities/providers/types.ts';
import type { QuoteInput } from '../../machines/cashout-actors.ts';
import type { CashoutDestination, CashoutPayout } from '../../machines/cashout-commit.ts';
import { inverse } from '../../machines/money.ts';
import { aParty } from '../support/builders.ts';
import { deposit, openLedger, type LedgerFixture } from '../support/ledger.ts';

const BTC_ADDRESS = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';
const ACCOUNT_NUMBER = '0123456789';
const RATE_MAX_AGE_SECONDS = 300;
const limits = {
  minUsd: '1',
  maxUsd: '500',
  noEmailCapUsd: '50',
  reviewAboveUsd: '250',
  codeValidSeconds: 600,
};

describe('cashout flow activities on PostgreSQL', () => {
  let f: LedgerFixture;
  let sandbox: SandboxRails;
  let bank: ReturnType<typeof recordingBank>;
  let flow: ReturnType<typeof createCashoutFlowActivities>;
  let cashouts: ReturnType<typeof createCashoutActivities>;
  let telegramIds = 7_200_000;
  let keys = 0;

  before(async () => {
    f = await openLedger();
    sandbox = createSandboxRails({
      secret: 's',
      webhookUrl: 'http://127.0.0.1:9/',
      retryDelaysMs: [],
    });
    bank = recordingBank(sandbox.bank);
    const rails = { cryptoPayouts: sandbox.payouts, ngnBank: bank };
    flow = createCashoutFlowActivities({
      db: f.db,
      rails,
      admins: [42],
      rateMaxAgeSeconds: RATE_MAX_AGE_SECONDS,
    });
    cashouts = createCashoutActivities({ db: f.db, ledger: f.ledger, rails, limits });
    await f.db.query(
      `INSERT INTO rates (base, quote, rate, source, observed_at, fetched_at)
       SELECT base, quote, rate, 'test', now(), now() - interval '30 seconds'
       FROM (VALUES ('BTC', 'USD', 95000), ('ETH', 'USD', 3500), ('LTC', 'USD', 90),
         ('USDT', 'USD', 1), ('USD', 'NGN', 1500), ('USD', 'GHS', 15)) AS r(base, quote, rate)`,
    );
  });
  after(async () => {
    await sandbox?.close();
    await f?.close();
  });

  const party = (telegramUserId: number) =>
    aParty({ chatId: telegramUserId, telegramUserId, firstName: 'Ada', username: 'ada' });

  /** An onboarded user with `funded` USD available and `credit` USD of trading credit. */
  async function aUser(options: { funded?: string; credit?: string } = {}) {
    telegramIds += 1;
    const [user] = await f.db.query(
      `INSERT INTO users (telegram_id, first_name, referral_code, onboarded_at)
       VALUES ($1, 'Ada', $2, now()) RETURNING id`,
      [telegramIds, `F${telegramIds}`],
    );
    const accounts = await f.ledger.ensureUserAccounts(user.id, ['USD', 'NGN']);
    if (options.funded) await deposit(f.ledger, accounts.USD!.available, 'USD', options.funded);
    if (options.credit) {
      await deposit(f.ledger, accounts.USD!.trading_credit, 'USD', options.credit);
    }
    return { telegramId: telegramIds, userId: user.id as string };
  }

  /** A committed $40 cashout (status `paying`), saving its destination when `saveAs` is set. */
  async function aCashout(
    telegramUserId: number,
    payout: CashoutPayout,
    destination: CashoutDestination,
    saveAs: string | null,
  ): Promise<string> {
    const crypto = payout.method === 'crypto';
    const result = await cashouts.submitCashout({
      telegramUserId,
      idempotencyKey: `chat-${telegramUserId}/run/submitCashout/${++keys}`,
      quote: {
        amountUsd: '40',
        platformFeeUsd: '2',
        payoutAmount: crypto ? '0.0004' : '57000',
        currency: crypto ? 'BTC' : 'NGN',
        networkFee: crypto ? '0.00002' : '0',
        usdPerUnit: crypto ? '95000' : inverse('1500'),
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      },
      payout,
      destination,
      saveAs,
      verificationId: null,
    });
    assert.equal(result.outcome, 'submitted', JSON.stringify(result));
    return result.outcome === 'submitted' ? result.cashoutId : '';
  }

  const settle = (cashoutId: string) =>
    f.db.query(
      `UPDATE cashouts SET status = 'succeeded', settled_at = now(), transaction_ref = 'tx'
       WHERE id = $1`,
      [cashoutId],
    );
  const savedId = async (userId: string, label: string) =>
    String(
      (
        await f.db.query(`SELECT id FROM saved_destinations WHERE user_id = $1 AND label = $2`, [
          userId,
          label,
        ])
      )[0].id,
    );
  const refreshBanksNow = async () => {
    await f.db.query(`DELETE FROM banks`);
    await flow.refreshBanks();
  };

  describe('prefetchCashoutContext', () => {
    it('loads every fact of the conversation in one statement, masking destinations', async () => {
      await refreshBanksNow();
      const { telegramId, userId } = await aUser({ funded: '100', credit: '5' });
      const first = await aCashout(
        telegramId,
        { method: 'crypto', asset: 'BTC' },
        { kind: 'address', address: BTC_ADDRESS },
        'Cold wallet',
      );
      await settle(first);
      const active = await aCashout(
        telegramId,
        { method: 'bank', bankCode: '058' },
        { kind: 'account', accountNumber: ACCOUNT_NUMBER, accountName: 'ADA LOVELACE' },
        'Salary',
      );
      await f.db.query(
        `UPDATE users SET email = 'ada@example.com', email_verified_at = now() WHERE id = $1`,
        [userId],
      );

      const { result: facts, tally } = await f.queries.count(() =>
        flow.prefetchCashoutContext({ party: party(telegramId) }),
      );
      assert.equal(tally.statements, 1, tally.sql.join('\n'));
      assert.deepEqual(facts.user, {
        blocked: false,
        onboarded: true,
        verifiedEmail: 'ada@example.com',
      });
      // $100 deposited, $40 held by each cashout; the $5 trading credit never leaves.
      assert.deepEqual(facts.balances, { available: '20', withdrawable: '20' });

      const addressId = await savedId(userId, 'Cold wallet');
      const accountId = await savedId(userId, 'Salary');
      assert.deepEqual(
        facts.addresses.map(({ lastUsedAt, ...rest }) => ({ ...rest, used: lastUsedAt !== null })),
        [{ id: addressId, label: 'Cold wallet', asset: 'BTC', masked: 'bc1qxy…0wlh', used: true }],
      );
      assert.match(
        facts.addresses[0]?.lastUsedAt ?? '',
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
      );
      assert.deepEqual(
        facts.bankAccounts.map(({ lastUsedAt: _, ...rest }) => rest),
        [
          {
            id: accountId,
            label: 'Salary',
            bankCode: '058',
            masked: '******6789',
            accountName: 'ADA LOVELACE',
          },
        ],
      );
      const json = JSON.stringify(facts);
      assert.ok(!json.includes(BTC_ADDRESS), 'the full address never enters workflow state');
      assert.ok(!json.includes(ACCOUNT_NUMBER), 'nor the full account number');

      const byName = sandboxBanks.toSorted((a, b) => (a.name < b.name ? -1 : 1));
      assert.deepEqual(facts.banks, byName);
      assert.equal(facts.lastDestinationId, accountId, 'the newest cashout’s destination');
      assert.equal(facts.activeCashoutId, active);
    });

    it('lists each payout currency’s rate with its age, and nothing else', async () => {
      const { telegramId } = await aUser();
      const facts = await flow.prefetchCashoutContext({ party: party(telegramId) });

      const rates = Object.fromEntries(facts.rates.map((rate) => [rate.currency, rate.rate]));
      assert.deepEqual(rates, { BTC: '95000', ETH: '3500', LTC: '90', USDT: '1', NGN: '1500' });
      for (const { currency, ageMs } of facts.rates) {
        assert.ok(ageMs >= 30_000 && ageMs < 60_000, `${currency} is ${ageMs} ms old`);
      }
    });

    it('reports no active cashout once the last one has settled, and a blocked user', async () => {
      const { telegramId, userId } = await aUser({ funded: '100' });
      const settled = await aCashout(
        telegramId,
        { method: 'crypto', asset: 'BTC' },
        { kind: 'address', address: BTC_ADDRESS },
        null,
      );
      await settle(settled);
      await f.db.query(
        `UPDATE users SET blocked = true, email = 'unverified@example.com' WHERE id = $1`,
        [userId],
      );

      const facts = await flow.prefetchCashoutContext({ party: party(telegramId) });
      assert.deepEqual(facts.user, { blocked: true, onboarded: true, verifiedEmail: null });
      assert.equal(facts.activeCashoutId, null);
      assert.equal(facts.lastDestinationId, null, 'used once: nothing to pay again');
      assert.deepEqual([facts.addresses, facts.bankAccounts], [[], []]);
    });

    it('creates a user it has never seen, not onboarded and with nothing to withdraw', async () => {
      telegramIds += 1;
      const { result: facts, tally } = await f.queries.count(() =>
        flow.prefetchCashoutContext({ party: party(telegramIds) }),
      );
      assert.equal(tally.statements, 1);
      assert.deepEqual(facts.user, { blocked: false, onboarded: false, verifiedEmail: null });
      assert.deepEqual(facts.balances, { available: '0', withdrawable: '0' });
      assert.deepEqual([facts.lastDestinationId, facts.activeCashoutId], [null, null]);

      const [row] = await f.db.query(
        `SELECT first_name, username, role, onboarded_at FROM users WHERE telegram_id = $1`,
        [telegramIds],
      );
      assert.deepEqual(row, {
        first_name: 'Ada',
        username: 'ada',
        role: 'user',
        onboarded_at: null,
      });
      await flow.prefetchCashoutContext({ party: party(42) });
      const [admin] = await f.db.query(`SELECT role FROM users WHERE telegram_id = 42`);
      assert.equal(admin.role, 'admin', 'admins are mirrored from configuration');
    });
  });

  describe('quoteCashout', () => {
    const quote = (payout: QuoteInput['payout'], amountUsd = '40') =>
      f.queries.count(() =>
        flow.quoteCashout({ telegramUserId: 1, amountUsd, payout, lockMs: 600_000 }),
      );

    it('prices a crypto payout at the stored rate with the rail’s network fee', async () => {
      const started = Date.now();
      const { result, tally } = await quote({ method: 'crypto', asset: 'BTC' });
      assert.equal(tally.statements, 1);
      assert.equal(result.outcome, 'quoted');
      if (result.outcome !== 'quoted') return;

      assert.deepEqual(
        [result.usdPerUnit, result.unitsPerUsd, result.networkFee],
        ['95000', inverse('95000'), sandboxNetworkFees.BTC],
      );
      const expiresAt = Date.parse(result.expiresAt);
      assert.ok(expiresAt >= started + 600_000 && expiresAt <= Date.now() + 600_000);
    });

    it('prices USDT on either network at the USDT rate, with that network’s fee', async () => {
      const { result } = await quote({ method: 'crypto', asset: 'USDT_ERC20' });
      assert.deepEqual(result.outcome === 'quoted' && [result.usdPerUnit, result.networkFee], [
        '1',
        sandboxNetworkFees.USDT_ERC20,
      ]);
    });

    it('prices a naira payout at naira per USD, with no transfer fee', async () => {
      const { result, tally } = await quote({ method: 'bank', bankCode: '058' });
      assert.equal(tally.statements, 1);
      assert.deepEqual(
        result.outcome === 'quoted' && [result.unitsPerUsd, result.usdPerUnit, result.networkFee],
        ['1500', inverse('1500'), '0'],
      );
    });

    it('refuses to price at a rate older than the allowed age', async () => {
      await f.db.query(
        `UPDATE rates SET fetched_at = now() - make_interval(secs => $1) WHERE base = 'ETH'`,
        [RATE_MAX_AGE_SECONDS + 1],
      );
      try {
        const { result, tally } = await quote({ method: 'crypto', asset: 'ETH' });
        assert.deepEqual([result, tally.statements], [{ outcome: 'unavailable' }, 1]);
      } finally {
        await f.db.query(
          `UPDATE rates SET fetched_at = now() - interval '30 seconds' WHERE base = 'ETH'`,
        );
      }
    });

    it('answers unavailable when the rail will not quote the amount', async () => {
      const { result } = await quote({ method: 'crypto', asset: 'BTC' }, '0');
      assert.deepEqual(result, { outcome: 'unavailable' });
    });
  });

  describe('resolveBankAccount', () => {
    it('answers the holder’s name of an account the bank knows', async () => {
      sandbox.bank.addAccount('058', ACCOUNT_NUMBER, 'ADA LOVELACE');
      const { result, tally } = await f.queries.count(() =>
        flow.resolveBankAccount({ bankCode: '058', accountNumber: ACCOUNT_NUMBER }),
      );
      assert.deepEqual(result, { outcome: 'found', accountName: 'ADA LOVELACE' });
      assert.equal(tally.statements, 0);
    });

    it('answers notFound for an account no bank holds', async () => {
      const result = await flow.resolveBankAccount({
        bankCode: '058',
        accountNumber: UNKNOWN_ACCOUNT,
      });
      assert.deepEqual(result, { outcome: 'notFound' });
    });

    it('answers notFound when the provider rejects the number or bank for good', async () => {
      const wrongBank = await flow.resolveBankAccount({
        bankCode: '000',
        accountNumber: ACCOUNT_NUMBER,
      });
      const shortNumber = await flow.resolveBankAccount({
        bankCode: '058',
        accountNumber: '123',
      });
      assert.deepEqual(
        [wrongBank, shortNumber],
        [{ outcome: 'notFound' }, { outcome: 'notFound' }],
      );
    });

    it('throws a retryable provider error, so the activity is retried', async () => {
      bank.failResolve(new ProviderError('sandbox', 'timeout', 'bank timed out', true));
      await assert.rejects(
        flow.resolveBankAccount({ bankCode: '058', accountNumber: ACCOUNT_NUMBER }),
        (error: unknown) => error instanceof ProviderError && error.retryable,
      );
    });
  });

  describe('refreshBanks', () => {
    it('copies the provider’s list once a day and drops banks it stopped listing', async () => {
      await f.db.query(`DELETE FROM banks`);
      const calls = bank.calls.banks;

      const copied = await f.queries.count(() => flow.refreshBanks());
      assert.deepEqual(copied.result, { banks: sandboxBanks.length, refreshed: true });
      assert.equal(copied.tally.statements, 2);
      assert.deepEqual(await storedBanks(), sandboxBanks.toSorted(byCode));

      const withoutOpay = sandboxBanks.filter((listed) => listed.name !== 'OPay');
      bank.list(withoutOpay.map((listed) => (listed.code === '044' ? renamed : listed)));
      const trusted = await f.queries.count(() => flow.refreshBanks());
      assert.deepEqual(trusted.result, { banks: sandboxBanks.length, refreshed: false });
      assert.equal(trusted.tally.statements, 1);
      assert.equal(bank.calls.banks, calls + 1, 'a fresh copy does not ask the provider');

      await f.db.query(`UPDATE banks SET refreshed_at = now() - interval '25 hours'`);
      const again = await flow.refreshBanks();
      assert.deepEqual(again, { banks: withoutOpay.length, refreshed: true });
      assert.equal(bank.calls.banks, calls + 2);
      const stored = await storedBanks();
      assert.ok(!stored.some((kept) => kept.name === 'OPay'), 'a delisted bank is dropped');
      assert.deepEqual(
        stored.find((kept) => kept.code === '044'),
        renamed,
      );
      assert.equal(stored.length, withoutOpay.length);
    });

    it('keeps the old copy when the provider lists no banks, and retries', async () => {
      bank.list(null);
      await refreshBanksNow();
      await f.db.query(`UPDATE banks SET refreshed_at = now() - interval '25 hours'`);
      bank.list([]);

      await assert.rejects(flow.refreshBanks(), (error: unknown) => {
        return (
          error instanceof ApplicationFailure && error.type === 'NoBanks' && !error.nonRetryable
        );
      });
      assert.equal((await storedBanks()).length, sandboxBanks.length);
      bank.list(null);
    });

    const renamed: Bank = { code: '044', name: 'Access Bank Plc' };
    const byCode = (a: Bank, b: Bank) => (a.code < b.code ? -1 : 1);
    const storedBanks = async (): Promise<Bank[]> =>
      f.db.query(`SELECT code, name FROM banks ORDER BY code`);
  });

  describe('prefetchMenuContext', () => {
    it('loads what the wallet shows, and the activity only for the activity page', async () => {
      const menu = createMenuActivities({ db: f.db, admins: [] });
      const { telegramId, userId } = await aUser({ funded: '100', credit: '5' });
      await aCashout(
        telegramId,
        { method: 'crypto', asset: 'BTC' },
        { kind: 'address', address: BTC_ADDRESS },
        'Cold wallet',
      );

      for (const page of [undefined, 'wallet', 'activity']) {
        const { result, tally } = await f.queries.count(() =>
          menu.prefetchMenuContext({ party: party(telegramId), ...(page ? { page } : {}) }),
        );
        assert.equal(tally.statements, 1, `page ${page}`);
        assert.equal(result.withdrawableUsd, '60');
        assert.deepEqual(result.lastDestination, {
          id: await savedId(userId, 'Cold wallet'),
          label: 'Cold wallet',
          method: 'crypto',
          asset: 'BTC',
        });
        if (page !== 'activity') {
          assert.equal(result.activity, null, `page ${page}`);
          continue;
        }
        // Newest first: the hold of the cashout, then the two deposits.
        assert.deepEqual(
          result.activity?.map(({ kind, bucket, amount }) => [kind, bucket, amount]),
          [
            ['cashout.hold', 'held', '40'],
            ['cashout.hold', 'available', '-40'],
            ['deposit', 'trading_credit', '5'],
            ['deposit', 'available', '100'],
          ],
        );
      }
    });

    it('has nothing withdrawable and no destination for a user seen for the first time', async () => {
      const menu = createMenuActivities({ db: f.db, admins: [] });
      telegramIds += 1;
      const facts = await menu.prefetchMenuContext({ party: party(telegramIds), page: 'wallet' });
      assert.deepEqual(
        [facts.withdrawableUsd, facts.lastDestination, facts.activity, facts.wallets],
        ['0', null, null, null],
      );
    });
  });
});

/** The sandbox bank, with the list it answers replaceable and its calls counted. */
function recordingBank(sandbox: NgnBank) {
  const calls = { banks: 0 };
  let listed: Bank[] | null = null;
  let resolveFailure: Error | null = null;

  const bank: NgnBank & {
    calls: typeof calls;
    list(banks: Bank[] | null): void;
    failResolve(error: Error): void;
  } = {
    provider: sandbox.provider,
    calls,
    async banks() {
      calls.banks += 1;
      return listed ?? sandbox.banks();
    },
    async resolveAccount(bankCode, accountNumber) {
      const failure = resolveFailure;
      resolveFailure = null;
      if (failure) throw failure;
      return sandbox.resolveAccount(bankCode, accountNumber);
    },
    payout: (request) => sandbox.payout(request),
    payoutStatus: (key) => sandbox.payoutStatus(key),
    collect: (request) => sandbox.collect(request),
    /** null: the sandbox's own list. */
    list: (banks) => void (listed = banks),
    /** The next lookup fails with `error`. */
    failResolve: (error) => void (resolveFailure = error),
  };
  return bank;
}
