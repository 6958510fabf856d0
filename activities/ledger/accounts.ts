import type { DataSource, EntityManager } from 'typeorm';
import type { Currency } from '../../machines/money.ts';
import type { AccountId, Bucket } from './types.ts';

/** A user's accounts: every bucket of every currency asked for. */
export type UserAccounts = Partial<Record<Currency, Record<Bucket, AccountId>>>;

/** LockBay's own accounts; a provider's clearing account is `provider_clearing:<provider>`. */
export type SystemCode =
  | 'escrow_holdings'
  | 'platform_revenue'
  | 'referral_program'
  | 'conversion'
  | `provider_clearing:${string}`;

export const buckets: readonly Bucket[] = ['available', 'held', 'trading_credit'];

/**
 * Accounts that stand for money outside LockBay's books go negative by design: a provider's
 * clearing account as deposits arrive, the conversion account of the currency a user buys, the
 * referral budget as bonuses are paid. What LockBay owes or earns never does.
 */
export function allowsNegative(code: SystemCode): boolean {
  return (
    code === 'conversion' || code === 'referral_program' || code.startsWith('provider_clearing:')
  );
}

interface AccountRow {
  id: string;
  currency: Currency;
  label: string;
}

/** Idempotent creation and lookup of ledger accounts. */
export function createAccounts(db: DataSource) {
  // Account ids never change; only ids known to be committed are kept.
  const systemIds = new Map<string, AccountId>();

  const query = (manager: EntityManager | undefined, sql: string, params: unknown[]) =>
    (manager ?? db.manager).query(sql, params) as Promise<AccountRow[]>;

  /** Several system accounts at once, in the order asked; no statement once all are known. */
  async function systemAccounts(
    wanted: readonly { code: SystemCode; currency: Currency }[],
    manager?: EntityManager,
  ): Promise<AccountId[]> {
    const key = (code: string, currency: string) => `${code}/${currency}`;
    const missing = wanted.filter((w) => !systemIds.has(key(w.code, w.currency)));
    const found = new Map<string, AccountId>();

    if (missing.length > 0) {
      const codes = missing.map((w) => w.code);
      const params = [codes, missing.map((w) => w.currency), codes.map(allowsNegative)];
      const rows = await untilComplete(missing.length, () => query(manager, SYSTEM_SQL, params));
      for (const row of rows) found.set(key(row.label, row.currency), row.id);
      // An account created inside a caller's transaction may yet be rolled back.
      if (manager?.queryRunner?.isTransactionActive !== true) {
        for (const [k, id] of found) systemIds.set(k, id);
      }
    }
    return wanted.map(
      (w) => systemIds.get(key(w.code, w.currency)) ?? found.get(key(w.code, w.currency))!,
    );
  }

  return {
    /** Creates whatever is missing of the user's accounts in these currencies, in one statement. */
    async ensureUserAccounts(
      userId: string,
      currencies: readonly Currency[],
      manager?: EntityManager,
    ): Promise<UserAccounts> {
      const wanted = currencies.length * buckets.length;
      const rows = await untilComplete(wanted, () =>
        query(manager, USER_SQL, [userId, currencies]),
      );

      const accounts: UserAccounts = {};
      for (const row of rows) {
        const own = (accounts[row.currency] ??= { available: '', held: '', trading_credit: '' });
        own[row.label as Bucket] = row.id;
      }
      return accounts;
    },

    /** The system account for a code and currency, created on first use. */
    async systemAccount(code: SystemCode, currency: Currency, manager?: EntityManager) {
      const [id] = await systemAccounts([{ code, currency }], manager);
      return id!;
    },

    systemAccounts,
  };
}

export type Accounts = ReturnType<typeof createAccounts>;

/**
 * An account created concurrently by another transaction is skipped by ON CONFLICT DO NOTHING
 * and invisible to this statement's snapshot; the second run sees it committed.
 */
async function untilComplete(wanted: number, run: () => Promise<AccountRow[]>) {
  const first = await run();
  if (first.length >= wanted) return first;
  const second = await run();
  if (second.length >= wanted) return second;
  throw new Error(`expected ${wanted} ledger accounts, found ${second.length}`);
}

// $1 user id, $2 currencies.
const USER_SQL = `
  WITH wanted AS (
    SELECT c AS currency, b AS bucket
    FROM unnest($2::text[]) c, unnest(ARRAY['available', 'held', 'trading_credit']) b
  ),
  created AS (
    INSERT INTO ledger_accounts (owner_user_id, currency, bucket)
    SELECT $1, currency, bucket FROM wanted
    ON CONFLICT (owner_user_id, currency, bucket) DO NOTHING
    RETURNING id, currency, bucket
  )
  SELECT id, currency, bucket AS label FROM created
  UNION ALL
  SELECT a.id, a.currency, a.bucket FROM ledger_accounts a JOIN wanted w USING (currency, bucket)
  WHERE a.owner_user_id = $1`;

// $1 codes, $2 currencies, $3 allow_negative flags.
const SYSTEM_SQL = `
  WITH wanted AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[]) AS w(system_code, currency, allow_negative)
  ),
  created AS (
    INSERT INTO ledger_accounts (system_code, currency, bucket, allow_negative)
    SELECT system_code, currency, 'system', allow_negative FROM wanted
    ON CONFLICT (system_code, currency) DO NOTHING
    RETURNING id, currency, system_code
  )
  SELECT id, currency, system_code AS label FROM created
  UNION ALL
  SELECT a.id, a.currency, a.system_code FROM ledger_accounts a JOIN wanted w USING (system_code, currency)`;
