import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoinGeckoRates } from '../../activities/providers/coingecko/rates.ts';
import { queryOf, serve, type Answer } from './fixture-server.ts';

// GET /simple/price?ids=…&vs_currencies=usd,ngn&include_last_updated_at=true, as documented.
const PRICES = {
  bitcoin: { usd: 67187.33, ngn: 102803526113, last_updated_at: 1772366400 },
  ethereum: { usd: 3459.39, ngn: 5293256.7, last_updated_at: 1772366400 },
  litecoin: { usd: 84.12, ngn: 128713.9, last_updated_at: 1772366400 },
  tether: { usd: 0.999836, ngn: 1530.12, last_updated_at: 1772366401 },
};

const price = (): Answer => ({ json: PRICES });

describe('CoinGecko rates', () => {
  it('turns simple/price into crypto in USD and USD in NGN, as decimal strings', async (t) => {
    const fixture = await serve(t, price);
    const rates = new CoinGeckoRates({ apiKey: 'CG-demo', apiRoot: `${fixture.root}/api/v3` });

    const fetched = await rates.fetchRates();

    assert.deepEqual(
      fetched.map((rate) => [rate.base, rate.quote, rate.rate]),
      [
        ['BTC', 'USD', '67187.33'],
        ['ETH', 'USD', '3459.39'],
        ['LTC', 'USD', '84.12'],
        ['USDT', 'USD', '0.999836'],
        ['USD', 'NGN', '1530.37098084'],
      ],
    );
    assert.equal(fetched[0]?.observedAt, '2026-03-01T12:00:00.000Z');
    assert.ok(fetched.every((rate) => rate.source === 'coingecko'));

    const [request] = fixture.seen;
    assert.equal(request?.headers['x-cg-demo-api-key'], 'CG-demo');
    assert.equal(new URL(request!.url, 'http://x').pathname, '/api/v3/simple/price');
    assert.equal(queryOf(request!).get('ids'), 'bitcoin,ethereum,litecoin,tether');
    assert.equal(queryOf(request!).get('vs_currencies'), 'usd,ngn');
  });

  it('sends a paid key as x-cg-pro-api-key to the pro root, and no key when none is set', async (t) => {
    const fixture = await serve(t, price);
    const toFixture: typeof fetch = (url, init) =>
      fetch(String(url).replace('https://pro-api.coingecko.com', fixture.root), init);

    await new CoinGeckoRates(
      { apiKey: 'CG-pro', apiRoot: 'https://pro-api.coingecko.com/api/v3' },
      { fetch: toFixture },
    ).fetchRates();
    await new CoinGeckoRates({ apiKey: undefined, apiRoot: fixture.root }).fetchRates();

    assert.equal(fixture.seen[0]?.headers['x-cg-pro-api-key'], 'CG-pro');
    assert.equal(fixture.seen[0]?.headers['x-cg-demo-api-key'], undefined);
    assert.equal(fixture.seen[1]?.headers['x-cg-demo-api-key'], undefined);
  });

  it('expands prices JSON writes with an exponent, without float arithmetic', async (t) => {
    const tiny = { ...PRICES, litecoin: { usd: 1e-7, ngn: 0.000153 } };
    const fixture = await serve(t, () => ({ text: JSON.stringify(tiny) }));

    const rates = await new CoinGeckoRates({
      apiKey: undefined,
      apiRoot: fixture.root,
    }).fetchRates();

    assert.equal(rates.find((rate) => rate.base === 'LTC')?.rate, '0.0000001');
  });

  it('retries a rate limit and a server error', async (t) => {
    const limited = {
      status: { error_code: 429, error_message: "You've exceeded the Rate Limit" },
    };
    const fixture = await serve(t, (request) =>
      request.url.includes('first') ? { status: 429, json: limited } : { status: 503, text: '' },
    );

    await assert.rejects(
      new CoinGeckoRates({ apiKey: undefined, apiRoot: `${fixture.root}/first` }).fetchRates(),
      {
        code: 'http_429',
        retryable: true,
        message: /exceeded the Rate Limit/,
      },
    );
    await assert.rejects(
      new CoinGeckoRates({ apiKey: undefined, apiRoot: fixture.root }).fetchRates(),
      {
        code: 'http_503',
        retryable: true,
      },
    );
  });

  it('does not retry a refused key or a reply missing a price', async (t) => {
    const fixture = await serve(t, (request) =>
      request.url.includes('bad-key')
        ? { status: 401, json: { error: 'Invalid API Key' } }
        : { json: { ...PRICES, tether: { usd: 1 } } },
    );

    await assert.rejects(
      new CoinGeckoRates({ apiKey: 'x', apiRoot: `${fixture.root}/bad-key` }).fetchRates(),
      {
        code: 'http_401',
        retryable: false,
      },
    );
    await assert.rejects(new CoinGeckoRates({ apiKey: 'x', apiRoot: fixture.root }).fetchRates(), {
      code: 'bad_response',
      retryable: false,
      message: /tether\.ngn/,
    });
  });

  it('retries an HTML page answered with 200, as from a proxy', async (t) => {
    const fixture = await serve(t, () => ({ text: '<html>maintenance</html>' }));

    await assert.rejects(
      new CoinGeckoRates({ apiKey: undefined, apiRoot: fixture.root }).fetchRates(),
      {
        code: 'bad_response',
        retryable: true,
      },
    );
  });
});
