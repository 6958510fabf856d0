import type { Update } from 'node-telegram-bot-api/types';

import { Signal } from './signal.ts';

interface Entry {
  update: Update;
  /** Handed out by getUpdates at least once. */
  sent: boolean;
  /** Queued again on purpose (see `push`): survives offsets until sent once. */
  redelivery: boolean;
}

export interface PollRequest {
  offset?: number;
  limit: number;
  timeoutMs: number;
}

/**
 * The bot's pending updates with getUpdates semantics: an offset confirms (forgets) every update
 * with a smaller id, a negative offset keeps only the newest ones, and an empty poll waits for
 * the next update or its timeout. Every update ever queued stays findable by id, so a test can
 * have it redelivered.
 */
export class UpdateQueue {
  readonly arrived = new Signal();
  private entries: Entry[] = [];
  private readonly history = new Map<number, Update>();
  private lastId = 0;
  private allowed: Set<string> | undefined;

  nextId(): number {
    return ++this.lastId;
  }

  /**
   * Queues an update, unless the bot excluded its type with `allowed_updates`. A `redelivery` —
   * Telegram sending again an update it believes lost, or any update with an id chosen by the
   * caller — is delivered once even if the bot already confirmed a higher offset.
   */
  push(update: Update, { redelivery = false } = {}): void {
    this.history.set(update.update_id, update);
    this.lastId = Math.max(this.lastId, update.update_id);
    if (this.allowed && !Object.keys(update).some((type) => this.allowed?.has(type))) return;
    this.entries.push({ update, sent: false, redelivery });
    this.arrived.emit();
  }

  /** An update queued earlier, by id, even one long confirmed. */
  find(updateId: number): Update | undefined {
    return this.history.get(updateId);
  }

  /** `allowed_updates` as getUpdates and setWebhook take it; an empty list means the default. */
  setAllowedUpdates(types: string[] | undefined): void {
    if (types !== undefined) this.allowed = types.length > 0 ? new Set(types) : undefined;
  }

  get allowedUpdates(): string[] | undefined {
    return this.allowed && [...this.allowed];
  }

  get size(): number {
    return this.entries.length;
  }

  /** getUpdates: confirms below `offset`, then returns up to `limit` updates, waiting if none. */
  async poll(request: PollRequest, abort?: AbortSignal): Promise<Update[]> {
    this.confirm(request.offset);
    const take = () => this.take(request.limit);
    return (await this.arrived.until(take, request.timeoutMs, abort)) ?? [];
  }

  /** Removes and returns every pending update (for webhook delivery). */
  drain(): Update[] {
    const updates = this.entries.map((entry) => entry.update);
    this.entries = [];
    return updates;
  }

  clear(): void {
    this.entries = [];
  }

  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset < 0) {
      this.entries = this.entries.slice(offset);
      return;
    }
    const pending = (entry: Entry) =>
      entry.update.update_id >= offset || (entry.redelivery && !entry.sent);
    this.entries = this.entries.filter(pending);
  }

  private take(limit: number): Update[] | undefined {
    const batch = this.entries.slice(0, limit);
    if (batch.length === 0) return undefined;
    for (const entry of batch) entry.sent = true;
    return batch.map((entry) => entry.update);
  }
}
