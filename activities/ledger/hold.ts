import type { DataSource, EntityManager } from 'typeorm';
import {
  isNegative,
  isZero,
  parseAmount,
  type Amount,
  type Currency,
} from '../../machines/money.ts';
import { IdempotencyConflictError, InvalidTransferError, MissingAccountError } from './errors.ts';
import { movementCtes } from './movement-sql.ts';
import { insufficientFunds, runMovement } from './statement.ts';
import type { Movement } from './types.ts';

export interface HoldInput extends Omit<Movement, 'kind'> {
  /** Default 'hold'; e.g. 'cashout.hold', 'escrow.hold'. */
  kind?: string;
  userId: string;
  currency: Currency;
  amount: Amount;
}

export type HoldResult =
  | { outcome: 'held' | 'replayed'; holdId: string; transferId: string }
  | { outcome: 'insufficientFunds' };

/** `hold`: the first phase of a two-phase movement. */
export function createHold(db: DataSource) {
  /**
   * Moves the amount from the user's available account to their held account and records a
   * pending hold, in one statement; `post` or `void` settles it later. The hold's key is also
   * its transfer's key: a retry reports 'replayed' with the same hold.
   */
  return async function hold(input: HoldInput, manager?: EntityManager): Promise<HoldResult> {
    const amount = parseAmount(input.amount);
    if (isZero(amount) || isNegative(amount)) {
      throw new InvalidTransferError(input.idempotencyKey, `a hold of ${amount}`);
    }

    const params = [
      input.userId,
      input.currency,
      amount,
      input.idempotencyKey,
      input.kind ?? 'hold',
      input.description ?? '',
      JSON.stringify(input.metadata ?? {}),
    ];
    const rows = await runMovement<HoldRow>(db, manager, HOLD_SQL, params);
    if (rows === insufficientFunds) return { outcome: 'insufficientFunds' };
    const [row] = rows;
    if (!row?.has_accounts) throw new MissingAccountError(input.userId, input.currency);
    if (row.hold_id) return { outcome: 'held', holdId: row.hold_id, transferId: row.transfer_id! };

    const [prior] = await (manager ?? db.manager).query(REPLAY_SQL, params.slice(0, 4));
    if (!prior?.same) {
      throw new IdempotencyConflictError(input.idempotencyKey, prior?.transfer_id ?? null);
    }
    return { outcome: 'replayed', holdId: prior.id, transferId: prior.transfer_id };
  };
}

interface HoldRow {
  has_accounts: boolean;
  hold_id: string | null;
  transfer_id: string | null;
}

// $1 user id, $2 currency, $3 amount, $4 key, $5 kind, $6 description, $7 metadata.
const HOLD_SQL = `
  WITH acct AS (
    SELECT a.id AS available_id, h.id AS held_id
    FROM ledger_accounts a
    JOIN ledger_accounts h ON h.owner_user_id = a.owner_user_id AND h.currency = a.currency
      AND h.bucket = 'held'
    WHERE a.owner_user_id = $1 AND a.currency = $2 AND a.bucket = 'available'
  ),
  transfer AS (
    INSERT INTO ledger_transfers (kind, idempotency_key, description, metadata)
    SELECT $5, $4, $6, $7::jsonb FROM acct
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id
  ),
  legs AS (
    SELECT available_id AS account_id, $2::text AS currency, -$3::numeric AS amount FROM acct
    UNION ALL
    SELECT held_id, $2, $3::numeric FROM acct
  ),
  ${movementCtes('legs', 'transfer')},
  held AS (
    INSERT INTO ledger_holds
      (idempotency_key, available_account_id, held_account_id, currency, amount, hold_transfer_id)
    SELECT $4, acct.available_id, acct.held_id, $2, $3, t.id FROM acct, transfer t
    RETURNING id, hold_transfer_id
  )
  SELECT EXISTS (SELECT 1 FROM acct) AS has_accounts, held.id AS hold_id,
         held.hold_transfer_id AS transfer_id
  FROM (SELECT 1) one LEFT JOIN held ON true`;

// $1 user id, $2 currency, $3 amount, $4 key.
const REPLAY_SQL = `
  SELECT h.id, h.hold_transfer_id AS transfer_id,
         a.owner_user_id = $1 AND h.currency = $2 AND h.amount = $3::numeric AS same
  FROM ledger_holds h JOIN ledger_accounts a ON a.id = h.available_account_id
  WHERE h.idempotency_key = $4`;
