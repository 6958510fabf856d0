import { ApplicationFailure } from '@temporalio/activity';
import type { SubmitCashoutInput } from '../machines/cashout-commit.ts';
import { cmp, currencyOf, parseAmount, type Amount } from '../machines/money.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A submission whose amounts are canonical and whose parts agree with each other. */
export type CheckedSubmission = SubmitCashoutInput & { idempotencyKey: string };

/**
 * Checks what needs no database: amounts parse, the fee is part of the amount, the payout
 * currency and destination fit the method, the label is sane, the expiry is a time. A failure
 * here is a bug in the caller, so it is non-retryable (`InvalidCashout`), naming the field.
 */
export function checkedSubmission(input: CheckedSubmission): CheckedSubmission {
  const { quote, payout, destination } = input;
  const amountUsd = positive('quote.amountUsd', quote.amountUsd);
  const platformFeeUsd = nonNegative('quote.platformFeeUsd', quote.platformFeeUsd);
  if (cmp(platformFeeUsd, amountUsd) >= 0) {
    invalid('quote.platformFeeUsd', `${platformFeeUsd} is not less than the amount`);
  }

  const currency = payout.method === 'crypto' ? currencyOf(payout.asset) : 'NGN';
  if (quote.currency !== currency) {
    invalid(
      'quote.currency',
      `${quote.currency} does not fit a ${payout.method} payout in ${currency}`,
    );
  }
  const fits =
    destination.kind === 'saved' ||
    (destination.kind === 'address') === (payout.method === 'crypto');
  if (!fits) invalid('destination', `a ${destination.kind} cannot take a ${payout.method} payout`);
  if (input.saveAs !== null && !/^.{1,64}$/su.test(input.saveAs.trim())) {
    invalid('saveAs', 'a label is 1–64 characters');
  }
  if (destination.kind === 'saved' && !/^\d{1,18}$/.test(destination.id)) {
    invalid('destination.id', `${destination.id} is not a saved destination's id`);
  }
  if (input.verificationId !== null && !UUID.test(input.verificationId)) {
    invalid('verificationId', `${input.verificationId} is not an e-mail code's id`);
  }
  if (Number.isNaN(Date.parse(quote.expiresAt))) {
    invalid('quote.expiresAt', `${quote.expiresAt} is not a time`);
  }

  return {
    ...input,
    saveAs: input.saveAs?.trim() ?? null,
    quote: {
      ...quote,
      amountUsd,
      platformFeeUsd,
      payoutAmount: positive('quote.payoutAmount', quote.payoutAmount),
      networkFee: nonNegative('quote.networkFee', quote.networkFee),
      usdPerUnit: positive('quote.usdPerUnit', quote.usdPerUnit),
    },
  };
}

function amount(field: string, value: Amount): Amount {
  try {
    return parseAmount(value);
  } catch {
    return invalid(field, `${JSON.stringify(value)} is not a decimal amount`);
  }
}

function nonNegative(field: string, value: Amount): Amount {
  const parsed = amount(field, value);
  if (cmp(parsed, '0') < 0) invalid(field, `${parsed} is negative`);
  return parsed;
}

function positive(field: string, value: Amount): Amount {
  const parsed = amount(field, value);
  if (cmp(parsed, '0') <= 0) invalid(field, `${parsed} is not positive`);
  return parsed;
}

function invalid(field: string, problem: string): never {
  throw ApplicationFailure.nonRetryable(`cashout ${field}: ${problem}`, 'InvalidCashout');
}
