import type { DepositNotice } from '../../machines/deposit.ts';
import { assetLabels } from './add-funds.ts';
import { formatMoney } from './money.ts';
import { view, type View } from './view.ts';

const amountOf = (amount: string | undefined) =>
  (amount ?? '0').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

/** What the deposit workflow tells a user about their deposit. */
export function renderDepositNotice(notice: DepositNotice): View {
  const asset = assetLabels[notice.data.asset as keyof typeof assetLabels] ?? notice.data.asset;
  if (notice.state === 'seen') {
    return view('Deposit seen', [
      `${amountOf(notice.data.amount)} ${asset} is on its way. Your wallet is credited once the network confirms it.`,
    ]);
  }
  return view('Deposit credited', [
    `${amountOf(notice.data.amount)} ${asset} arrived: ${formatMoney(notice.data.usdAmount ?? '0', 'USD')} ` +
      'was added to your wallet.',
  ]);
}
