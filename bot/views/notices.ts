import type { Notice } from '../../machines/flow.ts';
import { isAmount } from '../../machines/money.ts';
import { formatMoney } from './money.ts';
import { fill } from './view.ts';

const texts: Record<string, string> = {
  'email.empty': 'Please type an e-mail address, or press Skip.',
  'email.tooLong': 'That address is too long: e-mail addresses have at most 254 characters.',
  'email.invalid':
    'That does not look like an e-mail address. It should look like name@example.com.',
  'email.looksLikeCode':
    'That looks like a code, not an e-mail address. Type your e-mail address first.',
  'email.taken': 'That e-mail address is already in use. Use another one, or skip this step.',
  'email.verified': '✅ E-mail verified.',
  'code.sent': 'Code sent. It is valid for {validMinutes} minutes.',
  'code.format': 'The code is the 6 digits from the e-mail, for example 123456.',
  'code.wrong': 'That code is not right. {triesLeft} tries left.',
  'code.locked':
    'Too many wrong tries: that code no longer works. Press Resend code for a new one.',
  'code.expired': 'That code has expired. Press Resend code for a new one.',
  'code.resendTooSoon': 'Please wait {seconds} seconds before asking for another code.',
  'code.hourlyLimit':
    'Too many codes this hour. Try again in {minutes} minutes, or skip the e-mail for now.',
  'service.unavailable': 'Something went wrong on our side. Please try again in a moment.',
};

/**
 * The sentence for a machine's notice: the flow's own wording first, then the shared one.
 * An unknown code is shown as itself, never hidden; the views tests fail on any code a machine
 * can set that has no sentence. Values named `…Usd` are shown as dollars.
 */
export function noticeText(
  notice: Notice | null | undefined,
  flowTexts: Record<string, string> = {},
): string | null {
  if (!notice) return null;
  const table = [flowTexts, texts].find((candidate) => Object.hasOwn(candidate, notice.code));
  return table ? fill(table[notice.code]!, shown(notice.values ?? {})) : notice.code;
}

function shown(values: Record<string, string | number>): Record<string, string | number> {
  const dollars = ([name, value]: [string, string | number]) =>
    name.endsWith('Usd') && typeof value === 'string' && isAmount(value)
      ? [name, formatMoney(value, 'USD')]
      : [name, value];
  return Object.fromEntries(Object.entries(values).map(dollars));
}
