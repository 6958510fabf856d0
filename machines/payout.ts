import { assign, setup } from 'xstate';
import { providedByHost } from './flow.ts';
import {
  defaultPayoutSettings,
  type CheckPayoutInput,
  type FailInput,
  type PayoutEvent,
  type PayoutFacts,
  type PayoutInput,
  type PayoutNotice,
  type PayoutProgress,
  type PayoutReported,
  type PayoutSettings,
  type ReviewInput,
  type SendPayoutInput,
  type SucceedInput,
} from './payout-facts.ts';

export { defaultPayoutSettings };
export type {
  PayoutProgress,
  PayoutDestination,
  PayoutFacts,
  PayoutSettings,
  PayoutInput,
  PayoutReported,
  ReviewDecision,
  ReviewDecided,
  PayoutEvent,
  SendPayoutInput,
  CheckPayoutInput,
  ReviewInput,
  SucceedInput,
  FailInput,
  PayoutNotice,
} from './payout-facts.ts';

interface PayoutContext {
  facts: PayoutFacts;
  settings: PayoutSettings;
  reviewer: number | null;
  /** Status checks since the last send; the wait before the next one doubles with each. */
  polls: number;
  transactionRef: string | null;
  reason: string | null;
}

const notice = (context: PayoutContext, state: PayoutNotice['state']): PayoutNotice => {
  const { facts } = context;
  return {
    chatId: facts.owner.telegramUserId,
    state,
    cashoutId: facts.cashoutId,
    amountUsd: facts.amountUsd,
    payoutAmount: facts.payoutAmount,
    networkFee: facts.networkFee,
    payoutCurrency: facts.payoutCurrency,
    destination: facts.destination,
    ...(context.transactionRef ? { transactionRef: context.transactionRef } : {}),
    ...(context.reason ? { reason: context.reason } : {}),
  };
};

type Answered = { output: PayoutProgress };

/** A guard on an activity's answer: the provider reports this state. */
const answered =
  (state: PayoutProgress['state']) =>
  ({ event }: { event: Answered }) =>
    event.output.state === state;

const answer = {
  type: 'rememberOutcome',
  params: ({ event }: { event: Answered }) => event.output,
} as const;

const reportedOutcome = {
  type: 'rememberOutcome',
  params: ({ event }: { event: PayoutReported }) => event.status,
} as const;

/**
 * One cashout's payout, from the held money to its outcome, exactly once. Above the review
 * threshold an admin decides first. Sending is safe to repeat: the rail's idempotency key is
 * the cashout id, and the send asks the provider before sending again. A pending payout waits
 * for the provider's webhook and asks on a backing-off timer. Success posts the hold, failure
 * or rejection voids it; the owner is told each outcome.
 */
export const payoutMachine = setup({
  types: {
    input: {} as PayoutInput,
    context: {} as PayoutContext,
    events: {} as PayoutEvent,
  },
  actors: {
    announceReview: providedByHost<void, PayoutFacts>('announceReview'),
    approve: providedByHost<void, ReviewInput>('approve'),
    reject: providedByHost<void, ReviewInput>('reject'),
    send: providedByHost<PayoutProgress, SendPayoutInput>('send'),
    check: providedByHost<PayoutProgress, CheckPayoutInput>('check'),
    succeed: providedByHost<void, SucceedInput>('succeed'),
    fail: providedByHost<void, FailInput>('fail'),
    notify: providedByHost<void, PayoutNotice>('notify'),
  },
  guards: {
    awaitsReview: ({ context }) => context.facts.status === 'awaiting_review',
    isPaying: ({ context }) => context.facts.status === 'paying',
    reportsSuccess: ({ event }) =>
      event.type === 'payout.reported' && event.status.state === 'succeeded',
    reportsFailure: ({ event }) =>
      event.type === 'payout.reported' && event.status.state === 'failed',
  },
  actions: {
    rememberReviewer: assign({
      reviewer: ({ event }) => (event.type === 'payout.reported' ? null : event.reviewer),
    }),
    rememberOutcome: assign((_, status: PayoutProgress) => {
      if (status.state === 'succeeded') return { transactionRef: status.transactionRef };
      if (status.state === 'failed') return { reason: status.reason };
      return {};
    }),
    countPoll: assign({ polls: ({ context }) => context.polls + 1 }),
    resetPolls: assign({ polls: 0 }),
  },
  delays: {
    pollDelay: ({ context }) =>
      Math.min(context.settings.pollInitialMs * 2 ** context.polls, context.settings.pollMaxMs),
  },
}).createMachine({
  id: 'payout',
  context: ({ input }) => ({
    facts: input.facts,
    settings: input.settings,
    reviewer: null,
    polls: 0,
    transactionRef: null,
    reason: null,
  }),
  initial: 'opening',
  states: {
    // A run started for a cashout already settled (a late webhook) ends without a word.
    opening: {
      always: [
        { guard: 'awaitsReview', target: 'reviewing' },
        { guard: 'isPaying', target: 'paying' },
        { target: 'closed' },
      ],
    },
    // TODO(payout): no deadline yet; a cashout no admin decides stays held. The product has
    // no rule for it (expire and refund after N days, or remind the admins).
    reviewing: {
      initial: 'announcing',
      on: {
        'review.approve': { target: 'approving', actions: 'rememberReviewer' },
        'review.reject': { target: 'rejecting', actions: 'rememberReviewer' },
      },
      states: {
        announcing: {
          invoke: {
            src: 'announceReview',
            input: ({ context }) => context.facts,
            onDone: 'tellingOwner',
            onError: 'tellingOwner',
          },
        },
        tellingOwner: {
          invoke: {
            src: 'notify',
            input: ({ context }) => notice(context, 'awaitingReview'),
            onDone: 'waiting',
            onError: 'waiting',
          },
        },
        waiting: {},
      },
    },
    approving: {
      invoke: {
        src: 'approve',
        input: ({ context }) => ({
          cashoutId: context.facts.cashoutId,
          reviewer: context.reviewer ?? 0,
        }),
        onDone: 'tellingApproved',
        onError: 'needsAttention',
      },
    },
    tellingApproved: {
      invoke: {
        src: 'notify',
        input: ({ context }) => notice(context, 'approved'),
        onDone: 'paying',
        onError: 'paying',
      },
    },
    rejecting: {
      invoke: {
        src: 'reject',
        input: ({ context }) => ({
          cashoutId: context.facts.cashoutId,
          reviewer: context.reviewer ?? 0,
        }),
        onDone: 'tellingRejected',
        onError: 'needsAttention',
      },
    },
    tellingRejected: {
      invoke: {
        src: 'notify',
        input: ({ context }) => notice(context, 'rejected'),
        onDone: 'rejected',
        onError: 'rejected',
      },
    },
    paying: {
      initial: 'sending',
      on: {
        'payout.reported': [
          { guard: 'reportsSuccess', target: 'settling', actions: reportedOutcome },
          { guard: 'reportsFailure', target: 'failing', actions: reportedOutcome },
        ],
      },
      states: {
        sending: {
          entry: 'resetPolls',
          invoke: {
            src: 'send',
            input: ({ context }) => ({
              cashoutId: context.facts.cashoutId,
              provider: context.facts.provider,
              destination: context.facts.destination,
              amount: context.facts.payoutAmount,
            }),
            onDone: [
              { guard: answered('succeeded'), target: '#payout.settling', actions: answer },
              { guard: answered('failed'), target: '#payout.failing', actions: answer },
              { target: 'waiting' },
            ],
            // Only a payout in doubt gets here (refusals come back as `failed`).
            onError: '#payout.needsAttention',
          },
        },
        waiting: {
          after: { pollDelay: 'checking' },
        },
        checking: {
          invoke: {
            src: 'check',
            input: ({ context }) => ({
              cashoutId: context.facts.cashoutId,
              provider: context.facts.provider,
              method: context.facts.destination.method,
            }),
            onDone: [
              { guard: answered('succeeded'), target: '#payout.settling', actions: answer },
              { guard: answered('failed'), target: '#payout.failing', actions: answer },
              { guard: answered('unknown'), target: 'sending' },
              { target: 'waiting', actions: 'countPoll' },
            ],
            onError: { target: 'waiting', actions: 'countPoll' },
          },
        },
      },
    },
    settling: {
      invoke: {
        src: 'succeed',
        input: ({ context }) => ({
          cashoutId: context.facts.cashoutId,
          provider: context.facts.provider,
          transactionRef: context.transactionRef ?? '',
        }),
        onDone: 'tellingSuccess',
        onError: 'needsAttention',
      },
    },
    tellingSuccess: {
      invoke: {
        src: 'notify',
        input: ({ context }) => notice(context, 'succeeded'),
        onDone: 'succeeded',
        onError: 'succeeded',
      },
    },
    failing: {
      invoke: {
        src: 'fail',
        input: ({ context }) => ({
          cashoutId: context.facts.cashoutId,
          reason: context.reason ?? 'declined by the provider',
        }),
        onDone: 'tellingFailure',
        onError: 'needsAttention',
      },
    },
    tellingFailure: {
      invoke: {
        src: 'notify',
        input: ({ context }) => notice(context, 'failed'),
        onDone: 'failed',
        onError: 'failed',
      },
    },
    // The activities retry what can succeed; landing here means the books and the provider
    // disagree (or an admin changed the row): the money stays held until an operator looks.
    // TODO(admin): the failed-payouts queue should offer retry or refund for these runs.
    needsAttention: {},
    succeeded: { type: 'final' },
    failed: { type: 'final' },
    rejected: { type: 'final' },
    closed: { type: 'final' },
  },
});
