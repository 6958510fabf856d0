import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

import type { WebhookSender } from './webhook-sender.ts';

/** A scripting mistake in a test or by a tester (unknown reference, settling twice, …). */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

/**
 * What the rails share: the webhook sender, the clock, change listeners (the sandbox page) and
 * the background work (delayed settlements, late deliveries) that `idle()` waits for.
 */
export class RailsRuntime {
  private readonly listeners = new Set<() => void>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly aborter = new AbortController();

  constructor(
    readonly sender: WebhookSender,
    readonly now: () => Date,
    readonly logger: Logger | undefined,
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Waits `ms` (a scripted delay); throws when the rails close first, so nothing follows. */
  async delay(ms = 0): Promise<void> {
    if (ms > 0) await sleep(ms, undefined, { signal: this.aborter.signal }).catch(() => undefined);
    if (this.closed) throw new SandboxError('the sandbox rails were closed');
  }

  /** Runs `work` in the background; a failure is logged, and `idle()` waits for it. */
  background(work: Promise<unknown>, what: string): void {
    const tracked = work
      .catch((error: unknown) => {
        if (!this.closed) this.logger?.warn({ err: error, what }, 'sandbox work failed');
      })
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  get closed(): boolean {
    return this.aborter.signal.aborted;
  }

  /** Cancels waits and retries; deliveries not yet made are dropped. */
  async close(): Promise<void> {
    this.aborter.abort();
    this.sender.close();
    await this.idle();
  }
}
