import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rates (the newest price of each pair, refreshed by a Temporal Schedule) and deposits (one per
 * address a user asked for; the id is the reference providers echo back).
 */
export class DepositsAndRates1764820000000 implements MigrationInterface {
  name = 'DepositsAndRates1764820000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rates (
        base text NOT NULL,
        quote text NOT NULL,
        rate numeric(38, 18) NOT NULL CONSTRAINT ck_rates_rate CHECK (rate > 0),
        source text NOT NULL,
        observed_at timestamptz NOT NULL,
        fetched_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_rates PRIMARY KEY (base, quote)
      )`);
    await db.query(`
      CREATE TABLE deposits (
        id uuid CONSTRAINT pk_deposits PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id bigint NOT NULL CONSTRAINT fk_deposits_user REFERENCES users (id),
        asset text NOT NULL CONSTRAINT ck_deposits_asset
          CHECK (asset IN ('BTC', 'ETH', 'LTC', 'USDT_TRC20', 'USDT_ERC20')),
        provider text NOT NULL,
        address text NOT NULL,
        minimum numeric(38, 18) NOT NULL,
        expires_at timestamptz NOT NULL,
        idempotency_key text NOT NULL CONSTRAINT uq_deposits_idempotency_key UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX ix_deposits_user ON deposits (user_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE deposits`);
    await db.query(`DROP TABLE rates`);
  }
}
