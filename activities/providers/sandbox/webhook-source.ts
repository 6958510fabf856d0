import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

import { isAmount } from '../../../machines/money.ts';
import { cryptoAssets, type ProviderEvent, type WebhookSource } from '../types.ts';

/** The name the sandbox rails go by: in events, in `provider_events` and in `/webhooks/sandbox`. */
export const SANDBOX_PROVIDER = 'sandbox';
export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';

/** `sha256=<hex HMAC-SHA256 of the raw body>`, what the sandbox puts in X-Sandbox-Signature. */
export function signSandboxBody(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

const amount = z.string().refine(isAmount, 'a decimal amount');
const payoutFields = { reference: z.string().min(1), rail: z.enum(['crypto', 'ngn']) };

/**
 * What the sandbox posts: one event per body, `id` unique per event (a redelivery repeats it).
 * Deposit events come once per confirmation count; `confirmed` turns true at the first one.
 */
export const sandboxWebhookBody = z.object({
  id: z.string().min(1),
  createdAt: z.string(),
  event: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('deposit'),
      reference: z.string().min(1),
      asset: z.enum(cryptoAssets),
      address: z.string(),
      amount,
      txid: z.string().min(1),
      confirmations: z.number().int().min(0),
      confirmed: z.boolean(),
    }),
    z.object({
      type: z.literal('payout.succeeded'),
      ...payoutFields,
      transactionRef: z.string().min(1),
    }),
    z.object({ type: z.literal('payout.failed'), ...payoutFields, reason: z.string() }),
    z.object({
      type: z.literal('collection'),
      reference: z.string().min(1),
      amount,
      currency: z.literal('NGN'),
      sessionId: z.string().min(1),
    }),
  ]),
});

export type SandboxWebhookBody = z.infer<typeof sandboxWebhookBody>;
export type SandboxEvent = SandboxWebhookBody['event'];

/** Reads the sandbox rails' webhooks at `POST /webhooks/sandbox`. */
export class SandboxWebhookSource implements WebhookSource {
  readonly provider = SANDBOX_PROVIDER;

  constructor(private readonly secret: string) {}

  verify(rawBody: Buffer, headers: IncomingHttpHeaders): boolean {
    const given = headers[SANDBOX_SIGNATURE_HEADER];
    if (typeof given !== 'string') return false;

    const expected = Buffer.from(signSandboxBody(this.secret, rawBody));
    const actual = Buffer.from(given);
    // The length is not a secret (always sha256= and 64 hex digits); the digits are.
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  parse(rawBody: Buffer): ProviderEvent[] {
    const body = sandboxWebhookBody.parse(JSON.parse(rawBody.toString('utf8')));
    return [toProviderEvent(body)];
  }
}

function toProviderEvent({ id: eventId, event }: SandboxWebhookBody): ProviderEvent {
  const common = { provider: SANDBOX_PROVIDER, eventId, reference: event.reference };
  switch (event.type) {
    case 'deposit': {
      const { asset, amount, txid, confirmed } = event;
      return { kind: 'deposit', ...common, asset, amount, txid, confirmed };
    }
    case 'payout.succeeded':
      return {
        kind: 'payout',
        ...common,
        status: { state: 'succeeded', transactionRef: event.transactionRef },
      };
    case 'payout.failed':
      return { kind: 'payout', ...common, status: { state: 'failed', reason: event.reason } };
    case 'collection':
      return { kind: 'collection', ...common, amount: event.amount, currency: 'NGN' };
  }
}
