import type { IncomingHttpHeaders } from 'node:http';
import type { Amount, CryptoAsset } from '../../machines/money.ts';

/**
 * The payment rails LockBay talks to, each behind an interface with a sandbox (the default in
 * development and tests) and a real client selected by configuration. Amounts are decimal
 * strings in the asset's own unit (BTC for BTC, naira for NGN).
 */

export { cryptoAssets, currencyOf, type CryptoAsset } from '../../machines/money.ts';

/**
 * A provider refused or failed a call. `retryable` separates a blip (timeout, 5xx, rate limit)
 * from a verdict (bad address, insufficient provider balance); activities turn the latter into
 * non-retryable failures.
 */
export class ProviderError extends Error {
  override name = 'ProviderError';

  constructor(
    readonly provider: string,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(`${provider}: ${message} (${code})`);
  }
}

// --- Crypto processor: deposit addresses and deposit confirmations -------------------------

export interface DepositAddressRequest {
  asset: CryptoAsset;
  /** Our deposit id; webhooks about this address carry it back. */
  reference: string;
  /** Where the provider posts its webhooks, e.g. https://host/webhooks/blockbee. */
  callbackUrl: string;
}

export interface DepositAddress {
  asset: CryptoAsset;
  address: string;
  reference: string;
  /** Smallest amount the provider forwards, in the asset. */
  minimum: Amount;
  /** ISO time after which the address should not be used. */
  expiresAt: string;
}

export interface CryptoProcessor {
  readonly provider: string;
  createDepositAddress(request: DepositAddressRequest): Promise<DepositAddress>;
}

// --- Crypto payouts -------------------------------------------------------------------------

export type PayoutStatus =
  | { state: 'pending' }
  | { state: 'succeeded'; transactionRef: string }
  | { state: 'failed'; reason: string }
  /** The provider has no payout under this key: it never arrived, safe to send again. */
  | { state: 'unknown' };

export interface CryptoPayouts {
  readonly provider: string;
  /** The network fee the provider charges to send `amount` of `asset`, in the asset. */
  quoteNetworkFee(asset: CryptoAsset, amount: Amount): Promise<Amount>;
  /** Sends once per idempotency key; a repeated key returns the first payout's status. */
  withdraw(request: {
    asset: CryptoAsset;
    address: string;
    amount: Amount;
    idempotencyKey: string;
  }): Promise<PayoutStatus>;
  /** Asks the provider what became of the payout with this key. */
  status(idempotencyKey: string): Promise<PayoutStatus>;
}

// --- Nigerian bank rail ---------------------------------------------------------------------

export interface Bank {
  code: string;
  name: string;
}

export interface CollectionInstructions {
  bankName: string;
  accountNumber: string;
  accountName: string;
  /** What the payer must write as the transfer's narration or reference. */
  reference: string;
  amount: Amount;
  expiresAt: string;
}

export interface NgnBank {
  readonly provider: string;
  banks(): Promise<Bank[]>;
  /** The holder's name of a 10-digit account, or null when the bank knows no such account. */
  resolveAccount(bankCode: string, accountNumber: string): Promise<{ accountName: string } | null>;
  payout(request: {
    bankCode: string;
    accountNumber: string;
    accountName: string;
    amount: Amount;
    idempotencyKey: string;
    narration: string;
  }): Promise<PayoutStatus>;
  payoutStatus(idempotencyKey: string): Promise<PayoutStatus>;
  /** Bank transfer details for a naira payment we expect, tied to `reference`. */
  collect(request: {
    reference: string;
    amount: Amount;
    payerName: string;
  }): Promise<CollectionInstructions>;
}

// --- Rates ----------------------------------------------------------------------------------

/** One price: 1 `base` costs `rate` `quote`. */
export interface Rate {
  base: 'BTC' | 'ETH' | 'LTC' | 'USDT' | 'USD';
  quote: 'USD' | 'NGN';
  rate: Amount;
  source: string;
  observedAt: string;
}

export interface RateSource {
  readonly provider: string;
  /** BTC, ETH, LTC and USDT in USD, and USD in NGN. */
  fetchRates(): Promise<Rate[]>;
}

// --- Webhooks -------------------------------------------------------------------------------

/** What a verified webhook tells us, normalised across providers. */
export type ProviderEvent =
  | {
      kind: 'deposit';
      provider: string;
      eventId: string;
      reference: string;
      asset: CryptoAsset;
      amount: Amount;
      txid: string;
      confirmed: boolean;
    }
  | {
      kind: 'payout';
      provider: string;
      eventId: string;
      /** The idempotency key the payout was sent with. */
      reference: string;
      status: PayoutStatus;
    }
  | {
      kind: 'collection';
      provider: string;
      eventId: string;
      reference: string;
      amount: Amount;
      currency: 'NGN';
    };

/**
 * How one provider's webhooks are read at `POST /webhooks/<provider>`. `verify` checks the
 * provider's signature over the raw body, in constant time; only a verified body is parsed.
 */
export interface WebhookSource {
  readonly provider: string;
  verify(rawBody: Buffer, headers: IncomingHttpHeaders): boolean;
  /** The events in a verified body; throws on a body it cannot read. */
  parse(rawBody: Buffer): ProviderEvent[];
}
