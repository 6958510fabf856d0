import type { DataSource } from 'typeorm';
import { createAccounts } from './accounts.ts';
import { createBalances } from './balances.ts';
import { createConvert } from './convert.ts';
import { createHistory } from './history.ts';
import { createHold } from './hold.ts';
import { createSettle } from './settle.ts';
import { createTransfer } from './transfer.ts';

export interface LedgerDeps {
  db: DataSource;
}

/**
 * The double-entry ledger every cent goes through. Each write is one statement that commits on
 * its own, and safe to retry by its idempotency key. Writes take an optional `EntityManager` as
 * their last argument to join the caller's transaction: they then run in a savepoint (two more
 * statements) so that a refusal leaves the transaction usable, and the balancing trigger checks
 * at the caller's COMMIT.
 */
export function createLedger({ db }: LedgerDeps) {
  const accounts = createAccounts(db);
  const transfer = createTransfer(db);
  const { post, void: voidHold } = createSettle(db);

  return {
    ensureUserAccounts: accounts.ensureUserAccounts,
    systemAccount: accounts.systemAccount,
    transfer,
    hold: createHold(db),
    post,
    void: voidHold,
    convert: createConvert(accounts, transfer),
    balances: createBalances(db),
    history: createHistory(db),
  };
}

export type Ledger = ReturnType<typeof createLedger>;

export type { UserAccounts, SystemCode } from './accounts.ts';
export type { Balance, Balances } from './balances.ts';
export type { ConvertInput, ConvertResult } from './convert.ts';
export type { HistoryItem, HistoryPage } from './history.ts';
export type { HoldInput, HoldResult } from './hold.ts';
export type { PostInput, SettleResult, VoidInput } from './settle.ts';
export type { TransferInput, TransferResult } from './transfer.ts';
export type { AccountId, Bucket, Entry } from './types.ts';
