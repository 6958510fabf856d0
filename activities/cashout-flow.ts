import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type {
  QuoteInput,
  QuoteResult,
  ResolveAccountInput,
  ResolveAccountResult,
} from '../machines/cashout-actors.ts';
import type { CashoutFacts } from '../machines/cashout-facts.ts';
import type { ChatParty } from '../machines/flow.ts';
import { currencyOf, inverse, mul, toStorage } from '../machines/money.ts';
import type { Rails } from './providers/index.ts';
import { ProviderError } from './providers/types.ts';
import { upsertMe, upsertParams } from './user-facts.ts';

export interface CashoutFlowDeps {
  db: DataSource;
  rails: Pick<Rails, 'cryptoPayouts' | 'ngnBank'>;
  admins: readonly number[];
  /** A rate older than this never prices a quote. */
  rateMaxAgeSeconds: number;
}

/** How long the copied bank list is trusted before the provider is asked again. */
const BANKS_MAX_AGE_HOURS = 24;

/**
 * The cashout conversation's I/O before its commit: the one-statement prefetch, the bank's
 * answer for a typed account number, and the quote. The commit is `submitCashout`.
 */
export function createCashoutFlowActivities(deps: CashoutFlowDeps) {
  const { db, rails } = deps;

  return {
    /** Everything the twelve steps read, in one statement (see PREFETCH_SQL). */
    async prefetchCashoutContext(input: { party: ChatParty }): Promise<CashoutFacts> {
      const [row] = await db.query(PREFETCH_SQL, upsertParams(input.party, deps.admins));
      return row.facts as CashoutFacts;
    },

    /** The holder's name of a 10-digit account at a bank, as the bank provider knows it. */
    async resolveBankAccount(input: ResolveAccountInput): Promise<ResolveAccountResult> {
      try {
        const found = await rails.ngnBank.resolveAccount(input.bankCode, input.accountNumber);
        return found
          ? { outcome: 'found', accountName: found.accountName }
          : { outcome: 'notFound' };
      } catch (error) {
        // The provider's verdict on the number is an answer for the user, not an outage.
        if (error instanceof ProviderError && !error.retryable) return { outcome: 'notFound' };
        throw error;
      }
    },

    /**
     * Prices a payout at the newest rate, if it is fresh, and asks the crypto rail for its
     * network fee. The lock's end is stamped here; the commit refuses the quote after it.
     * The bank rail charges no transfer fee we pass on, so a naira quote's fee is zero.
     */
    async quoteCashout(input: QuoteInput): Promise<QuoteResult> {
      const { payout } = input;
      const pair = payout.method === 'crypto' ? [currencyOf(payout.asset), 'USD'] : ['USD', 'NGN'];
      const [row] = await db.query(
        `SELECT rate::text AS rate FROM rates
         WHERE base = $1 AND quote = $2 AND fetched_at > now() - make_interval(secs => $3)`,
        [...pair, deps.rateMaxAgeSeconds],
      );
      if (!row) return { outcome: 'unavailable' };

      // Crypto rates are USD per coin; the naira rate is naira per USD.
      const rate = toStorage(row.rate as string);
      const usdPerUnit = payout.method === 'crypto' ? rate : inverse(rate);
      const unitsPerUsd = payout.method === 'crypto' ? inverse(rate) : rate;
      const networkFee =
        payout.method === 'crypto'
          ? await networkFeeOf(payout.asset, mul(input.amountUsd, unitsPerUsd))
          : '0';
      if (networkFee === null) return { outcome: 'unavailable' };

      const expiresAt = new Date(Date.now() + input.lockMs).toISOString();
      return { outcome: 'quoted', usdPerUnit, unitsPerUsd, networkFee, expiresAt };
    },

    /**
     * Copies the bank provider's list into `banks` when the copy is older than a day; run by
     * the rates schedule, so a fresh deployment has banks within its first minute.
     */
    async refreshBanks(): Promise<{ banks: number; refreshed: boolean }> {
      const [fresh] = await db.query(
        `SELECT count(*)::int AS banks FROM banks
         WHERE provider = $1 AND refreshed_at > now() - make_interval(hours => $2)`,
        [rails.ngnBank.provider, BANKS_MAX_AGE_HOURS],
      );
      if (fresh.banks > 0) return { banks: fresh.banks, refreshed: false };

      const banks = await rails.ngnBank.banks();
      if (banks.length === 0) {
        throw ApplicationFailure.retryable(`${rails.ngnBank.provider} listed no banks`, 'NoBanks');
      }
      await db.query(
        `WITH listed AS (
           SELECT * FROM unnest($1::text[], $2::text[]) AS b(code, name)
         ),
         gone AS (DELETE FROM banks WHERE code NOT IN (SELECT code FROM listed))
         INSERT INTO banks (code, name, provider, refreshed_at)
         SELECT code, name, $3, now() FROM listed
         ON CONFLICT (code) DO UPDATE
           SET name = EXCLUDED.name, provider = EXCLUDED.provider, refreshed_at = now()`,
        [banks.map((bank) => bank.code), banks.map((bank) => bank.name), rails.ngnBank.provider],
      );
      return { banks: banks.length, refreshed: true };
    },
  };

  /** The rail's fee, or null when the rail refuses to quote this asset or amount. */
  async function networkFeeOf(asset: Parameters<typeof currencyOf>[0], amount: string) {
    try {
      return toStorage(await rails.cryptoPayouts.quoteNetworkFee(asset, amount));
    } catch (error) {
      if (error instanceof ProviderError && !error.retryable) return null;
      throw error;
    }
  }
}

export type CashoutFlowActivities = ReturnType<typeof createCashoutFlowActivities>;

/**
 * $1–$5 as `upsertParams`. One JSON value of `CashoutFacts`: the user, balances, saved
 * destinations (masked: the full address never enters workflow state), banks, the last
 * cashout's saved destination, the active cashout and every rate with its age.
 */
const PREFETCH_SQL = `
  WITH ${upsertMe}
  SELECT json_build_object(
    'user', json_build_object(
      'blocked', me.blocked,
      'onboarded', me.onboarded_at IS NOT NULL,
      'verifiedEmail', CASE WHEN me.email_verified_at IS NOT NULL THEN me.email END
    ),
    'balances', (
      SELECT json_build_object(
        'available', trim_scale(coalesce(sum(a.balance) FILTER (WHERE a.bucket = 'available'), 0))::text,
        'withdrawable', trim_scale(coalesce(sum(a.balance) FILTER (WHERE a.bucket = 'available'), 0))::text
      )
      FROM ledger_accounts a WHERE a.owner_user_id = me.id AND a.currency = 'USD'
    ),
    'addresses', coalesce((
      SELECT json_agg(json_build_object(
        'id', s.id::text, 'label', s.label, 'asset', s.asset,
        'masked', left(s.address, 6) || '…' || right(s.address, 4),
        'lastUsedAt', to_char(s.last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      ) ORDER BY s.id)
      FROM saved_destinations s WHERE s.user_id = me.id AND s.method = 'crypto'
    ), '[]'::json),
    'bankAccounts', coalesce((
      SELECT json_agg(json_build_object(
        'id', s.id::text, 'label', s.label, 'bankCode', s.bank_code,
        'masked', '******' || right(s.account_number, 4), 'accountName', s.account_name,
        'lastUsedAt', to_char(s.last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      ) ORDER BY s.id)
      FROM saved_destinations s WHERE s.user_id = me.id AND s.method = 'bank'
    ), '[]'::json),
    'banks', coalesce((
      SELECT json_agg(json_build_object('code', b.code, 'name', b.name) ORDER BY b.name)
      FROM banks b
    ), '[]'::json),
    'lastDestinationId', (
      SELECT c.destination_id::text FROM cashouts c
      WHERE c.user_id = me.id ORDER BY c.created_at DESC LIMIT 1
    ),
    'activeCashoutId', (
      SELECT c.id FROM cashouts c
      WHERE c.user_id = me.id AND c.status IN ('awaiting_review', 'paying') LIMIT 1
    ),
    'rates', coalesce((
      SELECT json_agg(json_build_object(
        'currency', CASE WHEN r.base = 'USD' THEN r.quote ELSE r.base END,
        'rate', trim_scale(r.rate)::text,
        'ageMs', floor(extract(epoch FROM now() - r.fetched_at) * 1000)::bigint
      ) ORDER BY r.base)
      FROM rates r
      WHERE r.quote = 'USD' AND r.base IN ('BTC', 'ETH', 'LTC', 'USDT')
        OR r.base = 'USD' AND r.quote = 'NGN'
    ), '[]'::json)
  ) AS facts
  FROM me`;
