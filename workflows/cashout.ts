import { proxyLocalActivities } from '@temporalio/workflow';
import { fromPromise } from 'xstate';
import type { CashoutFlowActivities } from '../activities/cashout-flow.ts';
import type { CashoutActivities } from '../activities/cashouts.ts';
import type { OnboardingActivities } from '../activities/onboarding.ts';
import type {
  QuoteInput,
  ResolveAccountInput,
  SendCashoutCodeInput,
  SubmitInput,
  SubmitResult,
  VerifyCodeInput,
} from '../machines/cashout-actors.ts';
import type { CashoutShortcut } from '../machines/cashout-facts.ts';
import { cashoutMachine, screenOfCashout } from '../machines/cashout.ts';
import { conversationActivity } from './activity-options.ts';
import type { FlowOutcome, FlowStart } from './contract.ts';
import { hostFlow, idempotencyKeys } from './host.ts';
import { startPayout } from './payout.ts';

const activities = proxyLocalActivities<
  CashoutFlowActivities &
    Pick<CashoutActivities, 'submitCashout'> &
    Pick<OnboardingActivities, 'sendEmailCode' | 'verifyEmailCode'>
>(conversationActivity);

/**
 * `/cashout` and the wallet's cash-out buttons. Workflow id `chat-<chatId>`. The submit both
 * commits and starts `payout-<cashoutId>`, which outlives this conversation.
 */
export async function cashoutFlow(start: FlowStart): Promise<FlowOutcome> {
  const key = idempotencyKeys();
  const { party, settings } = start;
  const machine = cashoutMachine.provide({
    actors: {
      resolveAccount: fromPromise(({ input }: { input: ResolveAccountInput }) =>
        activities.resolveBankAccount(input),
      ),
      quote: fromPromise(({ input }: { input: QuoteInput }) => activities.quoteCashout(input)),
      sendCode: fromPromise(async ({ input }: { input: SendCashoutCodeInput }) => {
        const result = await activities.sendEmailCode({
          ...input,
          idempotencyKey: key('sendEmailCode'),
        });
        // The address is the user's own verified one, which no other account can hold.
        if (result.outcome === 'emailTaken')
          throw new Error('verified e-mail held by another user');
        return result;
      }),
      verifyCode: fromPromise(({ input }: { input: VerifyCodeInput }) =>
        activities.verifyEmailCode({ ...input, idempotencyKey: key('verifyEmailCode') }),
      ),
      submit: fromPromise(async ({ input }: { input: SubmitInput }): Promise<SubmitResult> => {
        const result = await activities.submitCashout({
          ...input,
          idempotencyKey: key('submitCashout'),
        });
        if (result.outcome !== 'submitted') {
          // Something changed since the prefetch: the next screen must show it as it is.
          return { ...result, refreshed: await activities.prefetchCashoutContext({ party }) };
        }
        await startPayout(result.cashoutId, party.telegramUserId, settings.payout);
        return result;
      }),
    },
  });

  return hostFlow(start, {
    flow: 'cashout',
    machine,
    prefetch: () => activities.prefetchCashoutContext({ party }),
    input: (facts) => ({
      party,
      settings: { ...settings.cashout, inactivityMs: settings.inactivityMs },
      facts,
      ...(shortcutOf(start.param) ?? {}),
    }),
    screen: screenOfCashout,
  });
}

/**
 * The wallet's shortcuts arrive as the flow's param: `all`, or `again_<saved destination id>`.
 * Neither carries an amount; the machine checks the id against the prefetched destinations.
 */
function shortcutOf(param: string | undefined): { shortcut: CashoutShortcut } | null {
  if (param === 'all') return { shortcut: { kind: 'all' } };
  const again = /^again_(\d{1,18})$/.exec(param ?? '');
  return again ? { shortcut: { kind: 'again', destinationId: again[1]! } } : null;
}
