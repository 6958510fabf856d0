import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

import {
  SANDBOX_SIGNATURE_HEADER,
  signSandboxBody,
  type SandboxEvent,
  type SandboxWebhookBody,
} from './webhook-source.ts';

/** How a test or a tester wants webhooks delivered. */
export interface DeliveryOptions {
  /** Extra deliveries of every event, as a provider resends when an acknowledgement is lost. */
  duplicates?: number;
  /** Order of the events within each round: as they happened, last first, or at random. */
  order?: 'forward' | 'reverse' | 'shuffle';
  /** Wait before anything happens (the provider is slow). */
  delayMs?: number;
}

/** One delivery's outcome: the HTTP status of its last attempt, 0 when nothing answered. */
export interface Delivery {
  eventId: string;
  type: SandboxEvent['type'];
  reference: string;
  url: string;
  status: number;
  attempts: number;
  at: string;
}

export interface WebhookSenderOptions {
  secret: string;
  fetch?: typeof globalThis.fetch;
  /** Waits between attempts when the endpoint does not answer 2xx; one attempt per entry + 1. */
  retryDelaysMs?: number[];
  now?: () => Date;
  logger?: Logger;
}

const KEPT_DELIVERIES = 1_000;
const TIMEOUT_MS = 10_000;

/**
 * Posts the sandbox's webhooks as a provider would: JSON, signed with HMAC-SHA256 over the raw
 * body, one event id per event. Deliveries of one batch are sequential, so the order a test
 * scripted is the order the endpoint sees; a delivery that is not acknowledged is retried.
 */
export class WebhookSender {
  /** Every delivery made, oldest first (the last 1,000). */
  readonly deliveries: Delivery[] = [];
  private readonly aborter = new AbortController();
  private readonly fetch: typeof globalThis.fetch;
  private readonly retryDelaysMs: number[];
  private readonly now: () => Date;

  constructor(private readonly options: WebhookSenderOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.retryDelaysMs = options.retryDelaysMs ?? [1_000, 5_000, 30_000];
    this.now = options.now ?? (() => new Date());
  }

  /** Signs `events` (a fresh id each) and delivers them as `options` script. */
  async send(url: string, events: SandboxEvent[], options: DeliveryOptions = {}) {
    const bodies = events.map((event) => this.body(event));
    const rounds = 1 + Math.max(0, options.duplicates ?? 0);
    const plan = Array.from({ length: rounds }, () => ordered(bodies, options.order));

    const done: Delivery[] = [];
    for (const body of plan.flat()) {
      if (this.aborter.signal.aborted) break;
      done.push(await this.deliver(url, body));
    }
    return done;
  }

  /** Stops retries and further deliveries. */
  close(): void {
    this.aborter.abort();
  }

  private body(event: SandboxEvent): SandboxWebhookBody {
    return { id: `evt_${randomUUID()}`, createdAt: this.now().toISOString(), event };
  }

  private async deliver(url: string, body: SandboxWebhookBody): Promise<Delivery> {
    const raw = JSON.stringify(body);
    const headers = {
      'content-type': 'application/json',
      [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(this.options.secret, raw),
    };
    let status = 0;
    let attempts = 0;

    for (const pause of [0, ...this.retryDelaysMs]) {
      if (pause > 0 && !(await this.pause(pause))) break;
      attempts += 1;
      status = await this.post(url, raw, headers);
      if (status >= 200 && status < 300) break;
    }
    if (status < 200 || status >= 300) {
      this.options.logger?.warn(
        { url, eventId: body.id, status, attempts },
        'sandbox webhook not acknowledged',
      );
    }
    return this.keep({
      eventId: body.id,
      type: body.event.type,
      reference: body.event.reference,
      url,
      status,
      attempts,
      at: this.now().toISOString(),
    });
  }

  private async post(url: string, body: string, headers: Record<string, string>) {
    try {
      const signal = AbortSignal.any([this.aborter.signal, AbortSignal.timeout(TIMEOUT_MS)]);
      const response = await this.fetch(url, { method: 'POST', body, headers, signal });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  private pause(ms: number): Promise<boolean> {
    return sleep(ms, true, { signal: this.aborter.signal }).catch(() => false);
  }

  private keep(delivery: Delivery): Delivery {
    this.deliveries.push(delivery);
    if (this.deliveries.length > KEPT_DELIVERIES) this.deliveries.shift();
    return delivery;
  }
}

function ordered<T>(items: T[], order: DeliveryOptions['order'] = 'forward'): T[] {
  if (order === 'reverse') return [...items].reverse();
  if (order === 'forward') return [...items];

  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled;
}
