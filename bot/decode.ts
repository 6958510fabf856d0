import type { Update } from 'node-telegram-bot-api/types';
import type { ChatParty } from '../machines/flow.ts';
import { asCode, codeDigest } from '../activities/otp.ts';
import type { PayoutReviewRequest, StepRequest, UserEvent } from '../workflows/contract.ts';
import { decodeButton } from './codecs/index.ts';
import { commands, parseCommand } from './commands.ts';

/** Where an update came from, so the answer can edit the pressed message or send a new one. */
export type Source =
  | { kind: 'message' }
  | { kind: 'callback'; callbackQueryId: string; messageId: number | undefined };

/** Said without asking any flow: the update carries nothing a flow could take. */
export type Remark = 'outdatedButton' | 'unknownCommand' | 'privateChatsOnly';

/** An admin's Approve or Reject, for the payout workflow of `cashoutId`. */
export interface ReviewPress {
  cashoutId: string;
  updateId: number;
  request: PayoutReviewRequest;
}

export type Incoming =
  | { kind: 'step'; party: ChatParty; request: StepRequest; source: Source }
  | { kind: 'review'; party: ChatParty; review: ReviewPress; source: Source }
  | { kind: 'remark'; party: ChatParty; remark: Remark; source: Source }
  | { kind: 'ignored' };

/**
 * Turns a Telegram update into a machine event for the chat's flow. Six typed digits become a
 * keyed digest here, so a one-time code never reaches workflow history in the clear.
 */
export function decodeUpdate(update: Update, otpSecret: string): Incoming {
  const callback = 'callback_query' in update ? update.callback_query : undefined;
  if (callback) {
    const chat = callback.message?.chat;
    if (!chat) return { kind: 'ignored' };

    const party = partyOf(chat.id, callback.from);
    const source: Source = {
      kind: 'callback',
      callbackQueryId: callback.id,
      messageId: callback.message?.message_id,
    };
    if (chat.type !== 'private')
      return { kind: 'remark', party, remark: 'privateChatsOnly', source };

    const pressed = decodeButton(callback.data ?? '');
    if (pressed.kind === 'outdated')
      return { kind: 'remark', party, remark: 'outdatedButton', source };
    if (pressed.kind === 'review') {
      const { cashoutId, decision } = pressed;
      const request = { from: party.telegramUserId, decision };
      return {
        kind: 'review',
        party,
        review: { cashoutId, updateId: update.update_id, request },
        source,
      };
    }
    return step(party, update.update_id, pressed.event, source, pressed.stamp);
  }

  const message = 'message' in update ? update.message : undefined;
  if (!message?.from) return { kind: 'ignored' };

  const party = partyOf(message.chat.id, message.from);
  const source: Source = { kind: 'message' };
  if (message.chat.type !== 'private')
    return { kind: 'remark', party, remark: 'privateChatsOnly', source };

  const text = message.text ?? '';
  const command = parseCommand(text);
  if (command) {
    const known = commands[command.name];
    if (!known) return { kind: 'remark', party, remark: 'unknownCommand', source };
    return step(party, update.update_id, known.event(command.param), source);
  }

  const code = asCode(text);
  const event: UserEvent = code
    ? { type: 'code.entered', digest: codeDigest(otpSecret, party.telegramUserId, code) }
    : { type: 'text.entered', text };
  return step(party, update.update_id, event, source);
}

function partyOf(
  chatId: number,
  from: { id: number; first_name: string; username?: string },
): ChatParty {
  return {
    chatId,
    telegramUserId: from.id,
    firstName: from.first_name,
    ...(from.username ? { username: from.username } : {}),
  };
}

function step(
  party: ChatParty,
  updateId: number,
  event: UserEvent,
  source: Source,
  stamp?: string,
): Incoming {
  const request: StepRequest = { updateId, from: party.telegramUserId, event };
  if (stamp) request.stamp = stamp;
  return { kind: 'step', party, request, source };
}
