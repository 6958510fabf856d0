import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Update } from 'node-telegram-bot-api/types';
import type { Logger } from 'pino';

import { BodyTooLargeError, readRawBody } from './read-body.ts';
import type { WebhookHandler } from './webhooks/handler.ts';

export interface TelegramWebhook {
  /** Path Telegram posts to, from the webhook URL. */
  path: string;
  secret: string;
  onUpdate(update: Update): void;
}

export interface HttpServerOptions {
  port: number;
  host?: string;
  /** Telegram's updates; only in webhook mode. */
  telegram?: TelegramWebhook;
  /** Payment providers' webhooks at `POST /webhooks/<provider>`. */
  webhooks?: WebhookHandler;
  logger: Logger;
}

const PROVIDER_PATH = /^\/webhooks\/([a-z0-9-]+)$/;

/**
 * The bot's HTTP server, in every mode: payment providers' webhooks and, in webhook mode,
 * Telegram's updates. Both are authenticated before anything is read from them (Telegram's
 * secret token, the provider's signature over the raw body), both compared in constant time,
 * and both acknowledged as soon as they are safely taken; the work continues afterwards.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    route(request, response, options).catch((error: unknown) => {
      const tooLarge = error instanceof BodyTooLargeError;
      if (!tooLarge)
        options.logger.error({ err: error, path: pathOf(request) }, 'http request failed');
      if (!response.headersSent) response.writeHead(tooLarge ? 413 : 500).end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: HttpServerOptions,
) {
  const path = pathOf(request);
  const { telegram, webhooks } = options;
  if (request.method !== 'POST') return void response.writeHead(404).end();

  if (telegram && path === telegram.path)
    return telegramUpdate(request, response, telegram, options.logger);
  const provider = PROVIDER_PATH.exec(path)?.[1];
  if (webhooks && provider) {
    const reply = await webhooks.handle(provider, await readRawBody(request), request.headers);
    // BlockBee counts a callback as delivered only when the answer contains "*ok*".
    return void response.writeHead(reply.status).end(reply.status === 200 ? '*ok*' : '');
  }
  response.writeHead(404).end();
}

async function telegramUpdate(
  request: IncomingMessage,
  response: ServerResponse,
  telegram: TelegramWebhook,
  logger: Logger,
) {
  const secret = request.headers['x-telegram-bot-api-secret-token'];
  if (typeof secret !== 'string' || !sameSecret(secret, telegram.secret)) {
    logger.warn({ path: telegram.path }, 'webhook with a bad secret token');
    return void response.writeHead(401).end();
  }
  try {
    telegram.onUpdate(JSON.parse((await readRawBody(request)).toString('utf8')) as Update);
    response.writeHead(200).end();
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    logger.warn({ err: error }, 'unreadable webhook body');
    response.writeHead(400).end();
  }
}

/** The path without the query string (providers' callback URLs may carry one). */
function pathOf(request: IncomingMessage): string {
  return (request.url ?? '/').split('?')[0] ?? '/';
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
