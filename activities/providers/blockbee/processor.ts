/**
 * BlockBee, the crypto processor: one forwarding address per deposit. Documented endpoints used
 * (https://docs.blockbee.io, "Create New Payment Address" and "Ticker Information"; the official
 * Node library blockbee-io/nodejs-blockbee calls the same paths):
 *
 *   GET {root}/{ticker}/create/?apikey&callback&pending=1&post=1&json=0
 *       → { status: 'success', address_in, address_out, callback_url, … }
 *   GET {root}/{ticker}/info/?apikey → { minimum_transaction_coin: '0.00008000', … }
 *   errors → { status: 'error', error: '…' }
 *
 * BlockBee keys addresses by callback URL ("the same callback URL will return the same
 * address_in"), so putting our reference in the callback makes the call idempotent: a retried
 * activity gets the address it got the first time. Query parameters of the callback come back in
 * every webhook, which is how `BlockBeeWebhooks` finds the reference.
 */
import type { Amount } from '../../../machines/money.ts';
import { amountFrom } from '../decimal.ts';
import {
  exchange,
  httpError,
  isRecord,
  joinUrl,
  unreadable,
  type Fetch,
  type Reply,
} from '../http.ts';
import {
  ProviderError,
  type CryptoProcessor,
  type DepositAddress,
  type DepositAddressRequest,
} from '../types.ts';
import { blockbeeTickers } from './coins.ts';

const PROVIDER = 'blockbee';

/** The query parameter of our callback URL that carries the deposit reference. */
export const REFERENCE_PARAM = 'reference';

export interface BlockBeeOptions {
  fetch?: Fetch;
  now?: () => Date;
  /**
   * How long we offer an address. BlockBee addresses do not expire (they forward whatever
   * arrives, for as long as the callback URL exists); the expiry is our rule, shown to users.
   */
  addressLifetimeMs?: number;
  timeoutMs?: number;
}

export class BlockBeeProcessor implements CryptoProcessor {
  readonly provider = PROVIDER;
  private readonly fetch: Fetch;
  private readonly now: () => Date;
  private readonly lifetimeMs: number;

  constructor(
    private readonly config: { apiKey: string; apiRoot: string },
    private readonly options: BlockBeeOptions = {},
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? (() => new Date());
    // TODO(payments): 24 h is our guess at a sensible offer; align with the deposit flow's rule.
    this.lifetimeMs = options.addressLifetimeMs ?? 24 * 60 * 60 * 1000;
  }

  async createDepositAddress(request: DepositAddressRequest): Promise<DepositAddress> {
    const ticker = blockbeeTickers[request.asset];
    const callback = new URL(request.callbackUrl);
    callback.searchParams.set(REFERENCE_PARAM, request.reference);

    const [created, minimum] = await Promise.all([
      this.get(ticker, 'create', {
        callback: callback.toString(),
        pending: '1',
        post: '1',
        json: '0',
      }),
      this.minimum(ticker),
    ]);
    const address = isRecord(created.body) ? created.body.address_in : undefined;
    if (typeof address !== 'string' || address === '') {
      throw unreadable(PROVIDER, created, 'create reply');
    }

    return {
      asset: request.asset,
      address,
      reference: request.reference,
      minimum,
      expiresAt: new Date(this.now().getTime() + this.lifetimeMs).toISOString(),
    };
  }

  /** The smallest payment BlockBee forwards for `ticker`; it rejects smaller ones (docs). */
  private async minimum(ticker: string): Promise<Amount> {
    const info = await this.get(ticker, 'info', {});
    const value = isRecord(info.body) ? info.body.minimum_transaction_coin : undefined;
    return amountFrom(PROVIDER, 'minimum_transaction_coin', value);
  }

  private async get(ticker: string, endpoint: string, params: Record<string, string>) {
    const query = new URLSearchParams({ ...params, apikey: this.config.apiKey });
    const url = joinUrl(this.config.apiRoot, `/${ticker}/${endpoint}/?${query}`);
    const reply = await exchange(
      PROVIDER,
      this.fetch,
      url,
      { method: 'GET' },
      this.options.timeoutMs,
    );

    const refusal = isRecord(reply.body) && reply.body.status === 'error';
    if (reply.status >= 400 || refusal) throw refused(reply);
    if (!isRecord(reply.body)) throw unreadable(PROVIDER, reply, `${endpoint} reply`);
    return reply;
  }
}

function refused(reply: Reply): ProviderError {
  const detail =
    isRecord(reply.body) && typeof reply.body.error === 'string' ? reply.body.error : '';
  if (reply.status >= 400) return httpError(PROVIDER, reply, detail);
  // A 200 with status=error is BlockBee's verdict on the request (bad ticker, key, callback).
  return new ProviderError(PROVIDER, 'refused', detail || 'status=error', false);
}
