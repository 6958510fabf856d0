import { randomBytes } from 'node:crypto';

import { cmp, parseAmount, type Amount } from '../../../machines/money.ts';
import {
  ProviderError,
  type CryptoAsset,
  type CryptoProcessor,
  type DepositAddress,
  type DepositAddressRequest,
} from '../types.ts';
import { sandboxAddress } from './addresses.ts';
import { SandboxError, type RailsRuntime } from './runtime.ts';
import type { Delivery, DeliveryOptions } from './webhook-sender.ts';
import { SANDBOX_PROVIDER } from './webhook-source.ts';

/** Smallest deposit the sandbox forwards, and what the page's *Pay* button sends (about $25). */
export const depositLimits: Record<CryptoAsset, { minimum: Amount; typical: Amount }> = {
  BTC: { minimum: '0.0001', typical: '0.0004' },
  ETH: { minimum: '0.001', typical: '0.008' },
  LTC: { minimum: '0.01', typical: '0.3' },
  USDT_TRC20: { minimum: '1', typical: '25' },
  USDT_ERC20: { minimum: '5', typical: '25' },
};

export interface SandboxDepositAddress extends DepositAddress {
  callbackUrl: string;
  createdAt: string;
  /** `paid` after the first payment (more may follow), `expired` when a tester expired it. */
  state: 'waiting' | 'paid' | 'expired';
}

/** One on-chain payment to a sandbox address. */
export interface SandboxTransaction {
  txid: string;
  reference: string;
  asset: CryptoAsset;
  amount: Amount;
  confirmations: number;
  createdAt: string;
}

export interface PayOptions extends DeliveryOptions {
  /**
   * Confirmations the payment reaches now; one webhook per count from 0 (seen, unconfirmed) up
   * to this, `confirmed` from 1. Default 1: two webhooks. 0 leaves it waiting for `confirm`.
   */
  confirmations?: number;
}

export interface SandboxPayment {
  transaction: SandboxTransaction;
  deliveries: Delivery[];
}

/**
 * A crypto processor in memory: issues a valid-looking address per deposit reference and posts
 * deposit webhooks to the address's callback URL when a test (or a tester) pays it. Any amount
 * may be paid, below the minimum or above what was expected: the workflow decides.
 */
export class SandboxCryptoProcessor implements CryptoProcessor {
  readonly provider = SANDBOX_PROVIDER;
  private readonly issued = new Map<string, SandboxDepositAddress>();
  private readonly transactions = new Map<string, SandboxTransaction>();

  constructor(
    private readonly runtime: RailsRuntime,
    private readonly addressTtlMs: number,
  ) {}

  async createDepositAddress(request: DepositAddressRequest): Promise<DepositAddress> {
    const known = this.issued.get(request.reference);
    if (known && known.asset !== request.asset) {
      const message = `reference ${request.reference} already has a ${known.asset} address`;
      throw new ProviderError(this.provider, 'reference_in_use', message, false);
    }
    const address = known ?? this.issue(request);
    const { asset, reference, minimum, expiresAt } = address;
    return { asset, address: address.address, reference, minimum, expiresAt };
  }

  /** Every address issued, oldest first. */
  addresses(): SandboxDepositAddress[] {
    return [...this.issued.values()];
  }

  /** The address issued for a deposit reference, or with this address. */
  find(referenceOrAddress: string): SandboxDepositAddress | undefined {
    return (
      this.issued.get(referenceOrAddress) ??
      this.addresses().find((each) => each.address === referenceOrAddress)
    );
  }

  /** Payments seen on chain with no confirmation yet. */
  unconfirmed(): SandboxTransaction[] {
    return [...this.transactions.values()].filter((tx) => tx.confirmations === 0);
  }

  /** Pays `amount` to the address of a deposit reference (or the address itself). */
  async pay(referenceOrAddress: string, amount: Amount, options: PayOptions = {}) {
    const address = this.addressOf(referenceOrAddress);
    const paid = parseAmount(amount);
    if (cmp(paid, '0') <= 0) throw new SandboxError(`a payment must be positive, not ${amount}`);
    await this.runtime.delay(options.delayMs);

    const transaction: SandboxTransaction = {
      txid: randomBytes(32).toString('hex'),
      reference: address.reference,
      asset: address.asset,
      amount: paid,
      confirmations: -1,
      createdAt: this.runtime.now().toISOString(),
    };
    this.transactions.set(transaction.txid, transaction);
    address.state = address.state === 'expired' ? 'expired' : 'paid';
    const deliveries = await this.advance(transaction, options.confirmations ?? 1, options);
    return { transaction, deliveries };
  }

  /** Takes a payment to `confirmations` (default 1), one webhook per new count. */
  async confirm(txid: string, confirmations = 1, options: DeliveryOptions = {}) {
    const transaction = this.transactions.get(txid);
    if (!transaction) throw new SandboxError(`no sandbox transaction ${txid}`);
    await this.runtime.delay(options.delayMs);
    const deliveries = await this.advance(transaction, confirmations, options);
    return { transaction, deliveries };
  }

  /** The address stops being offered on the sandbox page; late payments still arrive. */
  expire(referenceOrAddress: string): void {
    this.addressOf(referenceOrAddress).state = 'expired';
    this.runtime.changed();
  }

  private issue(request: DepositAddressRequest): SandboxDepositAddress {
    const now = this.runtime.now();
    const address: SandboxDepositAddress = {
      asset: request.asset,
      address: sandboxAddress(request.asset, request.reference),
      reference: request.reference,
      minimum: depositLimits[request.asset].minimum,
      expiresAt: new Date(now.getTime() + this.addressTtlMs).toISOString(),
      callbackUrl: request.callbackUrl,
      createdAt: now.toISOString(),
      state: 'waiting',
    };
    this.issued.set(request.reference, address);
    this.runtime.changed();
    return address;
  }

  private async advance(tx: SandboxTransaction, target: number, options: DeliveryOptions) {
    const address = this.addressOf(tx.reference);
    const counts: number[] = [];
    for (let count = tx.confirmations + 1; count <= target; count += 1) counts.push(count);
    tx.confirmations = Math.max(tx.confirmations, target);
    this.runtime.changed();

    const events = counts.map((confirmations) => ({
      type: 'deposit' as const,
      reference: tx.reference,
      asset: tx.asset,
      address: address.address,
      amount: tx.amount,
      txid: tx.txid,
      confirmations,
      confirmed: confirmations >= 1,
    }));
    return this.runtime.sender.send(address.callbackUrl, events, { ...options, delayMs: 0 });
  }

  private addressOf(referenceOrAddress: string): SandboxDepositAddress {
    const address = this.find(referenceOrAddress);
    if (address) return address;

    const known = [...this.issued.keys()].join(', ') || 'none yet';
    throw new SandboxError(`no sandbox deposit address for ${referenceOrAddress}; known: ${known}`);
  }
}
