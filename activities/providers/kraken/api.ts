import { exchange, httpError, isRecord, joinUrl, unreadable, type Fetch } from '../http.ts';
import { ProviderError } from '../types.ts';
import { increasingNonce, krakenSignature } from './sign.ts';

const PROVIDER = 'kraken';

/** Kraken's errors that pass with time; every other `E…` string is a verdict. */
const RETRYABLE = [
  'EAPI:Rate limit exceeded',
  'EAPI:Invalid nonce',
  'EGeneral:Temporary lockout',
  'EService:',
];

export interface KrakenApiOptions {
  fetch?: Fetch;
  nonce?: () => string;
  timeoutMs?: number;
}

/**
 * Signed calls to Kraken's private REST endpoints (`POST /0/private/<Method>`, form-encoded,
 * headers API-Key and API-Sign). Kraken answers `{ error: string[], result }`, usually with HTTP
 * 200 even when it refuses; a non-empty `error` becomes a `ProviderError` named after the first.
 */
export class KrakenApi {
  private readonly fetch: Fetch;
  private readonly nonce: () => string;

  constructor(
    private readonly config: { apiKey: string; apiSecret: string; apiRoot: string },
    private readonly options: KrakenApiOptions = {},
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.nonce = options.nonce ?? increasingNonce();
  }

  async call(method: string, params: Record<string, string>): Promise<unknown> {
    const path = `/0/private/${method}`;
    const nonce = this.nonce();
    const postData = new URLSearchParams({ nonce, ...params }).toString();
    const headers = {
      'API-Key': this.config.apiKey,
      'API-Sign': krakenSignature(path, nonce, postData, this.config.apiSecret),
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      // Kraken's REST docs require a User-Agent on every request.
      'User-Agent': 'LockBay',
    };

    const url = joinUrl(this.config.apiRoot, path);
    const init = { method: 'POST', headers, body: postData };
    const reply = await exchange(PROVIDER, this.fetch, url, init, this.options.timeoutMs);
    const errors = isRecord(reply.body) && Array.isArray(reply.body.error) ? reply.body.error : [];
    if (errors.length > 0) throw krakenError(method, errors.map(String));
    if (reply.status >= 400) throw httpError(PROVIDER, reply, '');
    if (!isRecord(reply.body) || !('result' in reply.body)) {
      throw unreadable(PROVIDER, reply, `${method} reply`);
    }
    return reply.body.result;
  }
}

/**
 * Kraken's first error string becomes the code (`EFunding:Insufficient funds`); rate limits,
 * nonce races, lockouts and service outages are retryable, everything else is a verdict.
 */
export function krakenError(method: string, errors: string[]): ProviderError {
  const first = errors[0] ?? 'EGeneral:Unknown';
  const retryable = RETRYABLE.some((prefix) => first.startsWith(prefix));
  return new ProviderError(PROVIDER, first, `${method} refused: ${errors.join('; ')}`, retryable);
}
