import type { IncomingMessage, ServerResponse } from 'node:http';

import { HttpError } from './errors.ts';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The parameters of a request, from its query string and its body, body winning. Accepts what
 * Telegram accepts: `application/x-www-form-urlencoded` (every value a string, objects as JSON
 * text), `application/json`, or no body. Multipart (file uploads) is refused with a 400.
 */
export async function readParams(req: IncomingMessage, url: URL) {
  const query = Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  if (body === '') return query;

  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return { ...query, ...parseJsonObject(body) };
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    return { ...query, ...Object.fromEntries(new URLSearchParams(body)) };
  }
  throw new HttpError(
    400,
    `Bad Request: content type ${type} is not emulated; send a form or JSON`,
  );
}

/** Writes `body` as JSON with `status`, unless the client has gone. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Aborts when the client disconnects before the response is finished (a dropped long poll). */
export function abortOnDisconnect(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;

  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request Entity Too Large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonObject(body: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new HttpError(400, "Bad Request: can't parse JSON body");
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'Bad Request: a JSON body must be an object of parameters');
  }
  return value as Record<string, unknown>;
}
