import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProviderConfig } from '../../activities/config.ts';
import { MemoryWithdrawalLog } from '../../activities/providers/kraken/withdrawal-log.ts';
import { createRealProviders } from '../../activities/providers/real.ts';

const base: ProviderConfig = {
  publicUrl: 'https://lockbay.example',
  cryptoProcessor: { kind: 'sandbox' },
  cryptoPayouts: { kind: 'sandbox' },
  ngnBank: { kind: 'sandbox' },
  rateSource: { kind: 'sandbox' },
  sandboxWebhookSecret: 'sandbox-secret',
  rateRefreshSeconds: 60,
  rateMaxAgeSeconds: 300,
};

const allReal: ProviderConfig = {
  ...base,
  cryptoProcessor: { kind: 'blockbee', apiKey: 'bb', apiRoot: 'https://api.blockbee.io' },
  cryptoPayouts: {
    kind: 'kraken',
    apiKey: 'kr',
    apiSecret: Buffer.from('secret').toString('base64'),
    apiRoot: 'https://api.kraken.com',
  },
  ngnBank: {
    kind: 'fincra',
    secretKey: 'sk',
    businessId: 'biz',
    webhookSecret: 'wh',
    apiRoot: 'https://api.fincra.com',
  },
  rateSource: { kind: 'coingecko', apiKey: undefined, apiRoot: 'https://api.coingecko.com/api/v3' },
};

describe('createRealProviders', () => {
  it('builds a real client for each rail configured as real, with its webhook reader', () => {
    const providers = createRealProviders(allReal, {
      krakenWithdrawals: new MemoryWithdrawalLog(),
    });

    assert.equal(providers.cryptoProcessor?.provider, 'blockbee');
    assert.equal(providers.cryptoPayouts?.provider, 'kraken');
    assert.equal(providers.ngnBank?.provider, 'fincra');
    assert.equal(providers.rateSource?.provider, 'coingecko');
    assert.deepEqual(
      providers.webhooks.map((source) => source.provider),
      ['blockbee', 'fincra'],
    );
  });

  it('leaves sandbox rails to the sandbox factory', () => {
    assert.deepEqual(createRealProviders(base), { webhooks: [] });
  });

  it('refuses Kraken without a withdrawal log, since it could pay twice', () => {
    assert.throws(() => createRealProviders(allReal), /durable withdrawal log/);
  });
});
