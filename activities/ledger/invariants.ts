import type { DataSource } from 'typeorm';

/** One broken rule, with the ids and amounts that show it. */
export interface Violation {
  check: string;
  [detail: string]: unknown;
}

export interface LedgerReport {
  ok: boolean;
  transfers: number;
  violations: Violation[];
}

/**
 * Proves the ledger from its own rows, in one consistent snapshot: what the trigger and CHECKs
 * enforce on the way in is checked again on what is stored, plus what only the whole history
 * shows (balances equal their entries, holds settled once and moved exactly their amount).
 * Reads every entry: meant for `npm run ledger:check` and tests, not for request paths.
 */
export async function checkLedger(db: DataSource): Promise<LedgerReport> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    const [{ transfers }] = await runner.query(
      `SELECT count(*)::int AS transfers FROM ledger_transfers`,
    );
    const violations: Violation[] = [];
    for (const [check, sql] of Object.entries(checks)) {
      const rows: Record<string, unknown>[] = await runner.query(sql);
      violations.push(...rows.map((row) => ({ check, ...row })));
    }
    await runner.commitTransaction();
    return { ok: violations.length === 0, transfers, violations };
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}

// Each query returns one row per violation.
const checks: Record<string, string> = {
  unbalancedTransfer: `
    SELECT transfer_id::text AS "transferId", currency, sum(amount)::text AS sum
    FROM ledger_entries GROUP BY transfer_id, currency HAVING sum(amount) <> 0`,

  transferWithoutEntries: `
    SELECT t.id::text AS "transferId" FROM ledger_transfers t
    WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transfer_id = t.id)`,

  entryCurrency: `
    SELECT e.id::text AS "entryId", e.currency, a.id::text AS "accountId",
           a.currency AS "accountCurrency"
    FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
    WHERE e.currency <> a.currency`,

  negativeBalance: `
    SELECT id::text AS "accountId", balance::text AS balance FROM ledger_accounts
    WHERE NOT allow_negative AND balance < 0`,

  balanceNotSumOfEntries: `
    SELECT a.id::text AS "accountId", a.balance::text AS balance,
           coalesce(s.total, 0)::text AS "sumOfEntries"
    FROM ledger_accounts a
    LEFT JOIN (SELECT account_id, sum(amount) AS total FROM ledger_entries GROUP BY account_id) s
      ON s.account_id = a.id
    WHERE a.balance <> coalesce(s.total, 0)`,

  // A hold's own transfer is exactly: available −amount, held +amount.
  holdTransfer: `
    SELECT h.id::text AS "holdId", h.hold_transfer_id::text AS "transferId" FROM ledger_holds h
    WHERE (
      SELECT count(*) FILTER (WHERE e.currency = h.currency AND (
               (e.account_id = h.available_account_id AND e.amount = -h.amount)
               OR (e.account_id = h.held_account_id AND e.amount = h.amount)))
             = 2 AND count(*) = 2
      FROM ledger_entries e WHERE e.transfer_id = h.hold_transfer_id
    ) IS NOT TRUE`,

  // A settled hold's transfer releases exactly its amount from held, names the hold, and a
  // void returns it all to available.
  holdSettlement: `
    SELECT h.id::text AS "holdId", h.status, h.settle_transfer_id::text AS "transferId"
    FROM ledger_holds h LEFT JOIN ledger_transfers t ON t.id = h.settle_transfer_id
    WHERE (h.status = 'pending') <> (h.settle_transfer_id IS NULL)
       OR (h.status <> 'pending' AND (
         t.metadata->>'holdId' IS DISTINCT FROM h.id::text
         OR (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e
             WHERE e.transfer_id = t.id AND e.account_id = h.held_account_id) <> -h.amount
         OR (h.status = 'voided' AND (
           SELECT count(*) <> 2 OR coalesce(sum(e.amount) FILTER (
             WHERE e.account_id = h.available_account_id), 0) <> h.amount
           FROM ledger_entries e WHERE e.transfer_id = t.id))))`,

  holdSettledTwice: `
    SELECT h.id::text AS "holdId", t.id::text AS "transferId", t.kind FROM ledger_transfers t
    JOIN ledger_holds h ON h.id::text = t.metadata->>'holdId'
    WHERE t.id IS DISTINCT FROM h.settle_transfer_id`,

  // Money sits in a held account only while a hold on it is pending.
  heldBalanceNotPendingHolds: `
    SELECT a.id::text AS "accountId", a.balance::text AS balance,
           coalesce(sum(h.amount), 0)::text AS "pendingHolds"
    FROM ledger_accounts a
    LEFT JOIN ledger_holds h ON h.held_account_id = a.id AND h.status = 'pending'
    WHERE a.bucket = 'held'
    GROUP BY a.id
    HAVING a.balance <> coalesce(sum(h.amount), 0)`,
};
