import type { AddressCheck } from './address-check.ts';
import { checkLimits, type AmountLimits, type AmountProblem } from './amount-input.ts';
import type { QuoteResult, SubmitResult } from './cashout-actors.ts';
import { limitsOf, payoutOf, type CashoutContext } from './cashout-context.ts';
import { platformFee } from './cashout-quote.ts';
import type { Notice } from './flow.ts';

/** What the cashout flow tells the user when it refuses something; bot/views words them. */

/** A refused amount, with the limit it broke. */
export function amountNotice(reason: AmountProblem, limits: AmountLimits): Notice {
  switch (reason) {
    case 'belowMinimum':
      return { code: 'amount.belowMinimum', values: { minUsd: limits.minUsd } };
    case 'aboveMaximum':
      return { code: 'amount.aboveMaximum', values: { maxUsd: limits.maxUsd } };
    case 'aboveNoEmailCap':
      return { code: 'amount.aboveNoEmailCap', values: { capUsd: limits.noEmailCapUsd ?? '' } };
    case 'aboveWithdrawable':
      return {
        code: 'amount.aboveWithdrawable',
        values: { withdrawableUsd: limits.withdrawableUsd },
      };
    default:
      return { code: `amount.${reason}` };
  }
}

/** *Cash out all* refused: the whole withdrawable balance breaks a limit. */
export function allRefusal(context: CashoutContext): Notice {
  const limits = limitsOf(context);
  const reading = checkLimits(limits.withdrawableUsd, limits);
  return reading.ok ? { code: 'amount.allAccepted' } : amountNotice(reading.reason, limits);
}

/** Less than the minimum is withdrawable: nothing to cash out. */
export function nothingToWithdraw(context: CashoutContext): Notice {
  const { minUsd, withdrawableUsd } = limitsOf(context);
  return { code: 'cashout.nothingToWithdraw', values: { minUsd, withdrawableUsd } };
}

/** A refused address; a wrong network names what the address looks like. */
export function addressNotice(check: Extract<AddressCheck, { ok: false }>): Notice {
  return check.looksLike
    ? { code: `address.${check.reason}`, values: { looksLike: check.looksLike } }
    : { code: `address.${check.reason}` };
}

/** The fees would eat the whole amount. */
export function nothingArrives(context: CashoutContext, result: QuoteResult): Notice {
  const amountUsd = context.amount ?? '0';
  const networkFee = result.outcome === 'quoted' ? result.networkFee : '0';
  const currency = payoutOf(context).method === 'bank' ? 'NGN' : (context.asset ?? '');
  return {
    code: 'quote.nothingArrives',
    values: {
      amountUsd,
      platformFeeUsd: platformFee(amountUsd, context.settings),
      networkFee,
      currency,
    },
  };
}

/** The commit refused: what changed since the prefetch, with the values it names. */
export function commitRefusal(result: SubmitResult): Notice | null {
  switch (result.outcome) {
    case 'insufficientFunds':
      return { code: 'cashout.insufficientFunds' };
    case 'outsideLimits':
      return {
        code: 'amount.outsideLimits',
        values: { minUsd: result.minUsd, maxUsd: result.maxUsd },
      };
    case 'noEmailCap':
      return { code: 'amount.aboveNoEmailCap', values: { capUsd: result.capUsd } };
    case 'alreadyActive':
      return { code: 'cashout.alreadyActive', values: { cashoutId: result.cashoutId } };
    case 'quoteExpired':
      return { code: 'quote.expired' };
    case 'codeRequired':
      return { code: 'code.required' };
    case 'unknownDestination':
      return { code: 'destination.gone' };
    case 'blocked':
    case 'submitted':
      return null;
  }
}
