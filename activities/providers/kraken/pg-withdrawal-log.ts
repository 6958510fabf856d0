import type { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../db/errors.ts';
import type { WithdrawalAttempt, WithdrawalLog } from './withdrawal-log.ts';

interface Row {
  idempotency_key: string;
  asset: WithdrawalAttempt['asset'];
  address: string;
  amount: string;
  started_at: Date;
  sent_at: Date | null;
  refid: string | null;
}

const COLUMNS = `idempotency_key, asset, address, amount::text AS amount, started_at, sent_at, refid`;

/** The withdrawal log in PostgreSQL (`kraken_withdrawals`): one statement per call. */
export class PgWithdrawalLog implements WithdrawalLog {
  constructor(private readonly db: DataSource) {}

  async begin(attempt: Omit<WithdrawalAttempt, 'refid' | 'sentAt'>) {
    const [row] = await this.db.query(
      `WITH created AS (
         INSERT INTO kraken_withdrawals (idempotency_key, asset, address, amount, started_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING ${COLUMNS}, true AS created
       )
       SELECT * FROM created
       UNION ALL
       SELECT ${COLUMNS}, false FROM kraken_withdrawals
       WHERE idempotency_key = $1 AND NOT EXISTS (SELECT 1 FROM created)`,
      [attempt.idempotencyKey, attempt.asset, attempt.address, attempt.amount, attempt.startedAt],
    );
    return { attempt: toAttempt(row), created: row.created as boolean };
  }

  async find(idempotencyKey: string) {
    const [row] = await this.db.query(
      `SELECT ${COLUMNS} FROM kraken_withdrawals WHERE idempotency_key = $1`,
      [idempotencyKey],
    );
    return row ? toAttempt(row) : null;
  }

  async sending(idempotencyKey: string, at: string | null) {
    const [, updated] = await this.db.query(
      `UPDATE kraken_withdrawals SET sent_at = $2 WHERE idempotency_key = $1`,
      [idempotencyKey, at],
    );
    if (updated === 0) throw new Error(`no withdrawal attempt under key ${idempotencyKey}`);
  }

  async bind(idempotencyKey: string, refid: string) {
    try {
      const [, updated] = await this.db.query(
        `UPDATE kraken_withdrawals SET refid = $2 WHERE idempotency_key = $1`,
        [idempotencyKey, refid],
      );
      if (updated === 0) throw new Error(`no withdrawal attempt under key ${idempotencyKey}`);
    } catch (error) {
      if (!isUniqueViolation(error, 'uq_kraken_withdrawals_refid')) throw error;
      throw new Error(`refid ${refid} already belongs to another key than ${idempotencyKey}`, {
        cause: error,
      });
    }
  }

  async isBound(refid: string) {
    const [row] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM kraken_withdrawals WHERE refid = $1) AS bound`,
      [refid],
    );
    return row.bound as boolean;
  }
}

function toAttempt(row: Row): WithdrawalAttempt {
  return {
    idempotencyKey: row.idempotency_key,
    asset: row.asset,
    address: row.address,
    amount: row.amount,
    startedAt: new Date(row.started_at).toISOString(),
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
    refid: row.refid,
  };
}
