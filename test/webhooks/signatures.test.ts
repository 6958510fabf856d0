import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import {
  SANDBOX_SIGNATURE_HEADER,
  SandboxWebhookSource,
  signSandboxBody,
  type SandboxWebhookBody,
} from '../../activities/providers/sandbox/index.ts';
import { startWebhookBench, type WebhookBench } from '../support/webhooks.ts';

const secret = 'sandbox-secret-for-signature-tests';

const body = JSON.stringify({
  id: 'evt_signature_1',
  createdAt: '2026-01-01T00:00:00.000Z',
  event: {
    type: 'deposit',
    reference: 'dep-1',
    asset: 'BTC',
    address: 'bc1qexample',
    amount: '0.0004',
    txid: 'tx-1',
    confirmations: 1,
    confirmed: true,
  },
} satisfies SandboxWebhookBody);

describe('provider webhook signatures', () => {
  let bench: WebhookBench;

  before(async () => {
    bench = await startWebhookBench([new SandboxWebhookSource(secret)]);
  });
  afterEach(() => bench.reset());
  after(() => bench?.close());

  const post = (raw: string | Buffer, signature?: string, provider = 'sandbox') =>
    fetch(`${bench.url}/webhooks/${provider}`, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        ...(signature === undefined ? {} : { [SANDBOX_SIGNATURE_HEADER]: signature }),
      },
    }).then((response) => response.status);

  it('takes a body signed with the sandbox secret and records its event', async () => {
    assert.equal(await post(body, signSandboxBody(secret, body)), 200);

    assert.deepEqual(
      (await bench.rows()).map((row) => row.event_id),
      ['evt_signature_1'],
    );
  });

  it('refuses with 401 a missing, malformed or wrong-key signature, and records nothing', async () => {
    const statuses = [
      await post(body),
      await post(body, ''),
      await post(body, 'sha256=nothex'),
      await post(body, signSandboxBody(secret, body).toUpperCase()),
      await post(body, signSandboxBody('another-secret', body)),
      await post(body, signSandboxBody(secret, body).replace('sha256=', 'sha1=')),
    ];

    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401]);
    assert.deepEqual(await bench.rows(), []);
    assert.equal(bench.dispatched.length, 0);
  });

  it('refuses a body altered by one byte after signing', async () => {
    const signature = signSandboxBody(secret, body);
    const altered = Buffer.from(body);
    altered[altered.indexOf('0.0004') + 5] = '9'.charCodeAt(0);

    assert.equal(await post(altered, signature), 401);
    assert.deepEqual(await bench.rows(), []);
  });

  it('logs a refused webhook at warn, without its body or signature', async () => {
    await post(body, signSandboxBody('another-secret', body));

    const [line] = bench.logs;
    assert.equal(line?.msg, 'provider webhook with a bad signature');
    assert.equal(line?.provider, 'sandbox');
    const logged = JSON.stringify(bench.logs);
    assert.ok(!logged.includes('dep-1') && !logged.includes('sha256='), logged);
  });

  it('answers 404 for a provider it has no source for, and 400 for a signed unreadable body', async () => {
    const unreadable = JSON.stringify({ id: 'evt_2', event: { type: 'refund' } });

    assert.equal(await post(body, signSandboxBody(secret, body), 'nopay'), 404);
    assert.equal(await post(unreadable, signSandboxBody(secret, unreadable)), 400);
    assert.deepEqual(await bench.rows(), []);
    assert.ok(!JSON.stringify(bench.logs).includes('refund'), 'the body stays out of the logs');
  });
});
