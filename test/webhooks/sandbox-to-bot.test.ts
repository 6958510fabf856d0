import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import {
  createSandboxRails,
  SandboxWebhookSource,
  type SandboxRails,
} from '../../activities/providers/sandbox/index.ts';
import { startWebhookBench, type WebhookBench } from '../support/webhooks.ts';

const secret = 'sandbox-secret-for-the-whole-pipe';

describe('sandbox rails posting to the bot', () => {
  let bench: WebhookBench;
  let rails: SandboxRails;
  let webhookUrl: string;

  before(async () => {
    bench = await startWebhookBench([new SandboxWebhookSource(secret)]);
    webhookUrl = `${bench.url}/webhooks/sandbox`;
    rails = createSandboxRails({ secret, webhookUrl, retryDelaysMs: [] });
  });
  afterEach(() => bench.reset());
  after(async () => {
    await rails?.close();
    await bench?.close();
  });

  it('records a deposit delivered 5 times in reverse order as its two events, each dispatched once', async () => {
    await rails.crypto.createDepositAddress({
      asset: 'BTC',
      reference: 'dep-pipe',
      callbackUrl: webhookUrl,
    });
    const { deliveries } = await rails.crypto.pay('dep-pipe', '0.0004', {
      duplicates: 4,
      order: 'reverse',
    });
    await bench.handler.settled();

    assert.equal(deliveries.length, 10);
    assert.ok(deliveries.every((delivery) => delivery.status === 200));
    assert.deepEqual(
      bench.dispatched.map((event) => event.kind === 'deposit' && event.confirmed),
      [true, false],
    );
    assert.deepEqual(
      (await bench.rows()).map((row) => [row.kind, row.reference, row.status]),
      [
        ['deposit', 'dep-pipe', 'dispatched'],
        ['deposit', 'dep-pipe', 'dispatched'],
      ],
    );
  });

  it('records a payout outcome under the payout key', async () => {
    await rails.payouts.withdraw({
      asset: 'ETH',
      address: '0x00000000000000000000000000000000000000bb',
      amount: '0.1',
      idempotencyKey: 'payout-pipe',
    });
    await rails.settle('payout-pipe', 'failed', { reason: 'sandbox said no' });
    await bench.handler.settled();

    assert.deepEqual(bench.dispatched, [
      {
        kind: 'payout',
        provider: 'sandbox',
        eventId: bench.dispatched[0]?.eventId,
        reference: 'payout-pipe',
        status: { state: 'failed', reason: 'sandbox said no' },
      },
    ]);
  });

  it('is refused with 401 when the rails sign with another secret', async () => {
    const impostor = createSandboxRails({
      secret: 'not-the-secret',
      webhookUrl,
      retryDelaysMs: [],
    });
    await impostor.bank.collect({ reference: 'col-pipe', amount: '5000', payerName: 'Ada' });
    const deliveries = await impostor.bank.payCollection('col-pipe', '5000');
    await impostor.close();

    assert.deepEqual(
      deliveries.map((delivery) => delivery.status),
      [401],
    );
    assert.deepEqual(await bench.rows(), []);
  });
});
