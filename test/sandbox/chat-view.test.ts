import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ChatEvent, EmulatedMessage } from '../../bot/emulator/protocol.ts';
import { applyEvents, emptyChat } from '../../bot/sandbox/page/chat-view.ts';

const bot = { id: 7, is_bot: true, first_name: 'LockBay' };
const user = { id: 1001, is_bot: false, first_name: 'Ada' };
const chat = { id: 1001, type: 'private' as const };

const message = (message_id: number, text: string, from = bot): EmulatedMessage => ({
  message_id,
  text,
  from,
  chat,
  date: 1_800_000_000,
});

const history: ChatEvent[] = [
  { seq: 1, kind: 'message', from: 'user', message: message(1, '/start', user) },
  { seq: 2, kind: 'chat_action', action: 'typing' },
  { seq: 3, kind: 'message', from: 'bot', message: message(2, 'Welcome') },
  { seq: 4, kind: 'callback_answer', callback_query_id: 'q1', text: 'Done', show_alert: false },
  { seq: 5, kind: 'edit', message: message(2, 'Your e-mail') },
];

describe('the chat view', () => {
  it('shows messages in order with edits applied in place', () => {
    const view = applyEvents(emptyChat, history, false);

    assert.deepEqual(
      view.messages.map((each) => [each.message_id, each.text]),
      [
        [1, '/start'],
        [2, 'Your e-mail'],
      ],
    );
    assert.deepEqual([...view.edited], [2]);
    assert.equal(view.seq, 5);
  });

  it('raises callback answers and typing only for live events, not for history', () => {
    assert.equal(applyEvents(emptyChat, history, false).notice, undefined);

    const live = applyEvents(emptyChat, history.slice(0, 4), true);
    assert.deepEqual(live.notice, { seq: 4, text: 'Done', alert: false });
    assert.equal(live.typingSince, undefined, 'the bot message ended the typing');
    assert.equal(applyEvents(emptyChat, history.slice(0, 2), true).typingSince, 2);
  });

  it('ignores events it has applied already, as a resumed stream may repeat them', () => {
    const view = applyEvents(emptyChat, history, false);
    const again = applyEvents(view, history.slice(2), true);

    assert.equal(again, view);
  });

  it('removes deleted messages', () => {
    const deleted: ChatEvent = { seq: 6, kind: 'delete', message_id: 1 };
    const view = applyEvents(emptyChat, [...history, deleted], false);

    assert.deepEqual(
      view.messages.map((each) => each.message_id),
      [2],
    );
  });
});
