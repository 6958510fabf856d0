import { keyboardCodec } from './keyboard-codec.ts';

/** Buttons of the onboarding screens; each press is stamped with its screen. */
export const onboardingButtons = keyboardCodec({
  prefix: 'ob',
  version: 1,
  actions: {
    begin: { type: 'onboarding.begin' },
    skip: { type: 'email.skip' },
    change: { type: 'email.change' },
    resend: { type: 'code.resend' },
    accept: { type: 'terms.accept' },
    decline: { type: 'terms.decline' },
    back: { type: 'step.back' },
    cancel: { type: 'flow.cancel' },
  },
});
