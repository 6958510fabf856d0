import type { Amount } from '../../../machines/money.ts';
import { isRecord } from '../http.ts';
import { ProviderError, type CollectionInstructions } from '../types.ts';

/**
 * Transfer instructions from Fincra's temporary virtual account reply. The account's details sit
 * either at the top of `data` or under `accountInformation` (as in the "Virtual Accounts" guide's
 * replies); both are read.
 */
export function readVirtualAccount(
  data: unknown,
  request: { reference: string; amount: Amount; payerName: string },
  fallbackExpiry: string,
): { instructions: CollectionInstructions; virtualAccountId: string | null } {
  if (!isRecord(data)) throw badReply('virtual account reply without data');
  const nested = isRecord(data.accountInformation) ? data.accountInformation : {};
  const text = (name: string): string => {
    const value = nested[name] ?? data[name];
    return typeof value === 'string' ? value.trim() : '';
  };
  if (!text('accountNumber') || !text('bankName')) {
    throw badReply('virtual account without a bank and number');
  }

  const id = typeof data._id === 'string' ? data._id : typeof data.id === 'string' ? data.id : '';
  return {
    instructions: {
      bankName: text('bankName'),
      accountNumber: text('accountNumber'),
      accountName: text('accountName') || request.payerName,
      reference: request.reference,
      amount: request.amount,
      expiresAt: typeof data.expiresAt === 'string' ? data.expiresAt : fallbackExpiry,
    },
    virtualAccountId: id || null,
  };
}

function badReply(message: string): ProviderError {
  return new ProviderError('fincra', 'bad_response', message, false);
}
