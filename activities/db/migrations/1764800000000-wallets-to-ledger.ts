import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wallet balances move onto the ledger: each wallet becomes the user's three ledger accounts
 * in its currency, its trading credit (the only balance onboarding ever wrote: the referral
 * bonus) becomes a `referral_bonus` transfer from the referral programme under the key
 * onboarding uses, and the wallets table goes.
 */
export class WalletsToLedger1764800000000 implements MigrationInterface {
  name = 'WalletsToLedger1764800000000';

  async up(db: QueryRunner): Promise<void> {
    const [unexpected] = await db.query(
      `SELECT count(*)::int AS n FROM wallets WHERE available <> 0 OR held <> 0`,
    );
    if (unexpected.n > 0) {
      throw new Error(`${unexpected.n} wallets hold available or held money; move them by hand`);
    }

    await db.query(`
      INSERT INTO ledger_accounts (owner_user_id, currency, bucket)
      SELECT w.user_id, w.currency, b.bucket
      FROM wallets w CROSS JOIN (VALUES ('available'), ('held'), ('trading_credit')) AS b (bucket)
      ON CONFLICT DO NOTHING`);
    await db.query(`
      INSERT INTO ledger_accounts (system_code, currency, bucket, allow_negative)
      SELECT DISTINCT 'referral_program', currency, 'system', true FROM wallets
      WHERE trading_credit <> 0
      ON CONFLICT DO NOTHING`);
    await db.query(`
      WITH credited AS (SELECT * FROM wallets WHERE trading_credit <> 0),
      transfers AS (
        INSERT INTO ledger_transfers (kind, idempotency_key, description, metadata)
        SELECT 'referral_bonus', 'referral-bonus:' || user_id || ':' || currency,
          'Referral bonus', jsonb_build_object('movedFrom', 'wallets')
        FROM credited
        RETURNING id, idempotency_key
      )
      INSERT INTO ledger_entries (transfer_id, account_id, currency, amount)
      SELECT t.id, a.id, c.currency, CASE WHEN a.system_code IS NULL THEN c.trading_credit
                                          ELSE -c.trading_credit END
      FROM credited c
      JOIN transfers t ON t.idempotency_key = 'referral-bonus:' || c.user_id || ':' || c.currency
      JOIN ledger_accounts a ON a.currency = c.currency
        AND ((a.owner_user_id = c.user_id AND a.bucket = 'trading_credit')
          OR a.system_code = 'referral_program')`);
    await db.query(`
      UPDATE ledger_accounts a SET balance = s.total
      FROM (SELECT account_id, sum(amount) AS total FROM ledger_entries GROUP BY account_id) s
      WHERE a.id = s.account_id`);
    await db.query(`DROP TABLE wallets`);
  }

  /** Wallets come back with the ledger's balances; the ledger keeps its rows. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE wallets (
        id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_wallets PRIMARY KEY,
        user_id bigint NOT NULL CONSTRAINT fk_wallets_user REFERENCES users (id),
        currency text NOT NULL CONSTRAINT ck_wallets_currency CHECK (currency IN ('USD', 'NGN')),
        available numeric(38, 18) NOT NULL DEFAULT 0 CONSTRAINT ck_wallets_available CHECK (available >= 0),
        held numeric(38, 18) NOT NULL DEFAULT 0 CONSTRAINT ck_wallets_held CHECK (held >= 0),
        trading_credit numeric(38, 18) NOT NULL DEFAULT 0
          CONSTRAINT ck_wallets_trading_credit CHECK (trading_credit >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_wallets_user_currency UNIQUE (user_id, currency)
      )`);
    await db.query(`
      INSERT INTO wallets (user_id, currency, available, held, trading_credit)
      SELECT owner_user_id, currency,
        sum(balance) FILTER (WHERE bucket = 'available'),
        sum(balance) FILTER (WHERE bucket = 'held'),
        sum(balance) FILTER (WHERE bucket = 'trading_credit')
      FROM ledger_accounts
      WHERE owner_user_id IS NOT NULL AND currency IN ('USD', 'NGN')
      GROUP BY owner_user_id, currency`);
  }
}
