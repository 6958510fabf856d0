import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

/** A request the fixture server received. */
export interface Seen {
  method: string;
  /** Path and query, e.g. `/btc/create/?apikey=…`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the fixture answers: a status and a JSON body (or raw text), optionally late or never. */
export interface Answer {
  status?: number;
  json?: unknown;
  text?: string;
  delayMs?: number;
  /** Drop the connection without answering, as a failed network would. */
  hangUp?: boolean;
}

/**
 * A provider stand-in on 127.0.0.1 (port 0), closed when the test ends. `handle` plays the
 * provider from fixtures built after its documentation; every request is kept in `seen`.
 */
export async function serve(
  t: TestContext,
  handle: (request: Seen) => Answer | Promise<Answer>,
): Promise<{ root: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    seen.push(request);

    const answer = await handle(request);
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (answer.hangUp) return void req.socket.destroy();
    const text = answer.text ?? JSON.stringify(answer.json ?? {});
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(text);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { root: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** The query of a seen request's URL. */
export function queryOf(request: Seen): URLSearchParams {
  return new URL(request.url, 'http://fixture').searchParams;
}
