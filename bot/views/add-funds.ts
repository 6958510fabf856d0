import type { Screen } from '../../machines/flow.ts';
import type { OpenedDeposit } from '../../machines/add-funds.ts';
import { addFundsButtons as b } from '../codecs/add-funds.ts';
import { noticeText } from './notices.ts';
import { suspendedView, view, type View } from './view.ts';

type Render = (screen: Screen, stamp: string) => View;

/** How each asset is named on buttons and screens. */
export const assetLabels = {
  BTC: 'Bitcoin (BTC)',
  ETH: 'Ether (ETH)',
  LTC: 'Litecoin (LTC)',
  USDT_TRC20: 'USDT on Tron (TRC20)',
  USDT_ERC20: 'USDT on Ethereum (ERC20)',
} as const;

const states: Record<string, Render> = {
  choosingAsset: ({ notice }, stamp) =>
    view(
      'Add funds',
      [
        noticeText(notice),
        'Which asset will you send? Your USD wallet is credited at the rate of the moment it is confirmed.',
      ],
      [
        [
          [assetLabels.BTC, b.encode('btc', stamp)],
          [assetLabels.ETH, b.encode('eth', stamp)],
        ],
        [
          [assetLabels.LTC, b.encode('ltc', stamp)],
          [assetLabels.USDT_TRC20, b.encode('usdttrc', stamp)],
        ],
        [[assetLabels.USDT_ERC20, b.encode('usdterc', stamp)]],
        [['Cancel', b.encode('cancel', stamp)]],
      ],
    ),

  showingAddress: ({ data }) => {
    const deposit = data as unknown as OpenedDeposit;
    return view(`Send ${assetLabels[deposit.asset]}`, [
      `Address:\n${deposit.address}`,
      `Send at least ${deposit.minimum.replace(/\.?0+$/, '')} ${deposit.asset.replace('_', ' ')}. ` +
        `Use this address before ${new Date(deposit.expiresAt).toUTCString()}.`,
      'I will tell you when the deposit is seen and when your wallet is credited.',
    ]);
  },

  needsOnboarding: () => view('Almost there', ['Finish signing up first: send /start.']),
  suspended: suspendedView,
  cancelled: () => view('Cancelled', ['No address was made. Send /menu for the main menu.']),
  timedOut: () => view('Timed out', ['Send /menu to start again.']),
};

/** Add funds' screens. */
export function renderAddFunds(screen: Screen, stamp: string): View {
  const render = states[screen.state];
  if (!render) throw new Error(`addFunds has no view for state "${screen.state}"`);
  return render(screen, stamp);
}
