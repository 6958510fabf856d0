import { cmp, parseAmount, type Amount } from './money.ts';

/**
 * A USD amount a person typed, read strictly: digits, commas only as thousands separators,
 * at most two decimals. Nothing here uses JavaScript numbers; limits compare with big.js.
 */

export type AmountProblem =
  | 'empty'
  | 'notANumber'
  | 'negative'
  | 'exponent'
  | 'tooManyDecimals'
  | 'badGrouping'
  | 'tooLarge'
  | 'belowMinimum'
  | 'aboveMaximum'
  | 'aboveNoEmailCap'
  | 'aboveWithdrawable';

export type AmountReading = { ok: true; amount: Amount } | { ok: false; reason: AmountProblem };

/** Bounds for one cashout; `noEmailCapUsd` is null when the user has a verified e-mail. */
export interface AmountLimits {
  minUsd: Amount;
  maxUsd: Amount;
  noEmailCapUsd: Amount | null;
  withdrawableUsd: Amount;
}

/** More integer digits than any wallet holds: refused as too large before big.js sees it. */
export const MAX_INTEGER_DIGITS = 9;

const GROUPED = /^\d{1,3}(,\d{3})+$/;
const PLAIN = /^\d+$/;
const NUMBERISH = /^[\d,.]+$/;
const EXPONENT = /^[\d,.]*\d[eE][+-]?\d+$/;

/**
 * Reads "12.50", "$12.50", "1,000" or "1,000.5" into a canonical decimal string ('12.5',
 * '1000', '1000.5'). Surrounding spaces are ignored; anything else odd gets a reason.
 */
export function readUsd(text: string): AmountReading {
  const typed = text.trim().replace(/^\$\s*/, '');
  if (typed === '') return { ok: false, reason: 'empty' };
  if (typed.startsWith('-') && /\d/.test(typed)) return { ok: false, reason: 'negative' };
  if (EXPONENT.test(typed)) return { ok: false, reason: 'exponent' };
  if (!NUMBERISH.test(typed)) return { ok: false, reason: 'notANumber' };

  const [whole = '', fraction, ...rest] = typed.split('.');
  if (rest.length > 0 || whole === '' || fraction === '')
    return { ok: false, reason: 'notANumber' };
  if (fraction !== undefined && !PLAIN.test(fraction)) return { ok: false, reason: 'badGrouping' };
  if (!PLAIN.test(whole) && !GROUPED.test(whole)) return { ok: false, reason: 'badGrouping' };

  const digits = whole.replaceAll(',', '').replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_INTEGER_DIGITS) return { ok: false, reason: 'tooLarge' };
  if (fraction !== undefined && fraction.length > 2)
    return { ok: false, reason: 'tooManyDecimals' };

  return {
    ok: true,
    amount: parseAmount(fraction === undefined ? digits : `${digits}.${fraction}`),
  };
}

/** The first limit an amount breaks, in the order a person can act on: min, max, cap, balance. */
export function checkLimits(amount: Amount, limits: AmountLimits): AmountReading {
  if (cmp(amount, limits.minUsd) < 0) return { ok: false, reason: 'belowMinimum' };
  if (cmp(amount, limits.maxUsd) > 0) return { ok: false, reason: 'aboveMaximum' };
  if (limits.noEmailCapUsd !== null && cmp(amount, limits.noEmailCapUsd) > 0) {
    return { ok: false, reason: 'aboveNoEmailCap' };
  }
  if (cmp(amount, limits.withdrawableUsd) > 0) return { ok: false, reason: 'aboveWithdrawable' };
  return { ok: true, amount };
}

/** `readUsd`, then `checkLimits`: a typed cashout amount, accepted or with its reason. */
export function readCashoutAmount(text: string, limits: AmountLimits): AmountReading {
  const reading = readUsd(text);
  return reading.ok ? checkLimits(reading.amount, limits) : reading;
}
