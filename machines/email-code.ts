import type { Notice } from './flow.ts';
import type { SendCodeResult, VerifyCodeResult } from './onboarding.ts';

/**
 * What the user is told after an e-mail code was (or was not) sent, in every flow that asks for
 * one. Onboarding can also hear that the address is taken.
 */
export function codeSentNotice(result: SendCodeResult): Notice {
  switch (result.outcome) {
    case 'sent':
      return { code: 'code.sent', values: { validMinutes: result.validMinutes } };
    case 'cooldown':
      return { code: 'code.resendTooSoon', values: { seconds: result.retryInSeconds } };
    case 'hourlyLimit':
      return { code: 'code.hourlyLimit', values: { minutes: result.retryInMinutes } };
    case 'emailTaken':
      return { code: 'email.taken' };
  }
}

/** What the user is told after typing a code; `verified` names the flow's success notice. */
export function codeCheckedNotice(result: VerifyCodeResult, verified: string): Notice {
  switch (result.outcome) {
    case 'wrong':
      return { code: 'code.wrong', values: { triesLeft: result.triesLeft } };
    case 'locked':
      return { code: 'code.locked' };
    case 'expired':
      return { code: 'code.expired' };
    case 'verified':
      return { code: verified };
  }
}
