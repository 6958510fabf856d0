import type { LocalActivityOptions } from '@temporalio/workflow';

/**
 * Conversation activities answer a waiting user: one short SQL statement or an e-mail. They run
 * as local activities, inside the workflow task, which saves the activity task's round trips
 * through the server on every commit step. They retry briefly and then let the machine show
 * that the service is unavailable instead of hanging the chat.
 */
export const conversationActivity: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumAttempts: 4 },
};
