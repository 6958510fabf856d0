import type {
  CashoutPayout,
  CashoutQuote,
  SubmitCashoutInput,
  SubmitCashoutResult,
} from './cashout-commit.ts';
import type { CashoutFacts } from './cashout-facts.ts';
import type { Amount } from './money.ts';
import type { SendCodeResult } from './onboarding.ts';

/**
 * What the cashout machine asks of its host: the inputs and outputs of its I/O actors. The
 * workflow binds each to an activity; every activity re-checks what it is told in SQL. The
 * commit's contract is `submitCashout`'s own (cashout-commit.ts).
 */

export type { VerifyCodeInput, VerifyCodeResult } from './onboarding.ts';
export type SubmitInput = SubmitCashoutInput;
/**
 * The commit's answer. A refusal means a fact changed since the prefetch, so the host loads
 * the facts again and hands them back with it: the next screen shows the balance as it is.
 */
export type SubmitResult = SubmitCashoutResult & { refreshed?: CashoutFacts };
export type QuotePayout = CashoutPayout;

export interface ResolveAccountInput {
  bankCode: string;
  accountNumber: string;
}

export type ResolveAccountResult =
  { outcome: 'found'; accountName: string } | { outcome: 'notFound' };

export interface QuoteInput {
  telegramUserId: number;
  amountUsd: Amount;
  payout: QuotePayout;
  /** How long the rate holds: the activity answers with the time it ends. */
  lockMs: number;
}

/**
 * The provider's part of a quote, in the payout currency. Both directions of the rate come
 * back so the machine only multiplies: `unitsPerUsd` prices the payout, `usdPerUnit` is what
 * the user reads and the commit records.
 */
export type QuoteResult =
  | {
      outcome: 'quoted';
      usdPerUnit: Amount;
      unitsPerUsd: Amount;
      /** The rail's fee in the payout currency (a crypto network fee, a bank transfer fee). */
      networkFee: Amount;
      /** ISO time the rate lock ends; the commit refuses the quote after it. */
      expiresAt: string;
    }
  | { outcome: 'unavailable' };

export interface SendCashoutCodeInput {
  telegramUserId: number;
  email: string;
  purpose: 'cashout';
}

/** As in onboarding, less `emailTaken`: the address is already the user's verified one. */
export type SendCashoutCodeResult = Exclude<SendCodeResult, { outcome: 'emailTaken' }>;

/** The quote the commit takes, plus what the user reads: what arrives and the rate. */
export interface PricedQuote extends CashoutQuote {
  /** What the destination receives, in `currency`. */
  receive: Amount;
  unitsPerUsd: Amount;
}
