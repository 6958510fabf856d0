import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import pg from 'pg';
import { lockbaySearchAttributes } from '../../scripts/services/temporal.ts';
import { createTestDatabase } from './database.ts';
import { startTestTemporal, type TestTemporal } from './temporal.ts';

const grpcInvalidArgument = 3;

describe('test Temporal server', () => {
  let temporal: TestTemporal;
  before(async () => {
    temporal = await startTestTemporal();
  });
  after(async () => {
    await temporal?.teardown();
  });

  test('answers on its frontend', async () => {
    const info = await temporal.env.connection.workflowService.getSystemInfo({});
    assert.ok(info.serverVersion, 'getSystemInfo returned no server version');
  });

  test('has the search attributes LockBay flows write, with their types', async () => {
    const { customAttributes } = await temporal.env.connection.operatorService.listSearchAttributes(
      { namespace: 'default' },
    );
    for (const { name, type } of lockbaySearchAttributes) {
      assert.equal(customAttributes?.[name], encodeSearchAttributeIndexedValueType(type), name);
    }
  });

  test('accepts updates and update-with-start', async () => {
    const { workflowService } = temporal.env.connection;
    const { namespaceInfo } = await workflowService.describeNamespace({ namespace: 'default' });
    assert.equal(namespaceInfo?.capabilities?.syncUpdate, true);

    // Servers with multi-operation disabled answer PermissionDenied before validating the request.
    await assert.rejects(workflowService.executeMultiOperation({ namespace: 'default' }), {
      code: grpcInvalidArgument,
    });
  });
});

describe('test database', () => {
  test('is created empty and dropped even with a connection open', async () => {
    const database = await createTestDatabase();
    const client = new pg.Client(database.url);
    client.on('error', () => {}); // drop() terminates this connection
    await client.connect();
    const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
    assert.match(rows[0]?.name ?? '', /^lockbay_test_[0-9a-f]+$/);

    await database.drop();
    await assert.rejects(client.query('SELECT 1'));
    const again = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 3_000 });
    await assert.rejects(again.connect());
  });
});
