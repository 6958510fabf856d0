import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Update } from 'node-telegram-bot-api/types';
import type { Logger } from 'pino';
import { readBody } from './read-body.ts';

export interface WebhookServerOptions {
  port: number;
  host?: string;
  /** Path Telegram posts to, from the webhook URL. */
  telegramPath: string;
  telegramSecret: string;
  onUpdate(update: Update): void;
  logger: Logger;
}

/**
 * The bot's HTTP endpoint. Telegram's updates are checked against the secret token in
 * constant time and acknowledged at once; handling continues in the chat's queue.
 */
export async function startWebhookServer(options: WebhookServerOptions): Promise<Server> {
  const server = createServer(async (request, response) => {
    const reply = (status: number, body = '') => response.writeHead(status).end(body);
    if (request.method !== 'POST' || request.url !== options.telegramPath) return reply(404);

    const secret = request.headers['x-telegram-bot-api-secret-token'];
    if (typeof secret !== 'string' || !sameSecret(secret, options.telegramSecret)) {
      options.logger.warn({ path: request.url }, 'webhook with a bad secret token');
      return reply(401);
    }
    try {
      options.onUpdate(JSON.parse(await readBody(request)) as Update);
      reply(200);
    } catch (error) {
      options.logger.warn({ err: error }, 'unreadable webhook body');
      reply(400);
    }
  });

  await new Promise<void>((resolve) =>
    server.listen(options.port, options.host ?? '0.0.0.0', resolve),
  );
  return server;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
