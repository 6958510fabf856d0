import { ProviderError } from './types.ts';

/** The `fetch` the real clients call; tests pass one aimed at a local fixture server. */
export type Fetch = typeof globalThis.fetch;

/** What came back, read once: the status, the raw text and its JSON (undefined if not JSON). */
export interface Reply {
  status: number;
  text: string;
  body: unknown;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * One HTTP exchange with a provider. A request that never got an answer (refused, reset,
 * timed out) is a retryable `ProviderError`: for a payout the caller must then ask the provider
 * what happened before sending again, which is why every payout carries an idempotency key.
 */
export async function exchange(
  provider: string,
  fetchFn: Fetch,
  url: string,
  init: RequestInit,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Reply> {
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : describe(error);
    throw new ProviderError(provider, timedOut ? 'timeout' : 'network', reason, true);
  }

  const text = await response.text();
  return { status: response.status, text, body: parseJson(text) };
}

/** Rate limits, timeouts and server faults pass; every other refusal is a verdict. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** A `ProviderError` for an HTTP failure, classified by its status. */
export function httpError(provider: string, reply: Reply, detail: string): ProviderError {
  const message = `HTTP ${reply.status}: ${detail || reply.text.slice(0, 200) || 'no body'}`;
  return new ProviderError(
    provider,
    `http_${reply.status}`,
    message,
    isRetryableStatus(reply.status),
  );
}

/**
 * The provider answered something we cannot read. Text that is not JSON is usually a proxy's
 * error page (retryable); JSON of the wrong shape means their contract changed (not retryable,
 * someone must look).
 */
export function unreadable(provider: string, reply: Reply, what: string): ProviderError {
  const isJson = reply.body !== undefined;
  return new ProviderError(provider, 'bad_response', `unexpected ${what}`, !isJson);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `root` without its trailing slashes, then `path`. */
export function joinUrl(root: string, path: string): string {
  return `${root.replace(/\/+$/, '')}${path}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ? `${error.message} (${cause.code})` : error.message;
}
