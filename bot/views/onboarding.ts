import type { Screen } from '../../machines/flow.ts';
import type { Referrer } from '../../machines/onboarding.ts';
import { onboardingButtons as b } from '../codecs/onboarding.ts';
import { formatMoney } from './money.ts';
import { noticeText } from './notices.ts';
import { suspendedView, view, type View } from './view.ts';

type Render = (screen: Screen, stamp: string) => View;

const cancel = (stamp: string): [string, string] => ['Cancel', b.encode('cancel', stamp)];

const states: Record<string, Render> = {
  welcome: ({ data, notice }, stamp) => {
    const referrer = data.referrer as Referrer | undefined;
    const bonus = typeof data.bonusUsd === 'string' ? formatMoney(data.bonusUsd, 'USD') : null;
    return view(
      `Welcome to LockBay, ${String(data.firstName)}!`,
      [
        referrer && bonus
          ? `${referrer.firstName} invited you: you get ${bonus} trading credit when you finish.`
          : null,
        'Trade safely with escrow, hold a USD wallet, and cash out to crypto or a Nigerian bank.',
        noticeText(notice),
      ],
      [[['Get started', b.encode('begin', stamp)]], [cancel(stamp)]],
    );
  },

  askingEmail: ({ notice }, stamp) =>
    view(
      'Your e-mail (optional)',
      [
        noticeText(notice),
        'Type your e-mail address: we send receipts there and protect cashouts with a code.',
        'Without a verified e-mail, each cashout is limited to $50.',
      ],
      [[['Skip', b.encode('skip', stamp)]], [['Back', b.encode('back', stamp)], cancel(stamp)]],
    ),

  awaitingCode: ({ data, notice }, stamp) =>
    view(
      'Check your e-mail',
      [noticeText(notice), `We sent a 6-digit code to ${String(data.email)}. Type it here.`],
      [
        [
          ['Resend code', b.encode('resend', stamp)],
          ['Change e-mail', b.encode('change', stamp)],
        ],
        [cancel(stamp)],
      ],
    ),

  terms: ({ notice }, stamp) =>
    view(
      'Terms of use',
      [
        noticeText(notice),
        'LockBay holds a trade’s payment until the buyer releases it or an admin settles a ' +
          'dispute. Fees are shown before you confirm. You keep your account safe and trade ' +
          'only what the law allows where you live.',
        'Do you accept these terms?',
      ],
      [
        [
          ['Accept', b.encode('accept', stamp)],
          ['Decline', b.encode('decline', stamp)],
        ],
        [['Back', b.encode('back', stamp)], cancel(stamp)],
      ],
    ),

  declined: () =>
    view('Terms declined', [
      'You need to accept the terms to use LockBay. Send /start to begin again.',
    ]),
  cancelled: () => view('Cancelled', ['Nothing was saved. Send /start whenever you are ready.']),
  timedOut: () =>
    view('Timed out', ['This conversation was idle for too long. Send /start to continue.']),
  suspended: suspendedView,
};

/** Onboarding's screens. */
export function renderOnboarding(screen: Screen, stamp: string): View {
  const render = states[screen.state];
  if (!render) throw new Error(`onboarding has no view for state "${screen.state}"`);
  return render(screen, stamp);
}
