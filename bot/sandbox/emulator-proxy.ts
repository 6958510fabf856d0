import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';

import { sendJson } from '../emulator/http.ts';

const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'last-event-id'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'cache-control'];

/**
 * Forwards the request to `target` on the emulator and streams the answer back as it comes,
 * so long polls and server-sent events pass through. Dropping the browser's connection drops
 * the emulator's; an emulator that does not answer is a 502 saying which one.
 */
export function proxyToEmulator(req: IncomingMessage, res: ServerResponse, target: URL): void {
  const upstream = request(
    target,
    { method: req.method, headers: pick(req.headers, FORWARDED_REQUEST_HEADERS) },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, pick(answer.headers, FORWARDED_RESPONSE_HEADERS));
      res.flushHeaders();
      answer.pipe(res);
    },
  );

  upstream.on('error', (error) => {
    if (res.headersSent) return void res.destroy();
    sendJson(res, 502, {
      error: `the Bot API emulator at ${target.origin} did not answer (${error.message}); is npm start still running?`,
    });
  });
  res.once('close', () => upstream.destroy());
  req.pipe(upstream);
}

function pick(headers: IncomingHttpHeaders, names: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}
