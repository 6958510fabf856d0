import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import {
  SANDBOX_SIGNATURE_HEADER,
  SandboxWebhookSource,
  signSandboxBody,
  type SandboxEvent,
} from '../../activities/providers/sandbox/index.ts';
import { startWebhookBench, type WebhookBench } from '../support/webhooks.ts';

const secret = 'sandbox-secret-for-handler-tests';

function deposit(eventId: string, confirmations: number, reference = 'dep-7') {
  const event: SandboxEvent = {
    type: 'deposit',
    reference,
    asset: 'ETH',
    address: '0x00000000000000000000000000000000000000aa',
    amount: '0.008',
    txid: 'tx-7',
    confirmations,
    confirmed: confirmations >= 1,
  };
  const raw = Buffer.from(
    JSON.stringify({ id: eventId, createdAt: '2026-01-01T00:00:00.000Z', event }),
  );
  return { raw, headers: { [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(secret, raw) } };
}

describe('recording and dispatching provider webhooks', () => {
  let bench: WebhookBench;

  before(async () => {
    bench = await startWebhookBench([new SandboxWebhookSource(secret)]);
  });
  afterEach(() => bench.reset());
  after(() => bench?.close());

  const deliver = ({ raw, headers }: ReturnType<typeof deposit>) =>
    bench.handler.handle('sandbox', raw, headers);

  it('records a deposit delivered 5 times once, and dispatches it once', async () => {
    const webhook = deposit('evt_five', 1);
    const replies = [];
    for (let i = 0; i < 5; i += 1) replies.push(await deliver(webhook));
    await bench.handler.settled();

    assert.deepEqual(
      replies.map((reply) => [reply.status, reply.recorded, reply.duplicates]),
      [[200, 1, 0], ...Array.from({ length: 4 }, () => [200, 0, 1])],
    );
    assert.deepEqual(
      (await bench.rows()).map((row) => [row.event_id, row.status]),
      [['evt_five', 'dispatched']],
    );
    assert.deepEqual(
      bench.dispatched.map((event) => event.eventId),
      ['evt_five'],
    );
  });

  it('records it once when the 5 deliveries race each other', async () => {
    const webhook = deposit('evt_race', 1);
    const replies = await Promise.all(Array.from({ length: 5 }, () => deliver(webhook)));
    await bench.handler.settled();

    assert.equal(replies.filter((reply) => reply.recorded === 1).length, 1);
    assert.ok(replies.every((reply) => reply.status === 200));
    assert.equal((await bench.rows()).length, 1);
    assert.equal(bench.dispatched.length, 1);
  });

  it('takes events out of order: each distinct event once, in the order they arrived', async () => {
    const seen = deposit('evt_seen', 0);
    const confirmed = deposit('evt_confirmed', 1);
    for (const webhook of [confirmed, seen, confirmed, seen]) await deliver(webhook);
    await bench.handler.settled();

    assert.deepEqual(
      bench.dispatched.map((event) => [event.eventId, event.kind === 'deposit' && event.confirmed]),
      [
        ['evt_confirmed', true],
        ['evt_seen', false],
      ],
    );
    assert.deepEqual(
      (await bench.rows()).map((row) => row.event_id),
      ['evt_confirmed', 'evt_seen'],
    );
  });

  it('keeps an event no workflow owns as unmatched, and does not hand it over again', async () => {
    bench.outcome = (event) => (event.reference === 'dep-nobody' ? 'unmatched' : 'dispatched');
    await deliver(deposit('evt_orphan', 1, 'dep-nobody'));
    await deliver(deposit('evt_owned', 1));
    await bench.handler.settled();
    await deliver(deposit('evt_orphan', 1, 'dep-nobody'));
    await bench.handler.redispatch(0);
    await bench.handler.settled();

    assert.deepEqual(
      (await bench.rows()).map((row) => [row.event_id, row.reference, row.status]),
      [
        ['evt_orphan', 'dep-nobody', 'unmatched'],
        ['evt_owned', 'dep-7', 'dispatched'],
      ],
    );
    assert.equal(bench.dispatched.length, 2);
    assert.equal(
      bench.logs.filter((line) => line.msg === 'provider event matches no workflow').length,
      1,
    );
  });

  it('leaves an event whose dispatch failed as received, and the sweep hands it over again', async () => {
    let failing = true;
    bench.outcome = () => {
      if (failing) throw new Error('Temporal is away');
      return 'dispatched';
    };
    const reply = await deliver(deposit('evt_retry', 1));
    await bench.handler.settled();
    assert.equal(reply.status, 200);
    assert.deepEqual(
      (await bench.rows()).map((row) => row.status),
      ['received'],
    );

    failing = false;
    assert.equal(await bench.handler.redispatch(0), 1);
    await bench.handler.settled();
    assert.deepEqual(
      (await bench.rows()).map((row) => row.status),
      ['dispatched'],
    );
    assert.deepEqual(
      bench.dispatched.map((event) => event.eventId),
      ['evt_retry', 'evt_retry'],
    );
  });

  it('stores the normalised event as the payload', async () => {
    await deliver(deposit('evt_payload', 2));
    await bench.handler.settled();

    const [row] = await bench.db.query(`SELECT payload FROM provider_events`);
    assert.deepEqual(row.payload, {
      kind: 'deposit',
      provider: 'sandbox',
      eventId: 'evt_payload',
      reference: 'dep-7',
      asset: 'ETH',
      amount: '0.008',
      txid: 'tx-7',
      confirmed: true,
    });
  });
});
