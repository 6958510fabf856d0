import { createHash, createHmac } from 'node:crypto';

/**
 * Kraken's API-Sign for a private REST call ("Spot REST Authentication", docs.kraken.com):
 * base64(HMAC-SHA512(key = base64-decoded API secret, message = URI path + SHA256(nonce + POST
 * data))), where the SHA256 is the raw 32-byte digest and the POST data is the exact body sent.
 */
export function krakenSignature(
  uriPath: string,
  nonce: string,
  postData: string,
  secretBase64: string,
): string {
  const digest = createHash('sha256')
    .update(nonce + postData)
    .digest();
  return createHmac('sha512', Buffer.from(secretBase64, 'base64'))
    .update(Buffer.concat([Buffer.from(uriPath, 'utf8'), digest]))
    .digest('base64');
}

/**
 * Nonces that only grow: microseconds of the clock, bumped past the last one issued. Kraken
 * rejects a nonce not above the key's previous one, so two processes sharing an API key can
 * collide (EAPI:Invalid nonce, retried); give each worker its own key or a nonce window.
 */
export function increasingNonce(clock: () => number = Date.now): () => string {
  let last = 0;
  return () => {
    last = Math.max(clock() * 1000, last + 1);
    return String(last);
  };
}
