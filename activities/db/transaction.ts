import type { DataSource, EntityManager } from 'typeorm';

/** How a unit of work ends: keep what it wrote, or undo it and still answer. */
export type Ending<T> = { commit: true; value: T } | { commit: false; value: T };

export const commit = <T>(value: T): Ending<T> => ({ commit: true, value });
export const rollback = <T>(value: T): Ending<T> => ({ commit: false, value });

/**
 * Runs `work` in one transaction on one connection: START TRANSACTION, its statements, then
 * COMMIT or ROLLBACK as it chose. A refusal (`rollback(outcome)`) is an answer, not an error;
 * a throw rolls back and rethrows.
 */
export async function inTransaction<T>(
  db: DataSource,
  work: (manager: EntityManager) => Promise<Ending<T>>,
): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const ending = await work(runner.manager);
    if (ending.commit) await runner.commitTransaction();
    else await runner.rollbackTransaction();
    return ending.value;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}
