/**
 * Fincra's webhooks ("How To Validate Webhooks", "Payout Webhook", "Collection Webhook" at
 * docs.fincra.com). Each carries a `signature` header: the hex HMAC-SHA512 of the payload keyed
 * with the webhook encryption key. Fincra's sample computes it over `JSON.stringify(payload)`;
 * we check it over the raw body as received, which is the same bytes when Fincra sends compact
 * JSON, and never re-serialise a body before it is trusted.
 *
 *   payout.successful | payout.failed → payout event, reference = data.customerReference
 *   collection.successful             → collection event, amount = data.sourceAmount
 *   anything else                     → acknowledged, no event
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { amountFrom } from '../decimal.ts';
import { isRecord } from '../http.ts';
import { ProviderError, type ProviderEvent, type WebhookSource } from '../types.ts';
import { payoutStatusOf } from './statuses.ts';

const PROVIDER = 'fincra';

/**
 * Prefix of a collection event's reference when Fincra names only its virtual account: the
 * receiver maps `fincra-va:<id>` back to our reference through the link `FincraBank.collect`
 * reported (`onVirtualAccount`).
 */
export const VIRTUAL_ACCOUNT_REFERENCE = 'fincra-va:';

export class FincraWebhooks implements WebhookSource {
  readonly provider = PROVIDER;

  constructor(private readonly webhookSecret: string) {}

  verify(rawBody: Buffer, headers: IncomingHttpHeaders): boolean {
    const header = headers.signature;
    const given = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase() ?? '';
    if (!/^[0-9a-f]{128}$/.test(given)) return false;

    const expected = createHmac('sha512', this.webhookSecret).update(rawBody).digest();
    return timingSafeEqual(expected, Buffer.from(given, 'hex'));
  }

  parse(rawBody: Buffer): ProviderEvent[] {
    const payload = readPayload(rawBody);
    const data = payload.data;
    if (payload.event.startsWith('payout.')) return payoutEvents(payload.event, data);
    if (payload.event === 'collection.successful') return [collectionEvent(data)];
    return [];
  }
}

function payoutEvents(event: string, data: Record<string, unknown>): ProviderEvent[] {
  // A payout made outside LockBay (the dashboard) has no customerReference: not ours.
  if (typeof data.customerReference !== 'string' || data.customerReference === '') return [];
  const status = payoutStatusOf(data);
  if (status.state === 'pending') return [];

  return [
    {
      kind: 'payout',
      provider: PROVIDER,
      eventId: `${event}:${required(data, 'reference')}`,
      reference: data.customerReference,
      status,
    },
  ];
}

function collectionEvent(data: Record<string, unknown>): ProviderEvent {
  const currency = data.sourceCurrency ?? data.destinationCurrency;
  if (currency !== 'NGN') throw bad(`collection in ${String(currency)}, expected NGN`);
  const ours = typeof data.merchantReference === 'string' ? data.merchantReference : '';

  return {
    kind: 'collection',
    provider: PROVIDER,
    eventId: `collection.successful:${required(data, 'reference')}`,
    reference: ours || `${VIRTUAL_ACCOUNT_REFERENCE}${required(data, 'virtualAccount')}`,
    amount: amountFrom(PROVIDER, 'sourceAmount', data.sourceAmount),
    currency: 'NGN',
  };
}

function readPayload(rawBody: Buffer): { event: string; data: Record<string, unknown> } {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw bad('webhook body is not JSON');
  }
  if (!isRecord(payload) || typeof payload.event !== 'string' || !isRecord(payload.data)) {
    throw bad('webhook without event and data');
  }
  return { event: payload.event, data: payload.data };
}

function required(data: Record<string, unknown>, field: string): string {
  const value = data[field];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw bad(`webhook data without ${field}`);
}

function bad(message: string): ProviderError {
  return new ProviderError(PROVIDER, 'bad_webhook', message, false);
}
