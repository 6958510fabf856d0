import type { ChatParty } from './flow.ts';
import type { Amount, CryptoAsset } from './money.ts';

/** A saved crypto address, shown masked; the full address stays in the database. */
export interface SavedAddress {
  id: string;
  label: string;
  asset: CryptoAsset;
  masked: string;
  /** ISO 8601 UTC, or null if never used; the list shows the last used first. */
  lastUsedAt: string | null;
}

/** A saved Nigerian bank account with the holder's name the bank resolved when it was saved. */
export interface SavedBankAccount {
  id: string;
  label: string;
  bankCode: string;
  masked: string;
  accountName: string;
  lastUsedAt: string | null;
}

export interface Bank {
  code: string;
  name: string;
}

/** One row of the `rates` table: coin/USD (USD per coin) or USD/NGN (naira per USD). */
export interface RateFact {
  currency: 'BTC' | 'ETH' | 'LTC' | 'USDT' | 'NGN';
  rate: Amount;
  /** How old the rate was when the prefetch read it. */
  ageMs: number;
}

/** What `prefetchCashoutContext` loads in its one statement. */
export interface CashoutFacts {
  user: { blocked: boolean; onboarded: boolean; verifiedEmail: string | null };
  balances: { available: Amount; withdrawable: Amount };
  addresses: SavedAddress[];
  bankAccounts: SavedBankAccount[];
  /** Banks payouts can go to (kept from the bank provider's list). */
  banks: Bank[];
  /** The saved destination of the user's last cashout, for *{asset} again* / *Bank again*. */
  lastDestinationId: string | null;
  /** The user's cashout that is still being held or paid out, if any. */
  activeCashoutId: string | null;
  rates: RateFact[];
}

/** Deployment settings; amounts are decimal strings in USD. */
export interface CashoutSettings {
  inactivityMs: number;
  /** How long a quoted rate holds before the machine quotes again. */
  rateLockMs: number;
  /** A prefetched rate older than this refuses the cashout (the rates schedule is behind). */
  rateMaxAgeMs: number;
  minUsd: Amount;
  maxUsd: Amount;
  /** Per cashout, for users without a verified e-mail. */
  noEmailCapUsd: Amount;
  /** Above this an admin approves the cashout before it is paid out. */
  reviewAboveUsd: Amount;
  feePercent: Amount;
  minFeeUsd: Amount;
}

/** How the wallet screen opened the flow. A shortcut never carries an amount. */
export type CashoutShortcut = { kind: 'all' } | { kind: 'again'; destinationId: string };

export interface CashoutInput {
  party: ChatParty;
  settings: CashoutSettings;
  facts: CashoutFacts;
  shortcut?: CashoutShortcut;
}

/** Where the money goes, once chosen. Saved ones are paid by id, new ones by their details. */
export type Destination =
  | { kind: 'saved'; id: string; label: string; masked: string; accountName?: string }
  | { kind: 'address'; address: string }
  | { kind: 'account'; accountNumber: string; accountName: string };

export type PayoutMethod = 'crypto' | 'bank';

/** Saved destinations of one asset or bank, last used first (never used last). */
export function savedFor(
  facts: CashoutFacts,
  method: PayoutMethod,
  assetOrBank: string,
): Array<SavedAddress | SavedBankAccount> {
  const saved =
    method === 'crypto'
      ? facts.addresses.filter((address) => address.asset === assetOrBank)
      : facts.bankAccounts.filter((account) => account.bankCode === assetOrBank);
  // ISO 8601 UTC strings sort as text; '' (never used) sorts last.
  const usedAt = (destination: { lastUsedAt: string | null }) => destination.lastUsedAt ?? '';
  return saved.toSorted((a, b) => (usedAt(a) === usedAt(b) ? 0 : usedAt(a) < usedAt(b) ? 1 : -1));
}

/** A saved destination of this user by id, with the method and asset or bank it fixes. */
export function findSaved(
  facts: CashoutFacts,
  id: string,
):
  | { method: 'crypto'; asset: CryptoAsset; saved: SavedAddress }
  | { method: 'bank'; bankCode: string; saved: SavedBankAccount }
  | null {
  const address = facts.addresses.find((candidate) => candidate.id === id);
  if (address) return { method: 'crypto', asset: address.asset, saved: address };

  const account = facts.bankAccounts.find((candidate) => candidate.id === id);
  return account ? { method: 'bank', bankCode: account.bankCode, saved: account } : null;
}

/** True when a rate is missing or older than allowed: no quote may be priced from it. */
export function ratesAreStale(facts: CashoutFacts, maxAgeMs: number): boolean {
  return facts.rates.length === 0 || facts.rates.some((rate) => rate.ageMs > maxAgeMs);
}
