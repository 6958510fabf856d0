import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
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
    'email_codes',
    'ledger_accounts',
    'ledger_entries',
    'ledger_holds',
    'ledger_transfers',
    'users',
    'wallets',
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
});
