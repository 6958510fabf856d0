import type { Amount, CryptoAsset } from './money.ts';

/**
 * The cashout conversation's commit (`submitCashout`): what it is given and what it answers.
 * Field names follow the cashout machine's own (`payout`, `destination`, `saveAs`), so its
 * objects can be passed as they are; extra fields are ignored.
 */

export type CashoutStatus = 'awaiting_review' | 'paying' | 'succeeded' | 'failed' | 'rejected';

/** The rail and what it needs besides the destination. */
export type CashoutPayout =
  { method: 'crypto'; asset: CryptoAsset } | { method: 'bank'; bankCode: string };

/**
 * Where the money goes: a destination the user saved (paid by id: the full address or account
 * is read from the database, never from workflow state), or a new one as checked in the flow.
 */
export type CashoutDestination =
  | { kind: 'saved'; id: string }
  | { kind: 'address'; address: string }
  | { kind: 'account'; accountNumber: string; accountName: string };

/** The currency a payout arrives in: the coin of a crypto asset, or naira. */
export type PayoutCurrency = 'BTC' | 'ETH' | 'LTC' | 'USDT' | 'NGN';

/** The priced quote the user confirmed. Amounts are decimal strings. */
export interface CashoutQuote {
  /** Taken from the wallet; the platform fee comes out of it. $1–$500 by default. */
  amountUsd: Amount;
  /** LockBay's fee, part of `amountUsd`, credited to platform revenue when the payout succeeds. */
  platformFeeUsd: Amount;
  /**
   * What the rail is asked to send, in `currency`. A crypto rail deducts its network fee from
   * it (the address receives `payoutAmount − networkFee`); the bank rail pays it in full.
   */
  payoutAmount: Amount;
  currency: PayoutCurrency;
  /** The provider's fee in `currency`, kept for the record. */
  networkFee: Amount;
  /** USD per unit of `currency` the quote was priced at, kept for the record. */
  usdPerUnit: Amount;
  /** ISO time the rate lock ends; a submit after it is refused as `quoteExpired`. */
  expiresAt: string;
}

export interface SubmitCashoutInput {
  telegramUserId: number;
  quote: CashoutQuote;
  payout: CashoutPayout;
  destination: CashoutDestination;
  /** Save a new destination under this label (or relabel a known one); null: use once. */
  saveAs: string | null;
  /** The verified e-mail code of this cashout; null for a user without a verified e-mail. */
  verificationId: string | null;
}

/**
 * Refusals are outcomes: nothing was written and the flow can say why. `submitted` is final
 * for its idempotency key: a retry returns it again.
 */
export type SubmitCashoutResult =
  | { outcome: 'submitted'; cashoutId: string; awaitingReview: boolean }
  | { outcome: 'insufficientFunds' }
  | { outcome: 'quoteExpired' }
  | { outcome: 'alreadyActive'; cashoutId: string }
  | { outcome: 'blocked' }
  | { outcome: 'outsideLimits'; minUsd: Amount; maxUsd: Amount }
  | { outcome: 'noEmailCap'; capUsd: Amount }
  | { outcome: 'codeRequired' }
  | { outcome: 'unknownDestination' };

/** Bounds the commit enforces, from configuration. */
export interface CashoutLimits {
  minUsd: Amount;
  maxUsd: Amount;
  /** Per cashout, for users without a verified e-mail. */
  noEmailCapUsd: Amount;
  /** Above this an admin approves the cashout before it is paid out. */
  reviewAboveUsd: Amount;
  /** How long after its verification an e-mail code still authorizes a cashout. */
  codeValidSeconds: number;
}
