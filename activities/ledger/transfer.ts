import type { DataSource, EntityManager } from 'typeorm';
import { add, currencies, isZero, parseAmount } from '../../machines/money.ts';
import { IdempotencyConflictError, InvalidTransferError } from './errors.ts';
import { movementCtes } from './movement-sql.ts';
import { insufficientFunds, runMovement } from './statement.ts';
import type { Entry, Movement } from './types.ts';

export interface TransferInput extends Movement {
  entries: readonly Entry[];
}

export type TransferResult =
  | { outcome: 'applied'; transferId: string }
  | { outcome: 'replayed'; transferId: string }
  | { outcome: 'insufficientFunds' };

/** `transfer`: any balanced movement between accounts. */
export function createTransfer(db: DataSource) {
  /**
   * Applies the entries as one transfer in one statement: the transfer row, its entries and the
   * balances. A key seen before changes nothing and reports 'replayed' (a second statement
   * confirms it is the same movement, else `IdempotencyConflictError`). An entry that would
   * take a non-negative account below zero makes PostgreSQL refuse all of it:
   * 'insufficientFunds', with nothing written.
   */
  return async function transfer(
    input: TransferInput,
    manager?: EntityManager,
  ): Promise<TransferResult> {
    const legs = legColumns(input);
    const params = [
      input.kind,
      input.idempotencyKey,
      input.description ?? '',
      JSON.stringify(input.metadata ?? {}),
    ];
    const rows = await runMovement<{ id: string }>(db, manager, TRANSFER_SQL, [...params, ...legs]);
    if (rows === insufficientFunds) return { outcome: 'insufficientFunds' };
    if (rows[0]) return { outcome: 'applied', transferId: rows[0].id };

    const [prior] = await (manager ?? db.manager).query(REPLAY_SQL, [
      input.idempotencyKey,
      input.kind,
      ...legs,
    ]);
    if (!prior?.same) throw new IdempotencyConflictError(input.idempotencyKey, prior?.id ?? null);
    return { outcome: 'replayed', transferId: prior.id };
  };
}

/**
 * The entries as three parallel arrays for `unnest`, after checking in memory what needs no
 * database: amounts parse and are not zero, currencies are known, each currency sums to zero.
 * (Funds are never checked here; the balance CHECK does that.)
 */
function legColumns(input: TransferInput): [string[], string[], string[]] {
  const invalid = (problem: string) => new InvalidTransferError(input.idempotencyKey, problem);
  if (input.entries.length < 2) throw invalid('a transfer needs at least two entries');

  const sums = new Map<string, string>();
  const amounts = input.entries.map(({ currency, amount }) => {
    if (!currencies.includes(currency)) throw invalid(`unknown currency ${currency}`);
    const parsed = parseAmount(amount);
    if (isZero(parsed)) throw invalid('an entry of zero');
    sums.set(currency, add(sums.get(currency) ?? '0', parsed));
    return parsed;
  });

  for (const [currency, sum] of sums) {
    if (!isZero(sum)) throw invalid(`its ${currency} entries sum to ${sum}, not zero`);
  }
  return [input.entries.map((e) => e.account), input.entries.map((e) => e.currency), amounts];
}

// $1 kind, $2 key, $3 description, $4 metadata, $5 account ids, $6 currencies, $7 amounts.
const TRANSFER_SQL = `
  WITH legs AS (
    SELECT * FROM unnest($5::bigint[], $6::text[], $7::numeric[]) AS l(account_id, currency, amount)
  ),
  transfer AS (
    INSERT INTO ledger_transfers (kind, idempotency_key, description, metadata)
    VALUES ($1, $2, $3, $4::jsonb)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id
  ),
  ${movementCtes('legs', 'transfer')}
  SELECT id FROM transfer`;

// $1 key, $2 kind, $3–$5 the entries. Same movement: same kind and the same multiset of
// (account, currency, amount).
const REPLAY_SQL = `
  WITH legs AS (
    SELECT * FROM unnest($3::bigint[], $4::text[], $5::numeric[]) AS l(account_id, currency, amount)
  )
  SELECT t.id, t.kind = $2 AND NOT EXISTS (
    (SELECT account_id, currency, amount FROM legs
     EXCEPT ALL
     SELECT e.account_id, e.currency, e.amount FROM ledger_entries e WHERE e.transfer_id = t.id)
    UNION ALL
    (SELECT e.account_id, e.currency, e.amount FROM ledger_entries e WHERE e.transfer_id = t.id
     EXCEPT ALL
     SELECT account_id, currency, amount FROM legs)
  ) AS same
  FROM ledger_transfers t WHERE t.idempotency_key = $1`;
