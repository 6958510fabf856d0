import type { DataSource, EntityManager } from 'typeorm';
import { violated } from '../db/errors.ts';

/** The balance CHECK refused the statement: some non-negative account would go below zero. */
export const insufficientFunds = Symbol('insufficientFunds');

/**
 * Runs one movement statement and turns the balance CHECK's refusal into `insufficientFunds`.
 * On its own the statement is its own transaction (one round trip). Inside a caller's
 * transaction it runs in a savepoint (three), because a failed statement would otherwise leave
 * that transaction aborted.
 */
export async function runMovement<Row>(
  db: DataSource,
  manager: EntityManager | undefined,
  sql: string,
  params: unknown[],
): Promise<Row[] | typeof insufficientFunds> {
  const inTransaction = manager?.queryRunner?.isTransactionActive === true;
  const target = manager ?? db.manager;
  if (inTransaction) await target.query('SAVEPOINT ledger_movement');

  try {
    const rows: Row[] = await target.query(sql, params);
    if (inTransaction) await target.query('RELEASE SAVEPOINT ledger_movement');
    return rows;
  } catch (error) {
    if (inTransaction) await target.query('ROLLBACK TO SAVEPOINT ledger_movement');
    if (isOverdraft(error)) return insufficientFunds;
    throw error;
  }
}

function isOverdraft(error: unknown): boolean {
  return violated(error, '23514', 'ck_ledger_accounts_balance');
}
