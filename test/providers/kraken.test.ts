import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { sub } from '../../machines/money.ts';
import { KrakenPayouts } from '../../activities/providers/kraken/payouts.ts';
import { MemoryWithdrawalLog } from '../../activities/providers/kraken/withdrawal-log.ts';
import { serve, type Answer, type Seen } from './fixture-server.ts';

const API_KEY = 'kraken-test-key';
const SECRET = Buffer.from(
  'a private key of sixty-four bytes, as Kraken issues them.........',
).toString('base64');
const ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const FEE = '0.00015';

type Withdrawal = Record<string, string | number>;

/**
 * Kraken's private Funding endpoints after docs.kraken.com: form-encoded POSTs checked for
 * API-Key, a recomputed API-Sign and a growing nonce, answering `{ error, result }`.
 */
class FakeKraken {
  readonly withdrawals: Withdrawal[] = [];
  readonly addresses = [
    { address: ADDRESS, asset: 'XBT', method: 'Bitcoin', key: 'btc-cold', verified: true },
    { address: 'bc1qother', asset: 'XBT', method: 'Bitcoin', key: 'btc-other', verified: true },
  ];
  /** Replaces the next answers to Withdraw, in order, before the default one. */
  readonly withdrawAnswers: Array<(params: URLSearchParams) => Answer> = [];
  errorFor: Record<string, string> = {};
  private lastNonce = 0;

  handle = (request: Seen): Answer => {
    const params = new URLSearchParams(request.body);
    const refusal = this.authenticate(request, params);
    if (refusal) return { json: { error: [refusal] } };

    const method = request.url.replace('/0/private/', '');
    const error = this.errorFor[method];
    if (error) return { json: { error: [error] } };
    if (method === 'WithdrawAddresses') return this.ok(this.addressesOf(params));
    if (method === 'WithdrawInfo') {
      return this.ok({
        method: 'Bitcoin',
        limit: '332.00956139',
        amount: sub(params.get('amount')!, FEE),
        fee: FEE,
      });
    }
    if (method === 'Withdraw')
      return (this.withdrawAnswers.shift() ?? ((p) => this.withdraw(p)))(params);
    if (method === 'WithdrawStatus') return this.ok(this.statusOf(params));
    return { json: { error: ['EGeneral:Unknown method'] } };
  };

  /** Takes the withdrawal as Kraken would: fee out of the amount, status Initial. */
  withdraw(params: URLSearchParams): Answer {
    const key = this.addresses.find((entry) => entry.key === params.get('key'));
    if (!key) return { json: { error: ['EFunding:Unknown withdraw key'] } };
    const refid = `FTQcuak-V6Za8qrW${this.withdrawals.length}`;
    this.withdrawals.push({
      method: 'Bitcoin',
      aclass: 'currency',
      asset: 'XXBT',
      refid,
      txid: '',
      info: key.address,
      amount: sub(params.get('amount')!, FEE),
      fee: FEE,
      time: Math.floor(Date.now() / 1000),
      status: 'Initial',
    });
    return this.ok({ refid });
  }

  settle(refid: string, status: string, extra: Withdrawal = {}) {
    Object.assign(
      this.withdrawals.find((entry) => entry.refid === refid)!,
      { status, ...extra },
    );
  }

  private authenticate(request: Seen, params: URLSearchParams): string | null {
    if (request.headers['api-key'] !== API_KEY) return 'EAPI:Invalid key';
    const nonce = params.get('nonce') ?? '';
    const hash = createHash('sha256')
      .update(nonce + request.body)
      .digest();
    const expected = createHmac('sha512', Buffer.from(SECRET, 'base64'))
      .update(Buffer.concat([Buffer.from(request.url), hash]))
      .digest('base64');
    if (request.headers['api-sign'] !== expected) return 'EAPI:Invalid signature';
    if (!(Number(nonce) > this.lastNonce)) return 'EAPI:Invalid nonce';
    this.lastNonce = Number(nonce);
    return null;
  }

  private addressesOf(params: URLSearchParams) {
    return this.addresses.filter(
      (entry) => entry.asset === params.get('asset') && entry.method === params.get('method'),
    );
  }

  private statusOf(params: URLSearchParams) {
    const start = Number(params.get('start') ?? 0);
    return this.withdrawals.filter(
      (entry) => entry.method === params.get('method') && Number(entry.time) > start,
    );
  }

  private ok(result: unknown): Answer {
    return { json: { error: [], result } };
  }
}

async function setUp(t: TestContext, options: { secret?: string; timeoutMs?: number } = {}) {
  const kraken = new FakeKraken();
  const fixture = await serve(t, kraken.handle);
  const clock = { offsetMs: 0 };
  const log = new MemoryWithdrawalLog();
  const payouts = new KrakenPayouts(
    { apiKey: API_KEY, apiSecret: options.secret ?? SECRET, apiRoot: fixture.root },
    {
      log,
      now: () => new Date(Date.now() + clock.offsetMs),
      settleMs: 60_000,
      timeoutMs: options.timeoutMs,
    },
  );
  const sent = () => fixture.seen.filter((seen) => seen.url === '/0/private/Withdraw');
  return { kraken, payouts, clock, sent };
}

const payout = (idempotencyKey: string) => ({
  asset: 'BTC' as const,
  address: ADDRESS,
  amount: '0.725',
  idempotencyKey,
});

describe('Kraken payouts', () => {
  it('quotes the fee WithdrawInfo gives for a registered key', async (t) => {
    const { payouts } = await setUp(t);

    assert.equal(await payouts.quoteNetworkFee('BTC', '0.725'), '0.00015');
  });

  it('withdraws to the key registered for the address, then follows it to success', async (t) => {
    const { kraken, payouts, sent } = await setUp(t);

    assert.deepEqual(await payouts.withdraw(payout('co_1')), { state: 'pending' });
    const params = new URLSearchParams(sent()[0]?.body);
    assert.equal(params.get('asset'), 'XBT');
    assert.equal(params.get('key'), 'btc-cold');
    assert.equal(params.get('amount'), '0.725');
    assert.equal(params.get('address'), ADDRESS);

    kraken.settle('FTQcuak-V6Za8qrW0', 'Success', { txid: 'e5ba3d1f0c' });
    assert.deepEqual(await payouts.status('co_1'), {
      state: 'succeeded',
      transactionRef: 'e5ba3d1f0c',
    });
  });

  it('sends once per idempotency key', async (t) => {
    const { payouts, sent } = await setUp(t);

    await payouts.withdraw(payout('co_1'));
    const again = await payouts.withdraw(payout('co_1'));

    assert.deepEqual(again, { state: 'pending' });
    assert.equal(sent().length, 1);
  });

  it('finds a withdrawal whose reply was lost instead of sending it twice', async (t) => {
    const { kraken, payouts, sent } = await setUp(t, { timeoutMs: 100 });
    kraken.withdrawAnswers.push((params) => ({ ...kraken.withdraw(params), delayMs: 400 }));

    await assert.rejects(payouts.withdraw(payout('co_1')), { code: 'timeout', retryable: true });
    assert.deepEqual(await payouts.status('co_1'), { state: 'pending' });
    kraken.settle('FTQcuak-V6Za8qrW0', 'Failure');

    assert.deepEqual(await payouts.withdraw(payout('co_1')), {
      state: 'failed',
      reason: 'Kraken withdrawal FTQcuak-V6Za8qrW0 failed',
    });
    assert.equal(sent().length, 1);
  });

  it("waits out a lost call, then sends again without adopting another payout's withdrawal", async (t) => {
    const { kraken, payouts, clock, sent } = await setUp(t);
    await payouts.withdraw(payout('co_twin'));
    kraken.withdrawAnswers.push(() => ({ hangUp: true }));

    await assert.rejects(payouts.withdraw(payout('co_1')), { code: 'network', retryable: true });
    await assert.rejects(payouts.withdraw(payout('co_1')), {
      code: 'withdrawal_in_flight',
      retryable: true,
    });
    assert.deepEqual(await payouts.status('co_1'), { state: 'pending' });

    clock.offsetMs = 61_000;
    assert.deepEqual(await payouts.status('co_1'), { state: 'unknown' });
    assert.deepEqual(await payouts.withdraw(payout('co_1')), { state: 'pending' });
    assert.equal(sent().length, 3);
    assert.equal(kraken.withdrawals.length, 2);
  });

  it('sends again straight away after Kraken refused the last call', async (t) => {
    const { kraken, payouts, sent } = await setUp(t);
    kraken.withdrawAnswers.push(() => ({ json: { error: ['EService:Unavailable'] } }));

    await assert.rejects(payouts.withdraw(payout('co_1')), {
      code: 'EService:Unavailable',
      retryable: true,
    });
    assert.deepEqual(await payouts.withdraw(payout('co_1')), { state: 'pending' });
    assert.equal(sent().length, 2);
  });

  for (const [error, retryable] of [
    ['EAPI:Rate limit exceeded', true],
    ['EService:Unavailable', true],
    ['EFunding:Insufficient funds', false],
    ['EFunding:Unknown withdraw key', false],
  ] as const) {
    it(`maps ${error} to a ProviderError that is ${retryable ? '' : 'not '}retryable`, async (t) => {
      const { kraken, payouts } = await setUp(t);
      kraken.errorFor.WithdrawInfo = error;

      await assert.rejects(payouts.quoteNetworkFee('BTC', '0.725'), {
        name: 'ProviderError',
        code: error,
        retryable,
      });
    });
  }

  it('retries an HTTP 502 from in front of Kraken', async (t) => {
    const fixture = await serve(t, () => ({ status: 502, text: '<html>Bad gateway</html>' }));
    const payouts = new KrakenPayouts(
      { apiKey: API_KEY, apiSecret: SECRET, apiRoot: fixture.root },
      { log: new MemoryWithdrawalLog() },
    );

    await assert.rejects(payouts.quoteNetworkFee('BTC', '1'), {
      code: 'http_502',
      retryable: true,
    });
  });

  it('refuses an address with no registered key, without calling Withdraw', async (t) => {
    const { payouts, sent } = await setUp(t);

    await assert.rejects(payouts.withdraw({ ...payout('co_1'), address: 'bc1qstranger' }), {
      code: 'address_not_registered',
      retryable: false,
    });
    assert.equal(sent().length, 0);
  });

  it('is refused by Kraken when signed with the wrong secret', async (t) => {
    const { payouts } = await setUp(t, {
      secret: Buffer.from('not the secret').toString('base64'),
    });

    await assert.rejects(payouts.quoteNetworkFee('BTC', '1'), {
      code: 'EAPI:Invalid signature',
      retryable: false,
    });
  });

  it('knows nothing of a key it never sent, and refuses a key reused for another payout', async (t) => {
    const { payouts } = await setUp(t);
    await payouts.withdraw(payout('co_1'));

    assert.deepEqual(await payouts.status('co_unseen'), { state: 'unknown' });
    await assert.rejects(payouts.withdraw({ ...payout('co_1'), amount: '1' }), {
      code: 'idempotency_conflict',
    });
  });
});
