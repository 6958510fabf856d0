import { codeDigest } from '../../activities/otp.ts';
import {
  conversationId,
  payoutWorkflowId,
  type StepResult,
  type UserEvent,
} from '../../workflows/contract.ts';
import { aParty } from '../support/builders.ts';
import { cashoutHelpers, toNewBtcAddress, until, type Step } from '../support/cashout-stack.ts';
import type { Stack } from '../support/stack.ts';

/** Says one event in the scenario's chat and answers the screen it led to. */
type Say = (event: UserEvent) => Promise<StepResult>;

/**
 * Recorded conversations whose histories are committed under test/replay/histories. Each runs
 * in its own chat and resolves when its workflow has closed. The conversation is recorded as
 * `<name>.json`; a scenario that starts other workflows (a payout) names them in `others`, and
 * `run` answers their ids, recorded as `<name>.<other>.json`.
 */
export interface Scenario {
  name: string;
  chat: number;
  others?: readonly string[];
  run(stack: Stack, say: Say): Promise<void | Record<string, string>>;
}

/** Every file the scenarios record, without the folder. */
export function recordedFiles(): string[] {
  return scenarios.flatMap((scenario) => [
    `${scenario.name}.json`,
    ...(scenario.others ?? []).map((other) => `${scenario.name}.${other}.json`),
  ]);
}

const ADMIN = 5900;

/** Rates, banks and the scenario's user, onboarded with `usd` and perhaps a verified e-mail. */
async function cashoutUser(stack: Stack, chat: number, usd: string, email?: string) {
  const helpers = cashoutHelpers(stack, chat - 1);
  await helpers.freshRates();
  const user = await helpers.aUser(usd, email ?? null);
  if (user.telegramId !== chat) throw new Error(`user ${user.telegramId} is not chat ${chat}`);
  return helpers;
}

/** Says each event and insists on the state it leads to: a recording must be the path meant. */
async function walk(say: Say, steps: Step[]): Promise<StepResult> {
  let last: StepResult | undefined;
  for (const [event, expected] of steps) {
    last = await say(event);
    if (last.screen.state !== expected)
      throw new Error(`${event.type} reached ${last.screen.state}, expected ${expected}`);
  }
  if (!last) throw new Error('walk needs a step');
  return last;
}

/** Confirms the quote, types the code e-mailed to `email` and answers the `done` screen. */
async function confirmWithCode(
  say: Say,
  helpers: ReturnType<typeof cashoutHelpers>,
  chat: number,
  email: string,
): Promise<StepResult> {
  await walk(say, [[{ type: 'cashout.confirm' }, 'pricing.quoted.awaitingCode']]);
  const digest = helpers.codeFor(chat, email);
  return walk(say, [[{ type: 'code.entered', digest }, 'done']]);
}

/** Waits for the payout the `done` screen names to end as `expected`; answers its id. */
async function payoutEnded(stack: Stack, done: StepResult, expected: string) {
  const workflowId = payoutWorkflowId(String(done.screen.data.cashoutId));
  const outcome = await stack.client.workflow.getHandle(workflowId).result();
  if (outcome !== expected) throw new Error(`payout ended ${String(outcome)}, not ${expected}`);
  return { payout: workflowId };
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
  {
    name: 'cashout-crypto-completed',
    chat: 5011,
    others: ['payout'],
    async run(stack, say) {
      const email = 'replay-crypto@example.com';
      const helpers = await cashoutUser(stack, 5011, '100', email);
      stack.rails.payouts.script('succeeded');
      await walk(say, [
        ...toNewBtcAddress('40'),
        [{ type: 'destination.save' }, 'typingLabel'],
        [{ type: 'text.entered', text: 'Cold wallet' }, 'pricing.quoted.reviewing'],
      ]);
      const done = await confirmWithCode(say, helpers, 5011, email);
      return payoutEnded(stack, done, 'succeeded');
    },
  },
  {
    name: 'cashout-ngn-completed',
    chat: 5012,
    others: ['payout'],
    async run(stack, say) {
      await cashoutUser(stack, 5012, '100');
      stack.rails.bank.addAccount('058', '0123456789', 'Adaeze Bankole');
      stack.rails.bank.scriptPayouts('succeeded');
      const done = await walk(say, [
        [{ type: 'flow.open', flow: 'cashout' }, 'choosingAmount'],
        [{ type: 'amount.custom' }, 'typingAmount'],
        [{ type: 'text.entered', text: '30' }, 'choosingMethod'],
        [{ type: 'method.choose', method: 'bank' }, 'choosingBank'],
        [{ type: 'bank.choose', bankCode: '058' }, 'enteringDestination'],
        [{ type: 'text.entered', text: '0123456789' }, 'choosingSave'],
        [{ type: 'destination.useOnce' }, 'pricing.quoted.reviewing'],
        [{ type: 'cashout.confirm' }, 'done'],
      ]);
      return payoutEnded(stack, done, 'succeeded');
    },
  },
  {
    name: 'cashout-cancelled',
    chat: 5013,
    async run(stack, say) {
      await cashoutUser(stack, 5013, '100');
      await walk(say, [
        ...toNewBtcAddress('40'),
        [{ type: 'destination.useOnce' }, 'pricing.quoted.reviewing'],
        [{ type: 'flow.cancel' }, 'cancelled'],
      ]);
    },
  },
  {
    name: 'cashout-admin-rejected',
    chat: 5014,
    others: ['payout'],
    async run(stack, say) {
      const email = 'replay-review@example.com';
      const helpers = await cashoutUser(stack, 5014, '400', email);
      await helpers.anAdmin(ADMIN);
      await walk(say, [
        ...toNewBtcAddress('300'),
        [{ type: 'destination.useOnce' }, 'pricing.quoted.reviewing'],
      ]);
      const done = await confirmWithCode(say, helpers, 5014, email);
      const cashoutId = String(done.screen.data.cashoutId);
      await until('the review request', () =>
        stack.sent.find((sent) => sent.chat_id === ADMIN && sent.text.includes(cashoutId)),
      );
      const reviewed = await stack.conversations.review(cashoutId, 1, {
        from: ADMIN,
        decision: 'reject',
      });
      if (reviewed.kind !== 'reviewed') throw new Error(`review refused: ${reviewed.kind}`);
      return payoutEnded(stack, done, 'rejected');
    },
  },
];

export function partyOf(chat: number) {
  return aParty({ chatId: chat, telegramUserId: chat, firstName: `Replay${chat}` });
}
