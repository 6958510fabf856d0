import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../activities/db/data-source.ts';
import { QueryCounter } from '../../activities/db/query-counter.ts';
import type { AccountId, UserAccounts } from '../../activities/ledger/index.ts';
import { createLedger, type Ledger } from '../../activities/ledger/index.ts';
import type { Amount, Currency } from '../../machines/money.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface LedgerFixture {
  db: DataSource;
  ledger: Ledger;
  queries: QueryCounter;
  close(): Promise<void>;
}

/** A fresh database with the migrations applied and a ledger over it. */
export async function openLedger(poolSize = 10): Promise<LedgerFixture> {
  const database: TestDatabase = await createTestDatabase();
  const queries = new QueryCounter();
  const db = await openDatabase({ url: database.url, logger: queries, poolSize });
  const close = async () => {
    await db.destroy();
    await database.drop();
  };
  return { db, ledger: createLedger({ db }), queries, close };
}

let telegramIds = 5_000_000;

/** A user row (nothing else about it matters to the ledger) with accounts in `currencies`. */
export async function aUserWithAccounts(
  { db, ledger }: Pick<LedgerFixture, 'db' | 'ledger'>,
  currencies: readonly Currency[] = ['USD', 'NGN'],
): Promise<{ userId: string; accounts: UserAccounts }> {
  telegramIds += 1;
  const [user] = await db.query(
    `INSERT INTO users (telegram_id, first_name, referral_code) VALUES ($1, 'Test', $2) RETURNING id`,
    [telegramIds, `R${telegramIds}`],
  );
  return { userId: user.id, accounts: await ledger.ensureUserAccounts(user.id, currencies) };
}

/** Credits an account from a test provider's clearing account, as a deposit would. */
export async function deposit(
  ledger: Ledger,
  account: AccountId,
  currency: Currency,
  amount: Amount,
  provider = 'test',
): Promise<void> {
  const clearing = await ledger.systemAccount(`provider_clearing:${provider}`, currency);
  const result = await ledger.transfer({
    kind: 'deposit',
    idempotencyKey: `deposit/${randomUUID()}`,
    entries: [
      { account: clearing, currency, amount: `-${amount}` },
      { account, currency, amount },
    ],
  });
  if (result.outcome !== 'applied') throw new Error(`deposit ${result.outcome}`);
}
