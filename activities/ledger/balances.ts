import type { DataSource } from 'typeorm';
import { toStorage, type Amount, type Currency } from '../../machines/money.ts';

/** One currency of a wallet. Trading credit pays for trades and fees, never a withdrawal. */
export interface Balance {
  available: Amount;
  held: Amount;
  tradingCredit: Amount;
  withdrawable: Amount;
}

export type Balances = Partial<Record<Currency, Balance>>;

/** `balances`: every currency and bucket of a user, in one statement. */
export function createBalances(db: DataSource) {
  /** Currencies the user has no accounts in are absent. Amounts are canonical decimals. */
  return async function balances(userId: string): Promise<Balances> {
    const rows: { currency: Currency; bucket: string; balance: string }[] = await db.query(
      `SELECT currency, bucket, balance FROM ledger_accounts WHERE owner_user_id = $1`,
      [userId],
    );

    const result: Balances = {};
    for (const { currency, bucket, balance } of rows) {
      const wallet = (result[currency] ??= {
        available: '0',
        held: '0',
        tradingCredit: '0',
        withdrawable: '0',
      });
      const amount = toStorage(balance);
      if (bucket === 'available') wallet.available = wallet.withdrawable = amount;
      if (bucket === 'held') wallet.held = amount;
      if (bucket === 'trading_credit') wallet.tradingCredit = amount;
    }
    return result;
  };
}
