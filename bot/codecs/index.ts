import { addFundsButtons } from './add-funds.ts';
import { cashoutButtons, cashoutChoiceButtons } from './cashout.ts';
import type { KeyboardCodec, Pressed } from './keyboard-codec.ts';
import { menuButtons, menuValueButtons } from './menu.ts';
import { onboardingButtons } from './onboarding.ts';
import { payoutReviewButtons } from './payout.ts';

const codecs: Pick<KeyboardCodec<string>, 'decode'>[] = [
  onboardingButtons,
  menuButtons,
  menuValueButtons,
  addFundsButtons,
  cashoutButtons,
  cashoutChoiceButtons,
  payoutReviewButtons,
];

/**
 * Decodes any button's callback data; data no codec knows is treated as outdated. Telegram
 * never sends more than 64 bytes, so longer data was made up and is refused before any codec.
 */
export function decodeButton(data: string): Pressed {
  if (Buffer.byteLength(data) > 64) return { kind: 'outdated' };

  for (const codec of codecs) {
    const pressed = codec.decode(data);
    if (pressed) return pressed;
  }
  return { kind: 'outdated' };
}
