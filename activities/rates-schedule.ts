import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { entityWorkflowTypes, RATES_SCHEDULE_ID } from '../workflows/contract.ts';

/**
 * Makes sure the Temporal Schedule that refreshes rates exists with the configured interval,
 * and runs it once now so a fresh start has rates within seconds, not a minute.
 */
export async function ensureRatesSchedule(
  client: Client,
  options: { taskQueue: string; everySeconds: number },
): Promise<void> {
  const schedule = {
    spec: { intervals: [{ every: `${options.everySeconds}s` }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: entityWorkflowTypes.ratesRefresh,
      taskQueue: options.taskQueue,
      args: [],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  };

  try {
    await client.schedule.create({ scheduleId: RATES_SCHEDULE_ID, ...schedule });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(RATES_SCHEDULE_ID)
      .update((current) => ({ ...current, ...schedule }));
  }
  await client.schedule.getHandle(RATES_SCHEDULE_ID).trigger();
}
