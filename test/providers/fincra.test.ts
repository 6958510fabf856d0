import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { FincraBank } from '../../activities/providers/fincra/bank.ts';
import { FincraWebhooks } from '../../activities/providers/fincra/webhooks.ts';
import { serve, type Answer, type Seen } from './fixture-server.ts';

const CONFIG = {
  secretKey: 'sk_test_fincra',
  businessId: '61aa4e72cc67b6f04d97f874',
  webhookSecret: 'whsec_fincra_test',
};

/**
 * Fincra after docs.fincra.com: `api-key` and `x-business-id` on every call, `{ success,
 * message, data }` replies, payouts unique per customerReference.
 */
class FakeFincra {
  readonly payouts = new Map<string, Record<string, unknown>>();
  readonly virtualAccounts: Array<Record<string, unknown>> = [];
  override?: (request: Seen) => Answer | undefined;

  handle = (request: Seen): Answer => {
    if (request.headers['api-key'] !== CONFIG.secretKey) {
      return { status: 401, json: { message: 'Invalid authentication credentials' } };
    }
    if (request.headers['x-business-id'] !== CONFIG.businessId) {
      return {
        status: 403,
        json: { success: false, error: 'Business not found', errorType: 'FORBIDDEN' },
      };
    }
    const overridden = this.override?.(request);
    if (overridden) return overridden;

    const { method, url } = request;
    if (method === 'GET' && url === '/core/banks?currency=NGN&country=NG') return ok(BANKS);
    if (method === 'POST' && url === '/core/accounts/resolve')
      return this.resolve(JSON.parse(request.body));
    if (method === 'POST' && url === '/disbursements/payouts')
      return this.payout(JSON.parse(request.body));
    if (method === 'GET' && url.startsWith('/disbursements/payouts/customer-reference/')) {
      const found = this.payouts.get(decodeURIComponent(url.split('/').pop()!));
      return found ? ok(found) : notFound('Payout not found');
    }
    if (method === 'POST' && url === '/profile/virtual-accounts/transfer') {
      return this.virtualAccount(JSON.parse(request.body));
    }
    return notFound('Route not found');
  };

  private resolve(body: { accountNumber: string; bankCode: string; type: string }): Answer {
    if (body.accountNumber !== '0123456789' || body.type !== 'nuban') {
      return {
        status: 422,
        json: {
          success: false,
          error: 'Unable to resolve account',
          errorType: 'UNPROCESSABLE_ENTITY',
        },
      };
    }
    return ok({ accountNumber: body.accountNumber, accountName: 'ADA OBI LOVELACE' });
  }

  private payout(body: Record<string, unknown>): Answer {
    const reference = String(body.customerReference);
    if (this.payouts.has(reference)) {
      return {
        status: 409,
        json: { success: false, error: 'customerReference already exists', errorType: 'CONFLICT' },
      };
    }
    const payout = {
      id: 14380 + this.payouts.size,
      reference: `fcr-${reference}`,
      customerReference: reference,
      status: 'processing',
      amount: body.amount,
    };
    this.payouts.set(reference, { ...payout, body });
    return ok(payout);
  }

  private virtualAccount(body: Record<string, unknown>): Answer {
    this.virtualAccounts.push(body);
    return ok({
      _id: '6249501511f92862ae12db02',
      status: 'approved',
      isActive: true,
      accountInformation: {
        accountNumber: '4231242764',
        accountName: 'LockBay Collections',
        bankName: 'WEMA BANK',
        reference: '08baefab-4d53-4c81-a002-b81ac5d7488d',
      },
      expiresAt: '2026-03-01T13:00:00.000Z',
    });
  }
}

const BANKS = [
  { id: 1, name: 'Access Bank', code: '044', country: 'NG', currency: 'NGN' },
  { id: 2, name: 'Guaranty Trust Bank', code: '058', country: 'NG', currency: 'NGN' },
];

const ok = (data: unknown): Answer => ({ json: { success: true, message: 'ok', data } });
const notFound = (error: string): Answer => ({
  status: 404,
  json: { success: false, error, errorType: 'RESOURCE_NOT_FOUND' },
});

async function setUp(t: TestContext, config: Partial<typeof CONFIG> = {}) {
  const fincra = new FakeFincra();
  const fixture = await serve(t, fincra.handle);
  const links: Array<{ reference: string; virtualAccountId: string }> = [];
  const bank = new FincraBank(
    { ...CONFIG, ...config, apiRoot: fixture.root },
    { onVirtualAccount: async (link) => void links.push(link) },
  );
  return { fincra, bank, links, seen: fixture.seen };
}

const payout = {
  bankCode: '044',
  accountNumber: '0123456789',
  accountName: 'ADA OBI LOVELACE',
  amount: '150000.5',
  idempotencyKey: 'co_ngn_1',
  narration: 'LockBay cashout co_ngn_1',
};

describe('the Fincra bank', () => {
  it('lists banks and resolves an account, sending its key and business on every call', async (t) => {
    const { bank, seen } = await setUp(t);

    assert.deepEqual(await bank.banks(), [
      { code: '044', name: 'Access Bank' },
      { code: '058', name: 'Guaranty Trust Bank' },
    ]);
    assert.deepEqual(await bank.resolveAccount('044', '0123456789'), {
      accountName: 'ADA OBI LOVELACE',
    });
    assert.equal(await bank.resolveAccount('044', '9999999999'), null);
    assert.ok(seen.every((request) => request.headers['api-key'] === CONFIG.secretKey));
  });

  it('pays out with the idempotency key as customerReference and reads the status back', async (t) => {
    const { fincra, bank, seen } = await setUp(t);

    assert.deepEqual(await bank.payout(payout), { state: 'pending' });
    const body = JSON.parse(seen.at(-1)!.body);
    assert.equal(body.business, CONFIG.businessId);
    assert.equal(body.amount, '150000.5');
    assert.equal(body.customerReference, 'co_ngn_1');
    assert.equal(body.paymentDestination, 'bank_account');
    assert.deepEqual(body.beneficiary, {
      firstName: 'ADA',
      lastName: 'OBI LOVELACE',
      accountHolderName: 'ADA OBI LOVELACE',
      accountNumber: '0123456789',
      bankCode: '044',
      type: 'individual',
      country: 'NG',
    });

    Object.assign(fincra.payouts.get('co_ngn_1')!, { status: 'successful' });
    assert.deepEqual(await bank.payoutStatus('co_ngn_1'), {
      state: 'succeeded',
      transactionRef: 'fcr-co_ngn_1',
    });
    assert.deepEqual(await bank.payoutStatus('co_never'), { state: 'unknown' });
  });

  it('answers a repeated key with the first payout instead of a second one', async (t) => {
    const { fincra, bank } = await setUp(t);
    await bank.payout(payout);
    Object.assign(fincra.payouts.get('co_ngn_1')!, {
      status: 'failed',
      reason: 'Wrong beneficiary bank details',
    });

    assert.deepEqual(await bank.payout(payout), {
      state: 'failed',
      reason: 'Wrong beneficiary bank details',
    });
    assert.equal(fincra.payouts.size, 1);
  });

  it('keeps a refusal of a payout Fincra does not have as a non-retryable error', async (t) => {
    const { fincra, bank } = await setUp(t);
    fincra.override = (request) =>
      request.method === 'POST'
        ? {
            status: 422,
            json: {
              success: false,
              error: 'Insufficient balance',
              errorType: 'INSUFFICIENT_FUNDS',
            },
          }
        : undefined;

    await assert.rejects(bank.payout(payout), {
      name: 'ProviderError',
      code: 'INSUFFICIENT_FUNDS',
      retryable: false,
    });
  });

  for (const [status, retryable] of [
    [500, true],
    [503, true],
    [429, true],
    [400, false],
  ] as const) {
    it(`classifies HTTP ${status} as ${retryable ? '' : 'not '}retryable`, async (t) => {
      const { fincra, bank } = await setUp(t);
      fincra.override = () => ({ status, json: { success: false, message: 'trouble' } });

      await assert.rejects(bank.banks(), { name: 'ProviderError', retryable });
    });
  }

  it('is refused with a wrong secret key, not retried', async (t) => {
    const { bank } = await setUp(t, { secretKey: 'sk_wrong' });

    await assert.rejects(bank.banks(), { code: 'http_401', retryable: false });
  });

  it('opens a temporary account for a collection and reports which account serves it', async (t) => {
    const { fincra, bank, links } = await setUp(t);

    const instructions = await bank.collect({
      reference: 'pay_9',
      amount: '25000',
      payerName: 'Ada Obi',
    });

    assert.deepEqual(instructions, {
      bankName: 'WEMA BANK',
      accountNumber: '4231242764',
      accountName: 'LockBay Collections',
      reference: 'pay_9',
      amount: '25000',
      expiresAt: '2026-03-01T13:00:00.000Z',
    });
    assert.equal(fincra.virtualAccounts[0]?.merchantReference, 'pay_9');
    assert.deepEqual(links, [{ reference: 'pay_9', virtualAccountId: '6249501511f92862ae12db02' }]);
  });
});

describe('Fincra webhooks', () => {
  const webhooks = new FincraWebhooks(CONFIG.webhookSecret);
  const sign = (body: Buffer, secret = CONFIG.webhookSecret) => ({
    signature: createHmac('sha512', secret).update(body).digest('hex'),
  });

  // From "Payout Webhook" and "Collection Webhook", with our customerReference.
  const succeeded = Buffer.from(
    JSON.stringify({
      event: 'payout.successful',
      data: {
        id: 14380,
        amountCharged: 150050.5,
        amountReceived: 150000.5,
        fee: 50,
        paymentDestination: 'bank_account',
        sourceCurrency: 'NGN',
        destinationCurrency: 'NGN',
        status: 'successful',
        reference: 'bf2eb02e-39fe-490a-b933-63f8c4d42125',
        customerReference: 'co_ngn_1',
        reason: 'Payout was successful',
      },
    }),
  );

  it('accepts a body signed with the webhook key', () => {
    assert.equal(webhooks.verify(succeeded, sign(succeeded)), true);
  });

  it('refuses a missing, malformed or wrongly keyed signature', () => {
    assert.equal(webhooks.verify(succeeded, {}), false);
    assert.equal(webhooks.verify(succeeded, { signature: 'abc' }), false);
    assert.equal(webhooks.verify(succeeded, sign(succeeded, 'another key')), false);
  });

  it('refuses a body altered by one byte', () => {
    const headers = sign(succeeded);
    const altered = Buffer.from(succeeded);
    altered[altered.indexOf('150000.5')] = '9'.charCodeAt(0);

    assert.equal(webhooks.verify(altered, headers), false);
  });

  it('reads payout webhooks as payout events under our key', () => {
    const failed = JSON.stringify({
      event: 'payout.failed',
      data: {
        status: 'failed',
        reference: '9fd3f916',
        customerReference: 'co_ngn_2',
        reason: 'Wrong beneficiary bank details',
      },
    });

    assert.deepEqual(webhooks.parse(succeeded), [
      {
        kind: 'payout',
        provider: 'fincra',
        eventId: 'payout.successful:bf2eb02e-39fe-490a-b933-63f8c4d42125',
        reference: 'co_ngn_1',
        status: { state: 'succeeded', transactionRef: 'bf2eb02e-39fe-490a-b933-63f8c4d42125' },
      },
    ]);
    assert.deepEqual(webhooks.parse(Buffer.from(failed))[0], {
      kind: 'payout',
      provider: 'fincra',
      eventId: 'payout.failed:9fd3f916',
      reference: 'co_ngn_2',
      status: { state: 'failed', reason: 'Wrong beneficiary bank details' },
    });
  });

  it('reads a collection as naira received on a virtual account', () => {
    const collection = JSON.stringify({
      event: 'collection.successful',
      data: {
        business: '63f1197a67id20401d95c8d56e',
        virtualAccount: '6249501511f92862ae12db02',
        sourceCurrency: 'NGN',
        destinationCurrency: 'NGN',
        sourceAmount: 25000,
        destinationAmount: 25000,
        amountReceived: 24950,
        fee: 50,
        status: 'successful',
        reference: '7126huha-01ef-4ua58-a97c-a2182784a2c6',
      },
    });

    assert.deepEqual(webhooks.parse(Buffer.from(collection)), [
      {
        kind: 'collection',
        provider: 'fincra',
        eventId: 'collection.successful:7126huha-01ef-4ua58-a97c-a2182784a2c6',
        reference: 'fincra-va:6249501511f92862ae12db02',
        amount: '25000',
        currency: 'NGN',
      },
    ]);
  });

  it('ignores events it does not handle and throws on a body it cannot read', () => {
    const conversion = JSON.stringify({
      event: 'conversion.successful',
      data: { reference: 'c1' },
    });

    assert.deepEqual(webhooks.parse(Buffer.from(conversion)), []);
    assert.throws(() => webhooks.parse(Buffer.from('not json')), { code: 'bad_webhook' });
  });
});
