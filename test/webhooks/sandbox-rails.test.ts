import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { readRawBody } from '../../bot/read-body.ts';
import {
  createSandboxRails,
  isBase58Check,
  isBech32,
  SandboxError,
  type SandboxRails,
  type SandboxWebhookBody,
} from '../../activities/providers/sandbox/index.ts';
import { ProviderError } from '../../activities/providers/types.ts';

const secret = 'sandbox-secret-for-rails-tests';

/** A provider's counterpart: takes every webhook, answers `status`. */
class Receiver {
  readonly received: Array<{
    raw: Buffer;
    headers: IncomingHttpHeaders;
    body: SandboxWebhookBody;
  }> = [];
  status = 200;
  private server: Server = createServer(async (request, response) => {
    const raw = await readRawBody(request);
    this.received.push({ raw, headers: request.headers, body: JSON.parse(raw.toString('utf8')) });
    response.writeHead(this.status).end();
  });
  url = '';

  async start() {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/sandbox`;
  }

  close() {
    this.server.closeAllConnections();
    return new Promise((done) => this.server.close(done));
  }

  /** [event id, what] per delivery, in arrival order. */
  arrivals() {
    return this.received.map(({ body }) => {
      const { event } = body;
      const what = event.type === 'deposit' ? `deposit:${event.confirmations}` : event.type;
      return [body.id, what] as const;
    });
  }
}

describe('the sandbox rails', () => {
  const receiver = new Receiver();
  let rails: SandboxRails;

  before(() => receiver.start());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.status = 200;
    rails = createSandboxRails({ secret, webhookUrl: receiver.url, retryDelaysMs: [] });
  });
  afterEach(() => rails.close());
  after(() => receiver.close());

  const address = (reference: string, asset: 'BTC' | 'ETH' | 'LTC' | 'USDT_TRC20' | 'USDT_ERC20') =>
    rails.crypto.createDepositAddress({ asset, reference, callbackUrl: receiver.url });

  describe('deposit addresses', () => {
    it('issues an address each network would accept, with a minimum and an expiry', async () => {
      const [btc, ltc, eth, erc20, trc20] = await Promise.all([
        address('dep-btc', 'BTC'),
        address('dep-ltc', 'LTC'),
        address('dep-eth', 'ETH'),
        address('dep-erc', 'USDT_ERC20'),
        address('dep-trc', 'USDT_TRC20'),
      ]);

      assert.ok(isBech32(btc.address, 'bc') && btc.address.startsWith('bc1q'), btc.address);
      assert.ok(isBech32(ltc.address, 'ltc'), ltc.address);
      assert.match(eth.address, /^0x[0-9a-f]{40}$/);
      assert.match(erc20.address, /^0x[0-9a-f]{40}$/);
      assert.ok(trc20.address.startsWith('T') && isBase58Check(trc20.address), trc20.address);
      assert.equal(btc.minimum, '0.0001');
      assert.ok(Date.parse(btc.expiresAt) > Date.now());
    });

    it('gives the same address when asked again for the same reference, and refuses another asset', async () => {
      const first = await address('dep-again', 'BTC');
      const again = await address('dep-again', 'BTC');

      assert.deepEqual(again, first);
      await assert.rejects(address('dep-again', 'ETH'), (error: unknown) => {
        assert.ok(error instanceof ProviderError);
        return !error.retryable && error.code === 'reference_in_use';
      });
    });
  });

  describe('deposit webhooks', () => {
    it('posts a seen and a confirmed event, signed so the sandbox source verifies and reads them', async () => {
      const { address: to } = await address('dep-1', 'BTC');
      const { transaction } = await rails.crypto.pay('dep-1', '0.0004');

      assert.deepEqual(
        receiver.arrivals().map(([, what]) => what),
        ['deposit:0', 'deposit:1'],
      );
      const events = receiver.received.map(({ raw, headers }) => {
        assert.ok(rails.webhooks.verify(raw, headers));
        return rails.webhooks.parse(raw)[0];
      });
      assert.deepEqual(
        events.map((event) => event?.kind === 'deposit' && [event.amount, event.confirmed]),
        [
          ['0.0004', false],
          ['0.0004', true],
        ],
      );
      assert.equal(
        receiver.received[0]?.body.event.type === 'deposit' &&
          receiver.received[0].body.event.address,
        to,
      );
      assert.equal(events[0]?.kind === 'deposit' && events[0].txid, transaction.txid);
      assert.match(
        String(receiver.received[0]?.headers['x-sandbox-signature']),
        /^sha256=[0-9a-f]{64}$/,
      );
    });

    it('delivers each event again as many times as scripted, with the same event id', async () => {
      await address('dep-dup', 'ETH');
      await rails.crypto.pay('dep-dup', '0.008', { confirmations: 1, duplicates: 4 });

      const arrivals = receiver.arrivals();
      assert.equal(arrivals.length, 10);
      const ids = new Set(arrivals.map(([id]) => id));
      assert.equal(ids.size, 2);
      for (const id of ids) assert.equal(arrivals.filter(([each]) => each === id).length, 5);
    });

    it('delivers out of order when scripted: confirmed first', async () => {
      await address('dep-rev', 'LTC');
      await rails.crypto.pay('dep-rev', '0.3', { confirmations: 3, order: 'reverse' });

      assert.deepEqual(
        receiver.arrivals().map(([, what]) => what),
        ['deposit:3', 'deposit:2', 'deposit:1', 'deposit:0'],
      );
    });

    it('takes any amount, below the minimum or above, and pays to the address as well as the reference', async () => {
      const { address: to } = await address('dep-any', 'USDT_TRC20');
      await rails.crypto.pay('dep-any', '0.5', { confirmations: 0 });
      await rails.crypto.pay(to, '250', { confirmations: 0 });

      assert.deepEqual(
        receiver.received.map(({ body }) => body.event.type === 'deposit' && body.event.amount),
        ['0.5', '250'],
      );
    });

    it('leaves an unconfirmed payment waiting until it is confirmed', async () => {
      await address('dep-slow', 'BTC');
      const { transaction } = await rails.crypto.pay('dep-slow', '0.001', { confirmations: 0 });
      assert.deepEqual(
        rails.crypto.unconfirmed().map((tx) => tx.txid),
        [transaction.txid],
      );

      await rails.crypto.confirm(transaction.txid, 2);
      assert.deepEqual(
        receiver.arrivals().map(([, what]) => what),
        ['deposit:0', 'deposit:1', 'deposit:2'],
      );
      assert.deepEqual(rails.crypto.unconfirmed(), []);
    });

    it('waits a scripted delay before paying', async () => {
      await address('dep-late', 'BTC');
      const started = Date.now();
      await rails.crypto.pay('dep-late', '0.001', { delayMs: 150, confirmations: 1 });

      assert.ok(Date.now() - started >= 140);
      assert.equal(receiver.received.length, 2);
    });

    it('retries a webhook the endpoint did not acknowledge', async () => {
      await rails.close();
      rails = createSandboxRails({ secret, webhookUrl: receiver.url, retryDelaysMs: [10, 10] });
      await address('dep-retry', 'BTC');
      receiver.status = 503;

      const { deliveries } = await rails.crypto.pay('dep-retry', '0.001', { confirmations: 0 });
      assert.deepEqual(
        deliveries.map((each) => [each.status, each.attempts]),
        [[503, 3]],
      );
      assert.equal(new Set(receiver.arrivals().map(([id]) => id)).size, 1);
    });

    it('refuses to pay an address it never issued, naming the ones it did', async () => {
      await address('dep-known', 'BTC');
      await assert.rejects(rails.crypto.pay('dep-unknown', '1'), (error: unknown) => {
        assert.ok(error instanceof SandboxError);
        return /dep-known/.test(error.message);
      });
    });
  });

  describe('payouts', () => {
    const withdraw = (key: string) =>
      rails.payouts.withdraw({
        asset: 'BTC',
        address: 'bc1qdest',
        amount: '0.01',
        idempotencyKey: key,
      });

    it('stay pending until settled, then report the outcome once and post one webhook', async () => {
      assert.deepEqual(await withdraw('payout-1'), { state: 'pending' });
      assert.deepEqual(await withdraw('payout-1'), { state: 'pending' });
      assert.equal(receiver.received.length, 0);

      await rails.payouts.settle('payout-1', 'succeeded');
      const status = await rails.payouts.status('payout-1');
      assert.equal(status.state, 'succeeded');
      assert.deepEqual(await withdraw('payout-1'), status);
      assert.deepEqual(
        receiver.arrivals().map(([, what]) => what),
        ['payout.succeeded'],
      );
    });

    it('settle exactly once: a second settlement is refused', async () => {
      await withdraw('payout-2');
      await rails.settle('payout-2', 'failed', { reason: 'address blacklisted' });

      await assert.rejects(rails.settle('payout-2', 'succeeded'), /already failed/);
      assert.deepEqual(await rails.payouts.status('payout-2'), {
        state: 'failed',
        reason: 'address blacklisted',
      });
      assert.equal(receiver.received.length, 1);
    });

    it('know nothing of a key never sent', async () => {
      assert.deepEqual(await rails.payouts.status('payout-never'), { state: 'unknown' });
    });

    it('follow a script: settle by themselves, or fail the call after taking the payout', async () => {
      const lost = new ProviderError('sandbox', 'timeout', 'no answer', true);
      rails.payouts.script(
        { outcome: 'failed', reason: 'insufficient funds', duplicates: 1 },
        {
          error: lost,
          accepted: true,
        },
      );

      await withdraw('payout-auto');
      await rails.idle();
      await assert.rejects(withdraw('payout-lost'), lost);

      assert.equal((await rails.payouts.status('payout-auto')).state, 'failed');
      assert.deepEqual(await rails.payouts.status('payout-lost'), { state: 'pending' });
      assert.deepEqual(
        receiver.arrivals().map(([, what]) => what),
        ['payout.failed', 'payout.failed'],
      );
    });

    it('run naira payouts the same way, to accounts the bank knows', async () => {
      const account = await rails.bank.resolveAccount('058', '0123456789');
      assert.ok(account && account.accountName.length > 0);
      assert.equal(await rails.bank.resolveAccount('058', '0000000000'), null);

      const request = {
        bankCode: '058',
        accountNumber: '0123456789',
        accountName: account.accountName,
        amount: '50000',
        idempotencyKey: 'ngn-1',
        narration: 'LockBay cashout',
      };
      assert.deepEqual(await rails.bank.payout(request), { state: 'pending' });
      await rails.settle('ngn-1', 'succeeded');

      assert.equal((await rails.bank.payoutStatus('ngn-1')).state, 'succeeded');
      const [only] = receiver.received;
      assert.equal(only?.body.event.type === 'payout.succeeded' && only.body.event.rail, 'ngn');
    });
  });

  describe('collections and rates', () => {
    it('take a naira transfer of any amount against a collection reference', async () => {
      const instructions = await rails.bank.collect({
        reference: 'col-1',
        amount: '10000',
        payerName: 'Ada Obi',
      });
      assert.match(instructions.accountNumber, /^\d{10}$/);
      assert.equal(instructions.reference, 'col-1');

      await rails.bank.payCollection('col-1', '9000');
      const [event] = rails.webhooks.parse(receiver.received[0]!.raw);
      assert.deepEqual(event && { ...event, eventId: 'x' }, {
        kind: 'collection',
        provider: 'sandbox',
        eventId: 'x',
        reference: 'col-1',
        amount: '9000',
        currency: 'NGN',
      });
    });

    it('quote fixed rates until one is set, and fail when told to', async () => {
      const price = async (base: string) =>
        (await rails.rates.fetchRates()).find((rate) => rate.base === base && rate.quote === 'USD')
          ?.rate;
      assert.equal(await price('BTC'), '65000');

      rails.rates.set('BTC', 'USD', '70000.5');
      assert.equal(await price('BTC'), '70000.5');

      rails.rates.fail();
      await assert.rejects(rails.rates.fetchRates(), (error: unknown) => {
        return error instanceof ProviderError && error.retryable;
      });
      assert.equal(await price('ETH'), '3200');
    });
  });
});
