/**
 * CoinGecko, the rate source. Documented endpoint used (docs.coingecko.com, "Coin Price by
 * IDs"):
 *
 *   GET {root}/simple/price?ids=bitcoin,ethereum,litecoin,tether&vs_currencies=usd,ngn
 *       &include_last_updated_at=true
 *   → { bitcoin: { usd: 67187.33, ngn: 1.0e8, last_updated_at: 1711356300 }, … }
 *
 * With a key, the Demo plan sends it as `x-cg-demo-api-key` (root api.coingecko.com/api/v3) and
 * the paid plans as `x-cg-pro-api-key` (root pro-api.coingecko.com/api/v3); the root tells which.
 *
 * USD in NGN is not quoted by CoinGecko directly: we derive it as tether's NGN price divided by
 * its USD price (1 USDT ≈ 1 USD; the division removes the small depeg), rounded to 8 places.
 * Prices arrive as JSON numbers; see `amountFrom` for how they become decimal strings.
 */
import { isZero, type Amount } from '../../../machines/money.ts';
import { amountFrom, quotient } from '../decimal.ts';
import { exchange, httpError, isRecord, joinUrl, unreadable, type Fetch } from '../http.ts';
import { ProviderError, type Rate, type RateSource } from '../types.ts';

const PROVIDER = 'coingecko';

const COINS = { BTC: 'bitcoin', ETH: 'ethereum', LTC: 'litecoin', USDT: 'tether' } as const;

export interface CoinGeckoOptions {
  fetch?: Fetch;
  now?: () => Date;
  timeoutMs?: number;
}

export class CoinGeckoRates implements RateSource {
  readonly provider = PROVIDER;
  private readonly fetch: Fetch;
  private readonly now: () => Date;

  constructor(
    private readonly config: { apiKey: string | undefined; apiRoot: string },
    private readonly options: CoinGeckoOptions = {},
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? (() => new Date());
  }

  async fetchRates(): Promise<Rate[]> {
    const prices = await this.prices();
    const rate = (base: Rate['base'], quote: Rate['quote'], coin: string): Rate => ({
      base,
      quote,
      rate: this.price(prices, coin, quote.toLowerCase()),
      source: PROVIDER,
      observedAt: this.observedAt(prices, coin),
    });

    const usdtInUsd = this.price(prices, COINS.USDT, 'usd');
    const usdtInNgn = this.price(prices, COINS.USDT, 'ngn');
    return [
      rate('BTC', 'USD', COINS.BTC),
      rate('ETH', 'USD', COINS.ETH),
      rate('LTC', 'USD', COINS.LTC),
      rate('USDT', 'USD', COINS.USDT),
      { ...rate('USD', 'NGN', COINS.USDT), rate: quotient(usdtInNgn, usdtInUsd, 8) },
    ];
  }

  private async prices(): Promise<Record<string, unknown>> {
    const query = new URLSearchParams({
      ids: Object.values(COINS).join(','),
      vs_currencies: 'usd,ngn',
      include_last_updated_at: 'true',
    });
    const url = joinUrl(this.config.apiRoot, `/simple/price?${query}`);
    const reply = await exchange(
      PROVIDER,
      this.fetch,
      url,
      { headers: this.headers() },
      this.options.timeoutMs,
    );

    if (reply.status >= 400) throw httpError(PROVIDER, reply, errorText(reply.body));
    if (!isRecord(reply.body)) throw unreadable(PROVIDER, reply, 'price reply');
    return reply.body;
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (!this.config.apiKey) return headers;
    const pro = new URL(this.config.apiRoot).hostname.startsWith('pro-api.');
    headers[pro ? 'x-cg-pro-api-key' : 'x-cg-demo-api-key'] = this.config.apiKey;
    return headers;
  }

  private price(prices: Record<string, unknown>, coin: string, currency: string): Amount {
    const quoted = isRecord(prices[coin]) ? prices[coin][currency] : undefined;
    const value = amountFrom(PROVIDER, `${coin}.${currency}`, quoted);
    if (isZero(value) || value.startsWith('-')) {
      throw new ProviderError(PROVIDER, 'bad_response', `${coin}.${currency} is ${value}`, false);
    }
    return value;
  }

  /** CoinGecko's own update time for the coin, else the time we asked. */
  private observedAt(prices: Record<string, unknown>, coin: string): string {
    const entry = prices[coin];
    const seconds = isRecord(entry) ? entry.last_updated_at : undefined;
    const valid = typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0;
    return valid ? new Date(seconds * 1000).toISOString() : this.now().toISOString();
  }
}

/** CoinGecko's error bodies: `{ status: { error_message } }` or `{ error }`. */
function errorText(body: unknown): string {
  if (!isRecord(body)) return '';
  if (isRecord(body.status) && typeof body.status.error_message === 'string') {
    return body.status.error_message;
  }
  return typeof body.error === 'string' ? body.error : '';
}
