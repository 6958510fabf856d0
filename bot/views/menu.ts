import type { Screen } from '../../machines/flow.ts';
import type { MenuFacts } from '../../machines/menu.ts';
import { menuButtons as m } from '../codecs/menu.ts';
import { commands } from '../commands.ts';
import { formatMoney } from './money.ts';
import { suspendedView, view, type View, type ViewContext } from './view.ts';
import { activityPage, walletPage } from './wallet.ts';

type Render = (facts: MenuFacts, context: ViewContext) => View;

const back: [string, string] = ['Back to menu', m.encode('main')];

const pages: Record<string, Render> = {
  main: (facts) => {
    const usd = facts.wallets?.USD;
    return view(
      'Main menu',
      [
        `Hi ${facts.firstName}!`,
        usd
          ? `Wallet: ${formatMoney(usd.available, 'USD')} available` +
            `, ${formatMoney(usd.tradingCredit, 'USD')} trading credit.`
          : null,
      ],
      [
        [
          [usd ? `Wallet (${formatMoney(usd.available, 'USD')})` : 'Wallet', m.encode('wallet')],
          ['Add funds', m.encode('addfunds')],
        ],
        [
          ['Invite friends', m.encode('invite')],
          ['Settings & help', m.encode('help')],
        ],
      ],
    );
  },

  wallet: walletPage,
  activity: activityPage,

  invite: (facts, { botUsername }) =>
    view(
      'Invite friends',
      [
        `Your code: ${facts.referralCode}`,
        `Your link: https://t.me/${botUsername}?start=ref_${facts.referralCode}`,
        `Friends who joined: ${facts.referralCount}.`,
        'A friend who joins with your link gets trading credit when they finish signing up.',
      ],
      [[back]],
    ),

  help: () =>
    view(
      'Settings & help',
      [
        Object.entries(commands)
          .map(([name, command]) => `/${name} — ${command.description}`)
          .join('\n'),
        'Cancel works at every step: press Cancel or send /cancel.',
      ],
      [[back]],
    ),

  needsOnboarding: () =>
    view('Almost there', ['Finish signing up first.'], [[['Start', m.encode('start')]]]),

  suspended: suspendedView,
};

/** The main menu and its pages. */
export function renderMenu(screen: Screen, context: ViewContext): View {
  const render = pages[screen.state];
  if (!render) throw new Error(`menu has no view for state "${screen.state}"`);
  return render(screen.data as unknown as MenuFacts, context);
}
