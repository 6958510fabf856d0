import { log, proxyActivities } from '@temporalio/workflow';
import type { CashoutFlowActivities } from '../activities/cashout-flow.ts';
import type { RateActivities } from '../activities/rates.ts';

const { refreshRates, refreshBanks } = proxyActivities<
  RateActivities & Pick<CashoutFlowActivities, 'refreshBanks'>
>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

/**
 * What the rates schedule runs every minute: the rates, and the bank list when its copy is
 * a day old. A bank provider outage does not hold the rates back.
 */
export async function refreshRatesWorkflow(): Promise<{ pairs: number }> {
  const banks = refreshBanks().catch((error: unknown) => {
    log.warn('the bank list was not refreshed', { error: String(error) });
  });
  const [rates] = await Promise.all([refreshRates(), banks]);
  return rates;
}
