import { addFundsButtons } from './add-funds.ts';
import type { KeyboardCodec, Pressed } from './keyboard-codec.ts';
import { menuButtons } from './menu.ts';
import { onboardingButtons } from './onboarding.ts';
import { payoutReviewButtons } from './payout.ts';

const codecs: Pick<KeyboardCodec<string>, 'decode'>[] = [
  onboardingButtons,
  menuButtons,
  addFundsButtons,
  payoutReviewButtons,
];

/** Decodes any button's callback data; data no codec knows is treated as outdated. */
export function decodeButton(data: string): Pressed {
  for (const codec of codecs) {
    const pressed = codec.decode(data);
    if (pressed) return pressed;
  }
  return { kind: 'outdated' };
}
