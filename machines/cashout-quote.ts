import type { PricedQuote, QuotePayout, QuoteResult } from './cashout-actors.ts';
import type { CashoutSettings } from './cashout-facts.ts';
import { cmp, currencyOf, mul, roundTo, sub, type Amount } from './money.ts';

type FeeSettings = Pick<CashoutSettings, 'feePercent' | 'minFeeUsd'>;

/** The platform's fee: `feePercent` of the amount to the cent (half up), at least `minFeeUsd`. */
export function platformFee(amountUsd: Amount, settings: FeeSettings): Amount {
  const percent = roundTo('USD', mul(mul(amountUsd, settings.feePercent), '0.01'));
  return cmp(percent, settings.minFeeUsd) < 0 ? settings.minFeeUsd : percent;
}

/**
 * Prices a provider's quote. The platform fee comes out of the amount; the rest, converted at
 * the quoted rate and rounded to the currency's places, is what the rail is asked to send. A
 * crypto rail deducts its network fee from that, the bank rail pays it in full (as the commit
 * records it). Null when nothing would arrive.
 */
export function priceQuote(
  amountUsd: Amount,
  payout: QuotePayout,
  quoted: Extract<QuoteResult, { outcome: 'quoted' }>,
  settings: FeeSettings,
): PricedQuote | null {
  const currency = payout.method === 'crypto' ? currencyOf(payout.asset) : 'NGN';
  const platformFeeUsd = platformFee(amountUsd, settings);
  const payoutAmount = roundTo(currency, mul(sub(amountUsd, platformFeeUsd), quoted.unitsPerUsd));
  const networkFee = roundTo(currency, quoted.networkFee);
  const receive = payout.method === 'crypto' ? sub(payoutAmount, networkFee) : payoutAmount;
  if (cmp(receive, '0') <= 0) return null;

  return {
    amountUsd,
    platformFeeUsd,
    payoutAmount,
    currency,
    networkFee,
    usdPerUnit: quoted.usdPerUnit,
    expiresAt: quoted.expiresAt,
    receive,
    unitsPerUsd: quoted.unitsPerUsd,
  };
}

/** Above the threshold an admin approves the cashout before it is paid out. */
export function needsReview(
  amountUsd: Amount,
  settings: Pick<CashoutSettings, 'reviewAboveUsd'>,
): boolean {
  return cmp(amountUsd, settings.reviewAboveUsd) > 0;
}
