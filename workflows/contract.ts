/**
 * The wire contract between bot/ and workflows/: the Update, query and signal definitions,
 * their payloads, the search attributes and the workflow names. The bot imports this module,
 * never a workflow implementation.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ChatParty, FlowName, Screen } from '../machines/flow.ts';
import type { AddFundsEvent } from '../machines/add-funds.ts';
import type { CashoutEvent } from '../machines/cashout-context.ts';
import type { CashoutSettings } from '../machines/cashout-facts.ts';
import type { DepositSeen } from '../machines/deposit.ts';
import type { OnboardingEvent } from '../machines/onboarding.ts';
import type { PayoutReported, PayoutSettings, ReviewDecision } from '../machines/payout.ts';

export type { FlowName, Screen } from '../machines/flow.ts';
export type { PayoutReported, ReviewDecision } from '../machines/payout.ts';

/** Any event a user can send to a flow. `flow.open` starts (or restarts) a flow. */
export type UserEvent =
  | OnboardingEvent
  | AddFundsEvent
  | Exclude<CashoutEvent, { type: 'facts.refreshed' }>
  | { type: 'flow.open'; flow: FlowName; param?: string };

/** One user action, delivered as a Temporal Update whose id is the Telegram `update_id`. */
export interface StepRequest {
  updateId: number;
  /** Telegram id of the sender; only the chat's owner may move its flow. */
  from: number;
  /** The screen stamp printed on the pressed button; absent for typed input. */
  stamp?: string;
  event: UserEvent;
}

/**
 * The answer to a step: what to show now. `stamp` goes into the buttons of this screen so a
 * press on an older screen is recognised. `ended` means the run completed with this screen;
 * `superseded` means the run was cancelled to make way for the flow the event opens, and the
 * caller must deliver the same request again to start it.
 */
export interface StepResult {
  screen: Screen;
  stamp: string;
  ended: boolean;
  superseded: boolean;
}

/** The workflow argument of every conversation flow. */
export interface FlowStart {
  party: ChatParty;
  /** The Update that started this run: a `flow.open` with this id shows the first screen. */
  startedBy: number;
  param?: string;
  settings: FlowSettings;
}

/** Deployment settings a flow needs, passed in because workflow code reads no config. */
export interface FlowSettings {
  inactivityMs: number;
  referralBonusUsd: string;
  /** The cashout's rules; its inactivity timeout is `inactivityMs`. */
  cashout: Omit<CashoutSettings, 'inactivityMs'>;
  /** Overrides of the payout workflow's polling and retry defaults (tests). */
  payout?: Partial<PayoutSettings>;
}

/** What a conversation workflow returns when it ends. */
export interface FlowOutcome {
  flow: FlowName;
  state: string;
  screen: Screen;
}

/** Machine state for operators: the current state and the whole machine context. */
export interface MachineState {
  state: string;
  context: unknown;
}

export const stepUpdate = defineUpdate<StepResult, [StepRequest]>('step');
export const screenQuery = defineQuery<StepResult | null>('screen');
export const machineStateQuery = defineQuery<MachineState | null>('machineState');
/** Something outside the conversation changed the prefetched facts: load them again. */
export const contextChangedSignal = defineSignal('contextChanged');

export const searchAttributes = {
  flowType: defineSearchAttributeKey('FlowType', SearchAttributeType.KEYWORD),
  flowState: defineSearchAttributeKey('FlowState', SearchAttributeType.KEYWORD),
  telegramUserId: defineSearchAttributeKey('TelegramUserId', SearchAttributeType.INT),
};

/** Workflow type of each flow, as registered by the worker. */
export const workflowTypes: Record<FlowName, string> = {
  onboarding: 'onboardingFlow',
  menu: 'menuFlow',
  addFunds: 'addFundsFlow',
  cashout: 'cashoutFlow',
};

/** Entity workflows, which outlive a conversation, and their ids. */
export const entityWorkflowTypes = {
  deposit: 'depositWorkflow',
  ratesRefresh: 'refreshRatesWorkflow',
  payout: 'payoutWorkflow',
} as const;

export function depositWorkflowId(depositId: string): string {
  return `deposit-${depositId}`;
}

/** The payout of one cashout; its id is also the payout's idempotency key at the provider. */
export function payoutWorkflowId(cashoutId: string): string {
  return `payout-${cashoutId}`;
}

/** The payout workflow's argument. `settings` overrides the polling defaults (tests). */
export interface PayoutStart {
  cashoutId: string;
  settings?: Partial<PayoutSettings>;
}

/** A verified provider webhook about a payout: its reference is the cashout id. */
export const payoutReportedSignal = defineSignal<[PayoutReported]>('payoutReported');

/**
 * An admin pressed Approve or Reject under a review request. The Update id is the Telegram
 * `update_id`; `from` is checked against the cashout's reviewers, never the button's data.
 */
export interface PayoutReviewRequest {
  from: number;
  decision: ReviewDecision;
}

/** What the reviewing admin is shown once the decision is taken. */
export interface PayoutReviewResult {
  cashoutId: string;
  decision: ReviewDecision;
  amountUsd: string;
}

export const payoutReviewUpdate = defineUpdate<PayoutReviewResult, [PayoutReviewRequest]>(
  'payoutReview',
);

/** The rates schedule's id. */
export const RATES_SCHEDULE_ID = 'rates-refresh';

/** A verified provider webhook about money sent to a deposit's address. */
export const depositSeenSignal = defineSignal<[DepositSeen]>('depositSeen');

/** One active conversation per chat: every flow of a chat runs under this id. */
export function conversationId(chatId: number): string {
  return `chat-${chatId}`;
}

/** Business rejections of a step, as `ApplicationFailure` types the bot tells apart. */
export const rejections = {
  notChatOwner: 'NotChatOwner',
  staleButton: 'StaleButton',
  unexpectedEvent: 'UnexpectedEvent',
  /** A review press from someone who is not one of the cashout's reviewers. */
  notReviewer: 'NotReviewer',
  /** A review press after the cashout was decided. */
  reviewClosed: 'ReviewClosed',
} as const;
