import type { MigrationInterface, QueryRunner } from 'typeorm';

const assets = `('BTC', 'ETH', 'LTC', 'USDT_TRC20', 'USDT_ERC20')`;

/**
 * Cashouts and the destinations users save for them. A cashout's id is the idempotency key of
 * its payout (providers echo it back in their webhooks); its hold keeps the money out of the
 * wallet until the payout succeeds (posted) or fails or is rejected (voided).
 * `uq_cashouts_one_active` is what allows one cashout in flight per user, under any concurrency.
 */
export class Cashouts1764830000000 implements MigrationInterface {
  name = 'Cashouts1764830000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE saved_destinations (
        id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_saved_destinations PRIMARY KEY,
        user_id bigint NOT NULL CONSTRAINT fk_saved_destinations_user REFERENCES users (id),
        method text NOT NULL
          CONSTRAINT ck_saved_destinations_method CHECK (method IN ('crypto', 'bank')),
        asset text CONSTRAINT ck_saved_destinations_asset CHECK (asset IN ${assets}),
        address text,
        bank_code text,
        account_number text,
        account_name text,
        label text NOT NULL
          CONSTRAINT ck_saved_destinations_label CHECK (length(label) BETWEEN 1 AND 64),
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_saved_destinations_shape CHECK (${shape})
      )`);
    // One row per address (per asset) or per bank account of a user: saving again relabels it.
    await db.query(`
      CREATE UNIQUE INDEX uq_saved_destinations_address ON saved_destinations (user_id, asset, address)
      WHERE method = 'crypto'`);
    await db.query(`
      CREATE UNIQUE INDEX uq_saved_destinations_account
      ON saved_destinations (user_id, bank_code, account_number) WHERE method = 'bank'`);

    await db.query(`
      CREATE TABLE cashouts (
        id uuid CONSTRAINT pk_cashouts PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id bigint NOT NULL CONSTRAINT fk_cashouts_user REFERENCES users (id),
        idempotency_key text NOT NULL CONSTRAINT uq_cashouts_idempotency_key UNIQUE,
        status text NOT NULL CONSTRAINT ck_cashouts_status
          CHECK (status IN ('awaiting_review', 'paying', 'succeeded', 'failed', 'rejected')),
        review_required boolean NOT NULL,
        amount_usd numeric(38, 18) NOT NULL CONSTRAINT ck_cashouts_amount CHECK (amount_usd > 0),
        fee_usd numeric(38, 18) NOT NULL
          CONSTRAINT ck_cashouts_fee CHECK (fee_usd >= 0 AND fee_usd < amount_usd),
        method text NOT NULL CONSTRAINT ck_cashouts_method CHECK (method IN ('crypto', 'bank')),
        asset text CONSTRAINT ck_cashouts_asset CHECK (asset IN ${assets}),
        address text,
        bank_code text,
        account_number text,
        account_name text,
        destination_id bigint
          CONSTRAINT fk_cashouts_destination REFERENCES saved_destinations (id),
        provider text NOT NULL,
        payout_currency text NOT NULL CONSTRAINT ck_cashouts_payout_currency
          CHECK (payout_currency IN ('BTC', 'ETH', 'LTC', 'USDT', 'NGN')),
        payout_amount numeric(38, 18) NOT NULL
          CONSTRAINT ck_cashouts_payout_amount CHECK (payout_amount > 0),
        network_fee numeric(38, 18) NOT NULL
          CONSTRAINT ck_cashouts_network_fee CHECK (network_fee >= 0),
        usd_per_unit numeric(38, 18) NOT NULL CONSTRAINT ck_cashouts_rate CHECK (usd_per_unit > 0),
        hold_id bigint NOT NULL CONSTRAINT fk_cashouts_hold REFERENCES ledger_holds (id)
          CONSTRAINT uq_cashouts_hold UNIQUE,
        verification_id uuid CONSTRAINT fk_cashouts_verification REFERENCES email_codes (id)
          CONSTRAINT uq_cashouts_verification UNIQUE,
        transaction_ref text,
        failure_reason text,
        reviewed_by bigint CONSTRAINT fk_cashouts_reviewer REFERENCES users (id),
        reviewed_at timestamptz,
        settled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_cashouts_shape CHECK (${shape}),
        CONSTRAINT ck_cashouts_settled CHECK (
          (status IN ('succeeded', 'failed', 'rejected')) = (settled_at IS NOT NULL)
          AND (status = 'succeeded') = (transaction_ref IS NOT NULL)
          AND (status IN ('failed', 'rejected')) = (failure_reason IS NOT NULL)
        ),
        CONSTRAINT ck_cashouts_reviewed CHECK (
          (reviewed_by IS NULL) = (reviewed_at IS NULL)
          AND (status <> 'awaiting_review' OR reviewed_by IS NULL)
          AND (review_required OR reviewed_by IS NULL)
        )
      )`);
    await db.query(`
      CREATE UNIQUE INDEX uq_cashouts_one_active ON cashouts (user_id)
      WHERE status IN ('awaiting_review', 'paying')`);
    // The user's history, and the admins' queues (awaiting review, failed payouts).
    await db.query(`CREATE INDEX ix_cashouts_user ON cashouts (user_id, created_at)`);
    await db.query(`CREATE INDEX ix_cashouts_status ON cashouts (status, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE cashouts`);
    await db.query(`DROP TABLE saved_destinations`);
  }
}

// A crypto destination is an asset and an address; a bank one, a bank, an account and its
// holder's name as the bank resolved it.
const shape = `
  (method = 'crypto' AND asset IS NOT NULL AND address IS NOT NULL
    AND bank_code IS NULL AND account_number IS NULL AND account_name IS NULL)
  OR (method = 'bank' AND asset IS NULL AND address IS NULL
    AND bank_code IS NOT NULL AND account_number IS NOT NULL AND account_name IS NOT NULL)`;
