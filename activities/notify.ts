import { log } from '@temporalio/activity';
import type { Api } from 'node-telegram-bot-api';
import type { DepositNotice } from '../machines/deposit.ts';
import type { PayoutFacts, PayoutNotice } from '../machines/payout.ts';
import { renderDepositNotice } from '../bot/views/deposit.ts';
import { renderPayoutNotice, renderReviewRequest } from '../bot/views/payout.ts';
import type { View } from '../bot/views/view.ts';

/**
 * Messages a user outside a conversation (an entity workflow's news). Telegram has no
 * idempotency key, so a retry after a lost response may send twice.
 * TODO(notify): record sent notices by key if duplicates prove a problem in practice.
 */
export function createNotifyActivities({ telegram }: { telegram: Pick<Api, 'sendMessage'> }) {
  const send = (chatId: number, shown: View) =>
    telegram.sendMessage({
      chat_id: chatId,
      text: shown.text,
      entities: shown.entities,
      ...(shown.keyboard ? { reply_markup: shown.keyboard } : {}),
    });

  return {
    async notifyDeposit(notice: DepositNotice): Promise<void> {
      await send(notice.chatId, renderDepositNotice(notice));
    },

    async notifyPayout(notice: PayoutNotice): Promise<void> {
      await send(notice.chatId, renderPayoutNotice(notice));
    },

    /**
     * Sends the review request, with Approve and Reject, to every reviewer. One admin who
     * blocked the bot does not keep it from the others; it fails (and is retried) only when
     * no reviewer could be reached.
     */
    async announcePayoutReview(facts: PayoutFacts): Promise<void> {
      if (facts.reviewers.length === 0) {
        log.warn('no admin can review this cashout', { cashoutId: facts.cashoutId });
        return;
      }
      const shown = renderReviewRequest(facts);
      const results = await Promise.allSettled(facts.reviewers.map((id) => send(id, shown)));
      const failed = results.filter((result) => result.status === 'rejected');
      if (failed.length === results.length) throw failed[0]!.reason;
      if (failed.length > 0) {
        log.warn('some admins missed a review request', {
          cashoutId: facts.cashoutId,
          failed: failed.length,
        });
      }
    },
  };
}

export type NotifyActivities = ReturnType<typeof createNotifyActivities>;
