import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../activities/config.ts';
import { openDatabase } from '../../activities/db/data-source.ts';
import { selectRails } from '../../activities/providers/index.ts';
import { KrakenPayouts } from '../../activities/providers/kraken/payouts.ts';
import { PgWithdrawalLog } from '../../activities/providers/kraken/pg-withdrawal-log.ts';
import { createSandboxRails } from '../../activities/providers/sandbox/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('the Kraken withdrawal log in PostgreSQL', () => {
  let database: TestDatabase;
  let db: DataSource;

  before(async () => {
    database = await createTestDatabase();
    db = await openDatabase({ url: database.url });
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const attempt = (key: string) => ({
    idempotencyKey: key,
    asset: 'BTC' as const,
    address: 'bc1qexample',
    amount: '0.00100000',
    startedAt: '2026-12-03T12:00:00.000Z',
  });

  it('keeps the first attempt under a key, across instances (a restart)', async () => {
    const first = await new PgWithdrawalLog(db).begin(attempt('k1'));
    const again = await new PgWithdrawalLog(db).begin({ ...attempt('k1'), amount: '9' });
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.attempt.amount, '0.001000000000000000');

    const log = new PgWithdrawalLog(db);
    await log.sending('k1', '2026-12-03T12:00:01.000Z');
    await log.bind('k1', 'REF-1');
    assert.deepEqual(await new PgWithdrawalLog(db).find('k1'), {
      ...attempt('k1'),
      amount: '0.001000000000000000',
      sentAt: '2026-12-03T12:00:01.000Z',
      refid: 'REF-1',
    });
    assert.equal(await log.isBound('REF-1'), true);
    assert.equal(await log.isBound('REF-2'), false);
  });

  it('refuses a refid already bound to another key, and unknown keys', async () => {
    const log = new PgWithdrawalLog(db);
    await log.begin(attempt('k2'));
    await assert.rejects(log.bind('k2', 'REF-1'), /already belongs/);
    await assert.rejects(log.sending('nope', null), /no withdrawal attempt/);
    assert.equal(await log.find('nope'), null);
  });

  it('lets configuration select Kraken once the worker gives it this log', async () => {
    const config = loadConfig({
      CRYPTO_PAYOUTS: 'kraken',
      KRAKEN_API_KEY: 'key',
      KRAKEN_API_SECRET: Buffer.from('secret').toString('base64'),
    });
    const sandbox = createSandboxRails({ secret: 's', webhookUrl: 'http://127.0.0.1:9/' });
    try {
      assert.throws(() => selectRails(config.providers, sandbox), /durable withdrawal log/);
      const rails = selectRails(config.providers, sandbox, {
        krakenWithdrawals: new PgWithdrawalLog(db),
      });
      assert.ok(rails.cryptoPayouts instanceof KrakenPayouts);
    } finally {
      await sandbox.close();
    }
  });
});
