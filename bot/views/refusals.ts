import type { Refusal } from '../conversations.ts';
import type { Remark } from '../decode.ts';

type Said = Refusal | Remark | 'failure';

/** Short answers to a button press (shown as a toast). */
const toButton: Record<Said, string> = {
  staleButton: 'That button is from an earlier step. Use the newest message.',
  unexpectedEvent: 'That button does not work at this step.',
  notChatOwner: 'This conversation is not yours.',
  noConversation: 'This conversation has ended. Send /menu to start again.',
  notReviewer: 'Only LockBay admins can review this cashout.',
  reviewClosed: 'This cashout has already been decided.',
  outdatedButton: 'That button is from an older version of LockBay. Send /menu.',
  unknownCommand: 'Unknown command.',
  privateChatsOnly: 'LockBay works in private chats only.',
  failure: 'Sorry, something went wrong. Please try again.',
};

/** Answers to a typed message (sent as a message). */
const toMessage: Record<Said, string> = {
  ...toButton,
  unexpectedEvent: 'I was not expecting a message here. Use the buttons above, or send /cancel.',
  noConversation: 'Nothing is in progress. Send /menu to see what you can do.',
  unknownCommand: 'I do not know that command. Send /help to see what I can do.',
};

export function refusalText(said: Said, via: 'button' | 'message'): string {
  return via === 'button' ? toButton[said] : toMessage[said];
}
