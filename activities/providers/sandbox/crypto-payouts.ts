import type { Amount } from '../../../machines/money.ts';
import {
  currencyOf,
  ProviderError,
  type CryptoAsset,
  type CryptoPayouts,
  type PayoutStatus,
} from '../types.ts';
import {
  PayoutBook,
  positiveAmount,
  type PayoutOutcome,
  type ScriptedPayout,
  type SettleOptions,
} from './payout-book.ts';
import type { RailsRuntime } from './runtime.ts';
import { SANDBOX_PROVIDER } from './webhook-source.ts';

/** What the sandbox charges to send each asset, whatever the amount. */
export const sandboxNetworkFees: Record<CryptoAsset, Amount> = {
  BTC: '0.00002',
  ETH: '0.0004',
  LTC: '0.0001',
  USDT_TRC20: '1',
  USDT_ERC20: '4',
};

/** Crypto payouts in memory: each stays pending until settled or scripted. */
export class SandboxCryptoPayouts implements CryptoPayouts {
  readonly provider = SANDBOX_PROVIDER;
  readonly book: PayoutBook;

  constructor(runtime: RailsRuntime, webhookUrl: string) {
    this.book = new PayoutBook('crypto', runtime, webhookUrl);
  }

  async quoteNetworkFee(asset: CryptoAsset, amount: Amount): Promise<Amount> {
    this.positive(amount);
    return sandboxNetworkFees[asset];
  }

  async withdraw(request: {
    asset: CryptoAsset;
    address: string;
    amount: Amount;
    idempotencyKey: string;
  }): Promise<PayoutStatus> {
    const amount = this.positive(request.amount);
    if (request.address.trim() === '') {
      throw new ProviderError(this.provider, 'invalid_address', 'no address given', false);
    }
    return this.book.submit(request.idempotencyKey, {
      amount,
      currency: currencyOf(request.asset),
      destination: request.address,
    });
  }

  async status(idempotencyKey: string): Promise<PayoutStatus> {
    return this.book.status(idempotencyKey);
  }

  /** Settles the payout sent with `key` and posts its webhook; throws if already settled. */
  settle(key: string, outcome: PayoutOutcome, options?: SettleOptions) {
    return this.book.settle(key, outcome, options);
  }

  /** Queues what the next `withdraw` calls do. */
  script(...outcomes: ScriptedPayout[]): void {
    this.book.script(...outcomes);
  }

  private positive(amount: Amount): Amount {
    return positiveAmount(this.provider, amount);
  }
}
