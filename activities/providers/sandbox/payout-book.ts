import { randomBytes } from 'node:crypto';

import { cmp, parseAmount, type Amount } from '../../../machines/money.ts';
import { ProviderError, type PayoutStatus } from '../types.ts';
import { SandboxError, type RailsRuntime } from './runtime.ts';
import type { DeliveryOptions } from './webhook-sender.ts';

export type PayoutOutcome = 'succeeded' | 'failed';

export interface SettleOptions extends DeliveryOptions {
  /** Why a failed payout failed, as the provider words it. */
  reason?: string;
}

/**
 * What the next payout call does, in order of calls: settle by itself (now or after
 * `delayMs`), or throw `error`; with `accepted`, the provider took the payout before the
 * answer was lost, so it stays pending and `status` finds it.
 */
export type ScriptedPayout =
  | PayoutOutcome
  | ({ outcome: PayoutOutcome } & SettleOptions)
  | { error: ProviderError; accepted?: boolean };

export interface SandboxPayout {
  rail: 'crypto' | 'ngn';
  key: string;
  amount: Amount;
  currency: string;
  /** The address or `bank code / account number` it goes to. */
  destination: string;
  status: PayoutStatus;
  createdAt: string;
}

/**
 * Payouts of one rail by idempotency key: pending until settled (by a test, a tester or a
 * script), settled exactly once, and announced by a signed webhook.
 */
export class PayoutBook {
  private readonly payouts = new Map<string, SandboxPayout>();
  private readonly scripts: ScriptedPayout[] = [];

  constructor(
    private readonly rail: SandboxPayout['rail'],
    private readonly runtime: RailsRuntime,
    private readonly webhookUrl: string,
  ) {}

  /** Takes a payout once per key; a repeated key returns the first one's status. */
  submit(key: string, details: Omit<SandboxPayout, 'rail' | 'key' | 'status' | 'createdAt'>) {
    const known = this.payouts.get(key);
    if (known) return known.status;

    const script = this.scripts.shift();
    if (script && typeof script === 'object' && 'error' in script) {
      if (script.accepted) this.record(key, details);
      throw script.error;
    }
    const payout = this.record(key, details);
    if (script) {
      const { outcome, ...options } = typeof script === 'string' ? { outcome: script } : script;
      this.runtime.background(this.settle(key, outcome, options), `payout ${key}`);
    }
    return payout.status;
  }

  /** The status under `key`; `unknown` when no payout arrived with it. */
  status(key: string): PayoutStatus {
    return this.payouts.get(key)?.status ?? { state: 'unknown' };
  }

  find(key: string): SandboxPayout | undefined {
    return this.payouts.get(key);
  }

  pending(): SandboxPayout[] {
    return [...this.payouts.values()].filter((payout) => payout.status.state === 'pending');
  }

  /** Queues what the next payout calls do (see `ScriptedPayout`). */
  script(...outcomes: ScriptedPayout[]): void {
    this.scripts.push(...outcomes);
  }

  /**
   * Settles a pending payout, after `delayMs`, and posts its webhook. Settling twice is a
   * mistake and throws: a provider never changes a final status.
   */
  async settle(key: string, outcome: PayoutOutcome, options: SettleOptions = {}) {
    this.payoutOf(key);
    await this.runtime.delay(options.delayMs);
    const payout = this.payoutOf(key);
    if (payout.status.state !== 'pending') {
      throw new SandboxError(`payout ${key} is already ${payout.status.state}`);
    }

    const reason = options.reason ?? 'declined by the sandbox';
    const transactionRef = `sbx_${randomBytes(12).toString('hex')}`;
    payout.status =
      outcome === 'succeeded'
        ? { state: 'succeeded', transactionRef }
        : { state: 'failed', reason };
    this.runtime.changed();

    const event =
      outcome === 'succeeded'
        ? { type: 'payout.succeeded' as const, reference: key, rail: this.rail, transactionRef }
        : { type: 'payout.failed' as const, reference: key, rail: this.rail, reason };
    return this.runtime.sender.send(this.webhookUrl, [event], { ...options, delayMs: 0 });
  }

  private record(
    key: string,
    details: Omit<SandboxPayout, 'rail' | 'key' | 'status' | 'createdAt'>,
  ) {
    const payout: SandboxPayout = {
      rail: this.rail,
      key,
      ...details,
      status: { state: 'pending' },
      createdAt: this.runtime.now().toISOString(),
    };
    this.payouts.set(key, payout);
    this.runtime.changed();
    return payout;
  }

  private payoutOf(key: string): SandboxPayout {
    const payout = this.payouts.get(key);
    if (payout) return payout;

    const known = [...this.payouts.keys()].join(', ') || 'none yet';
    throw new SandboxError(`no sandbox ${this.rail} payout ${key}; known: ${known}`);
  }
}

/** `amount` canonical when it is a positive decimal; else the refusal a provider would give. */
export function positiveAmount(provider: string, amount: Amount): Amount {
  try {
    const parsed = parseAmount(amount);
    if (cmp(parsed, '0') > 0) return parsed;
  } catch {
    // Falls through to the provider's refusal.
  }
  throw new ProviderError(provider, 'invalid_amount', `amount ${amount} is not positive`, false);
}
