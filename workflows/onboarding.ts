import { proxyLocalActivities } from '@temporalio/workflow';
import { fromPromise } from 'xstate';
import {
  onboardingMachine,
  referralCodeOf,
  screenOfOnboarding,
  type FinishInput,
  type SendCodeInput,
  type VerifyCodeInput,
} from '../machines/onboarding.ts';
import type { OnboardingActivities } from '../activities/onboarding.ts';
import { conversationActivity } from './activity-options.ts';
import type { FlowOutcome, FlowStart } from './contract.ts';
import { hostFlow, idempotencyKeys } from './host.ts';

const activities = proxyLocalActivities<OnboardingActivities>(conversationActivity);

/** `/start`: onboarding, then the main menu. Workflow id `chat-<chatId>`. */
export async function onboardingFlow(start: FlowStart): Promise<FlowOutcome> {
  const key = idempotencyKeys();
  const machine = onboardingMachine.provide({
    actors: {
      sendCode: fromPromise(({ input }: { input: SendCodeInput }) =>
        activities.sendEmailCode({ ...input, idempotencyKey: key('sendEmailCode') }),
      ),
      verifyCode: fromPromise(({ input }: { input: VerifyCodeInput }) =>
        activities.verifyEmailCode({ ...input, idempotencyKey: key('verifyEmailCode') }),
      ),
      finish: fromPromise(({ input }: { input: FinishInput }) =>
        activities.finishOnboarding(input),
      ),
    },
  });

  return hostFlow(start, {
    flow: 'onboarding',
    machine,
    prefetch: () =>
      activities.prefetchOnboardingContext({
        party: start.party,
        referralCode: referralCodeOf(start.param),
      }),
    input: (facts) => ({ party: start.party, param: start.param, settings: start.settings, facts }),
    screen: screenOfOnboarding,
  });
}
