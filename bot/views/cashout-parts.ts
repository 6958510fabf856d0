import type { PayoutCurrency } from '../../machines/cashout-commit.ts';
import type { Destination } from '../../machines/cashout-facts.ts';
import type { Notice, Screen } from '../../machines/flow.ts';
import { formatAmount, type CryptoAsset } from '../../machines/money.ts';
import { cashoutButtons as b } from '../codecs/cashout.ts';
import { menuButtons as m } from '../codecs/menu.ts';
import { assetLabels } from './add-funds.ts';
import { cashoutNoticeTexts } from './cashout-notices.ts';
import { formatMoney } from './money.ts';
import { noticeText } from './notices.ts';
import type { Button, View } from './view.ts';

/** What the cashout views share: how they read the screen, name money and place buttons. */

export type Render = (screen: Screen, stamp: string) => View;

/** The chosen rail as machines/cashout-screen.ts shows it. */
export interface ShownChoice {
  method: 'crypto' | 'bank';
  asset?: CryptoAsset | null;
  bankCode?: string | null;
  bankName?: string | null;
}

/** A chosen destination as the screen shows it: the rail, then where. */
export type ShownDestination = Destination & ShownChoice;

export const usd = (amount: string) => formatMoney(amount, 'USD');

/** A payout amount in its currency: naira to the kobo, coins to 8 places. */
export function inCurrency(amount: string, currency: PayoutCurrency): string {
  if (currency === 'NGN') return formatMoney(amount, 'NGN');
  return `${formatAmount(currency, amount)} ${currency}`;
}

/** An asset as short as a button needs: `BTC`, `USDT TRC20`. */
export const tickerOf = (asset: CryptoAsset) => asset.replace('_', ' ');

export const say = (notice: Notice | null | undefined) => noticeText(notice, cashoutNoticeTexts);

export const cancelRow = (stamp: string): Button[] => [['Cancel', b.encode('cancel', stamp)]];

export const backAndCancelRow = (stamp: string): Button[] => [
  ['Back', b.encode('back', stamp)],
  ['Cancel', b.encode('cancel', stamp)],
];

/** Opens the wallet page: it works from any ended cashout, so it carries no stamp. */
export const walletRow: Button[] = [['Wallet', m.encode('wallet')]];

/** Buttons two to a row. */
export function pairs(buttons: Button[]): Button[][] {
  const rows: Button[][] = [];
  for (let index = 0; index < buttons.length; index += 2)
    rows.push(buttons.slice(index, index + 2));
  return rows;
}

/** The asset or bank a payout goes through. */
export function railOf(choice: ShownChoice): string {
  if (choice.method === 'bank') return choice.bankName ?? `bank ${choice.bankCode ?? ''}`;
  return choice.asset ? assetLabels[choice.asset] : 'crypto';
}

/** Where the money goes: a saved one by its name and mask, a new one in full to check. */
export function describeDestination(destination: ShownDestination): string {
  const rail = railOf(destination);
  switch (destination.kind) {
    case 'saved':
      return destination.method === 'bank'
        ? `${destination.label}: account ${destination.masked} (${destination.accountName}) at ${rail}`
        : `${destination.label}: ${rail} address ${destination.masked}`;
    case 'address':
      return `${rail} address:\n${destination.address}`;
    case 'account':
      return `Account ${destination.accountNumber} at ${rail}, held by ${destination.accountName}`;
  }
}
