/**
 * The ledger bench: concurrent transfers into one hot account versus transfers spread over
 * 1,000 accounts, on a database of its own (a fresh `lockbay_test_*` database, see
 * test/support/database.ts: TEST_DATABASE_ADMIN_URL, else the local PostgreSQL on 5432, else an
 * embedded one). `npm run bench -- --ledger` prints what `benchLedger` returns; run directly,
 * this file prints it too.
 */
import { randomInt } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../activities/db/data-source.ts';
import { QueryCounter } from '../activities/db/query-counter.ts';
import { createLedger, type AccountId, type Ledger } from '../activities/ledger/index.ts';
import { checkLedger } from '../activities/ledger/invariants.ts';
import { createTestDatabase } from '../test/support/database.ts';

const accounts = 1_000;

export interface LedgerBenchOptions {
  /** Transfers per scenario. */
  transfers?: number;
  /** Transfers running at once, each on its own connection. */
  inFlight?: number;
}

/**
 * Transfers per second into one hot account and spread over 1,000 accounts, and the statements
 * each transfer took. Ends with `checkLedger` over everything the bench wrote.
 */
export async function benchLedger({
  transfers = 4_000,
  inFlight = 16,
}: LedgerBenchOptions = {}): Promise<object> {
  const database = await createTestDatabase();
  const queries = new QueryCounter();
  const db = await openDatabase({ url: database.url, logger: queries, poolSize: inFlight + 4 });
  try {
    const ledger = createLedger({ db });
    const wallets = await fundedWallets(db, ledger);
    const hot = await ledger.systemAccount('escrow_holdings', 'USD');

    const statementsBefore = queries.total;
    const run = { ledger, transfers, inFlight };
    const hotAccount = await scenario(run, 'hot', () => [pick(wallets), hot]);
    const spread1000 = await scenario(run, 'spread', () => {
      const from = pick(wallets);
      let to = pick(wallets);
      while (to === from) to = pick(wallets);
      return [from, to];
    });
    const statementsPerTransfer = (queries.total - statementsBefore) / (2 * transfers);

    const { ok } = await checkLedger(db);
    return {
      transfers,
      inFlight,
      hotAccount,
      spread1000,
      statementsPerTransfer,
      ledgerCheckOk: ok,
    };
  } finally {
    await db.destroy();
    await database.drop();
  }
}

/** 1,000 users with $1,000 available each, made through the ledger itself. */
async function fundedWallets(db: Awaited<ReturnType<typeof openDatabase>>, ledger: Ledger) {
  const users: { id: string }[] = await db.query(
    `INSERT INTO users (telegram_id, first_name, referral_code)
     SELECT 8000000 + n, 'Bench', 'BENCH' || n FROM generate_series(1, $1) n RETURNING id`,
    [accounts],
  );
  const clearing = await ledger.systemAccount('provider_clearing:bench', 'USD');
  const wallets: AccountId[] = [];
  for (const { id } of users) {
    const available = (await ledger.ensureUserAccounts(id, ['USD'])).USD!.available;
    await ledger.transfer({
      kind: 'deposit',
      idempotencyKey: `bench/deposit/${id}`,
      entries: [
        { account: clearing, currency: 'USD', amount: '-1000' },
        { account: available, currency: 'USD', amount: '1000' },
      ],
    });
    wallets.push(available);
  }
  return wallets;
}

/** `transfers` transfers of $0.01, `inFlight` at a time. */
async function scenario(
  { ledger, transfers, inFlight }: { ledger: Ledger; transfers: number; inFlight: number },
  name: string,
  route: () => [AccountId, AccountId],
) {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < transfers) {
      const [from, to] = route();
      const started = performance.now();
      const result = await ledger.transfer({
        kind: 'bench',
        idempotencyKey: `bench/${name}/${next++}`,
        entries: [
          { account: from, currency: 'USD', amount: '-0.01' },
          { account: to, currency: 'USD', amount: '0.01' },
        ],
      });
      latencies.push(performance.now() - started);
      if (result.outcome !== 'applied') throw new Error(`bench transfer ${result.outcome}`);
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => round(latencies[Math.ceil((p / 100) * latencies.length) - 1] ?? 0);
  return {
    transfersPerSec: Math.round(transfers / seconds),
    latencyMs: { p50: at(50), p99: at(99) },
  };
}

function pick<T>(items: readonly T[]): T {
  return items[randomInt(items.length)]!;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const inFlight = Number(process.env.LEDGER_BENCH_IN_FLIGHT ?? 16);
  console.log(JSON.stringify(await benchLedger({ inFlight })));
}
