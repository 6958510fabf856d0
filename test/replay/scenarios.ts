import { codeDigest } from '../../activities/otp.ts';
import { conversationId, type UserEvent } from '../../workflows/contract.ts';
import { aParty } from '../support/builders.ts';
import type { Stack } from '../support/stack.ts';

/**
 * Recorded conversations whose histories are committed under test/replay/histories. Each runs
 * in its own chat and resolves when its workflow has closed.
 */
export interface Scenario {
  name: string;
  chat: number;
  run(stack: Stack, say: (event: UserEvent) => Promise<void>): Promise<void>;
}

const begin: UserEvent[] = [
  { type: 'flow.open', flow: 'onboarding' },
  { type: 'onboarding.begin' },
];

export const scenarios: Scenario[] = [
  {
    name: 'onboarding-completed',
    chat: 5001,
    async run(stack, say) {
      for (const event of begin) await say(event);
      await say({ type: 'text.entered', text: 'not an address' });
      await say({ type: 'text.entered', text: 'replay@example.com' });
      await say({ type: 'code.entered', digest: 'a-wrong-code-digest' });
      const code =
        /(\d{6})/.exec(stack.mailer.latestTo('replay@example.com')?.subject ?? '')?.[1] ?? '';
      await say({ type: 'code.entered', digest: codeDigest(stack.config.otp.secret, 5001, code) });
      await say({ type: 'terms.accept' });
    },
  },
  {
    name: 'onboarding-email-skipped',
    chat: 5002,
    async run(_stack, say) {
      for (const event of begin) await say(event);
      await say({ type: 'email.skip' });
      await say({ type: 'terms.accept' });
    },
  },
  {
    name: 'onboarding-cancelled',
    chat: 5003,
    async run(_stack, say) {
      for (const event of begin) await say(event);
      await say({ type: 'text.entered', text: 'cancel-me@example.com' });
      await say({ type: 'flow.cancel' });
    },
  },
  {
    name: 'onboarding-timed-out',
    chat: 5004,
    async run(stack, say) {
      for (const event of begin) await say(event);
      await stack.client.workflow.getHandle(conversationId(5004)).result();
    },
  },
  {
    name: 'menu-invite',
    chat: 5005,
    async run(_stack, say) {
      await say({ type: 'flow.open', flow: 'menu', param: 'invite' });
    },
  },
];

export function partyOf(chat: number) {
  return aParty({ chatId: chat, telegramUserId: chat, firstName: `Replay${chat}` });
}
