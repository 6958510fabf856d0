import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';

import { openDatabase } from '../../activities/db/data-source.ts';
import type { ProviderEvent, WebhookSource } from '../../activities/providers/types.ts';
import { startHttpServer } from '../../bot/http-server.ts';
import {
  createWebhookHandler,
  type DispatchOutcome,
  type WebhookHandler,
} from '../../bot/webhooks/handler.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface WebhookBench {
  db: DataSource;
  handler: WebhookHandler;
  /** `http://127.0.0.1:<port>`; providers post to `${url}/webhooks/<provider>`. */
  url: string;
  /** Every event dispatch was handed, in order. */
  dispatched: ProviderEvent[];
  /** What dispatch answers (or throws) for an event; default: `dispatched`. */
  outcome: (event: ProviderEvent) => DispatchOutcome;
  /** Log lines at warn and above, parsed. */
  logs: Array<Record<string, unknown>>;
  /** provider_events rows, oldest first. */
  rows(): Promise<Array<{ event_id: string; kind: string; reference: string; status: string }>>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh database, the webhook handler over it and the bot's HTTP server on a free port. */
export async function startWebhookBench(sources: WebhookSource[]): Promise<WebhookBench> {
  const database: TestDatabase = await createTestDatabase();
  const db = await openDatabase({ url: database.url });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'warn' }, sink);

  const bench = {
    db,
    url: '',
    dispatched: [] as ProviderEvent[],
    outcome: (_event: ProviderEvent): DispatchOutcome => 'dispatched',
    logs,
  } as WebhookBench;
  bench.handler = createWebhookHandler({
    db,
    sources,
    logger,
    dispatch: async (event) => {
      bench.dispatched.push(event);
      return bench.outcome(event);
    },
  });
  const server: Server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    webhooks: bench.handler,
    logger,
  });
  bench.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  bench.rows = () =>
    db.query(`SELECT event_id, kind, reference, status FROM provider_events ORDER BY id`);
  bench.reset = async () => {
    await bench.handler.settled();
    await db.query(`TRUNCATE provider_events`);
    bench.dispatched.length = 0;
    bench.logs.length = 0;
    bench.outcome = () => 'dispatched';
  };
  bench.close = async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await bench.handler.settled();
    await db.destroy();
    await database.drop();
  };
  return bench;
}
