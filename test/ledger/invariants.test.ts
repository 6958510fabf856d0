import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { aUserWithAccounts, deposit, openLedger, type LedgerFixture } from '../support/ledger.ts';

describe('ledger invariants', () => {
  let f: LedgerFixture;
  let url: string;
  before(async () => {
    f = await openLedger();
    url = (f.db.options as { url: string }).url;
  });
  after(() => f?.close());

  const checks = async () => (await checkLedger(f.db)).violations.map((v) => v.check).sort();

  /** Runs `sql` with the balance trigger off, checks, then undoes it the same way. */
  const planted = async (sql: string, undo: string) => {
    const bypass = (statement: string) =>
      f.db.transaction(async (manager) => {
        await manager.query(
          `ALTER TABLE ledger_entries DISABLE TRIGGER tg_ledger_entries_balanced`,
        );
        await manager.query(statement);
        await manager.query(`ALTER TABLE ledger_entries ENABLE TRIGGER tg_ledger_entries_balanced`);
      });
    await bypass(sql);
    try {
      return await checks();
    } finally {
      await bypass(undo);
      assert.deepEqual(await checks(), []);
    }
  };

  it('refuses a lone entry at commit', async () => {
    const { accounts } = await aUserWithAccounts(f, ['USD']);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '1');
    await assert.rejects(
      f.db.query(
        `INSERT INTO ledger_entries (transfer_id, account_id, currency, amount)
         SELECT max(id), $1, 'USD', 1 FROM ledger_transfers`,
        [accounts.USD!.available],
      ),
      /does not balance: its USD entries sum to/,
    );
  });

  it('finds an entry slipped in behind the trigger', async () => {
    const { accounts } = await aUserWithAccounts(f, ['USD']);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '1');
    const found = await planted(
      `INSERT INTO ledger_entries (transfer_id, account_id, currency, amount)
       SELECT max(id), ${accounts.USD!.available}, 'USD', 1 FROM ledger_transfers`,
      `DELETE FROM ledger_entries WHERE id = (SELECT max(id) FROM ledger_entries)`,
    );
    assert.deepEqual(found, ['balanceNotSumOfEntries', 'unbalancedTransfer']);
  });

  it('finds a tampered balance, and money in a held account without a hold', async () => {
    const { accounts } = await aUserWithAccounts(f, ['USD']);
    const held = accounts.USD!.held;
    const found = await planted(
      `UPDATE ledger_accounts SET balance = balance + 0.000000000000000001 WHERE id = ${held}`,
      `UPDATE ledger_accounts SET balance = balance - 0.000000000000000001 WHERE id = ${held}`,
    );
    assert.deepEqual(found, ['balanceNotSumOfEntries', 'heldBalanceNotPendingHolds']);
  });

  it('finds a hold settled twice', async () => {
    const { userId, accounts } = await aUserWithAccounts(f, ['USD']);
    await deposit(f.ledger, accounts.USD!.available, 'USD', '2');
    const held = await f.ledger.hold({
      userId,
      currency: 'USD',
      amount: '2',
      idempotencyKey: 'twice',
    });
    const holdId = held.outcome === 'held' ? held.holdId : '';
    await f.ledger.void({ holdId, idempotencyKey: 'twice/void' });

    const revenue = await f.ledger.systemAccount('platform_revenue', 'USD');
    await f.ledger.transfer({
      kind: 'hold.post',
      idempotencyKey: 'twice/post',
      metadata: { holdId },
      entries: [
        { account: accounts.USD!.available, currency: 'USD', amount: '-2' },
        { account: revenue, currency: 'USD', amount: '2' },
      ],
    });
    assert.deepEqual(await checks(), ['holdSettledTwice']);
    await f.db.query(
      `UPDATE ledger_transfers SET metadata = '{}' WHERE idempotency_key = 'twice/post'`,
    );
  });

  const ledgerCheck = (databaseUrl: string) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/ledger-check.ts'], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    }).then(
      ({ stdout }) => ({ code: 0, report: lastLine(stdout) }),
      (error: { code: number; stdout: string }) => ({
        code: error.code,
        report: lastLine(error.stdout),
      }),
    );
  const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

  // Last on this database: it drops the balance CHECK to plant what the CHECK forbids.
  it('npm run ledger:check prints the report last and fails on a violation', async () => {
    const clean = await ledgerCheck(url);
    assert.equal(clean.code, 0);
    assert.equal(clean.report.ok, true);
    assert.ok(clean.report.transfers > 0);

    await f.db.query(`ALTER TABLE ledger_accounts DROP CONSTRAINT ck_ledger_accounts_balance`);
    const { accounts } = await aUserWithAccounts(f, ['NGN']);
    await f.db.query(`UPDATE ledger_accounts SET balance = -1 WHERE id = $1`, [
      accounts.NGN!.available,
    ]);
    const broken = await ledgerCheck(url);
    assert.equal(broken.code, 1);
    assert.equal(broken.report.ok, false);
    assert.deepEqual(broken.report.violations.map((v: { check: string }) => v.check).sort(), [
      'balanceNotSumOfEntries',
      'negativeBalance',
    ]);
  });

  it('reports a database without the ledger instead of crashing', async () => {
    const empty: TestDatabase = await createTestDatabase();
    try {
      const { code, report } = await ledgerCheck(empty.url);
      assert.equal(code, 1);
      assert.equal(report.violations[0].check, 'noLedgerTables');
    } finally {
      await empty.drop();
    }
  });
});
