import type { Api } from 'node-telegram-bot-api';
import type { DepositNotice } from '../machines/deposit.ts';
import { renderDepositNotice } from '../bot/views/deposit.ts';

/**
 * Messages a user outside a conversation (an entity workflow's news). Telegram has no
 * idempotency key, so a retry after a lost response may send twice.
 * TODO(notify): record sent notices by key if duplicates prove a problem in practice.
 */
export function createNotifyActivities({ telegram }: { telegram: Pick<Api, 'sendMessage'> }) {
  return {
    async notifyDeposit(notice: DepositNotice): Promise<void> {
      const shown = renderDepositNotice(notice);
      await telegram.sendMessage({
        chat_id: notice.chatId,
        text: shown.text,
        entities: shown.entities,
      });
    },
  };
}

export type NotifyActivities = ReturnType<typeof createNotifyActivities>;
