import type { IncomingMessage, ServerResponse } from 'node:http';

import { HttpError } from '../emulator/errors.ts';
import { sendJson } from '../emulator/http.ts';
import { readBody } from '../read-body.ts';
import { proxyToEmulator } from './emulator-proxy.ts';
import type { SandboxFeed } from './feed.ts';
import type { BotProfile } from './protocol.ts';
import type { ActionInput, SandboxProvider } from './providers.ts';

// The emulator accepts any token; this one only names who is asking.
const PAGE_TOKEN = '0:sandbox-page';
const PROVIDER_ACTION = /^\/api\/sandbox\/providers\/([^/]+)\/operations\/([^/]+)\/([^/]+)$/;

export interface SandboxApiOptions {
  /** The Bot API emulator's base URL. */
  emulatorUrl: string;
  feed: SandboxFeed;
  providers: SandboxProvider[];
}

/**
 * Answers the page's `/api/...` requests and returns true; returns false for any other path
 * (the page itself). `/api/emulator/*` is the emulator's `/client/*`, passed through.
 */
export function handleApi(req: IncomingMessage, res: ServerResponse, options: SandboxApiOptions) {
  const url = new URL(req.url ?? '/', 'http://sandbox.local');
  if (!url.pathname.startsWith('/api/')) return false;

  route(req, res, url, options).catch((error: unknown) => {
    const status = error instanceof HttpError ? error.status : 500;
    sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
  });
  return true;
}

/** The JSON the page reads, by path. */
const reads = new Map<string, (options: SandboxApiOptions) => Promise<unknown>>([
  ['/api/bot', ({ emulatorUrl }) => botProfile(emulatorUrl)],
  ['/api/sandbox', ({ feed }) => feed.snapshot()],
]);

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: SandboxApiOptions,
) {
  const { pathname } = url;
  const method = req.method ?? 'GET';
  // A form post from another site is a "simple" request that skips CORS; JSON is not.
  if (method !== 'GET' && !isJson(req)) {
    throw new HttpError(415, `send ${method} ${pathname} as application/json`);
  }

  if (pathname.startsWith('/api/emulator/')) {
    const clientPath = pathname.slice('/api/emulator/'.length);
    const target = new URL(`/client/${clientPath}${url.search}`, options.emulatorUrl);
    return proxyToEmulator(req, res, target);
  }
  if (method === 'GET' && pathname === '/api/sandbox/stream') return options.feed.stream(res);
  const read = method === 'GET' ? reads.get(pathname) : undefined;
  if (read) return sendJson(res, 200, await read(options));

  const [providerName, operationId, action] = PROVIDER_ACTION.exec(pathname)?.slice(1) ?? [];
  if (method === 'POST' && providerName && operationId && action) {
    const provider = providerNamed(options.providers, decode(providerName));
    const note = await provider.act(decode(operationId), decode(action), await actionInput(req));
    return sendJson(res, 200, { ok: true, ...(note ? { note } : {}) });
  }
  throw new HttpError(404, `no route ${method} ${pathname}; see bot/sandbox/api.ts`);
}

async function botProfile(emulatorUrl: string): Promise<BotProfile> {
  const response = await fetch(new URL(`/bot${PAGE_TOKEN}/getMe`, emulatorUrl));
  const answer = (await response.json()) as { ok: boolean; result?: BotProfile };
  if (!answer.ok || !answer.result) throw new HttpError(502, 'the emulator did not answer getMe');

  const { first_name, username } = answer.result;
  return { first_name, username };
}

/** The optional `{ "amount": "12.50" }` of an action; an empty body is `{}`. */
async function actionInput(req: IncomingMessage): Promise<ActionInput> {
  const text = (await readBody(req)).trim();
  const body = text === '' ? {} : parseJson(text);
  const amount = (body as { amount?: unknown } | null)?.amount;
  if (
    typeof body !== 'object' ||
    body === null ||
    !['undefined', 'string'].includes(typeof amount)
  ) {
    throw new HttpError(400, 'the body of an action is {} or { "amount": "12.50" }');
  }
  return typeof amount === 'string' ? { amount } : {};
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body of an action is JSON: {} or { "amount": "12.50" }');
  }
}

function providerNamed(providers: SandboxProvider[], name: string): SandboxProvider {
  const provider = providers.find((each) => each.name === name);
  if (provider) return provider;

  const known = providers.map((each) => each.name).join(', ') || 'none yet';
  throw new HttpError(404, `no sandbox provider ${name}; known: ${known}`);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `malformed path segment ${segment}`);
  }
}

const isJson = (req: IncomingMessage) =>
  (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
