import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import { createDataSource, migrations } from '../../activities/db/data-source.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('migrations', () => {
  let database: TestDatabase;
  let db: DataSource;

  before(async () => {
    database = await createTestDatabase();
    db = await createDataSource({ url: database.url }).initialize();
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const tables = async () =>
    (
      await db.query(
        `SELECT table_name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY table_name`,
      )
    ).map((row: { table_name: string }) => row.table_name);

  const allTables = [
    'banks',
    'cashouts',
    'deposits',
    'email_codes',
    'kraken_withdrawals',
    'ledger_accounts',
    'ledger_entries',
    'ledger_holds',
    'ledger_transfers',
    'provider_events',
    'rates',
    'saved_destinations',
    'users',
  ];

  it('apply, revert and apply again', async () => {
    await db.runMigrations();
    assert.deepEqual(await tables(), allTables);

    for (let i = 0; i < migrations.length; i += 1) await db.undoLastMigration();
    assert.deepEqual(await tables(), []);

    await db.runMigrations();
    assert.deepEqual(await tables(), allTables);
  });

  it('leave nothing for the entities to change', async () => {
    const pending = await db.driver.createSchemaBuilder().log();
    assert.deepEqual(
      pending.upQueries.map((query) => query.query),
      [],
    );
  });

  it('move wallet trading credit onto the ledger, balanced and under onboarding’s key', async () => {
    for (let i = 0; i < migrations.length; i += 1) await db.undoLastMigration();
    await db.query(`DROP TABLE IF EXISTS migrations`);
    const before = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: migrations.slice(0, 2),
    });
    await before.initialize();
    await before.runMigrations();
    await before.query(`
      INSERT INTO users (telegram_id, first_name, referral_code) VALUES (1, 'Ada', 'ADA23456');
      INSERT INTO wallets (user_id, currency, trading_credit)
      SELECT id, c, CASE WHEN c = 'USD' THEN 5 ELSE 0 END FROM users, unnest(ARRAY['USD', 'NGN']) c;
    `);
    await before.destroy();

    await db.runMigrations();
    const balances = await db.query(
      `SELECT currency, bucket, balance::text FROM ledger_accounts
       WHERE owner_user_id IS NOT NULL AND balance <> 0`,
    );
    assert.deepEqual(balances, [
      { currency: 'USD', bucket: 'trading_credit', balance: '5.000000000000000000' },
    ]);
    const [transfer] = await db.query(`SELECT kind, idempotency_key FROM ledger_transfers`);
    assert.deepEqual(transfer, { kind: 'referral_bonus', idempotency_key: 'referral-bonus:1:USD' });
    assert.equal((await checkLedger(db)).ok, true);
  });
});
