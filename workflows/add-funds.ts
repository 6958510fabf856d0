import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyLocalActivities, startChild } from '@temporalio/workflow';
import { fromPromise } from 'xstate';
import { addFundsMachine, screenOfAddFunds, type OpenDepositInput } from '../machines/add-funds.ts';
import type { DepositActivities } from '../activities/deposits.ts';
import type { MenuActivities } from '../activities/menu.ts';
import { conversationActivity } from './activity-options.ts';
import { depositWorkflowId, type FlowOutcome, type FlowStart } from './contract.ts';
import { depositWorkflow } from './deposit.ts';
import { hostFlow, idempotencyKeys } from './host.ts';

const activities = proxyLocalActivities<DepositActivities & MenuActivities>(conversationActivity);

/** Add funds: an address for the chosen asset, watched by its own deposit workflow. */
export async function addFundsFlow(start: FlowStart): Promise<FlowOutcome> {
  const key = idempotencyKeys();
  const machine = addFundsMachine.provide({
    actors: {
      openDeposit: fromPromise(async ({ input }: { input: OpenDepositInput }) => {
        const deposit = await activities.openDeposit({
          ...input,
          idempotencyKey: key('openDeposit'),
        });
        await watch(deposit.depositId);
        return deposit;
      }),
    },
  });

  return hostFlow(start, {
    flow: 'addFunds',
    machine,
    prefetch: () => activities.prefetchMenuContext({ party: start.party }),
    input: (facts) => ({ party: start.party, settings: start.settings, facts }),
    screen: screenOfAddFunds,
  });
}

/** Starts the deposit's own workflow, which outlives this conversation. */
async function watch(depositId: string): Promise<void> {
  try {
    await startChild(depositWorkflow, {
      workflowId: depositWorkflowId(depositId),
      args: [{ depositId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
