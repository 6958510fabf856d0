import type { PayoutDestination, PayoutFacts, PayoutNotice } from '../../machines/payout.ts';
import type { PayoutReviewResult } from '../../workflows/contract.ts';
import { payoutReviewButtons } from '../codecs/payout.ts';
import { assetLabels } from './add-funds.ts';
import type { PayoutCurrency } from '../../machines/cashout-commit.ts';
import { sub } from '../../machines/money.ts';
import { inCurrency } from './cashout-parts.ts';
import { formatMoney } from './money.ts';
import { view, type View } from './view.ts';

const usd = (amount: string) => formatMoney(amount, 'USD');

/** A payout amount in its currency, written as the cashout's quote wrote it. */
const sent = (amount: string, currency: PayoutCurrency) => inCurrency(amount, currency);

/** What the destination receives: a crypto rail takes its network fee from what it sends. */
function arriving(notice: PayoutNotice): string {
  const { payoutAmount, networkFee, destination } = notice;
  return destination.method === 'crypto' && networkFee
    ? sub(payoutAmount, networkFee)
    : payoutAmount;
}

/** Enough of a destination to recognise it, not to copy it. */
export function maskedDestination(destination: PayoutDestination): string {
  if (destination.method === 'bank') {
    return `bank account ******${destination.accountNumber.slice(-4)} (${destination.accountName})`;
  }
  const { address } = destination;
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** What the payout workflow tells the cashout's owner. */
export function renderPayoutNotice(notice: PayoutNotice): View {
  const amount = usd(notice.amountUsd);
  const what = `${sent(arriving(notice), notice.payoutCurrency)} to ${maskedDestination(notice.destination)}`;
  const id = `Cashout id: ${notice.cashoutId}`;
  switch (notice.state) {
    case 'awaitingReview':
      return view('Cashout awaiting review', [
        `Your cashout of ${amount} (${what}) needs an admin's approval before it is sent: ` +
          'larger cashouts are checked by a person. The money is held meanwhile, and we will ' +
          'tell you as soon as it is decided.',
        id,
      ]);
    case 'approved':
      return view('Cashout approved', [
        `Your cashout of ${amount} was approved and is being sent now.`,
        id,
      ]);
    case 'succeeded':
      return view('Cashout sent', [
        `${what}: done.`,
        `Transaction reference: ${notice.transactionRef ?? 'not given by the provider'}`,
        id,
      ]);
    case 'failed':
      return view('Cashout failed', [
        `We could not send your cashout of ${amount} (${what}).`,
        `Reason: ${notice.reason ?? 'the provider declined it'}`,
        `The ${amount} is back in your wallet.`,
        id,
      ]);
    case 'rejected':
      return view('Cashout declined', [
        `An admin declined your cashout of ${amount}. The money is back in your wallet.`,
        'Contact support with the id below if you have questions.',
        id,
      ]);
  }
}

/** What each reviewing admin gets: the whole request, with Approve and Reject. */
export function renderReviewRequest(facts: PayoutFacts): View {
  const { owner, destination } = facts;
  const who = `${owner.firstName}${owner.username ? ` (@${owner.username})` : ''}, Telegram id ${owner.telegramUserId}`;
  const to =
    destination.method === 'crypto'
      ? `${assetLabels[destination.asset]} address:\n${destination.address}`
      : `bank ${destination.bankCode}, account ${destination.accountNumber} (${destination.accountName})`;
  return view(
    'Cashout to review',
    [
      `${who} asks to cash out ${usd(facts.amountUsd)} (platform fee ${usd(facts.feeUsd)}).`,
      `Sends ${sent(facts.payoutAmount, facts.payoutCurrency)} via ${facts.provider} to ${to}`,
      `Cashout id: ${facts.cashoutId}`,
    ],
    [
      [
        ['Approve', payoutReviewButtons.encode('approve', facts.cashoutId)],
        ['Reject', payoutReviewButtons.encode('reject', facts.cashoutId)],
      ],
    ],
  );
}

/** The reviewing admin's message once the decision is taken; its buttons are gone. */
export function renderReviewResult(result: PayoutReviewResult): View {
  const amount = usd(result.amountUsd);
  return result.decision === 'approve'
    ? view('Cashout approved', [
        `You approved cashout ${result.cashoutId} (${amount}). It is being sent now.`,
      ])
    : view('Cashout rejected', [
        `You rejected cashout ${result.cashoutId} (${amount}). The money goes back to the user's wallet.`,
      ]);
}
