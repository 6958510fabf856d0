import type { Payload, PayloadCodec } from '@temporalio/common';
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { readBody } from './read-body.ts';

export interface CodecServerOptions {
  port: number;
  host?: string;
  codec: PayloadCodec;
  /** The Temporal UI origin allowed to call it from the browser. */
  uiOrigin: string;
  logger: Logger;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/**
 * Temporal UI's remote codec: `POST /decode` and `/encode` with `{ payloads }` in Temporal's
 * JSON form (base64 fields). It shows operators what the payload codec hides from history.
 * It listens on loopback and answers only the configured UI origin.
 * TODO(codec): check the operator's identity (the UI can forward its OIDC token) before a
 * codec server is exposed beyond one operator's machine.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<Server> {
  const cors = {
    'access-control-allow-origin': options.uiOrigin,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, x-namespace, authorization',
  };

  const server = createServer(async (request, response) => {
    if (request.method === 'OPTIONS') return response.writeHead(204, cors).end();
    // Temporal UI adds query parameters (`?preserveStorageRefs=true`): route on the path alone.
    const path = new URL(request.url ?? '/', 'http://codec.local').pathname;
    const direction = path.replace(/\/+$/, '').split('/').at(-1);
    if (request.method !== 'POST' || (direction !== 'decode' && direction !== 'encode')) {
      return response.writeHead(404, cors).end();
    }
    try {
      const { payloads } = JSON.parse(await readBody(request)) as { payloads: JsonPayload[] };
      const given = payloads.map(fromJson);
      const result =
        direction === 'decode'
          ? await options.codec.decode(given)
          : await options.codec.encode(given);
      response.writeHead(200, { ...cors, 'content-type': 'application/json' });
      response.end(JSON.stringify({ payloads: result.map(toJson) }));
    } catch (error) {
      options.logger.warn({ err: error, direction }, 'codec request failed');
      response.writeHead(400, cors).end();
    }
  });

  await new Promise<void>((resolve) =>
    server.listen(options.port, options.host ?? '127.0.0.1', resolve),
  );
  return server;
}

function fromJson(payload: JsonPayload): Payload {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64'),
    ]),
  );
  return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
}

function toJson(payload: Payload): JsonPayload {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value ?? []).toString('base64'),
    ]),
  );
  return { metadata, data: Buffer.from(payload.data ?? []).toString('base64') };
}
