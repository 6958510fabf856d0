import type { IncomingMessage } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

/** Thrown when a body is over the 1 MiB limit; answer it with 413. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';

  constructor() {
    super(`body over ${MAX_BODY_BYTES} bytes`);
  }
}

/** The raw request body, byte for byte (what signatures are computed over); 1 MiB at most. */
export async function readRawBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The raw request body as text; refuses bodies over 1 MiB. */
export async function readBody(request: IncomingMessage): Promise<string> {
  return (await readRawBody(request)).toString('utf8');
}
