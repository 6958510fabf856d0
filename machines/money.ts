import Big from 'big.js';

/**
 * Decimal money for machines and activities alike: amounts are decimal strings, never
 * JavaScript numbers. Storage is PostgreSQL `numeric(38,18)`: at most 20 integer digits and
 * 18 decimals. Arithmetic is exact (big.js adds, subtracts and multiplies without rounding);
 * rounding happens only where a function here says so.
 */

export type Currency = 'USD' | 'NGN' | 'BTC' | 'ETH' | 'LTC' | 'USDT';

export const currencies: readonly Currency[] = ['USD', 'NGN', 'BTC', 'ETH', 'LTC', 'USDT'];

/** What a user can deposit or be paid out in; USDT on two networks. */
export type CryptoAsset = 'BTC' | 'ETH' | 'LTC' | 'USDT_TRC20' | 'USDT_ERC20';

export const cryptoAssets: readonly CryptoAsset[] = [
  'BTC',
  'ETH',
  'LTC',
  'USDT_TRC20',
  'USDT_ERC20',
];

/** The ledger and rate currency of an asset (both USDT networks are USDT). */
export function currencyOf(asset: CryptoAsset): 'BTC' | 'ETH' | 'LTC' | 'USDT' {
  return asset.startsWith('USDT') ? 'USDT' : (asset as 'BTC' | 'ETH' | 'LTC');
}

/** A decimal string as accepted by `parseAmount`, e.g. '-12.5'. */
export type Amount = string;

// Our own constructor, so no other user of big.js can change how we round. DP only governs
// division, which money code avoids; 40 places is far below any quotient we would keep. RM is
// half up, the rule for every displayed and stored amount. Strict refuses JavaScript numbers.
const Decimal = Big();
Decimal.DP = 40;
Decimal.RM = Decimal.roundHalfUp;
Decimal.strict = true;

const AMOUNT = /^-?\d{1,20}(\.\d{1,18})?$/;
const STORAGE_DECIMALS = 18;
const MAX_STORED = new Decimal('1e20');

/** Places shown and settled per currency: fiat to the cent, crypto to 8 places. */
export const decimalsOf: Readonly<Record<Currency, number>> = {
  USD: 2,
  NGN: 2,
  BTC: 8,
  ETH: 8,
  LTC: 8,
  USDT: 8,
};

/** Thrown for text that is not an amount, or a result that does not fit `numeric(38,18)`. */
export class AmountError extends Error {
  override name = 'AmountError';

  constructor(
    readonly value: string,
    reason: string,
  ) {
    super(`${JSON.stringify(value)} ${reason}`);
  }
}

export function isAmount(text: string): boolean {
  return AMOUNT.test(text);
}

/**
 * Strictly parses an amount (optional '-', 1–20 digits, optionally '.' and 1–18 digits; no
 * '+', exponent, spaces or thousands separators) and returns it canonical.
 */
export function parseAmount(text: string): Amount {
  if (!AMOUNT.test(text)) {
    throw new AmountError(
      text,
      'is not an amount: expected up to 20 digits, then optionally . and up to 18 digits',
    );
  }
  return new Decimal(text).toFixed();
}

export function add(a: Amount, b: Amount): Amount {
  return big(a).plus(big(b)).toFixed();
}

export function sub(a: Amount, b: Amount): Amount {
  return big(a).minus(big(b)).toFixed();
}

/** The exact product; round it with `roundTo` or `toStorage` before keeping it. */
export function mul(a: Amount, b: Amount): Amount {
  return big(a).times(big(b)).toFixed();
}

/** 1 / a at storage precision (half up to 18 places): the other direction of a rate. */
export function inverse(a: Amount): Amount {
  const value = big(a);
  if (value.eq(new Decimal('0'))) throw new AmountError(a, 'has no inverse');
  return toStorage(new Decimal('1').div(value).toFixed());
}

export function neg(a: Amount): Amount {
  return big(a).times(new Decimal('-1')).toFixed();
}

export function cmp(a: Amount, b: Amount): -1 | 0 | 1 {
  return big(a).cmp(big(b));
}

export function isZero(a: Amount): boolean {
  return big(a).eq(new Decimal('0'));
}

export function isNegative(a: Amount): boolean {
  return big(a).lt(new Decimal('0'));
}

/** Rounds half up to the currency's places (USD, NGN: 2; crypto: 8). */
export function roundTo(currency: Currency, amount: Amount): Amount {
  return big(amount).round(decimalsOf[currency], Decimal.roundHalfUp).toFixed();
}

/** `roundTo`, then padded to the currency's places, for people to read: '5.00'. */
export function formatAmount(currency: Currency, amount: Amount): string {
  return big(amount).toFixed(decimalsOf[currency], Decimal.roundHalfUp);
}

/**
 * The canonical form to store: half up to 18 places, no trailing zeros, no '-0'. Reading the
 * stored `numeric(38,18)` back through `toStorage` gives the same string. Throws when the value
 * needs more than 20 integer digits, which the column would refuse.
 */
export function toStorage(amount: Amount): Amount {
  const rounded = big(amount).round(STORAGE_DECIMALS, Decimal.roundHalfUp);
  if (rounded.abs().gte(MAX_STORED)) {
    throw new AmountError(amount, 'does not fit numeric(38,18): more than 20 integer digits');
  }
  return rounded.toFixed();
}

function big(amount: Amount): Big.Big {
  if (typeof amount !== 'string') {
    throw new AmountError(String(amount), 'is not a decimal string; money is never a number');
  }
  try {
    return new Decimal(amount);
  } catch {
    throw new AmountError(amount, 'is not a decimal number');
  }
}
