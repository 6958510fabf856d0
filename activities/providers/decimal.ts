import Big from 'big.js';
import { isAmount, parseAmount, type Amount } from '../../machines/money.ts';
import { ProviderError } from './types.ts';

// Our own constructor, as in machines/money.ts, so nobody else's settings change our rounding.
// Division keeps 40 places before the one rounding `quotient` does.
const Decimal = Big();
Decimal.DP = 40;
Decimal.RM = Decimal.roundHalfUp;

/**
 * A provider's amount as a decimal string. Strings are taken as written. JSON numbers (CoinGecko,
 * Fincra) are converted with `String(n)`, the shortest text that reads back as the same double,
 * and exponent forms are expanded exactly; no float arithmetic happens. The caveat: `JSON.parse`
 * already rounded the number to a double, so a value sent with more than ~15–17 significant
 * digits arrives rounded. Prices and naira amounts never carry that many.
 */
export function amountFrom(provider: string, field: string, value: unknown): Amount {
  const text = typeof value === 'number' ? numberText(value) : value;
  if (typeof text !== 'string' || !isAmount(text)) {
    throw new ProviderError(
      provider,
      'bad_response',
      `${field} is not a decimal amount: ${JSON.stringify(value)}`,
      false,
    );
  }
  return parseAmount(text);
}

/** `a ÷ b`, rounded half up to `places` decimals. Only for rates derived from two prices. */
export function quotient(a: Amount, b: Amount, places: number): Amount {
  return new Decimal(a).div(new Decimal(b)).round(places, Decimal.roundHalfUp).toFixed();
}

function numberText(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  return /e/i.test(text) ? new Decimal(text).toFixed() : text;
}
