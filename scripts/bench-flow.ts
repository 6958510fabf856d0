/**
 * What every `npm run bench -- --flow <name>` shares: Temporal and PostgreSQL started the way
 * `npm start` starts them (or TEMPORAL_ADDRESS / DATABASE_URL), a worker in this process whose
 * activities count their SQL per workflow, simulated users stepping through a flow, and the
 * JSON report. A flow brings its own conversation (`FlowBench`). One conversation warms the
 * worker up before the measured users start.
 */
import { Client, Connection } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { resolve } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { lockbayDataConverter } from '../activities/codec/data-converter.ts';
import { loadConfig, type Config } from '../activities/config.ts';
import { openDatabase } from '../activities/db/data-source.ts';
import { QueryCounter } from '../activities/db/query-counter.ts';
import { createActivities, type Activities } from '../activities/index.ts';
import { DevMailer } from '../activities/mail/dev-mailer.ts';
import { selectRails } from '../activities/providers/index.ts';
import {
  createSandboxRails,
  sandboxWebhookUrl,
  type SandboxRails,
} from '../activities/providers/sandbox/index.ts';
import { SANDBOX_PROVIDER } from '../activities/providers/sandbox/webhook-source.ts';
import { createWorker } from '../activities/worker.ts';
import { Conversations } from '../bot/conversations.ts';
import { createLogger } from '../bot/logger.ts';
import { workflowDispatch } from '../bot/webhooks/dispatch.ts';
import { createWebhookHandler } from '../bot/webhooks/handler.ts';
import { webhookSources } from '../bot/webhooks/sources.ts';
import type { DataSource } from 'typeorm';
import {
  conversationId,
  type FlowName,
  type StepResult,
  type UserEvent,
} from '../workflows/contract.ts';
import { startEmbeddedPostgres } from './services/postgres.ts';
import { startTemporalDevServer } from './services/temporal.ts';

/**
 * What a step costs: the prefetch, a move that must need no SQL, a read or write on the way
 * (a quote, an e-mailed code), or the flow's commit.
 */
export type StepKind = 'prefetch' | 'move' | 'quote' | 'sendCode' | 'commit';

export interface Sample {
  index: number;
  kind: StepKind;
  ms: number;
  statements: number;
  /** Transactions begun (START TRANSACTION) during the step. */
  transactions: number;
}

/** Sends one event as the user, records its sample and answers the screen it produced. */
export type Step = (kind: StepKind, event: UserEvent) => Promise<StepResult>;

/** One flow's simulated users. Chats are Telegram ids too: 900000, 900001, … */
export interface FlowBench {
  flow: FlowName;
  /** Seeds what the users need before anyone starts. */
  prepare?(chats: number[]): Promise<void>;
  converse(chat: number, step: Step): Promise<void>;
  /** Waits for what the conversations left running and adds its figures to the report. */
  finish?(report: FlowReport, samples: Sample[]): Promise<Record<string, unknown>>;
}

export type FlowReport = ReturnType<typeof flowReport>;

interface Cost {
  statements: number;
  /** Transactions begun (START TRANSACTION). */
  transactions: number;
}

export interface BenchStack {
  config: Config;
  db: DataSource;
  mailer: DevMailer;
  rails: SandboxRails;
  client: Client;
  conversations: Conversations;
  /** What the activities of one workflow have cost so far (a copy). */
  costOf(workflowId: string): Cost;
  /** Lets scripted payouts and their webhooks finish, then stops everything it started. */
  stop(): Promise<void>;
}

const FIRST_CHAT = 900_000;

/**
 * Temporal, PostgreSQL (tables emptied) and a worker. `env` adds settings under the process's
 * own. The sandbox rails post their webhooks straight to the bot's handler in this process,
 * never over HTTP, so a bot running on PUBLIC_URL does not hear the bench.
 */
export async function startBenchStack(env: Record<string, string> = {}): Promise<BenchStack> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const taskQueue = `bench-${randomUUID()}`;
  const config = loadConfig({ ...env, ...process.env, TEMPORAL_TASK_QUEUE: taskQueue });
  const logger = createLogger('warn');
  const dataDir = resolve(config.dataDir, 'bench');
  await mkdir(dataDir, { recursive: true });

  const temporal = config.temporal.address
    ? { address: config.temporal.address, stop: async () => {} }
    : await startTemporalDevServer({
        dataDir,
        port: 7433,
        uiPort: 8433,
        headless: true,
        dbFile: null,
        logger,
      });
  const postgres = config.database.url
    ? { url: config.database.url, stop: async () => {} }
    : await startEmbeddedPostgres({ dataDir, port: config.database.embeddedPort + 10, logger });

  const queries = new QueryCounter();
  const db = await openDatabase({ url: postgres.url, logger: queries, poolSize: 20 });
  // Each run starts from empty tables: the bench measures new conversations.
  await db.query(
    `TRUNCATE email_codes, ledger_holds, ledger_entries, ledger_transfers, ledger_accounts, deposits,
       provider_events, cashouts, saved_destinations, users RESTART IDENTITY CASCADE`,
  );
  const mailer = new DevMailer();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: lockbayDataConverter(config.payloadKeys),
  });
  const webhooks = createWebhookHandler({
    db,
    sources: webhookSources(config.providers),
    dispatch: workflowDispatch({ client, db, taskQueue, logger }),
    logger,
  });
  const rails = createSandboxRails({
    secret: config.providers.sandboxWebhookSecret,
    webhookUrl: sandboxWebhookUrl(config.providers.publicUrl),
    retryDelaysMs: [],
    fetch: async (_url, init) => {
      const raw = Buffer.from(String(init?.body));
      const reply = await webhooks.handle(
        SANDBOX_PROVIDER,
        raw,
        init?.headers as IncomingHttpHeaders,
      );
      return new Response(null, { status: reply.status });
    },
  });

  const costs = new Map<string, Cost>();
  const activities = countedPerWorkflow(
    createActivities({
      db,
      mailer,
      rails: selectRails(config.providers, rails),
      telegram: { sendMessage: async () => ({}) as never },
      config,
    }),
    queries,
    costs,
  );
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue,
    activities,
    dataConverter: lockbayDataConverter(config.payloadKeys),
  });
  const running = worker.run();

  return {
    config,
    db,
    mailer,
    rails,
    client,
    conversations: new Conversations(client, { taskQueue, settings: config.flows }),
    costOf: (workflowId) => ({ ...(costs.get(workflowId) ?? { statements: 0, transactions: 0 }) }),

    async stop() {
      await rails.idle();
      await webhooks.settled();
      worker.shutdown();
      await running;
      await connection.close();
      await rails.close();
      await db.destroy();
      await postgres.stop();
      await temporal.stop();
    },
  };
}

/**
 * Drives `users` simulated users through `bench` at once and reports. With `thinkMs`, users
 * arrive spread over one think time and pause about that long (0.5–1.5×) between steps.
 */
export async function runFlowBench(
  stack: BenchStack,
  bench: FlowBench,
  { users, thinkMs }: { users: number; thinkMs: number },
): Promise<Record<string, unknown>> {
  const chats = Array.from({ length: users }, (_, i) => FIRST_CHAT + i);
  await bench.prepare?.(chats);
  await warmUp(stack, bench.flow);

  const samples: Sample[] = [];
  const started = performance.now();
  await Promise.all(
    chats.map((chat) => bench.converse(chat, stepper(stack, chat, thinkMs, samples))),
  );
  const elapsedSec = (performance.now() - started) / 1000;

  const historyLengths = await Promise.all(
    chats.map(async (chat) => {
      const history = await stack.client.workflow.getHandle(conversationId(chat)).fetchHistory();
      return history.events?.length ?? 0;
    }),
  );
  const report = flowReport({
    flow: bench.flow,
    users,
    thinkMs,
    samples,
    elapsedSec,
    historyLengths,
  });
  return bench.finish ? bench.finish(report, samples) : report;
}

/**
 * One throwaway conversation, opened and cancelled before the clock starts: a worker loads its
 * workflow bundle and opens its pools once in its life, not once per measured user.
 */
async function warmUp(stack: BenchStack, flow: FlowName): Promise<void> {
  const chat = FIRST_CHAT - 1;
  const party = { chatId: chat, telegramUserId: chat, firstName: 'Warmup' };
  const say = (updateId: number, event: UserEvent) =>
    stack.conversations.deliver(party, { updateId, from: chat, event });

  const opened = await say(1, { type: 'flow.open', flow });
  if (opened.kind !== 'screen') throw new Error(`warm-up refused: ${opened.detail}`);
  if (!opened.result.ended) await say(2, { type: 'flow.cancel' });
  await stack.client.workflow.getHandle(conversationId(chat)).result();
}

function stepper(stack: BenchStack, chat: number, thinkMs: number, samples: Sample[]): Step {
  const party = { chatId: chat, telegramUserId: chat, firstName: `Bench${chat}` };
  let index = 0;
  let updateId = 1;

  return async (kind, event) => {
    const pause = thinkMs * (index === 0 ? Math.random() : 0.5 + Math.random());
    if (pause > 0) await new Promise((done) => setTimeout(done, pause));
    const before = stack.costOf(conversationId(chat));
    const t0 = performance.now();
    const delivery = await stack.conversations
      .deliver(party, { updateId: updateId++, from: chat, event })
      .catch(async (error: unknown) => {
        const kept = await keepHistory(stack, chat);
        const what = `chat ${chat}, step ${index} (${event.type}) failed; its history: ${kept}`;
        throw new Error(what, { cause: error });
      });
    const ms = performance.now() - t0;
    if (delivery.kind !== 'screen') throw new Error(`step ${index} refused: ${delivery.detail}`);

    const after = stack.costOf(conversationId(chat));
    samples.push({
      index: index++,
      kind,
      ms,
      statements: after.statements - before.statements,
      transactions: after.transactions - before.transactions,
    });
    return delivery.result;
  };
}

/** Keeps a failed conversation's history for replay (`Worker.runReplayHistory`), as JSON. */
async function keepHistory(stack: BenchStack, chat: number): Promise<string> {
  const file = resolve(stack.config.dataDir, 'bench', `failed-chat-${chat}.json`);
  try {
    const history = await stack.client.workflow.getHandle(conversationId(chat)).fetchHistory();
    await writeFile(file, `${historyToJSON(history)}\n`);
    return file;
  } catch (error) {
    // The step's own failure matters more than this one; say why nothing was kept.
    return `not kept (${error instanceof Error ? error.message : String(error)})`;
  }
}

function flowReport(run: {
  flow: FlowName;
  users: number;
  thinkMs: number;
  samples: Sample[];
  elapsedSec: number;
  historyLengths: number[];
}) {
  const { samples } = run;
  const byIndex = new Map<number, Sample[]>();
  for (const sample of samples)
    byIndex.set(sample.index, [...(byIndex.get(sample.index) ?? []), sample]);
  const all = samples.map((sample) => sample.ms);

  return {
    flow: run.flow,
    users: run.users,
    thinkMs: run.thinkMs,
    steps: samples.length,
    stepsPerSec: round(samples.length / run.elapsedSec),
    latencyMs: {
      p50: percentile(all, 50),
      p95: percentile(all, 95),
      p99: percentile(all, 99),
      byStep: [...byIndex.keys()]
        .sort((a, b) => a - b)
        .map((index) =>
          percentile(
            byIndex.get(index)!.map((sample) => sample.ms),
            50,
          ),
        ),
    },
    sql: {
      prefetch: mostOf(samples, 'prefetch', 'statements'),
      perStepRead: mostOf(samples, 'move', 'statements'),
      perCommit: mostOf(samples, 'commit', 'statements'),
    },
    historyEvents: { max: Math.max(...run.historyLengths) },
    workerRssMb: round(process.memoryUsage().rss / 1024 / 1024),
  };
}

/** The most statements (or transactions) one step of `kind` took. */
export function mostOf(samples: Sample[], kind: StepKind, what: 'statements' | 'transactions') {
  return Math.max(...samples.filter((sample) => sample.kind === kind).map((s) => s[what]));
}

/** Counts each activity's statements and transactions against the workflow that called it. */
function countedPerWorkflow(
  all: Activities,
  queries: QueryCounter,
  costs: Map<string, Cost>,
): Activities {
  const wrapped = Object.entries(all).map(([name, fn]) => [
    name,
    async (...input: unknown[]) => {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
      const { result, tally } = await queries.count(() =>
        (fn as (...a: unknown[]) => Promise<unknown>)(...input),
      );
      const cost = costs.get(workflowId) ?? { statements: 0, transactions: 0 };
      cost.statements += tally.statements;
      cost.transactions += tally.sql.filter((sql) => /^START TRANSACTION/i.test(sql)).length;
      costs.set(workflowId, cost);
      return result;
    },
  ]);
  return Object.fromEntries(wrapped) as Activities;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return round(sorted[Math.max(0, at)] ?? 0);
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
