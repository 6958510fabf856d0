import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createRequire } from 'node:module';
import type { Activities } from './index.ts';

const require = createRequire(import.meta.url);

/** Where the worker finds the workflows; bundled by the worker (or ahead, for tests). */
export const workflowsPath = require.resolve('../workflows/index.ts');

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  dataConverter: DataConverter;
  /** A bundle made once with `bundleWorkflowCode`, instead of bundling on every start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** 0 turns the workflow cache off: every step replays the run from its history. */
  maxCachedWorkflows?: number;
}

/** Creates the worker that runs LockBay's workflows and activities on one task queue. */
export function createWorker(setup: WorkerSetup): Promise<Worker> {
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    activities: setup.activities,
    dataConverter: setup.dataConverter,
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath }),
    ...(setup.maxCachedWorkflows !== undefined
      ? { maxCachedWorkflows: setup.maxCachedWorkflows }
      : {}),
  });
}
