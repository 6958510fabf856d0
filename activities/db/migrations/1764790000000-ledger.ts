import type { MigrationInterface, QueryRunner } from 'typeorm';

const currencies = `('USD', 'NGN', 'BTC', 'ETH', 'LTC', 'USDT')`;

/**
 * The double-entry ledger: accounts with their running balances, transfers (one per money
 * movement, unique idempotency key), their signed entries, and two-phase holds. Balances move in
 * the statement that writes the entries, so `ck_ledger_accounts_balance` refuses an overdraft
 * inside PostgreSQL, under any concurrency.
 */
export class Ledger1764790000000 implements MigrationInterface {
  name = 'Ledger1764790000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ledger_accounts (
        id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_ledger_accounts PRIMARY KEY,
        owner_user_id bigint CONSTRAINT fk_ledger_accounts_owner REFERENCES users (id),
        system_code text,
        currency text NOT NULL CONSTRAINT ck_ledger_accounts_currency CHECK (currency IN ${currencies}),
        bucket text NOT NULL
          CONSTRAINT ck_ledger_accounts_bucket CHECK (bucket IN ('available', 'held', 'trading_credit', 'system')),
        allow_negative boolean NOT NULL DEFAULT false,
        balance numeric(38, 18) NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_ledger_accounts_balance CHECK (allow_negative OR balance >= 0),
        CONSTRAINT ck_ledger_accounts_owner CHECK (
          (owner_user_id IS NOT NULL AND system_code IS NULL AND bucket <> 'system' AND NOT allow_negative)
          OR (owner_user_id IS NULL AND system_code IS NOT NULL AND bucket = 'system')
        ),
        CONSTRAINT uq_ledger_accounts_owner UNIQUE (owner_user_id, currency, bucket),
        CONSTRAINT uq_ledger_accounts_system UNIQUE (system_code, currency)
      )`);

    await db.query(`
      CREATE TABLE ledger_transfers (
        id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_ledger_transfers PRIMARY KEY,
        kind text NOT NULL,
        idempotency_key text NOT NULL CONSTRAINT uq_ledger_transfers_idempotency_key UNIQUE,
        description text NOT NULL DEFAULT '',
        metadata jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX ix_ledger_transfers_kind ON ledger_transfers (kind)`);

    await db.query(`
      CREATE TABLE ledger_entries (
        id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_ledger_entries PRIMARY KEY,
        transfer_id bigint NOT NULL CONSTRAINT fk_ledger_entries_transfer REFERENCES ledger_transfers (id),
        account_id bigint NOT NULL CONSTRAINT fk_ledger_entries_account REFERENCES ledger_accounts (id),
        currency text NOT NULL,
        amount numeric(38, 18) NOT NULL CONSTRAINT ck_ledger_entries_amount CHECK (amount <> 0)
      )`);
    // History pages walk an account's entries newest transfer first.
    await db.query(
      `CREATE INDEX ix_ledger_entries_account ON ledger_entries (account_id, transfer_id)`,
    );
    await db.query(`CREATE INDEX ix_ledger_entries_transfer ON ledger_entries (transfer_id)`);

    await db.query(BALANCED_FUNCTION);
    await db.query(`
      CREATE CONSTRAINT TRIGGER tg_ledger_entries_balanced
      AFTER INSERT OR UPDATE OR DELETE ON ledger_entries
      DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION ledger_entries_balanced()`);

    await db.query(`
      CREATE TABLE ledger_holds (
        id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_ledger_holds PRIMARY KEY,
        idempotency_key text NOT NULL CONSTRAINT uq_ledger_holds_idempotency_key UNIQUE,
        available_account_id bigint NOT NULL
          CONSTRAINT fk_ledger_holds_available_account REFERENCES ledger_accounts (id),
        held_account_id bigint NOT NULL
          CONSTRAINT fk_ledger_holds_held_account REFERENCES ledger_accounts (id),
        currency text NOT NULL,
        amount numeric(38, 18) NOT NULL CONSTRAINT ck_ledger_holds_amount CHECK (amount > 0),
        status text NOT NULL DEFAULT 'pending'
          CONSTRAINT ck_ledger_holds_status CHECK (status IN ('pending', 'posted', 'voided')),
        hold_transfer_id bigint NOT NULL
          CONSTRAINT fk_ledger_holds_hold_transfer REFERENCES ledger_transfers (id)
          CONSTRAINT uq_ledger_holds_hold_transfer UNIQUE,
        settle_transfer_id bigint
          CONSTRAINT fk_ledger_holds_settle_transfer REFERENCES ledger_transfers (id)
          CONSTRAINT uq_ledger_holds_settle_transfer UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz,
        CONSTRAINT ck_ledger_holds_settled CHECK (
          (status = 'pending' AND settle_transfer_id IS NULL AND settled_at IS NULL)
          OR (status <> 'pending' AND settle_transfer_id IS NOT NULL AND settled_at IS NOT NULL)
        )
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ledger_holds`);
    await db.query(`DROP TABLE ledger_entries`);
    await db.query(`DROP FUNCTION ledger_entries_balanced()`);
    await db.query(`DROP TABLE ledger_transfers`);
    await db.query(`DROP TABLE ledger_accounts`);
  }
}

// Runs at commit, once per written entry: the entry's transfer must sum to zero in every
// currency, and the entry must be in its account's currency. Errors carry SQLSTATE 23514 and a
// constraint name, like a CHECK would.
const BALANCED_FUNCTION = `
  CREATE FUNCTION ledger_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    transfers bigint[];
    transfer bigint;
    off record;
  BEGIN
    IF TG_OP = 'DELETE' THEN
      transfers := ARRAY[OLD.transfer_id];
    ELSE
      transfers := ARRAY[NEW.transfer_id];
      IF TG_OP = 'UPDATE' THEN
        transfers := transfers || OLD.transfer_id;
      END IF;
      IF EXISTS (
        SELECT 1 FROM ledger_accounts a WHERE a.id = NEW.account_id AND a.currency <> NEW.currency
      ) THEN
        RAISE EXCEPTION 'ledger entry % is in %, but account % is not', NEW.id, NEW.currency,
          NEW.account_id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'tg_ledger_entries_currency';
      END IF;
    END IF;

    FOREACH transfer IN ARRAY transfers LOOP
      SELECT e.currency, sum(e.amount) AS total INTO off
      FROM ledger_entries e WHERE e.transfer_id = transfer
      GROUP BY e.currency HAVING sum(e.amount) <> 0
      LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'ledger transfer % does not balance: its % entries sum to %', transfer,
          off.currency, off.total
          USING ERRCODE = 'check_violation', CONSTRAINT = 'tg_ledger_entries_balanced';
      END IF;
    END LOOP;
    RETURN NULL;
  END
  $$`;
