import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import { fromPromise } from 'xstate';
import { stateName } from '../machines/flow.ts';
import {
  defaultPayoutSettings,
  payoutMachine,
  type CheckPayoutInput,
  type FailInput,
  type PayoutFacts,
  type PayoutNotice,
  type PayoutProgress,
  type PayoutSettings,
  type ReviewInput,
  type SendPayoutInput,
  type SucceedInput,
} from '../machines/payout.ts';
import type { CashoutActivities } from '../activities/cashouts.ts';
import type { CashoutSettlementActivities } from '../activities/cashout-settlement.ts';
import type { NotifyActivities } from '../activities/notify.ts';
import type { PayoutRailActivities } from '../activities/payout-rails.ts';
import {
  payoutReportedSignal,
  payoutReviewUpdate,
  payoutWorkflowId,
  rejections,
  searchAttributes,
  type PayoutReviewRequest,
  type PayoutStart,
} from './contract.ts';
import { hostEntity, type RunningEntity } from './entity-host.ts';

// The books: a database blip is waited out; a conflict (a settled cashout asked to change)
// or a ledger error would fail every time, so it stops at once and the run needs attention.
const { loadCashout } = proxyActivities<CashoutActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: ['UnknownCashout'] },
});
const books = proxyActivities<CashoutSettlementActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [
      'UnknownCashout',
      'CashoutConflict',
      'IdempotencyConflictError',
      'InvalidTransferError',
      'UnknownHoldError',
    ],
  },
});
// Sending retries provider blips with backoff until the provider answers; its verdicts and a
// payout in doubt are not retried.
const { sendPayout } = proxyActivities<PayoutRailActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: ['PayoutRefused', 'PayoutInDoubt'],
  },
});
// A status check that fails is tried again at the next poll.
const { checkPayout } = proxyActivities<PayoutRailActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['PayoutInDoubt'] },
});
const notices = proxyActivities<NotifyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

/**
 * `payout-<cashoutId>`: pays one submitted cashout out through its rail and settles its hold
 * exactly once. Started by the cashout conversation (`startPayout`), or by a provider's
 * webhook when no run is open (signal-with-start), in which case a cashout already settled
 * ends the run at once. Admins decide through the `payoutReview` Update.
 */
export async function payoutWorkflow(start: PayoutStart): Promise<string> {
  const facts = await loadCashout(start.cashoutId);
  const machine = payoutMachine.provide({
    actors: {
      announceReview: fromPromise(async ({ input }: { input: PayoutFacts }) => {
        await notices.announcePayoutReview(input);
      }),
      approve: fromPromise(({ input }: { input: ReviewInput }) => books.approveCashout(input)),
      reject: fromPromise(({ input }: { input: ReviewInput }) => books.rejectCashout(input)),
      send: fromPromise(({ input }: { input: SendPayoutInput }) => send(input)),
      check: fromPromise(({ input }: { input: CheckPayoutInput }) => checkPayout(input)),
      succeed: fromPromise(({ input }: { input: SucceedInput }) => books.succeedCashout(input)),
      fail: fromPromise(({ input }: { input: FailInput }) => books.failCashout(input)),
      notify: fromPromise(({ input }: { input: PayoutNotice }) => notices.notifyPayout(input)),
    },
  });

  return hostEntity({
    kind: 'payout',
    machine,
    input: { facts, settings: { ...defaultPayoutSettings, ...start.settings } },
    signal: payoutReportedSignal,
    telegramUserId: facts.owner.telegramUserId,
    expose: (entity) =>
      setHandler(payoutReviewUpdate, (request) => review(facts, entity, request), {
        validator: (request) => authorize(facts, entity, request),
      }),
  });
}

/**
 * Starts `payout-<cashoutId>` from the cashout conversation, right after `submitCashout`
 * answered `submitted`. The payout outlives the conversation (its parent is abandoned); a
 * second call finds it started and does nothing.
 */
export async function startPayout(
  cashoutId: string,
  telegramUserId: number,
  settings?: Partial<PayoutSettings>,
): Promise<void> {
  try {
    await startChild(payoutWorkflow, {
      workflowId: payoutWorkflowId(cashoutId),
      args: [{ cashoutId, ...(settings ? { settings } : {}) }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: `payout · Telegram user ${telegramUserId}`,
      typedSearchAttributes: [
        { key: searchAttributes.flowType, value: 'payout' },
        { key: searchAttributes.flowState, value: 'starting' },
        { key: searchAttributes.telegramUserId, value: telegramUserId },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** A provider's verdict on the send is the payout's failure, with the provider's words. */
async function send(input: SendPayoutInput): Promise<PayoutProgress> {
  try {
    return await sendPayout(input);
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === 'PayoutRefused') {
      return { state: 'failed', reason: cause.message };
    }
    throw error;
  }
}

type Entity = RunningEntity<typeof payoutMachine>;

/**
 * Only the cashout's reviewers, and only while it awaits a decision.
 * TODO(payout): reviewers are read once, at load; an admin demoted since still passes here,
 * and the approving activity's own check then stops the run in `needsAttention` instead of
 * refusing the press politely.
 */
function authorize(facts: PayoutFacts, entity: Entity, request: PayoutReviewRequest): void {
  if (!facts.reviewers.includes(request.from)) {
    throw ApplicationFailure.nonRetryable(
      `Telegram user ${request.from} is not a reviewer of cashout ${facts.cashoutId}`,
      rejections.notReviewer,
    );
  }
  const snapshot = entity.snapshot();
  if (snapshot.status !== 'active' || !snapshot.can(decided(request))) throw closed(facts, entity);
}

async function review(facts: PayoutFacts, entity: Entity, request: PayoutReviewRequest) {
  // Two admins may press at once: the first decision wins, the second hears it came late.
  if (!(await entity.deliver(decided(request)))) throw closed(facts, entity);
  return { cashoutId: facts.cashoutId, decision: request.decision, amountUsd: facts.amountUsd };
}

function decided(request: PayoutReviewRequest) {
  return { type: `review.${request.decision}` as const, reviewer: request.from };
}

function closed(facts: PayoutFacts, entity: Entity) {
  const state = stateName(entity.snapshot().value);
  return ApplicationFailure.nonRetryable(
    `cashout ${facts.cashoutId} is no longer awaiting review (state ${state})`,
    rejections.reviewClosed,
    { state },
  );
}
