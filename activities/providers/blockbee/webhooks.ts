/**
 * BlockBee's deposit webhooks ("Custom Payment Flow Webhooks" and "Verify Webhook Signatures" at
 * https://docs.blockbee.io/webhooks/…). Every callback carries `x-ca-signature`: base64 of an
 * RSA-SHA256 (PKCS#1 v1.5) signature by BlockBee's 1024-bit key over the raw body of a POST, or
 * over the full URL of a GET. We ask for POST with a form body (`post=1&json=0`), so amounts
 * arrive as text, never as JSON floats.
 *
 * Fields read: uuid, coin, value_coin (what the payer sent, before BlockBee's fee), txid_in,
 * pending (1 while in the mempool, 0 once confirmed) and our own `reference` parameter.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { amountFrom } from '../decimal.ts';
import { ProviderError, type ProviderEvent, type WebhookSource } from '../types.ts';
import { assetOfCoin } from './coins.ts';
import { REFERENCE_PARAM } from './processor.ts';

const PROVIDER = 'blockbee';

/**
 * BlockBee's published verification key, as printed in their docs ("Verify Webhook Signatures"
 * and the support article "How to verify the callback (IPN) signature"), also served at
 * https://api.blockbee.io/pubkey/. If BlockBee rotates it, pass the new one to the constructor.
 */
export const BLOCKBEE_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC3FT0Ym8b3myVxhQW7ESuuu6lo
dGAsUJs4fq+Ey//jm27jQ7HHHDmP1YJO7XE7Jf/0DTEJgcw4EZhJFVwsk6d3+4fy
Bsn0tKeyGMiaE6cVkX0cy6Y85o8zgc/CwZKc0uw6d5siAo++xl2zl+RGMXCELQVE
ox7pp208zTvown577wIDAQAB
-----END PUBLIC KEY-----`;

export class BlockBeeWebhooks implements WebhookSource {
  readonly provider = PROVIDER;
  private readonly key: KeyObject;

  constructor(publicKeyPem: string = BLOCKBEE_PUBLIC_KEY) {
    this.key = createPublicKey(publicKeyPem);
  }

  /** A POST callback: the signature covers the raw body exactly as received. */
  verify(rawBody: Buffer, headers: IncomingHttpHeaders): boolean {
    return this.check(rawBody, headers);
  }

  /**
   * A GET callback (BlockBee's default when `post=1` is not asked for): the signature covers
   * the full URL BlockBee called, scheme and host included, e.g. `https://host/webhooks/…?uuid=…`.
   */
  verifyUrl(fullUrl: string, headers: IncomingHttpHeaders): boolean {
    return this.check(Buffer.from(fullUrl, 'utf8'), headers);
  }

  parse(rawBody: Buffer): ProviderEvent[] {
    const fields = readFields(rawBody);
    const field = (name: string): string => {
      const value = fields.get(name);
      if (value === undefined || value === '') {
        throw new ProviderError(PROVIDER, 'bad_webhook', `callback without ${name}`, false);
      }
      return value;
    };

    const coin = field('coin');
    const asset = assetOfCoin(coin);
    if (asset === null) {
      throw new ProviderError(PROVIDER, 'bad_webhook', `callback for unknown coin ${coin}`, false);
    }
    const confirmed = field('pending') === '0';

    // One uuid per payment: the pending and the confirmed callback share it, so the state is
    // part of the event id, or recording events once by id would drop the confirmation.
    return [
      {
        kind: 'deposit',
        provider: PROVIDER,
        eventId: `${field('uuid')}:${confirmed ? 'confirmed' : 'pending'}`,
        reference: field(REFERENCE_PARAM),
        asset,
        amount: amountFrom(PROVIDER, 'value_coin', field('value_coin')),
        txid: field('txid_in'),
        confirmed,
      },
    ];
  }

  private check(data: Buffer, headers: IncomingHttpHeaders): boolean {
    const header = headers['x-ca-signature'];
    const encoded = Array.isArray(header) ? header[0] : header;
    if (!encoded || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded.trim())) return false;
    try {
      return verify('sha256', data, this.key, Buffer.from(encoded.trim(), 'base64'));
    } catch {
      return false;
    }
  }
}

/** Form fields of a callback; a JSON body (`json=1`) is read too, its numbers as text. */
function readFields(rawBody: Buffer): Map<string, string> {
  const text = rawBody.toString('utf8').trim();
  if (!text.startsWith('{')) return new Map(new URLSearchParams(text));

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProviderError(PROVIDER, 'bad_webhook', 'callback body is not valid JSON', false);
  }
  const entries = Object.entries(parsed as Record<string, unknown>).flatMap(([name, value]) =>
    typeof value === 'string' || typeof value === 'number' ? [[name, String(value)] as const] : [],
  );
  return new Map(entries);
}
