import type { EntityManager } from 'typeorm';
import {
  isNegative,
  isZero,
  mul,
  neg,
  parseAmount,
  roundTo,
  type Amount,
  type Currency,
} from '../../machines/money.ts';
import type { Accounts } from './accounts.ts';
import { InvalidTransferError } from './errors.ts';
import type { createTransfer, TransferResult } from './transfer.ts';
import type { AccountId, Movement } from './types.ts';

export interface ConvertInput extends Omit<Movement, 'kind'> {
  /** Default 'conversion'. */
  kind?: string;
  from: { account: AccountId; currency: Currency; amount: Amount };
  to: { account: AccountId; currency: Currency };
  /** Units of `to.currency` one unit of `from.currency` buys, from a fresh quote. */
  rate: Amount;
}

export type ConvertResult = TransferResult & { toAmount: Amount };

/** `convert`: one currency into another at a quoted rate. */
export function createConvert(accounts: Accounts, transfer: ReturnType<typeof createTransfer>) {
  /**
   * One transfer of two balanced legs through the conversion account of each currency: the
   * user pays `from` into conversion/<from>, conversion/<to> pays the user. The received amount
   * is `amount × rate` rounded half up to the target currency's places; the rate and both
   * amounts are kept in the transfer's metadata. One statement once the conversion accounts
   * are known (the first call looks them up or creates them).
   */
  return async function convert(
    input: ConvertInput,
    manager?: EntityManager,
  ): Promise<ConvertResult> {
    const { from, to } = input;
    const invalid = (problem: string) => new InvalidTransferError(input.idempotencyKey, problem);
    if (from.currency === to.currency) {
      throw invalid(`a conversion from ${from.currency} to itself`);
    }
    const paid = parseAmount(from.amount);
    const rate = parseAmount(input.rate);
    if (isNegative(paid) || isNegative(rate)) throw invalid(`${paid} at a rate of ${rate}`);
    const received = roundTo(to.currency, mul(paid, rate));
    if (isZero(received)) {
      throw invalid(`${paid} ${from.currency} buys no ${to.currency} at ${input.rate}`);
    }

    const [fromPool, toPool] = await accounts.systemAccounts(
      [
        { code: 'conversion', currency: from.currency },
        { code: 'conversion', currency: to.currency },
      ],
      manager,
    );
    const result = await transfer(
      {
        kind: input.kind ?? 'conversion',
        idempotencyKey: input.idempotencyKey,
        description: input.description ?? '',
        metadata: {
          ...input.metadata,
          rate: input.rate,
          from: { currency: from.currency, amount: paid },
          to: { currency: to.currency, amount: received },
        },
        entries: [
          { account: from.account, currency: from.currency, amount: neg(paid) },
          { account: fromPool!, currency: from.currency, amount: paid },
          { account: toPool!, currency: to.currency, amount: neg(received) },
          { account: to.account, currency: to.currency, amount: received },
        ],
      },
      manager,
    );
    return { ...result, toAmount: received };
  };
}
