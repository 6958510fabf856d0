import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource, EntityManager } from 'typeorm';
import type { CashoutStatus } from '../machines/cashout-commit.ts';
import { cmp, sub } from '../machines/money.ts';
import type { FailInput, ReviewInput, SucceedInput } from '../machines/payout.ts';
import { commit, inTransaction, rollback } from './db/transaction.ts';
import type { Ledger, SettleResult } from './ledger/index.ts';

export interface CashoutSettlementDeps {
  db: DataSource;
  ledger: Ledger;
}

type ClaimFields = [transactionRef: string | null, reason: string | null, reviewer: number | null];

/** The claimed cashout, as the settling transaction needs it. */
interface Claimed {
  hold_id: string;
  amount_usd: string;
  fee_usd: string;
  provider: string;
}

/**
 * The payout workflow's writes: an admin's decision, and the outcome, each exactly once. Each
 * claims the cashout row by its expected status and moves the hold in the same transaction,
 * so the row and the ledger never disagree; a repeat of the same outcome is a no-op, any
 * other change of a settled cashout is refused as `CashoutConflict` (non-retryable).
 */
export function createCashoutSettlement({ db, ledger }: CashoutSettlementDeps) {
  return {
    /** Approves a cashout awaiting review: it moves on to `paying`. One statement. */
    async approveCashout(input: ReviewInput): Promise<void> {
      const [row] = await db.query(APPROVE_SQL, [input.cashoutId, input.reviewer]);
      if (!row) throw unknown(input.cashoutId);
      if (row.claimed || (row.mine && row.status !== 'rejected')) return;
      throw conflict(input.cashoutId, row.status, 'approved by this reviewer');
    },

    /** Rejects a cashout awaiting review and returns its money to the wallet. */
    async rejectCashout(input: ReviewInput): Promise<void> {
      const reason = 'rejected by review';
      await settle(
        input.cashoutId,
        'rejected',
        'awaiting_review',
        [null, reason, input.reviewer],
        (row, manager) =>
          ledger.void(
            {
              holdId: row.hold_id,
              kind: 'cashout.void',
              idempotencyKey: `cashout:${input.cashoutId}:void`,
            },
            manager,
          ),
      );
    },

    /**
     * The provider paid: the held amount goes to the provider's clearing account, less the
     * platform fee, which goes to platform revenue.
     */
    async succeedCashout(input: SucceedInput): Promise<void> {
      const [clearing, revenue] = await Promise.all([
        ledger.systemAccount(`provider_clearing:${input.provider}`, 'USD'),
        ledger.systemAccount('platform_revenue', 'USD'),
      ]);
      const fields: ClaimFields = [input.transactionRef, null, null];
      await settle(input.cashoutId, 'succeeded', 'paying', fields, (row, manager) => {
        if (row.provider !== input.provider) {
          throw conflict(
            input.cashoutId,
            'paying',
            `paid by ${input.provider} (it went to ${row.provider})`,
          );
        }
        const net = sub(row.amount_usd, row.fee_usd);
        const to = [{ account: clearing, amount: net }];
        if (cmp(row.fee_usd, '0') > 0) to.push({ account: revenue, amount: row.fee_usd });
        const key = `cashout:${input.cashoutId}:post`;
        return ledger.post(
          { holdId: row.hold_id, kind: 'cashout.post', idempotencyKey: key, to },
          manager,
        );
      });
    },

    /** The payout failed: the held money returns to the wallet. */
    async failCashout(input: FailInput): Promise<void> {
      await settle(
        input.cashoutId,
        'failed',
        'paying',
        [null, input.reason, null],
        (row, manager) =>
          ledger.void(
            {
              holdId: row.hold_id,
              kind: 'cashout.void',
              idempotencyKey: `cashout:${input.cashoutId}:void`,
            },
            manager,
          ),
      );
    },
  };

  /**
   * Claims the row (`from` → `to`) and moves the hold, in one transaction. When the row is no
   * longer in `from`: already `to` is a repeat and fine, anything else a conflict.
   */
  async function settle(
    cashoutId: string,
    to: CashoutStatus,
    from: CashoutStatus,
    fields: ClaimFields,
    move: (row: Claimed, manager: EntityManager) => Promise<SettleResult>,
  ): Promise<void> {
    await inTransaction(db, async (manager) => {
      const [claimed] = await manager.query(CLAIM_SQL, [cashoutId, to, from, ...fields]);
      if (!claimed) {
        const [row] = await manager.query(`SELECT status FROM cashouts WHERE id = $1`, [cashoutId]);
        if (!row) throw unknown(cashoutId);
        if (row.status === to) return rollback(undefined);
        throw conflict(cashoutId, row.status, to);
      }

      const moved = await move(claimed as Claimed, manager);
      // The claim is the hold's only way to settle; a hold settled otherwise is a tampered book.
      if (moved.outcome === 'alreadySettled') {
        throw new Error(`cashout ${cashoutId}: its hold was already ${moved.status}`);
      }
      return commit(undefined);
    });
  }
}

export type CashoutSettlementActivities = ReturnType<typeof createCashoutSettlement>;

function unknown(cashoutId: string) {
  return ApplicationFailure.nonRetryable(`no cashout ${cashoutId}`, 'UnknownCashout');
}

function conflict(cashoutId: string, status: string, wanted: string) {
  return ApplicationFailure.nonRetryable(
    `cashout ${cashoutId} is ${status} and cannot be ${wanted}: an operator must look at it`,
    'CashoutConflict',
    { cashoutId, status, wanted },
  );
}

// $1 cashout id, $2 reviewer's Telegram id. The reviewer must be an admin now, and not the
// owner. The outer SELECT reads the row as it was before the UPDATE (same snapshot).
const APPROVE_SQL = `
  WITH reviewer AS (SELECT id FROM users WHERE telegram_id = $2 AND role = 'admin'),
  claimed AS (
    UPDATE cashouts c
    SET status = 'paying', reviewed_by = r.id, reviewed_at = now(), updated_at = now()
    FROM reviewer r
    WHERE c.id = $1 AND c.status = 'awaiting_review' AND r.id <> c.user_id
    RETURNING c.id
  )
  SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, c.status,
    coalesce(c.reviewed_by = (SELECT id FROM reviewer), false) AS mine
  FROM cashouts c WHERE c.id = $1`;

// $1 cashout id, $2 new status, $3 the status it must have, $4 transaction ref, $5 failure
// reason, $6 reviewer's Telegram id (a rejection: an admin now, and not the owner). A SELECT
// around the UPDATE, so TypeORM returns the rows as they are.
const CLAIM_SQL = `
  WITH reviewer AS (SELECT id FROM users WHERE telegram_id = $6::bigint AND role = 'admin'),
  claimed AS (
    UPDATE cashouts c
    SET status = $2, transaction_ref = $4, failure_reason = $5, settled_at = now(),
        updated_at = now(),
        reviewed_by = coalesce((SELECT id FROM reviewer), c.reviewed_by),
        reviewed_at = CASE WHEN $6::bigint IS NULL THEN c.reviewed_at ELSE now() END
    WHERE c.id = $1 AND c.status = $3
      AND ($6::bigint IS NULL OR EXISTS (SELECT 1 FROM reviewer r WHERE r.id <> c.user_id))
    RETURNING c.hold_id, c.amount_usd::text AS amount_usd, c.fee_usd::text AS fee_usd, c.provider
  )
  SELECT * FROM claimed`;
