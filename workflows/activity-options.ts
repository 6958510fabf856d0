import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Conversation activities answer a waiting user, so they retry briefly and then let the
 * machine show that the service is unavailable instead of hanging the chat.
 */
export const conversationActivity: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumAttempts: 4 },
};
