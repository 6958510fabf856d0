import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { lockbayDataConverter } from './codec/data-converter.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/data-source.ts';
import { createActivities } from './index.ts';
import { createMailer, type Mailer } from './mail/index.ts';
import { createTelegramBot } from '../bot/telegram-api.ts';
import { PgWithdrawalLog } from './providers/kraken/pg-withdrawal-log.ts';
import { selectRails } from './providers/index.ts';
import type { SandboxRails } from './providers/sandbox/index.ts';
import { ensureRatesSchedule } from './rates-schedule.ts';
import { createWorker } from './worker.ts';

export interface RunningWorker {
  db: DataSource;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Connects to PostgreSQL (running migrations) and Temporal, then runs the worker. */
export async function runWorker(
  config: Config,
  where: {
    temporalAddress: string;
    databaseUrl: string;
    logger: Logger;
    mailer?: Mailer;
    /** The process's sandbox rails, shared with the sandbox page; needed for sandbox rails. */
    sandbox?: SandboxRails;
  },
): Promise<RunningWorker> {
  const db = await openDatabase({ url: where.databaseUrl });
  const connection = await NativeConnection.connect({ address: where.temporalAddress });
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: createActivities({
      db,
      mailer: where.mailer ?? createMailer(config),
      rails: selectRails(config.providers, where.sandbox, {
        krakenWithdrawals: new PgWithdrawalLog(db),
      }),
      telegram: createTelegramBot(config).api,
      config,
    }),
    dataConverter: lockbayDataConverter(config.payloadKeys),
  });
  const client = new Client({
    connection: await Connection.connect({ address: where.temporalAddress }),
    namespace: config.temporal.namespace,
  });

  const done = worker.run().finally(async () => {
    await client.connection.close();
    await connection.close();
    await db.destroy();
  });
  await ensureRatesSchedule(client, {
    taskQueue: config.temporal.taskQueue,
    everySeconds: config.providers.rateRefreshSeconds,
  });
  where.logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');

  return {
    db,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
