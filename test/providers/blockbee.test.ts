import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { BlockBeeProcessor } from '../../activities/providers/blockbee/processor.ts';
import { BlockBeeWebhooks } from '../../activities/providers/blockbee/webhooks.ts';
import { ProviderError } from '../../activities/providers/types.ts';
import { queryOf, serve, type Answer, type Seen } from './fixture-server.ts';

// Replies as documented for GET /{ticker}/create/ and GET /{ticker}/info/.
const created = (callback: string) => ({
  status: 'success',
  address_in: 'TXRCfWWomyGVPtH2sKzDYNJdZ3JqkDpYw2',
  address_out: 'TGfBcXvtZKxxku4X8yx92y56HdYTATKuDF',
  callback_url: callback,
  priority: 'default',
  minimum_transaction_coin: 0.008,
});
const info = {
  coin: 'Tether USD',
  ticker: 'usdt',
  minimum_transaction: 10000000,
  minimum_transaction_coin: '10.00000000',
  fee_percent: '1.000',
  network_fee_estimation: '1.25000000',
};

const NOW = new Date('2026-03-01T12:00:00.000Z');

function blockbee(root: string) {
  return new BlockBeeProcessor(
    { apiKey: 'bb-key', apiRoot: root },
    { now: () => NOW, addressLifetimeMs: 60 * 60 * 1000 },
  );
}

function documented(request: Seen): Answer {
  if (request.url.startsWith('/trc20/usdt/create/')) {
    return { json: created(queryOf(request).get('callback') ?? '') };
  }
  if (request.url.startsWith('/trc20/usdt/info/')) return { json: info };
  return { status: 404, json: { status: 'error', error: 'Not found' } };
}

const request = {
  asset: 'USDT_TRC20' as const,
  reference: 'dep_42',
  callbackUrl: 'https://lockbay.example/webhooks/blockbee',
};

describe('the BlockBee processor', () => {
  it('creates a deposit address whose callback carries the reference', async (t) => {
    const fixture = await serve(t, documented);

    const address = await blockbee(fixture.root).createDepositAddress(request);

    assert.deepEqual(address, {
      asset: 'USDT_TRC20',
      address: 'TXRCfWWomyGVPtH2sKzDYNJdZ3JqkDpYw2',
      reference: 'dep_42',
      minimum: '10',
      expiresAt: '2026-03-01T13:00:00.000Z',
    });
    const create = fixture.seen.find((seen) => seen.url.includes('/create/'));
    const query = queryOf(create!);
    assert.equal(query.get('apikey'), 'bb-key');
    assert.equal(
      query.get('callback'),
      'https://lockbay.example/webhooks/blockbee?reference=dep_42',
    );
    assert.equal(query.get('post'), '1');
    assert.equal(query.get('pending'), '1');
  });

  it('asks again with the same callback, which BlockBee answers with the same address', async (t) => {
    const fixture = await serve(t, documented);
    const client = blockbee(fixture.root);

    await client.createDepositAddress(request);
    await client.createDepositAddress(request);

    const callbacks = fixture.seen
      .filter((seen) => seen.url.includes('/create/'))
      .map((seen) => queryOf(seen).get('callback'));
    assert.equal(new Set(callbacks).size, 1);
  });

  it('reports a status=error reply as a refusal that is not retried', async (t) => {
    const fixture = await serve(t, () => ({
      json: { status: 'error', error: 'The API key provided is not valid' },
    }));

    await assert.rejects(blockbee(fixture.root).createDepositAddress(request), (error) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /API key provided is not valid/);
      return true;
    });
  });

  for (const status of [429, 502]) {
    it(`retries HTTP ${status}`, async (t) => {
      const fixture = await serve(t, () => ({ status, text: 'upstream trouble' }));

      await assert.rejects(blockbee(fixture.root).createDepositAddress(request), {
        name: 'ProviderError',
        code: `http_${status}`,
        retryable: true,
      });
    });
  }

  it('retries when BlockBee does not answer in time', async (t) => {
    const fixture = await serve(t, () => ({ delayMs: 300, json: {} }));
    const client = new BlockBeeProcessor(
      { apiKey: 'bb-key', apiRoot: fixture.root },
      { timeoutMs: 50 },
    );

    await assert.rejects(client.createDepositAddress(request), {
      code: 'timeout',
      retryable: true,
    });
  });
});

describe('BlockBee webhooks', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const webhooks = new BlockBeeWebhooks(publicPem);
  const signed = (data: Buffer, privateKey = keys.privateKey) => ({
    'x-ca-signature': sign('sha256', data, privateKey).toString('base64'),
  });

  // A confirmed POST callback, form-encoded, as in "Custom Payment Flow Webhooks".
  const confirmed = Buffer.from(
    'uuid=dbfcb40e-5a6b-4305-9fa2-b0fbda6e3ff2&address_in=TXRCfWWomyGVPtH2sKzDYNJdZ3JqkDpYw2' +
      '&address_out=TGfBcXvtZKxxku4X8yx92y56HdYTATKuDF&txid_in=a2174ffd39289100709f2a07b129cdbb' +
      '&txid_out=b3285ffd&confirmations=3&value_coin=25.5&value_forwarded_coin=25.245' +
      '&fee_coin=0.255&coin=trc20_usdt&price=1.0001&pending=0&reference=dep_42',
  );

  it('accepts a body signed with the key', () => {
    assert.equal(webhooks.verify(confirmed, signed(confirmed)), true);
  });

  it('refuses a missing, garbled or foreign signature', () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;

    assert.equal(webhooks.verify(confirmed, {}), false);
    assert.equal(webhooks.verify(confirmed, { 'x-ca-signature': 'not base64 at all!' }), false);
    assert.equal(webhooks.verify(confirmed, { 'x-ca-signature': 'AAAA' }), false);
    assert.equal(webhooks.verify(confirmed, signed(confirmed, stranger)), false);
  });

  it('refuses a body altered by one byte', () => {
    const headers = signed(confirmed);
    const altered = Buffer.from(confirmed);
    altered[altered.indexOf('25.5')] = '3'.charCodeAt(0);

    assert.equal(webhooks.verify(altered, headers), false);
  });

  it('verifies a GET callback over its full URL', () => {
    const url = `https://lockbay.example/webhooks/blockbee?${confirmed.toString()}`;
    const headers = signed(Buffer.from(url));

    assert.equal(webhooks.verifyUrl(url, headers), true);
    assert.equal(webhooks.verifyUrl(url.replace('dep_42', 'dep_43'), headers), false);
  });

  it('reads a confirmed callback as a confirmed deposit', () => {
    assert.deepEqual(webhooks.parse(confirmed), [
      {
        kind: 'deposit',
        provider: 'blockbee',
        eventId: 'dbfcb40e-5a6b-4305-9fa2-b0fbda6e3ff2:confirmed',
        reference: 'dep_42',
        asset: 'USDT_TRC20',
        amount: '25.5',
        txid: 'a2174ffd39289100709f2a07b129cdbb',
        confirmed: true,
      },
    ]);
  });

  it('gives the pending callback of the same payment its own event id', () => {
    const pending = Buffer.from(
      'uuid=dbfcb40e-5a6b-4305-9fa2-b0fbda6e3ff2&txid_in=ab12&value_coin=0.0123&coin=btc' +
        '&pending=1&reference=dep_7',
    );

    const [event] = webhooks.parse(pending);

    assert.equal(event?.eventId, 'dbfcb40e-5a6b-4305-9fa2-b0fbda6e3ff2:pending');
    assert.equal(event?.kind === 'deposit' && event.confirmed, false);
    assert.equal(event?.kind === 'deposit' && event.asset, 'BTC');
  });

  it('throws on a callback it cannot read', () => {
    assert.throws(() => webhooks.parse(Buffer.from('uuid=1&coin=btc&pending=0')), {
      code: 'bad_webhook',
    });
    assert.throws(() => webhooks.parse(Buffer.from('uuid=1&coin=doge&pending=0')), /unknown coin/);
  });

  it("loads BlockBee's published key by default and refuses our test key's signatures", () => {
    const published = new BlockBeeWebhooks();

    assert.equal(published.verify(confirmed, signed(confirmed)), false);
  });
});
