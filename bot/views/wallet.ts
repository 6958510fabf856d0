import type { ActivityItem, LastDestination, MenuFacts } from '../../machines/menu.ts';
import { cmp, isNegative, isZero, neg } from '../../machines/money.ts';
import { menuButtons as m, menuValueButtons } from '../codecs/menu.ts';
import { tickerOf } from './cashout-parts.ts';
import { formatMoney } from './money.ts';
import { view, type Button, type View } from './view.ts';

/** The menu's wallet and activity pages. Amounts appear in labels, never in callback data. */

const usd = (amount: string) => formatMoney(amount, 'USD');
const noBalance = { available: '0', held: '0', tradingCredit: '0' };

/** How many movements the activity page lists, newest first. */
const ACTIVITY_SHOWN = 10;

const buckets: Record<ActivityItem['bucket'], string> = {
  available: 'available',
  held: 'held',
  trading_credit: 'trading credit',
};

/** The *… again* button: the last cashout's saved destination, by id only. */
function againButton(destination: LastDestination): Button {
  const what = destination.asset ? tickerOf(destination.asset) : 'Bank';
  return [`${what} again · ${destination.label}`, menuValueButtons.encode('again', destination.id)];
}

function cashoutRows(facts: MenuFacts): Button[][] {
  const rows: Button[][] = [];
  if (cmp(facts.withdrawableUsd, '0') > 0) {
    rows.push([[`Cash out all (${usd(facts.withdrawableUsd)})`, m.encode('cashoutall')]]);
  }
  if (facts.lastDestination) rows.push([againButton(facts.lastDestination)]);
  return rows;
}

export function walletPage(facts: MenuFacts): View {
  const balances = facts.wallets?.USD ?? noBalance;
  const naira = facts.wallets?.NGN.available ?? '0';
  return view(
    'Wallet',
    [
      [
        `Available: ${usd(balances.available)}`,
        `Held: ${usd(balances.held)} (cashouts and trades in progress)`,
        `Trading credit: ${usd(balances.tradingCredit)} (for trades only)`,
      ].join('\n'),
      isZero(naira) ? null : `Naira available: ${formatMoney(naira, 'NGN')}`,
      `You can cash out ${usd(facts.withdrawableUsd)}.`,
    ],
    [
      [
        ['Add funds', m.encode('addfunds')],
        ['Cash out', m.encode('cashout')],
      ],
      ...cashoutRows(facts),
      [['Activity', m.encode('activity')]],
      [['Back to menu', m.encode('main')]],
    ],
  );
}

/** A signed amount: `+$12.50`, `−₦1,500.00`. */
function signed(item: ActivityItem): string {
  return isNegative(item.amount)
    ? `−${formatMoney(neg(item.amount), item.currency)}`
    : `+${formatMoney(item.amount, item.currency)}`;
}

function movement(item: ActivityItem): string {
  const day = new Date(item.at).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return `${day} · ${item.description}\n${signed(item)} ${item.currency} · ${buckets[item.bucket]}`;
}

export function activityPage(facts: MenuFacts): View {
  const items = (facts.activity ?? []).slice(0, ACTIVITY_SHOWN);
  return view('Activity', items.length > 0 ? items.map(movement) : ['No activity yet.'], [
    [['Back to wallet', m.encode('wallet')]],
  ]);
}
