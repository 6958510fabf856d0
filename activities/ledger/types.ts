import type { Amount, Currency } from '../../machines/money.ts';

/** A `ledger_accounts.id`, as the decimal string pg returns for bigint. */
export type AccountId = string;

export type Bucket = 'available' | 'held' | 'trading_credit';

/** One signed leg of a transfer: positive credits the account, negative debits it. */
export interface Entry {
  account: AccountId;
  currency: Currency;
  amount: Amount;
}

/** What every movement carries besides its entries. */
export interface Movement {
  /** Unique per movement: a retry with the same key changes nothing and reports 'replayed'. */
  idempotencyKey: string;
  kind: string;
  description?: string;
  /** Kept as jsonb; amounts and rates belong in it as decimal strings. */
  metadata?: Record<string, unknown>;
}
