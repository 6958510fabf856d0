import type { CashoutStatus, PayoutCurrency } from './cashout-commit.ts';
import type { Amount, CryptoAsset } from './money.ts';

/**
 * The payout machine's facts, events and the inputs and outputs of its I/O actors: what the
 * payout workflow binds to activities, and what those activities take and return.
 */

/** What a provider says about a payout; the rails' `PayoutStatus`, seen from a machine. */
export type PayoutProgress =
  | { state: 'pending' }
  | { state: 'succeeded'; transactionRef: string }
  | { state: 'failed'; reason: string }
  /** The provider has nothing under the key: nothing was sent, so sending is safe. */
  | { state: 'unknown' };

export type PayoutDestination =
  | { method: 'crypto'; asset: CryptoAsset; address: string }
  | { method: 'bank'; bankCode: string; accountNumber: string; accountName: string };

/** What `loadCashout` reads in its one statement. */
export interface PayoutFacts {
  cashoutId: string;
  status: CashoutStatus;
  owner: { telegramUserId: number; firstName: string; username: string | null };
  amountUsd: Amount;
  feeUsd: Amount;
  destination: PayoutDestination;
  /** The rail's provider the cashout was submitted for; its payouts and webhooks are kept. */
  provider: string;
  payoutCurrency: PayoutCurrency;
  payoutAmount: Amount;
  networkFee: Amount;
  /** Telegram ids of the admins who may approve or reject: never the owner. */
  reviewers: number[];
}

export interface PayoutSettings {
  /** First wait for the provider's webhook before asking it; doubles up to `pollMaxMs`. */
  pollInitialMs: number;
  pollMaxMs: number;
}

export const defaultPayoutSettings: PayoutSettings = {
  pollInitialMs: 30_000,
  pollMaxMs: 30 * 60_000,
};

export interface PayoutInput {
  facts: PayoutFacts;
  settings: PayoutSettings;
}

/** A verified provider webhook about this payout (a signal). */
export interface PayoutReported {
  type: 'payout.reported';
  eventId: string;
  status: PayoutProgress;
}

export type ReviewDecision = 'approve' | 'reject';

/** An admin's decision, authorized by the workflow against `facts.reviewers`. */
export interface ReviewDecided {
  type: 'review.approve' | 'review.reject';
  reviewer: number;
}

export type PayoutEvent = PayoutReported | ReviewDecided;

export interface SendPayoutInput {
  cashoutId: string;
  provider: string;
  destination: PayoutDestination;
  amount: Amount;
}

export interface CheckPayoutInput {
  cashoutId: string;
  provider: string;
  method: PayoutDestination['method'];
}

export interface ReviewInput {
  cashoutId: string;
  reviewer: number;
}

export interface SucceedInput {
  cashoutId: string;
  provider: string;
  transactionRef: string;
}

export interface FailInput {
  cashoutId: string;
  reason: string;
}

/** What the owner is told; bot/views/payout.ts renders it. */
export interface PayoutNotice {
  chatId: number;
  state: 'awaitingReview' | 'approved' | 'succeeded' | 'failed' | 'rejected';
  cashoutId: string;
  amountUsd: Amount;
  payoutAmount: Amount;
  /** The rail's fee in the payout currency; a crypto rail takes it from `payoutAmount`. */
  networkFee?: Amount;
  payoutCurrency: PayoutCurrency;
  destination: PayoutDestination;
  transactionRef?: string;
  reason?: string;
}
