import {
  exchange,
  httpError,
  isRecord,
  isRetryableStatus,
  joinUrl,
  unreadable,
  type Fetch,
  type Reply,
} from '../http.ts';
import { ProviderError } from '../types.ts';

const PROVIDER = 'fincra';

export interface FincraConfig {
  secretKey: string;
  businessId: string;
  webhookSecret: string;
  apiRoot: string;
}

export interface FincraApiOptions {
  fetch?: Fetch;
  timeoutMs?: number;
}

/**
 * Calls to Fincra's REST API ("Authentication": the secret key in `api-key`; the business in
 * `x-business-id`). Fincra answers `{ success, message, data }`, and on failure
 * `{ success: false, error | message, errorType }` with a 4xx or 5xx status.
 */
export class FincraApi {
  private readonly fetch: Fetch;

  constructor(
    private readonly config: FincraConfig,
    private readonly options: FincraApiOptions = {},
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get businessId(): string {
    return this.config.businessId;
  }

  /** The raw reply; the caller decides which statuses are answers and which are failures. */
  async send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'api-key': this.config.secretKey,
      'x-business-id': this.config.businessId,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';

    const url = joinUrl(this.config.apiRoot, path);
    const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
    return exchange(PROVIDER, this.fetch, url, init, this.options.timeoutMs);
  }

  /** `data` of a successful reply; any other reply becomes a classified `ProviderError`. */
  async data(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const reply = await this.send(method, path, body);
    return dataOf(reply, `${method} ${path.split('?')[0]}`);
  }
}

export function dataOf(reply: Reply, what: string): unknown {
  if (reply.status >= 400 || (isRecord(reply.body) && reply.body.success === false)) {
    throw fincraError(reply);
  }
  if (!isRecord(reply.body) || !('data' in reply.body)) throw unreadable(PROVIDER, reply, what);
  return reply.body.data;
}

/** A refusal, named by Fincra's `errorType` when it gives one and classified by HTTP status. */
export function fincraError(reply: Reply): ProviderError {
  const body = isRecord(reply.body) ? reply.body : {};
  const detail = [body.error, body.message].find((text) => typeof text === 'string') ?? '';
  if (typeof body.errorType !== 'string') return httpError(PROVIDER, reply, String(detail));
  const message = `HTTP ${reply.status}: ${String(detail) || body.errorType}`;
  return new ProviderError(PROVIDER, body.errorType, message, isRetryableStatus(reply.status));
}
