import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  devServerFeatureArgs,
  ensureSearchAttributes,
  findTemporalCli,
} from '../../scripts/services/temporal.ts';

export interface TestTemporal {
  env: TestWorkflowEnvironment;
  address: string;
  teardown(): Promise<void>;
}

/**
 * A Temporal server for one test suite: an in-memory dev server from the local Temporal CLI on a
 * free port, with LockBay's search attributes and update-with-start enabled. With
 * `TEMPORAL_ADDRESS` set, connects to that server instead (namespace `TEMPORAL_NAMESPACE`,
 * default `default`) and registers any missing search attributes there.
 */
export async function startTestTemporal(): Promise<TestTemporal> {
  const existing = process.env.TEMPORAL_ADDRESS;
  if (existing) {
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
    const env = await TestWorkflowEnvironment.createFromExistingServer({
      address: existing,
      namespace,
    });
    await ensureSearchAttributes(env.connection, namespace);
    return { env, address: existing, teardown: () => env.teardown() };
  }

  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      // An existing path, never the SDK's default of downloading a CLI at run time.
      executable: { type: 'existing-path', path: findTemporalCli() },
      ip: '127.0.0.1',
      namespace: 'default',
      ui: false,
      log: { format: 'pretty', level: 'error' },
      extraArgs: devServerFeatureArgs(),
    },
  });
  return { env, address: env.address, teardown: () => env.teardown() };
}
