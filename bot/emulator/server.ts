import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';

import { callBotApi } from './bot-api.ts';
import { callClientApi } from './client-api.ts';
import { HttpError } from './errors.ts';
import { abortOnDisconnect, readParams, sendJson } from './http.ts';
import { Params } from './params.ts';
import type { EmulatorStore } from './store.ts';

const BOT_API_PATH = /^\/bot([^/]+)\/([A-Za-z]+)$/;

/** How one side of the emulator shapes its JSON answers. */
interface Envelope {
  success(result: unknown): unknown;
  failure(error: HttpError): unknown;
}

const botApiEnvelope: Envelope = {
  success: (result) => ({ ok: true, result }),
  failure: ({ status, message }) => ({ ok: false, error_code: status, description: message }),
};

const clientEnvelope: Envelope = {
  success: (result) => result ?? null,
  failure: ({ message }) => ({ error: message }),
};

/**
 * The emulator's HTTP server: Telegram's Bot API at `/bot<token>/<method>` (any token) and the
 * simulated users' side under `/client/`. Not started; the caller listens.
 */
export function createEmulatorServer(store: EmulatorStore): Server {
  return createServer((req, res) => {
    void route(store, req, res);
  });
}

async function route(store: EmulatorStore, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const abort = abortOnDisconnect(res);
  const botMethod = BOT_API_PATH.exec(url.pathname)?.[2];

  if (botMethod) {
    return answer(req, url, res, botApiEnvelope, (params) =>
      callBotApi(botMethod, { params, store, abort }),
    );
  }
  if (url.pathname.startsWith('/client/')) {
    return answer(req, url, res, clientEnvelope, (params) =>
      callClientApi(req.method ?? 'GET', url.pathname, { params, store, abort, req, res }),
    );
  }
  sendJson(res, 404, { error: `nothing at ${url.pathname}: try /bot<token>/getMe or /client/` });
}

/** Reads the request's parameters, runs `handle`, and answers in the side's envelope. */
async function answer(
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
  envelope: Envelope,
  handle: (params: Params) => unknown,
) {
  try {
    const params = new Params(await readParams(req, url));
    sendJson(res, 200, envelope.success(await handle(params)));
  } catch (error) {
    const failure = asHttpError(error);
    sendJson(res, failure.status, envelope.failure(failure));
  }
}

function asHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return new HttpError(500, `Internal Server Error: the emulator failed: ${detail}`);
}
