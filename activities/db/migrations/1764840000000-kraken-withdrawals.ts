import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kraken's Withdraw takes no client key, so we keep ours → Kraken's refid here, written before
 * each call: after a lost reply or a restart a payout is found again, never sent twice.
 */
export class KrakenWithdrawals1764840000000 implements MigrationInterface {
  name = 'KrakenWithdrawals1764840000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE kraken_withdrawals (
        idempotency_key text CONSTRAINT pk_kraken_withdrawals PRIMARY KEY,
        asset text NOT NULL,
        address text NOT NULL,
        amount numeric(38, 18) NOT NULL,
        started_at timestamptz NOT NULL,
        sent_at timestamptz,
        refid text CONSTRAINT uq_kraken_withdrawals_refid UNIQUE
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE kraken_withdrawals`);
  }
}
