import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, their e-mail codes and their USD and NGN wallets. */
export class UsersAndOnboarding1764780000000 implements MigrationInterface {
  name = 'UsersAndOnboarding1764780000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_users PRIMARY KEY,
        telegram_id bigint NOT NULL CONSTRAINT uq_users_telegram_id UNIQUE,
        username text,
        first_name text NOT NULL DEFAULT '',
        role text NOT NULL DEFAULT 'user' CONSTRAINT ck_users_role CHECK (role IN ('user', 'admin')),
        blocked boolean NOT NULL DEFAULT false,
        email text,
        email_verified_at timestamptz,
        referral_code text NOT NULL CONSTRAINT uq_users_referral_code UNIQUE,
        referrer_id bigint CONSTRAINT fk_users_referrer REFERENCES users (id),
        terms_accepted_at timestamptz,
        onboarded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_users_not_own_referrer CHECK (referrer_id <> id)
      )`);
    await db.query(
      `CREATE UNIQUE INDEX uq_users_email ON users (lower(email)) WHERE email IS NOT NULL`,
    );
    await db.query(`CREATE INDEX ix_users_referrer_id ON users (referrer_id)`);

    await db.query(`
      CREATE TABLE email_codes (
        id uuid CONSTRAINT pk_email_codes PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id bigint NOT NULL CONSTRAINT fk_email_codes_user REFERENCES users (id),
        email text NOT NULL,
        code_hash text NOT NULL,
        idempotency_key text NOT NULL CONSTRAINT uq_email_codes_idempotency_key UNIQUE,
        attempts integer NOT NULL DEFAULT 0 CONSTRAINT ck_email_codes_attempts CHECK (attempts >= 0),
        attempt_keys text[] NOT NULL DEFAULT '{}',
        expires_at timestamptz NOT NULL,
        verified_at timestamptz,
        superseded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX ix_email_codes_user_created ON email_codes (user_id, created_at)`);

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
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE wallets`);
    await db.query(`DROP TABLE email_codes`);
    await db.query(`DROP TABLE users`);
  }
}
