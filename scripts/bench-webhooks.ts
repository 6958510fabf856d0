/**
 * The provider-webhook bench: signed sandbox deposit webhooks, a share of them redelivered,
 * posted over real HTTP on loopback at the bot's HTTP server with several in flight, on a
 * database of its own (see test/support/database.ts). It measures how fast a webhook is
 * acknowledged (verified, recorded once, answered) and checks that every distinct event is
 * recorded and handed to dispatch exactly once. Dispatch here only counts: nothing is credited
 * yet, so the result says `eventsDispatched`, not credits. A warm-up round of other events runs
 * first and is left out of every number (a cold process spends its first second loading code and
 * opening database connections). Run directly, it prints the result.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';

import { openDatabase } from '../activities/db/data-source.ts';
import {
  SANDBOX_SIGNATURE_HEADER,
  SandboxWebhookSource,
  signSandboxBody,
  type SandboxWebhookBody,
} from '../activities/providers/sandbox/index.ts';
import { startHttpServer } from '../bot/http-server.ts';
import { createWebhookHandler } from '../bot/webhooks/handler.ts';
import { createTestDatabase } from '../test/support/database.ts';

const secret = 'bench-sandbox-webhook-secret';

export interface WebhookBenchOptions {
  /** Webhooks posted in all, redeliveries included. */
  webhooks?: number;
  /** Share of `webhooks` that are redeliveries of an event already in the list. */
  duplicateShare?: number;
  /** Requests in flight at once. */
  inFlight?: number;
  /** Distinct webhooks posted first and not measured. */
  warmup?: number;
}

export interface WebhookBenchResult {
  webhooks: number;
  duplicates: number;
  inFlight: number;
  warmup: number;
  /** From sending a request to reading its answer. */
  ackMs: { p50: number; p99: number; max: number };
  /** Answers other than 200 (should be 0). */
  refused: number;
  /** Rows in provider_events (should be webhooks − duplicates). */
  eventsRecorded: number;
  /** Distinct events dispatch was handed, and how many hand-overs in all (both should match). */
  eventsDispatched: number;
  dispatchCalls: number;
}

export async function benchWebhooks({
  webhooks = 1_000,
  duplicateShare = 0.1,
  inFlight = 32,
  warmup = 200,
}: WebhookBenchOptions = {}): Promise<WebhookBenchResult> {
  const database = await createTestDatabase();
  const db = await openDatabase({ url: database.url, poolSize: inFlight + 4 });
  const logger = pino({ level: 'warn' });
  let dispatched = new Set<string>();
  let dispatchCalls = 0;
  const handler = createWebhookHandler({
    db,
    sources: [new SandboxWebhookSource(secret)],
    logger,
    dispatch: async (event) => {
      dispatchCalls += 1;
      dispatched.add(event.eventId);
      return 'dispatched';
    },
  });
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', webhooks: handler, logger });

  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/sandbox`;
    await post(url, deliveries(warmup, 0), inFlight);
    await handler.settled();
    await db.query(`TRUNCATE provider_events`);
    [dispatched, dispatchCalls] = [new Set(), 0];

    const duplicates = Math.round(webhooks * duplicateShare);
    const plan = deliveries(webhooks - duplicates, duplicates);
    const { latencies, refused } = await post(url, plan, inFlight);
    await handler.settled();

    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM provider_events`);
    latencies.sort((a, b) => a - b);
    return {
      webhooks,
      duplicates,
      inFlight,
      warmup,
      ackMs: { p50: at(latencies, 0.5), p99: at(latencies, 0.99), max: at(latencies, 1) },
      refused,
      eventsRecorded: n,
      eventsDispatched: dispatched.size,
      dispatchCalls,
    };
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await db.destroy();
    await database.drop();
  }
}

/** Signed bodies: `distinct` events, plus `duplicates` redeliveries of them, shuffled. */
function deliveries(distinct: number, duplicates: number) {
  const events = Array.from({ length: distinct }, (_, i) => {
    const body: SandboxWebhookBody = {
      id: `evt_${randomUUID()}`,
      createdAt: new Date().toISOString(),
      event: {
        type: 'deposit',
        reference: `dep-bench-${i}`,
        asset: 'USDT_TRC20',
        address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
        amount: '25',
        txid: randomUUID().replaceAll('-', ''),
        confirmations: 1,
        confirmed: true,
      },
    };
    const raw = JSON.stringify(body);
    return { raw, signature: signSandboxBody(secret, raw) };
  });
  const redelivered = Array.from({ length: duplicates }, () => events[randomIndex(distinct)]!);
  const all = [...events, ...redelivered];
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = randomIndex(i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

async function post(
  url: string,
  plan: Array<{ raw: string; signature: string }>,
  inFlight: number,
) {
  // node:http with keep-alive rather than fetch: the load generator shares the CPU with the
  // server it measures, and fetch's streams cost several times more per request.
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const latencies: number[] = [];
  let refused = 0;
  let next = 0;

  const sender = async () => {
    while (next < plan.length) {
      const { raw, signature } = plan[next++]!;
      const started = performance.now();
      const status = await postOnce(agent, url, raw, signature);
      latencies.push(performance.now() - started);
      if (status !== 200) refused += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, sender));
  agent.destroy();
  return { latencies, refused };
}

function postOnce(agent: Agent, url: string, raw: string, signature: string): Promise<number> {
  const headers = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(raw),
    [SANDBOX_SIGNATURE_HEADER]: signature,
  };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(raw);
  });
}

const randomIndex = (below: number) => Math.floor(Math.random() * below);

/** The `share` quantile of sorted `values`, rounded to 0.1 ms. */
function at(values: number[], share: number): number {
  const index = Math.min(values.length - 1, Math.ceil(share * values.length) - 1);
  return Math.round((values[Math.max(0, index)] ?? 0) * 10) / 10;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchWebhooks()));
}
