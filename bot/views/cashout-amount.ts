import type { Bank } from '../../machines/cashout-facts.ts';
import type { CryptoAsset } from '../../machines/money.ts';
import { cashoutButtons as b, cashoutChoiceButtons as c } from '../codecs/cashout.ts';
import { assetLabels } from './add-funds.ts';
import {
  backAndCancelRow,
  describeDestination,
  pairs,
  say,
  usd,
  type Render,
  type ShownDestination,
} from './cashout-parts.ts';
import { view, type Button } from './view.ts';

/** The cashout's first steps: how much, and through which asset or bank. */

interface AmountData {
  withdrawableUsd: string;
  minUsd: string;
  maxUsd: string;
  /** `maxUsd` is the cap for users without a verified e-mail. */
  capped: boolean;
  /** Fixed by an *… again* shortcut, or kept from a quote the user went back from. */
  destination: ShownDestination | null;
}

const assetActions = {
  BTC: 'btc',
  ETH: 'eth',
  LTC: 'ltc',
  USDT_TRC20: 'usdttrc',
  USDT_ERC20: 'usdterc',
} as const;

const limitsLine = ({ minUsd, maxUsd, capped }: AmountData) =>
  capped
    ? `A cashout is ${usd(minUsd)} to ${usd(maxUsd)} while your e-mail is not verified.`
    : `A cashout is ${usd(minUsd)} to ${usd(maxUsd)}.`;

export const amountSteps: Record<string, Render> = {
  choosingAmount: ({ data, notice }, stamp) => {
    const amount = data as unknown as AmountData;
    return view(
      'Cash out',
      [
        say(notice),
        amount.destination ? `To ${describeDestination(amount.destination)}` : null,
        `You can cash out ${usd(amount.withdrawableUsd)}. ${limitsLine(amount)}`,
        'How much do you want to cash out?',
      ],
      [
        [[`All (${usd(amount.withdrawableUsd)})`, b.encode('all', stamp)]],
        [['Other amount', b.encode('custom', stamp)]],
        backAndCancelRow(stamp),
      ],
    );
  },

  typingAmount: ({ data, notice }, stamp) => {
    const amount = data as unknown as AmountData;
    return view(
      'Cash out: amount',
      [
        say(notice),
        `Type the amount in dollars, for example 25 or 12.50. ${limitsLine(amount)}`,
        `You can cash out ${usd(amount.withdrawableUsd)}.`,
      ],
      [backAndCancelRow(stamp)],
    );
  },

  choosingMethod: ({ data, notice }, stamp) =>
    view(
      `Cash out ${usd(String(data.amountUsd))}`,
      [say(notice), 'Where should the money go?'],
      [
        [
          ['Crypto', b.encode('crypto', stamp)],
          ['Nigerian bank (NGN)', b.encode('bank', stamp)],
        ],
        backAndCancelRow(stamp),
      ],
    ),

  choosingAsset: ({ data, notice }, stamp) => {
    const assets = data.assets as CryptoAsset[];
    const buttons = assets.map((asset): Button => [
      assetLabels[asset],
      b.encode(assetActions[asset], stamp),
    ]);
    return view(
      `Cash out ${usd(String(data.amountUsd))} in crypto`,
      [say(notice), 'Which asset? The network fee is taken from what is sent; the quote shows it.'],
      [...pairs(buttons), backAndCancelRow(stamp)],
    );
  },

  // TODO(cashout): Telegram refuses a keyboard of more than about 100 buttons; a longer bank
  // list needs paging, which is the machine's to model (a page event). Today every bank gets one.
  choosingBank: ({ data, notice }, stamp) => {
    const banks = data.banks as Bank[];
    const buttons = banks.map((bank): Button => [bank.name, c.encode('b', bank.code, stamp)]);
    return view(
      `Cash out ${usd(String(data.amountUsd))} to a bank`,
      [
        say(notice),
        banks.length > 0
          ? 'Which bank holds your naira account?'
          : 'No bank can be paid right now. Go back and choose crypto, or try again later.',
      ],
      [...pairs(buttons), backAndCancelRow(stamp)],
    );
  },
};
