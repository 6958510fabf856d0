import type { Logger } from 'pino';

import type { ProviderConfig } from '../../config.ts';
import { SandboxCryptoPayouts } from './crypto-payouts.ts';
import { SandboxCryptoProcessor } from './crypto-processor.ts';
import { SandboxNgnBank } from './ngn-bank.ts';
import type { PayoutOutcome, SandboxPayout, SettleOptions } from './payout-book.ts';
import { SandboxRateSource } from './rates.ts';
import { RailsRuntime, SandboxError } from './runtime.ts';
import { WebhookSender, type Delivery } from './webhook-sender.ts';
import { SANDBOX_PROVIDER, SandboxWebhookSource } from './webhook-source.ts';

export interface SandboxRailsOptions {
  /** Key the webhooks are signed with (`config.providers.sandboxWebhookSecret`). */
  secret: string;
  /**
   * Where payout and collection webhooks go: `sandboxWebhookUrl(config.providers.publicUrl)`.
   * Deposit webhooks go to the callback URL each deposit address was created with.
   */
  webhookUrl: string;
  /** Waits between delivery attempts; [] delivers once. Default 1 s, 5 s, 30 s. */
  retryDelaysMs?: number[];
  addressTtlMs?: number;
  collectionTtlMs?: number;
  now?: () => Date;
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
}

/** True when the configuration puts any rail on the sandbox. */
export function usesSandboxRails(providers: ProviderConfig): boolean {
  const { cryptoProcessor, cryptoPayouts, ngnBank, rateSource } = providers;
  return [cryptoProcessor, cryptoPayouts, ngnBank, rateSource].some(
    (rail) => rail.kind === 'sandbox',
  );
}

/** `<publicUrl>/webhooks/sandbox`. */
export function sandboxWebhookUrl(publicUrl: string): string {
  return new URL(
    `webhooks/${SANDBOX_PROVIDER}`,
    publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`,
  ).href;
}

/**
 * Every payment rail's sandbox, sharing one memory: what the worker's activities call (as the
 * rails' interfaces), what the sandbox page shows and acts on, and what tests script. State
 * lives in this process only, so `npm start` builds one and hands it to both sides.
 */
export class SandboxRails {
  readonly crypto: SandboxCryptoProcessor;
  readonly payouts: SandboxCryptoPayouts;
  readonly bank: SandboxNgnBank;
  readonly rates: SandboxRateSource;
  /** Verifies and reads what these rails send, for `POST /webhooks/sandbox`. */
  readonly webhooks: SandboxWebhookSource;
  private readonly runtime: RailsRuntime;
  private readonly sender: WebhookSender;

  constructor(options: SandboxRailsOptions) {
    const now = options.now ?? (() => new Date());
    this.sender = new WebhookSender({ ...options, now });
    this.runtime = new RailsRuntime(this.sender, now, options.logger);

    this.crypto = new SandboxCryptoProcessor(this.runtime, options.addressTtlMs ?? 60 * 60_000);
    this.payouts = new SandboxCryptoPayouts(this.runtime, options.webhookUrl);
    this.bank = new SandboxNgnBank(
      this.runtime,
      options.webhookUrl,
      options.collectionTtlMs ?? 30 * 60_000,
    );
    this.rates = new SandboxRateSource(this.runtime);
    this.webhooks = new SandboxWebhookSource(options.secret);
  }

  /** Every webhook delivery made so far, oldest first. */
  get deliveries(): readonly Delivery[] {
    return this.sender.deliveries;
  }

  /** A crypto or naira payout by its idempotency key. */
  payout(key: string): SandboxPayout | undefined {
    return this.payouts.book.find(key) ?? this.bank.payouts.find(key);
  }

  /** Settles a payout on whichever rail has it. */
  settle(key: string, outcome: PayoutOutcome, options?: SettleOptions) {
    if (this.payouts.book.find(key)) return this.payouts.settle(key, outcome, options);
    if (this.bank.payouts.find(key)) return this.bank.settlePayout(key, outcome, options);
    throw new SandboxError(`no sandbox payout ${key} on any rail`);
  }

  /** Calls `listener` after anything a tester could see changes. */
  subscribe(listener: () => void): () => void {
    return this.runtime.subscribe(listener);
  }

  /** Runs `work` without waiting for it (a page button); `idle()` waits for it. */
  background(work: Promise<unknown>, what: string): void {
    this.runtime.background(work, what);
  }

  /** Resolves when scripted settlements and delayed deliveries have all happened. */
  idle(): Promise<void> {
    return this.runtime.idle();
  }

  /** Cancels what is scheduled; nothing is sent after this. */
  close(): Promise<void> {
    return this.runtime.close();
  }
}

export function createSandboxRails(options: SandboxRailsOptions): SandboxRails {
  return new SandboxRails(options);
}
