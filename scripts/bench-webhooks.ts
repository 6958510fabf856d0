/**
 * The provider-webhook bench: signed sandbox deposit webhooks, a share of them redelivered,
 * posted over real HTTP on loopback at the bot's HTTP server with several in flight, on a
 * database of its own (see test/support/database.ts). It measures how fast a webhook is
 * acknowledged (verified, recorded once, answered) and checks that every distinct event is
 * recorded and handed over exactly once. The hand-over credits the deposit with the same
 * activity the deposit workflow calls (`creditDeposit`, Temporal left out), so `creditsApplied`
 * counts real ledger credits; each must happen once however often its webhook came. A warm-up
 * round of other events runs
 * first and is left out of every number (a cold process spends its first second loading code and
 * opening database connections). Run directly, it prints the result.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';

import type { DataSource } from 'typeorm';
import { openDatabase } from '../activities/db/data-source.ts';
import type { CryptoProcessor } from '../activities/providers/types.ts';
import {
  SANDBOX_SIGNATURE_HEADER,
  SandboxWebhookSource,
  signSandboxBody,
  type SandboxWebhookBody,
} from '../activities/providers/sandbox/index.ts';
import { createDepositActivities } from '../activities/deposits.ts';
import { createLedger } from '../activities/ledger/index.ts';
import { checkLedger } from '../activities/ledger/invariants.ts';
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
  /** Deposit credits in the ledger after the measured round (should be webhooks − duplicates). */
  creditsApplied: number;
  /** The ledger's invariants over everything the bench wrote. */
  ledgerOk: boolean;
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
  const deposits = await openDeposits(db, warmup + webhooks);
  const { creditDeposit } = createDepositActivities({
    db,
    ledger: createLedger({ db }),
    processor: new SandboxCryptoProcessorStub(),
    publicUrl: 'http://127.0.0.1:9',
    rateMaxAgeSeconds: 300,
  });
  const handler = createWebhookHandler({
    db,
    sources: [new SandboxWebhookSource(secret)],
    logger,
    dispatch: async (event) => {
      dispatchCalls += 1;
      dispatched.add(event.eventId);
      if (event.kind !== 'deposit') return 'unmatched';
      await creditDeposit({ depositId: event.reference, txid: event.txid, amount: event.amount });
      return 'dispatched';
    },
  });
  const credits = async () =>
    (await db.query(`SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'deposit'`))[0]
      .n as number;
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', webhooks: handler, logger });

  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/sandbox`;
    await post(url, deliveries(deposits.slice(0, warmup), 0), inFlight);
    await handler.settled();
    await db.query(`TRUNCATE provider_events`);
    [dispatched, dispatchCalls] = [new Set(), 0];
    const creditedBefore = await credits();

    const duplicates = Math.round(webhooks * duplicateShare);
    const plan = deliveries(deposits.slice(warmup, warmup + webhooks - duplicates), duplicates);
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
      creditsApplied: (await credits()) - creditedBefore,
      ledgerOk: (await checkLedger(db)).ok,
    };
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await db.destroy();
    await database.drop();
  }
}

/** Signed bodies: one confirmed payment per deposit, plus `duplicates` redeliveries, shuffled. */
function deliveries(depositIds: string[], duplicates: number) {
  const distinct = depositIds.length;
  const events = depositIds.map((depositId) => {
    const body: SandboxWebhookBody = {
      id: `evt_${randomUUID()}`,
      createdAt: new Date().toISOString(),
      event: {
        type: 'deposit',
        reference: depositId,
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

/** `count` users with one USDT deposit each, and a fresh USDT rate to credit them at. */
async function openDeposits(db: DataSource, count: number): Promise<string[]> {
  const rows: Array<{ id: string }> = await db.query(
    `WITH u AS (
       INSERT INTO users (telegram_id, first_name, referral_code)
       SELECT 990000000 + n, 'Bench', 'BENCH' || n FROM generate_series(1, $1) AS n
       RETURNING id
     ),
     rate AS (
       INSERT INTO rates (base, quote, rate, source, observed_at)
       VALUES ('USDT', 'USD', 1, 'bench', now())
       ON CONFLICT (base, quote) DO UPDATE SET fetched_at = now()
     )
     INSERT INTO deposits (user_id, asset, provider, address, minimum, expires_at, idempotency_key)
     SELECT u.id, 'USDT_TRC20', 'sandbox', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 1,
            now() + interval '1 day', 'bench-' || u.id
     FROM u
     RETURNING id`,
    [count],
  );
  return rows.map((row) => row.id);
}

/** The bench never asks for addresses; crediting needs no processor. */
class SandboxCryptoProcessorStub implements CryptoProcessor {
  readonly provider = 'sandbox';
  createDepositAddress(): never {
    throw new Error('the webhook bench opens its deposits directly');
  }
}
