/**
 * `npm run bench -- --ledger`: the ledger's transfer throughput (scripts/bench-ledger.ts).
 * `npm run bench -- --webhooks`: provider webhook acknowledgement (scripts/bench-webhooks.ts).
 *
 * `npm run bench -- --flow onboarding --users 50 [--padding 8]`: drives simulated users through
 * a flow at once, against Temporal and PostgreSQL started the way `npm start` starts them
 * (or TEMPORAL_ADDRESS / DATABASE_URL), with the worker in this process. Prints one JSON
 * object on its last line. `--padding N` adds N back-and-forth pairs to each conversation so
 * that late Updates of a long flow are measured too; `--think-ms N` waits about N ms (0.5–1.5×)
 * between a user's steps, as a person would, instead of sending the next one at once.
 */
import { Client, Connection } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { lockbayDataConverter } from '../activities/codec/data-converter.ts';
import { loadConfig } from '../activities/config.ts';
import { openDatabase } from '../activities/db/data-source.ts';
import { QueryCounter } from '../activities/db/query-counter.ts';
import { createActivities, type Activities } from '../activities/index.ts';
import { DevMailer } from '../activities/mail/dev-mailer.ts';
import { codeDigest } from '../activities/otp.ts';
import { selectRails } from '../activities/providers/index.ts';
import { createSandboxRails, sandboxWebhookUrl } from '../activities/providers/sandbox/index.ts';
import { createWorker } from '../activities/worker.ts';
import { Conversations } from '../bot/conversations.ts';
import { createLogger } from '../bot/logger.ts';
import { conversationId, type UserEvent } from '../workflows/contract.ts';
import { startEmbeddedPostgres } from './services/postgres.ts';
import { startTemporalDevServer } from './services/temporal.ts';

const { values: args } = parseArgs({
  options: {
    flow: { type: 'string', default: 'onboarding' },
    users: { type: 'string', default: '50' },
    padding: { type: 'string', default: '8' },
    'think-ms': { type: 'string', default: '0' },
    ledger: { type: 'boolean', default: false },
    webhooks: { type: 'boolean', default: false },
  },
});

if (args.webhooks) {
  const { benchWebhooks } = await import('./bench-webhooks.ts');
  console.log(JSON.stringify(await benchWebhooks()));
  process.exit(0);
}
if (args.ledger) {
  const { benchLedger } = await import('./bench-ledger.ts');
  console.log(JSON.stringify(await benchLedger()));
  process.exit(0);
}
if (args.flow !== 'onboarding')
  throw new Error(`no bench for flow "${args.flow}" yet; try --flow onboarding`);
const users = Number(args.users);
const padding = Number(args.padding);
// A person reads and types between steps; 0 sends each step the moment the last one answered.
const thinkMs = Number(args['think-ms']);

Runtime.install({ logger: new DefaultLogger('WARN') });
const config = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}` });
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
// Each run starts from empty tables: the bench measures new users onboarding.
await db.query(
  `TRUNCATE email_codes, ledger_holds, ledger_entries, ledger_transfers, ledger_accounts, deposits,
     provider_events, users RESTART IDENTITY CASCADE`,
);
const mailer = new DevMailer();
const statementsByChat = new Map<string, number>();
// The bench drives onboarding only: sandbox rails, and messages outside conversations dropped.
const rails = createSandboxRails({
  secret: config.providers.sandboxWebhookSecret,
  webhookUrl: sandboxWebhookUrl(config.providers.publicUrl),
  retryDelaysMs: [],
});
const activities = countedPerWorkflow(
  createActivities({
    db,
    mailer,
    rails: selectRails(config.providers, rails),
    telegram: { sendMessage: async () => ({}) as never },
    config,
  }),
);

const nativeConnection = await NativeConnection.connect({ address: temporal.address });
const worker = await createWorker({
  connection: nativeConnection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  activities,
  dataConverter: lockbayDataConverter(config.payloadKeys),
});
const running = worker.run();
const connection = await Connection.connect({ address: temporal.address });
const client = new Client({
  connection,
  namespace: config.temporal.namespace,
  dataConverter: lockbayDataConverter(config.payloadKeys),
});
const conversations = new Conversations(client, {
  taskQueue: config.temporal.taskQueue,
  settings: config.flows,
});

type Kind = 'prefetch' | 'move' | 'commit';
interface Sample {
  index: number;
  kind: Kind;
  ms: number;
  statements: number;
}

const samples: Sample[] = [];
const started = performance.now();
await Promise.all(Array.from({ length: users }, (_, i) => converse(900_000 + i)));
const elapsedSec = (performance.now() - started) / 1000;

const historyLengths = await Promise.all(
  Array.from({ length: users }, async (_, i) => {
    const history = await client.workflow.getHandle(conversationId(900_000 + i)).fetchHistory();
    return history.events?.length ?? 0;
  }),
);

const byIndex = new Map<number, Sample[]>();
for (const sample of samples)
  byIndex.set(sample.index, [...(byIndex.get(sample.index) ?? []), sample]);
const ofKind = (kind: Kind) =>
  samples.filter((sample) => sample.kind === kind).map((s) => s.statements);
const all = samples.map((sample) => sample.ms);
const report = {
  flow: args.flow,
  users,
  thinkMs,
  steps: samples.length,
  stepsPerSec: round(samples.length / elapsedSec),
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
    prefetch: Math.max(...ofKind('prefetch')),
    perStepRead: Math.max(...ofKind('move')),
    perCommit: Math.max(...ofKind('commit')),
  },
  historyEvents: { max: Math.max(...historyLengths) },
  workerRssMb: round(process.memoryUsage().rss / 1024 / 1024),
};

worker.shutdown();
await running;
await connection.close();
await rails.close();
await db.destroy();
await postgres.stop();
await temporal.stop();
console.log(JSON.stringify(report));

/** One simulated user: the whole onboarding with mistakes and back-and-forth. */
async function converse(chat: number): Promise<void> {
  const party = { chatId: chat, telegramUserId: chat, firstName: `Bench${chat}` };
  const email = `bench${chat}@example.com`;
  let index = 0;
  let updateId = 1;

  const step = async (kind: Kind, event: UserEvent) => {
    // Users arrive spread over one think time, then pause about that long between steps.
    const pause = thinkMs * (index === 0 ? Math.random() : 0.5 + Math.random());
    if (pause > 0) await new Promise((done) => setTimeout(done, pause));
    const before = statementsByChat.get(conversationId(chat)) ?? 0;
    const t0 = performance.now();
    const delivery = await conversations.deliver(party, {
      updateId: updateId++,
      from: chat,
      event,
    });
    const ms = performance.now() - t0;
    if (delivery.kind !== 'screen') throw new Error(`step ${index} refused: ${delivery.detail}`);
    const statements = (statementsByChat.get(conversationId(chat)) ?? 0) - before;
    samples.push({ index: index++, kind, ms, statements });
  };

  await step('prefetch', { type: 'flow.open', flow: 'onboarding' });
  await step('move', { type: 'onboarding.begin' });
  await step('move', { type: 'text.entered', text: 'not an e-mail address' });
  for (let i = 0; i < padding; i += 1) {
    await step('move', { type: 'step.back' });
    await step('move', { type: 'onboarding.begin' });
  }
  await step('commit', { type: 'text.entered', text: email });
  await step('commit', { type: 'code.entered', digest: 'a-wrong-digest' });
  const code = /(\d{6})/.exec(mailer.latestTo(email)?.subject ?? '')?.[1] ?? '';
  await step('commit', { type: 'code.entered', digest: codeDigest(config.otp.secret, chat, code) });
  await step('commit', { type: 'terms.accept' });
}

/** Counts each activity's statements against the workflow (chat) that called it. */
function countedPerWorkflow(all: Activities): Activities {
  const wrapped = Object.entries(all).map(([name, fn]) => [
    name,
    async (...input: unknown[]) => {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
      const { result, tally } = await queries.count(() =>
        (fn as (...a: unknown[]) => Promise<unknown>)(...input),
      );
      statementsByChat.set(workflowId, (statementsByChat.get(workflowId) ?? 0) + tally.statements);
      return result;
    },
  ]);
  return Object.fromEntries(wrapped) as Activities;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return round(sorted[Math.max(0, at)] ?? 0);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
