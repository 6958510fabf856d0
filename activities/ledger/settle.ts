import type { DataSource, EntityManager } from 'typeorm';
import { isNegative, isZero, parseAmount, type Amount } from '../../machines/money.ts';
import { IdempotencyConflictError, InvalidTransferError, UnknownHoldError } from './errors.ts';
import { movementCtes } from './movement-sql.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { insufficientFunds, runMovement } from './statement.ts';
import type { AccountId, Movement } from './types.ts';

type Settlement = Omit<Movement, 'kind'> & { holdId: string; kind?: string };

export interface PostInput extends Settlement {
  /** Where the held money goes. One destination may omit the amount: it takes all of it. */
  to: readonly { account: AccountId; amount?: Amount }[];
}

export type VoidInput = Settlement;

export type SettleResult =
  | { outcome: 'posted' | 'voided'; transferId: string }
  | { outcome: 'replayed'; status: 'posted' | 'voided'; transferId: string }
  | { outcome: 'alreadySettled'; status: 'posted' | 'voided' };

/**
 * `post` and `void`: the second phase of a hold, exactly once. The statement claims the hold
 * with `UPDATE … WHERE status = 'pending'` and moves the money in the same statement; a
 * concurrent post or void of the same hold waits for that row and then finds nothing to claim.
 * The winner takes one statement; the loser, or a retry, a second one to learn which it is.
 */
export function createSettle(db: DataSource) {
  const settle = async (
    status: 'posted' | 'voided',
    input: Settlement,
    params: unknown[],
    manager: EntityManager | undefined,
  ): Promise<SettleResult> => {
    const sql = status === 'posted' ? POST_SQL : VOID_SQL;
    const rows = await runMovement<{ id: string }>(db, manager, sql, [
      input.holdId,
      status,
      input.kind ?? (status === 'posted' ? 'hold.post' : 'hold.void'),
      input.idempotencyKey,
      input.description ?? '',
      JSON.stringify(input.metadata ?? {}),
      ...params,
    ]).catch((error: unknown) => {
      // Unlike a transfer's, this key cannot be skipped on conflict: the claim already took it.
      if (isUniqueViolation(error, 'uq_ledger_transfers_idempotency_key')) {
        throw new IdempotencyConflictError(input.idempotencyKey, null);
      }
      throw error;
    });
    // The held account only ever holds pending holds, so this means a tampered ledger.
    if (rows === insufficientFunds) {
      throw new Error(`hold ${input.holdId} exceeds its held balance`);
    }
    if (rows[0]) return { outcome: status, transferId: rows[0].id };

    const [hold] = await (manager ?? db.manager).query(SETTLED_SQL, [
      input.holdId,
      input.idempotencyKey,
    ]);
    if (!hold) throw new UnknownHoldError(input.holdId);
    if (hold.status === 'pending') {
      throw new Error(`hold ${input.holdId} is pending yet was not claimed`);
    }
    if (!hold.mine) return { outcome: 'alreadySettled', status: hold.status };
    if (hold.status !== status) {
      throw new IdempotencyConflictError(input.idempotencyKey, hold.transfer_id);
    }
    return { outcome: 'replayed', status, transferId: hold.transfer_id };
  };

  return {
    /** Pays the held money out to `to` (escrow release, a cashout sent to the provider). */
    post(input: PostInput, manager?: EntityManager): Promise<SettleResult> {
      return settle('posted', input, destinationColumns(input), manager);
    },

    /** Returns the held money to the user's available account (cancelled, failed, expired). */
    void(input: VoidInput, manager?: EntityManager): Promise<SettleResult> {
      return settle('voided', input, [], manager);
    },
  };
}

function destinationColumns(input: PostInput): [string[], (string | null)[]] {
  const invalid = (problem: string) => new InvalidTransferError(input.idempotencyKey, problem);
  if (input.to.length === 0) throw invalid('a post needs a destination');

  const amounts = input.to.map(({ amount }) => {
    if (amount === undefined) {
      if (input.to.length > 1) throw invalid('with several destinations, each needs an amount');
      return null;
    }
    const parsed = parseAmount(amount);
    if (isZero(parsed) || isNegative(parsed)) throw invalid(`a destination amount of ${parsed}`);
    return parsed;
  });
  return [input.to.map((d) => d.account), amounts];
}

// $1 hold id, $2 new status, $3 kind, $4 key, $5 description, $6 metadata, then the legs'
// own parameters. The settling transfer's id is drawn first so the claiming UPDATE can record
// it; a claim that loses the race may burn a sequence value, nothing else.
const settleSql = (legs: string) => `
  WITH settled AS (
    UPDATE ledger_holds h
    SET status = $2, settled_at = now(),
        settle_transfer_id = nextval(pg_get_serial_sequence('ledger_transfers', 'id'))
    WHERE h.id = $1 AND h.status = 'pending'
    RETURNING h.id, h.available_account_id, h.held_account_id, h.currency, h.amount,
              h.settle_transfer_id
  ),
  transfer AS (
    INSERT INTO ledger_transfers (id, kind, idempotency_key, description, metadata)
    OVERRIDING SYSTEM VALUE
    SELECT s.settle_transfer_id, $3, $4, $5, $6::jsonb || jsonb_build_object('holdId', s.id::text)
    FROM settled s
    RETURNING id
  ),
  legs AS (
    SELECT s.held_account_id AS account_id, s.currency, -s.amount AS amount FROM settled s
    UNION ALL
    ${legs}
  ),
  ${movementCtes('legs', 'transfer')}
  SELECT id FROM transfer`;

// $7 destination accounts, $8 their amounts (null: the whole hold).
const POST_SQL = settleSql(`
    SELECT d.account_id, s.currency, coalesce(d.amount, s.amount)
    FROM settled s, unnest($7::bigint[], $8::numeric[]) AS d(account_id, amount)`);

const VOID_SQL = settleSql(`
    SELECT s.available_account_id, s.currency, s.amount FROM settled s`);

// $1 hold id, $2 the caller's key.
const SETTLED_SQL = `
  SELECT h.status, h.settle_transfer_id AS transfer_id, t.idempotency_key = $2 AS mine
  FROM ledger_holds h LEFT JOIN ledger_transfers t ON t.id = h.settle_transfer_id
  WHERE h.id = $1`;
