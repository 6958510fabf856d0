import type { Screen } from '../../machines/flow.ts';
import { menuButtons as m } from '../codecs/menu.ts';
import { amountSteps } from './cashout-amount.ts';
import { destinationSteps } from './cashout-destination.ts';
import { say, walletRow, type Render } from './cashout-parts.ts';
import { quoteSteps } from './cashout-quote.ts';
import { suspendedView, view, type View } from './view.ts';

const endings: Record<string, Render> = {
  refused: ({ notice }) =>
    view('Cashout not possible', [say(notice) ?? 'This cashout cannot go ahead.'], [walletRow]),
  needsOnboarding: () =>
    view('Almost there', ['Finish signing up first.'], [[['Start', m.encode('start')]]]),
  suspended: suspendedView,
  cancelled: () =>
    view('Cancelled', ['Nothing was sent and your balance is unchanged.'], [walletRow]),
  timedOut: () =>
    view(
      'Timed out',
      ['This cashout waited too long and was cancelled: nothing was sent.'],
      [walletRow],
    ),
};

const states: Record<string, Render> = {
  ...amountSteps,
  ...destinationSteps,
  ...quoteSteps,
  ...endings,
};

/** The cashout's screens, one per state of machines/cashout.ts a user can be shown. */
export function renderCashout(screen: Screen, stamp: string): View {
  const render = states[screen.state];
  if (!render) throw new Error(`cashout has no view for state "${screen.state}"`);
  return render(screen, stamp);
}
