import { setTimeout as sleep } from 'node:timers/promises';

import type { Update, WebhookInfo } from 'node-telegram-bot-api/types';

import type { UpdateQueue } from './update-queue.ts';

export interface WebhookRetry {
  /** Tries per update, the first included. */
  attempts: number;
  /** Wait before the second try; doubles for each further one. */
  baseDelayMs: number;
}

interface Target {
  url: string;
  secret: string | undefined;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Pushes queued updates to the bot's webhook as Telegram does: a JSON POST carrying
 * `X-Telegram-Bot-Api-Secret-Token` when a secret was set, one update at a time per chat so a
 * chat's order holds, chats in parallel. A failed POST (network error or non-2xx) is tried
 * again with doubling waits, `attempts` tries in all; then the update is dropped and the failure
 * shows in getWebhookInfo. Removing the webhook hands updates not yet tried back to getUpdates.
 */
export class WebhookDelivery {
  private target: Target | undefined;
  private readonly lanes = new Map<number, Promise<void>>();
  private inFlight = 0;
  private lastError: { date: number; message: string } | undefined;
  private readonly stopped = new AbortController();

  constructor(
    private readonly queue: UpdateQueue,
    private readonly retry: WebhookRetry = { attempts: 4, baseDelayMs: 100 },
  ) {
    queue.arrived.subscribe(() => this.dispatch());
  }

  get active(): boolean {
    return this.target !== undefined;
  }

  set(url: string, secret: string | undefined): void {
    this.target = { url, secret };
    this.lastError = undefined;
    this.dispatch();
  }

  remove(): void {
    this.target = undefined;
  }

  info(): WebhookInfo {
    return {
      url: this.target?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.target ? this.inFlight : this.queue.size,
      ...(this.lastError && {
        last_error_date: this.lastError.date,
        last_error_message: this.lastError.message,
      }),
      ...(this.queue.allowedUpdates && { allowed_updates: this.queue.allowedUpdates }),
    };
  }

  /** Ends retries and deliveries in progress; used when the emulator closes. */
  stop(): void {
    this.target = undefined;
    this.stopped.abort();
  }

  private dispatch(): void {
    if (!this.target) return;
    for (const update of this.queue.drain()) this.enqueue(update);
  }

  private enqueue(update: Update): void {
    const chat = chatIdOf(update);
    const previous = this.lanes.get(chat) ?? Promise.resolve();
    const delivery = previous.then(() => this.deliver(update));

    this.inFlight++;
    this.lanes.set(chat, delivery);
    void delivery.finally(() => {
      this.inFlight--;
      if (this.lanes.get(chat) === delivery) this.lanes.delete(chat);
    });
  }

  private async deliver(update: Update): Promise<void> {
    for (let attempt = 1; !this.stopped.signal.aborted; attempt++) {
      const target = this.target;
      if (!target) return this.queue.push(update);

      const failure = await post(target, update, this.stopped.signal);
      if (failure === undefined) return;
      this.lastError = { date: Math.floor(Date.now() / 1000), message: failure };
      if (attempt >= this.retry.attempts) return;

      const wait = this.retry.baseDelayMs * 2 ** (attempt - 1);
      await sleep(wait, undefined, { signal: this.stopped.signal }).catch(() => undefined);
    }
  }
}

/** POSTs one update; returns why it failed, or `undefined` when the bot accepted it. */
async function post(target: Target, update: Update, stopped: AbortSignal) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.secret) headers['x-telegram-bot-api-secret-token'] = target.secret;
  const signal = AbortSignal.any([stopped, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);

  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(update),
      signal,
    });
    await response.arrayBuffer();
    return response.ok ? undefined : `Wrong response from the webhook: ${response.status}`;
  } catch (error) {
    return `Connection failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function chatIdOf(update: Update): number {
  if ('message' in update) return update.message.chat.id;
  if ('callback_query' in update) return update.callback_query.from.id;
  return 0;
}
