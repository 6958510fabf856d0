import {
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import { fromPromise } from 'xstate';
import { depositMachine, type CreditInput, type DepositNotice } from '../machines/deposit.ts';
import type { DepositActivities } from '../activities/deposits.ts';
import type { NotifyActivities } from '../activities/notify.ts';
import { conversationActivity } from './activity-options.ts';
import { contextChangedSignal, conversationId, depositSeenSignal } from './contract.ts';
import { hostEntity } from './entity-host.ts';

const { loadDeposit } = proxyLocalActivities<DepositActivities>(conversationActivity);
// Crediting waits out stale rates and provider blips: it retries until it succeeds.
const { creditDeposit } = proxyActivities<DepositActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '5 seconds',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['UnknownDeposit'],
  },
});
const { notifyDeposit } = proxyActivities<NotifyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

/** A late payment still gets this long after the address expired. */
const GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * `deposit-<id>`: watches one deposit address until it expires (plus a grace), credits each
 * confirmed transaction once and tells its owner. A webhook after the run ended starts a new
 * run (signal-with-start); the ledger key keeps a second credit out.
 */
export async function depositWorkflow(input: { depositId: string }): Promise<string> {
  const facts = await loadDeposit(input.depositId);
  const watchMs = Math.max(
    new Date(facts.expiresAt).getTime() + GRACE_MS - Date.now(),
    60 * 60 * 1000,
  );

  return hostEntity({
    kind: 'deposit',
    machine: depositMachine.provide({
      actors: {
        credit: fromPromise(async ({ input: credit }: { input: CreditInput }) => {
          const credited = await creditDeposit(credit);
          await balanceChanged(facts.chatId);
          return credited;
        }),
        notify: fromPromise(({ input: notice }: { input: DepositNotice }) => notifyDeposit(notice)),
      },
    }),
    input: { facts, watchMs },
    signal: depositSeenSignal,
  });
}

/**
 * Tells the owner's running conversation that the wallet changed, so a cashout in progress
 * reloads its facts (a larger *Cash out all*, a refusal lifted). No conversation: nothing to do.
 */
async function balanceChanged(chatId: number): Promise<void> {
  try {
    await getExternalWorkflowHandle(conversationId(chatId)).signal(contextChangedSignal);
  } catch (error) {
    log.info('no conversation to tell about the credit', { chatId, error: String(error) });
  }
}
