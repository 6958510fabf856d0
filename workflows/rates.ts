import { proxyActivities } from '@temporalio/workflow';
import type { RateActivities } from '../activities/rates.ts';

const { refreshRates } = proxyActivities<RateActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

/** What the rates schedule runs every minute. */
export async function refreshRatesWorkflow(): Promise<{ pairs: number }> {
  return refreshRates();
}
