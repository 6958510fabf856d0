import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Client } from '@temporalio/client';
import { lockbayDataConverter } from '../../activities/codec/data-converter.ts';
import { loadConfig, type Config } from '../../activities/config.ts';
import { openDatabase } from '../../activities/db/data-source.ts';
import { QueryCounter } from '../../activities/db/query-counter.ts';
import { createActivities } from '../../activities/index.ts';
import { DevMailer } from '../../activities/mail/dev-mailer.ts';
import { createWorker, workflowsPath } from '../../activities/worker.ts';
import { Conversations } from '../../bot/conversations.ts';
import { selectRails } from '../../activities/providers/index.ts';
import {
  createSandboxRails,
  sandboxWebhookUrl,
  type SandboxRails,
} from '../../activities/providers/sandbox/index.ts';
import type { Api } from 'node-telegram-bot-api';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { startTestTemporal, type TestTemporal } from './temporal.ts';

export interface StackOptions {
  /** 0 turns the workflow cache off, so every step replays the run from history. */
  maxCachedWorkflows?: number;
  env?: Record<string, string>;
  /** The DevMailer also writes each e-mail there as JSON, as `npm start` does. */
  outboxDir?: string;
  /** Where the worker sends users messages; default: kept in `stack.sent`. */
  telegram?: Pick<Api, 'sendMessage'>;
}

/** Temporal, a fresh migrated database and a worker: what workflow and end-to-end tests use. */
export interface Stack {
  temporal: TestTemporal;
  /** A client with LockBay's data converter; `temporal.env.client` cannot read payloads. */
  client: Client;
  database: TestDatabase;
  db: DataSource;
  queries: QueryCounter;
  mailer: DevMailer;
  config: Config;
  taskQueue: string;
  conversations: Conversations;
  /** The sandbox payment rails the worker uses; their webhooks go to PUBLIC_URL. */
  rails: SandboxRails;
  /** Messages the worker sent outside conversations, unless `telegram` was given. */
  sent: Array<Parameters<Api['sendMessage']>[0]>;
  teardown(): Promise<void>;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, made once per test process (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  quietTemporalLogs();
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  return bundle;
}

let quieted = false;

/** The SDK logs worker lifecycle at info; tests show its warnings only. Once per process. */
function quietTemporalLogs(): void {
  if (quieted) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  quieted = true;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  quietTemporalLogs();
  const [temporal, database] = await Promise.all([startTestTemporal(), createTestDatabase()]);
  const queries = new QueryCounter();
  const db = await openDatabase({ url: database.url, logger: queries });
  const mailer = new DevMailer(options.outboxDir);
  const taskQueue = `test-${randomUUID()}`;
  const config = loadConfig({
    TEMPORAL_TASK_QUEUE: taskQueue,
    OTP_SECRET: 'a-test-secret-of-at-least-thirty-two-chars',
    ...options.env,
  });

  const rails = createSandboxRails({
    secret: config.providers.sandboxWebhookSecret,
    webhookUrl: sandboxWebhookUrl(config.providers.publicUrl),
    retryDelaysMs: [],
  });
  const sent: Stack['sent'] = [];

  const worker: Worker = await createWorker({
    connection: temporal.env.nativeConnection,
    namespace: temporal.env.namespace ?? 'default',
    taskQueue,
    activities: createActivities({
      db,
      mailer,
      rails: selectRails(config.providers, rails),
      telegram: options.telegram ?? {
        sendMessage: async (message) => {
          sent.push(message);
          return {} as Awaited<ReturnType<Api['sendMessage']>>;
        },
      },
      config,
    }),
    dataConverter: lockbayDataConverter(config.payloadKeys),
    workflowBundle: await workflowBundle(),
    ...(options.maxCachedWorkflows !== undefined
      ? { maxCachedWorkflows: options.maxCachedWorkflows }
      : {}),
  });
  const running = worker.run();
  const client = new Client({
    connection: temporal.env.connection,
    namespace: temporal.env.namespace ?? 'default',
    dataConverter: lockbayDataConverter(config.payloadKeys),
  });
  const conversations = new Conversations(client, { taskQueue, settings: config.flows });

  return {
    temporal,
    client,
    database,
    db,
    queries,
    mailer,
    config,
    taskQueue,
    conversations,
    rails,
    sent,
    async teardown() {
      await rails.close();
      worker.shutdown();
      await running;
      await db.destroy();
      await Promise.all([temporal.teardown(), database.drop()]);
    },
  };
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: unknown) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: unknown) => console.error(message, meta ?? ''),
  log: () => undefined,
};
