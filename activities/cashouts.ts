import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource, EntityManager } from 'typeorm';
import type {
  CashoutLimits,
  SubmitCashoutInput,
  SubmitCashoutResult,
} from '../machines/cashout-commit.ts';
import type { PayoutDestination, PayoutFacts } from '../machines/payout.ts';
import { commit, inTransaction, rollback, type Ending } from './db/transaction.ts';
import { checkedSubmission, type CheckedSubmission } from './cashout-input.ts';
import {
  AFTER_CONFLICT_SQL,
  FACTS_SQL,
  INSERT_SQL,
  LOAD_SQL,
  factsOf,
  type FactsRow,
} from './cashout-sql.ts';
import type { Ledger } from './ledger/index.ts';
import type { Rails } from './providers/index.ts';

export interface CashoutDeps {
  db: DataSource;
  ledger: Ledger;
  rails: Pick<Rails, 'cryptoPayouts' | 'ngnBank'>;
  limits: CashoutLimits;
}

type Keyed<T> = T & { idempotencyKey: string };

/** The cashout's commit and the payout workflow's prefetch. */
export function createCashoutActivities(deps: CashoutDeps) {
  const { db, ledger, limits } = deps;

  return {
    /**
     * The commit of the cashout conversation, in one transaction that re-checks in SQL what
     * matters: the user is not blocked, the amount is within limits (and the no-e-mail cap),
     * the e-mail code was verified for this user and is not spent, the quote has not expired,
     * the saved destination is the user's; then it holds the amount on the ledger (which refuses
     * an overdraft) and inserts the cashout, which `uq_cashouts_one_active` refuses while
     * another is in flight. Nothing is written on a refusal. A retry with the same key
     * returns the first `submitted` answer.
     */
    async submitCashout(input: Keyed<SubmitCashoutInput>): Promise<SubmitCashoutResult> {
      const checked = checkedSubmission(input);
      const provider =
        input.payout.method === 'crypto'
          ? deps.rails.cryptoPayouts.provider
          : deps.rails.ngnBank.provider;
      const answer = await inTransaction(db, (manager) => submit(manager, checked, provider));
      return answer === 'conflict' ? afterConflict(input) : answer;
    },

    /** The payout workflow's prefetch: the cashout, its owner and its reviewers, one statement. */
    async loadCashout(cashoutId: string): Promise<PayoutFacts> {
      const [row] = await db.query(LOAD_SQL, [cashoutId]);
      if (!row) throw ApplicationFailure.nonRetryable(`no cashout ${cashoutId}`, 'UnknownCashout');
      return factsOf(row);
    },
  };

  async function submit(
    manager: EntityManager,
    input: CheckedSubmission,
    provider: string,
  ): Promise<Ending<SubmitCashoutResult | 'conflict'>> {
    const [facts] = await manager.query(FACTS_SQL, [
      input.telegramUserId,
      input.idempotencyKey,
      input.quote.amountUsd,
      limits.minUsd,
      limits.maxUsd,
      limits.noEmailCapUsd,
      input.quote.expiresAt,
      input.verificationId,
      limits.codeValidSeconds,
      input.destination.kind === 'saved' ? input.destination.id : null,
      input.payout.method,
      input.payout.method === 'crypto' ? input.payout.asset : input.payout.bankCode,
      limits.reviewAboveUsd,
    ]);
    const refusal = refusalOf(facts, input);
    if (refusal) return refusal;

    const held = await ledger.hold(
      {
        kind: 'cashout.hold',
        userId: facts.user_id,
        currency: 'USD',
        amount: input.quote.amountUsd,
        idempotencyKey: `${input.idempotencyKey}:hold`,
        description: 'Cashout',
      },
      manager,
    );
    if (held.outcome === 'insufficientFunds') return rollback({ outcome: 'insufficientFunds' });
    // The first attempt committed after this one read: the next attempt finds its answer.
    if (held.outcome === 'replayed') {
      throw ApplicationFailure.retryable('submitted concurrently, try again', 'SubmitRace');
    }

    const destination = destinationOf(input, facts);
    const [row] = await manager.query(INSERT_SQL, [
      facts.user_id,
      input.idempotencyKey,
      facts.review_required,
      input.quote.amountUsd,
      input.quote.platformFeeUsd,
      ...destinationParams(destination),
      provider,
      input.quote.currency,
      input.quote.payoutAmount,
      input.quote.networkFee,
      input.quote.usdPerUnit,
      held.holdId,
      facts.code_required ? input.verificationId : null,
      input.saveAs,
    ]);
    if (!row) return rollback('conflict');
    return commit({ outcome: 'submitted', cashoutId: row.id, awaitingReview: row.review_required });
  }

  /** The insert met another cashout: this key's own (a race of retries) or the active one. */
  async function afterConflict(input: Keyed<SubmitCashoutInput>): Promise<SubmitCashoutResult> {
    const [row] = await db.query(AFTER_CONFLICT_SQL, [input.telegramUserId, input.idempotencyKey]);
    if (row?.prior_id) {
      return { outcome: 'submitted', cashoutId: row.prior_id, awaitingReview: row.prior_review };
    }
    if (row?.active_id) return { outcome: 'alreadyActive', cashoutId: row.active_id };
    throw ApplicationFailure.retryable(
      'the conflicting cashout has ended; try again',
      'SubmitRace',
    );
  }

  function refusalOf(facts: FactsRow | undefined, input: CheckedSubmission) {
    if (!facts) {
      const message = `Telegram user ${input.telegramUserId} has not finished onboarding`;
      throw ApplicationFailure.nonRetryable(message, 'NotOnboarded');
    }
    if (facts.prior_id) {
      const prior = { cashoutId: facts.prior_id, awaitingReview: facts.prior_review };
      return rollback({ outcome: 'submitted' as const, ...prior });
    }
    if (facts.blocked) return rollback({ outcome: 'blocked' as const });
    if (facts.active_id)
      return rollback({ outcome: 'alreadyActive' as const, cashoutId: facts.active_id });
    if (!facts.quote_fresh) return rollback({ outcome: 'quoteExpired' as const });
    if (!facts.within_limits) {
      return rollback({
        outcome: 'outsideLimits' as const,
        minUsd: limits.minUsd,
        maxUsd: limits.maxUsd,
      });
    }
    if (!facts.code_required && !facts.within_cap) {
      return rollback({ outcome: 'noEmailCap' as const, capUsd: limits.noEmailCapUsd });
    }
    if (facts.code_required && !facts.code_ok)
      return rollback({ outcome: 'codeRequired' as const });
    if (input.destination.kind === 'saved' && !facts.saved) {
      return rollback({ outcome: 'unknownDestination' as const });
    }
    return null;
  }
}

export type CashoutActivities = ReturnType<typeof createCashoutActivities>;

/** The full destination: the saved row's, or the new one the flow checked. */
function destinationOf(input: CheckedSubmission, facts: FactsRow): PayoutDestination {
  const { payout, destination } = input;
  if (destination.kind === 'saved') {
    const saved = facts.saved!;
    return payout.method === 'crypto'
      ? { method: 'crypto', asset: payout.asset, address: saved.address! }
      : {
          method: 'bank',
          bankCode: payout.bankCode,
          accountNumber: saved.account_number!,
          accountName: saved.account_name!,
        };
  }
  if (payout.method === 'crypto' && destination.kind === 'address') {
    return { method: 'crypto', asset: payout.asset, address: destination.address };
  }
  if (payout.method === 'bank' && destination.kind === 'account') {
    const { accountNumber, accountName } = destination;
    return { method: 'bank', bankCode: payout.bankCode, accountNumber, accountName };
  }
  throw new Error('checkedSubmission let a destination of the wrong method through');
}

function destinationParams(destination: PayoutDestination): (string | null)[] {
  return destination.method === 'crypto'
    ? ['crypto', destination.asset, destination.address, null, null, null]
    : [
        'bank',
        null,
        null,
        destination.bankCode,
        destination.accountNumber,
        destination.accountName,
      ];
}
