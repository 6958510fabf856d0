import type { PricedQuote } from '../../machines/cashout-actors.ts';
import { isZero } from '../../machines/money.ts';
import { cashoutButtons as b } from '../codecs/cashout.ts';
import {
  backAndCancelRow,
  cancelRow,
  describeDestination,
  inCurrency,
  say,
  usd,
  walletRow,
  type Render,
  type ShownDestination,
} from './cashout-parts.ts';
import { view } from './view.ts';

/** The cashout from its quote on: the quote, the e-mail code, the commit and its receipt. */

interface ReviewData {
  quote: PricedQuote;
  destination: ShownDestination;
  rateLockMinutes: number;
  needsCode: boolean;
  needsReview: boolean;
}

interface DoneData {
  cashoutId: string;
  awaitingReview: boolean;
  quote: PricedQuote;
}

/** The rate the way people quote it: dollars per coin, naira per dollar. */
function rateOf(quote: PricedQuote): string {
  return quote.currency === 'NGN'
    ? `$1 = ${inCurrency(quote.unitsPerUsd, 'NGN')}`
    : `1 ${quote.currency} = ${usd(quote.usdPerUnit)}`;
}

/** A crypto rail takes its fee from what it sends; the bank rail pays the amount in full. */
function feeLine(quote: PricedQuote): string {
  const fee = inCurrency(quote.networkFee, quote.currency);
  if (quote.currency !== 'NGN') return `Network fee: ${fee}, taken from what is sent`;
  return isZero(quote.networkFee)
    ? `Transfer fee: ${fee}`
    : `Transfer fee: ${fee}, not taken from what arrives`;
}

export const quoteSteps: Record<string, Render> = {
  'pricing.quoting': ({ notice }, stamp) =>
    view(
      'Getting a quote…',
      [say(notice), 'Pricing your cashout at the current rate.'],
      [cancelRow(stamp)],
    ),

  'pricing.quoted.reviewing': ({ data, notice }, stamp) => {
    const { quote, destination, rateLockMinutes, needsCode, needsReview } =
      data as unknown as ReviewData;
    return view(
      'Your quote',
      [
        say(notice),
        [
          `Amount: ${usd(quote.amountUsd)}`,
          `Platform fee: ${usd(quote.platformFeeUsd)}, included in the amount`,
          feeLine(quote),
          `You receive: ${inCurrency(quote.receive, quote.currency)}`,
        ].join('\n'),
        `To ${describeDestination(destination)}`,
        `Rate: ${rateOf(quote)}, held for ${rateLockMinutes} minute${rateLockMinutes === 1 ? '' : 's'}.`,
        needsReview
          ? 'This cashout needs admin review: cashouts this large are checked by a person ' +
            'before they are sent. The money is held meanwhile.'
          : null,
        needsCode ? 'When you confirm, we e-mail you a 6-digit code to approve it.' : null,
      ],
      [[['Confirm', b.encode('confirm', stamp)]], backAndCancelRow(stamp)],
    );
  },

  'pricing.quoted.sendingCode': ({ notice }, stamp) =>
    view('Sending a code…', [say(notice), 'E-mailing you a 6-digit code.'], [cancelRow(stamp)]),

  'pricing.quoted.awaitingCode': ({ data, notice }, stamp) =>
    view(
      'Check your e-mail',
      [
        say(notice),
        `Type the 6-digit code we sent to ${String(data.email)}. It approves this cashout.`,
      ],
      [[['Resend code', b.encode('resend', stamp)]], backAndCancelRow(stamp)],
    ),

  'pricing.quoted.verifyingCode': ({ notice }, stamp) =>
    view('Checking the code…', [say(notice)], [cancelRow(stamp)]),

  // No Cancel: once the commit runs, its outcome decides how the cashout ends.
  submitting: ({ notice }) =>
    view('Submitting…', [say(notice), 'Holding the money and handing the cashout to the payout.']),

  done: ({ data }) => {
    const { cashoutId, awaitingReview, quote } = data as unknown as DoneData;
    return view(
      'Cashout submitted',
      [
        `You will receive ${inCurrency(quote.receive, quote.currency)} for ${usd(quote.amountUsd)}.`,
        awaitingReview
          ? 'Status: awaiting admin review. The money is held until an admin decides, and we ' +
            'tell you the outcome.'
          : 'Status: being paid out. We tell you when it is sent.',
        `Cashout id: ${cashoutId}`,
      ],
      [walletRow],
    );
  },
};
