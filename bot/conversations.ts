import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ChatParty } from '../machines/flow.ts';
import {
  conversationId,
  payoutReviewUpdate,
  payoutWorkflowId,
  rejections,
  searchAttributes,
  stepUpdate,
  workflowTypes,
  type FlowSettings,
  type FlowStart,
  type PayoutReviewRequest,
  type PayoutReviewResult,
  type StepRequest,
  type StepResult,
} from '../workflows/contract.ts';

/** Why a step or a review was not taken; each has its own polite answer in bot/views. */
export type Refusal =
  | 'notChatOwner'
  | 'staleButton'
  | 'unexpectedEvent'
  | 'noConversation'
  | 'notReviewer'
  | 'reviewClosed';

type Refused = { kind: 'refused'; refusal: Refusal; detail: string };

export type Delivery = { kind: 'screen'; result: StepResult } | Refused;

export type ReviewDelivery = { kind: 'reviewed'; result: PayoutReviewResult } | Refused;

export interface ConversationOptions {
  taskQueue: string;
  settings: FlowSettings;
}

const refusalOf: Record<string, Refusal> = {
  [rejections.notChatOwner]: 'notChatOwner',
  [rejections.staleButton]: 'staleButton',
  [rejections.unexpectedEvent]: 'unexpectedEvent',
  [rejections.notReviewer]: 'notReviewer',
  [rejections.reviewClosed]: 'reviewClosed',
};

/**
 * Delivers user events to the chat's conversation workflow. A `flow.open` uses
 * update-with-start, so it starts the flow or reaches the running one; Temporal drops a
 * repeated Update id, so a redelivered Telegram update changes state once. Other events go
 * to the running flow only.
 */
export class Conversations {
  constructor(
    private readonly client: Client,
    private readonly options: ConversationOptions,
  ) {}

  async deliver(party: ChatParty, request: StepRequest): Promise<Delivery> {
    try {
      const result =
        request.event.type === 'flow.open'
          ? await this.open(party, request, request.event.flow, request.event.param)
          : await this.client.workflow
              .getHandle(conversationId(party.chatId))
              .executeUpdate(stepUpdate, { args: [request], updateId: String(request.updateId) });
      return { kind: 'screen', result };
    } catch (error) {
      const refused = asRefusal(error);
      if (refused) return refused;
      throw error;
    }
  }

  /**
   * Delivers an admin's Approve or Reject to `payout-<cashoutId>`. The workflow's validator
   * decides whether the presser may review; the Telegram update id dedupes a redelivery.
   */
  async review(cashoutId: string, updateId: number, request: PayoutReviewRequest) {
    try {
      const result = await this.client.workflow
        .getHandle(payoutWorkflowId(cashoutId))
        .executeUpdate(payoutReviewUpdate, { args: [request], updateId: String(updateId) });
      return { kind: 'reviewed', result } satisfies ReviewDelivery;
    } catch (error) {
      // A payout that has ended was decided long ago.
      if (error instanceof WorkflowNotFoundError) {
        const detail = error.message;
        return { kind: 'refused', refusal: 'reviewClosed', detail } satisfies ReviewDelivery;
      }
      const refused = asRefusal(error);
      if (refused) return refused;
      throw error;
    }
  }

  private async open(
    party: ChatParty,
    request: StepRequest,
    flow: keyof typeof workflowTypes,
    param: string | undefined,
  ): Promise<StepResult> {
    // The running flow may cancel itself to make way; its run closes right after answering.
    // Temporal remembers an Update id across that closed run, so the second try carries its
    // own id; the new run still knows the Telegram update that started it (`startedBy`).
    const workflowId = conversationId(party.chatId);
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.client.workflow.executeUpdateWithStart(stepUpdate, {
        args: [request],
        updateId: attempt === 1 ? String(request.updateId) : `${request.updateId}:${attempt}`,
        startWorkflowOperation: this.startOperation(party, request, flow, param),
      });
      if (!result.superseded || attempt === 3) return result;
      await this.client.workflow
        .getHandle(workflowId)
        .result()
        .catch(() => undefined);
    }
  }

  private startOperation(
    party: ChatParty,
    request: StepRequest,
    flow: keyof typeof workflowTypes,
    param?: string,
  ) {
    const start: FlowStart = {
      party,
      startedBy: request.updateId,
      settings: this.options.settings,
      ...(param !== undefined ? { param } : {}),
    };

    return new WithStartWorkflowOperation(workflowTypes[flow], {
      workflowId: conversationId(party.chatId),
      taskQueue: this.options.taskQueue,
      args: [start],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `${flow} · Telegram user ${party.telegramUserId}`,
      typedSearchAttributes: [
        { key: searchAttributes.flowType, value: flow },
        { key: searchAttributes.flowState, value: 'starting' },
        { key: searchAttributes.telegramUserId, value: party.telegramUserId },
      ],
    });
  }
}

function asRefusal(error: unknown): Refused | undefined {
  if (error instanceof WorkflowNotFoundError) {
    return { kind: 'refused', refusal: 'noConversation', detail: error.message };
  }
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const refusal = refusalOf[error.cause.type ?? ''];
    if (refusal) return { kind: 'refused', refusal, detail: error.cause.message };
  }
  return undefined;
}
