import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Update } from 'node-telegram-bot-api/types';
import { codeDigest } from '../../activities/otp.ts';
import { menuButtons } from '../../bot/codecs/menu.ts';
import { onboardingButtons } from '../../bot/codecs/onboarding.ts';
import { decodeUpdate } from '../../bot/decode.ts';

const secret = 'a-test-secret-of-at-least-thirty-two-chars';
const from = { id: 7, is_bot: false, first_name: 'Ada', username: 'ada' };
const chat = { id: 7, type: 'private' as const, first_name: 'Ada' };

const message = (text: string, chatType: 'private' | 'group' = 'private'): Update => ({
  update_id: 10,
  message: { message_id: 1, date: 0, chat: { ...chat, type: chatType }, from, text },
});
const press = (data: string): Update => ({
  update_id: 11,
  callback_query: {
    id: 'q1',
    from,
    chat_instance: 'c',
    data,
    message: { message_id: 5, date: 0, chat, from: { ...from, id: 1, is_bot: true } },
  },
});

describe('decoding Telegram updates into machine events', () => {
  it('turns /start with a deep link into opening onboarding with its parameter', () => {
    const decoded = decodeUpdate(message('/start ref_ABCD2345'), secret);
    assert.equal(decoded.kind, 'step');
    assert.deepEqual(decoded.kind === 'step' && decoded.request, {
      updateId: 10,
      from: 7,
      event: { type: 'flow.open', flow: 'onboarding', param: 'ref_ABCD2345' },
    });
  });

  it('turns six typed digits, spaced or not, into a keyed digest and never the digits', () => {
    for (const text of ['123456', ' 123 456 ', '123-456']) {
      const decoded = decodeUpdate(message(text), secret);
      assert.deepEqual(decoded.kind === 'step' && decoded.request.event, {
        type: 'code.entered',
        digest: codeDigest(secret, 7, '123456'),
      });
      assert.ok(!JSON.stringify(decoded).includes('123456'));
    }
  });

  it('keeps other text as text, including five or seven digits', () => {
    for (const text of ['12345', '1234567', 'ada@example.com', '']) {
      const decoded = decodeUpdate(message(text), secret);
      assert.deepEqual(decoded.kind === 'step' && decoded.request.event, {
        type: 'text.entered',
        text,
      });
    }
  });

  it('answers an unknown command and a group chat without asking any flow', () => {
    assert.deepEqual(pick(decodeUpdate(message('/launch'), secret)), 'unknownCommand');
    assert.deepEqual(pick(decodeUpdate(message('/start', 'group'), secret)), 'privateChatsOnly');
  });

  it('decodes a button into its event with the stamp of its screen', () => {
    const decoded = decodeUpdate(press(onboardingButtons.encode('skip', 'ab12')), secret);
    assert.equal(decoded.kind, 'step');
    assert.deepEqual(decoded.kind === 'step' && decoded.request, {
      updateId: 11,
      from: 7,
      stamp: 'ab12',
      event: { type: 'email.skip' },
    });
    assert.deepEqual(decoded.kind === 'step' && decoded.source, {
      kind: 'callback',
      callbackQueryId: 'q1',
      messageId: 5,
    });
  });

  it('recognises buttons of an older version, unknown actions and foreign data as outdated', () => {
    for (const data of ['ob0:skip:ab12', 'ob1:teleport:ab12', 'zz9:whatever', '']) {
      assert.equal(pick(decodeUpdate(press(data), secret)), 'outdatedButton', data);
    }
  });

  it('lets menu buttons open flows without a stamp', () => {
    const decoded = decodeUpdate(press(menuButtons.encode('invite')), secret);
    assert.deepEqual(decoded.kind === 'step' && decoded.request.event, {
      type: 'flow.open',
      flow: 'menu',
      param: 'invite',
    });
  });

  it('refuses to encode callback data over Telegram’s 64 bytes', () => {
    assert.throws(() => onboardingButtons.encode('skip', 'x'.repeat(60)), /64 bytes/);
  });
});

function pick(decoded: ReturnType<typeof decodeUpdate>): string {
  return decoded.kind === 'remark' ? decoded.remark : decoded.kind;
}
