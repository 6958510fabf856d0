import { ApplicationFailure } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { OpenDepositInput, OpenedDeposit } from '../machines/add-funds.ts';
import type { CreditInput, CreditResult, DepositFacts } from '../machines/deposit.ts';
import { currencyOf } from '../machines/money.ts';
import type { Ledger } from './ledger/index.ts';
import type { CryptoProcessor } from './providers/types.ts';
import { freshRateSql } from './rates.ts';

export interface DepositDeps {
  db: DataSource;
  ledger: Ledger;
  processor: CryptoProcessor;
  /** Base URL providers post webhooks to. */
  publicUrl: string;
  rateMaxAgeSeconds: number;
}

type Keyed<T> = T & { idempotencyKey: string };

/** Add funds and its deposit workflow: addresses, the deposit's facts, and the credit. */
export function createDepositActivities(deps: DepositDeps) {
  const { db, ledger, processor } = deps;

  return {
    /**
     * Asks the processor for an address and records the deposit. The deposit id comes from the
     * idempotency key, so a retry asks for the same reference and lands on the same row.
     */
    async openDeposit(input: Keyed<OpenDepositInput>): Promise<OpenedDeposit> {
      const depositId = uuidFrom(input.idempotencyKey);
      const address = await processor.createDepositAddress({
        asset: input.asset,
        reference: depositId,
        callbackUrl: `${deps.publicUrl}/webhooks/${processor.provider}`,
      });
      const [row] = await db.query(
        `INSERT INTO deposits (id, user_id, asset, provider, address, minimum, expires_at, idempotency_key)
         SELECT $1, u.id, $3, $4, $5, $6, $7, $8 FROM users u WHERE u.telegram_id = $2
         ON CONFLICT (idempotency_key) DO UPDATE SET address = deposits.address
         RETURNING id, asset, address, minimum::text, expires_at`,
        [
          depositId,
          input.telegramUserId,
          input.asset,
          processor.provider,
          address.address,
          address.minimum,
          address.expiresAt,
          input.idempotencyKey,
        ],
      );
      return {
        depositId: row.id,
        asset: row.asset,
        address: row.address,
        minimum: row.minimum,
        expiresAt: new Date(row.expires_at).toISOString(),
      };
    },

    /** The deposit workflow's prefetch: one statement. */
    async loadDeposit(depositId: string): Promise<DepositFacts> {
      const [row] = await db.query(
        `SELECT d.id, u.telegram_id, d.asset, d.address, d.expires_at
         FROM deposits d JOIN users u ON u.id = d.user_id WHERE d.id = $1`,
        [depositId],
      );
      if (!row) throw ApplicationFailure.nonRetryable(`no deposit ${depositId}`, 'UnknownDeposit');
      return {
        depositId: row.id,
        chatId: Number(row.telegram_id),
        asset: row.asset,
        address: row.address,
        expiresAt: new Date(row.expires_at).toISOString(),
      };
    },

    /**
     * Credits a confirmed transaction to the owner's USD wallet at the current rate, once per
     * (deposit, transaction): a repeat returns what the first credit recorded. A rate older
     * than the limit is refused as retryable, so Temporal tries again after the next refresh.
     */
    async creditDeposit(input: CreditInput): Promise<CreditResult> {
      const key = `deposit:${input.depositId}:${input.txid}`;
      const [row] = await db.query(CREDIT_FACTS_SQL, [
        input.depositId,
        deps.rateMaxAgeSeconds,
        key,
      ]);
      if (!row)
        throw ApplicationFailure.nonRetryable(`no deposit ${input.depositId}`, 'UnknownDeposit');
      if (row.prior) return { usdAmount: row.prior.to.amount, rate: row.prior.rate };
      if (!row.rate) {
        throw ApplicationFailure.retryable(
          `no ${row.asset} rate fresher than ${deps.rateMaxAgeSeconds} s; waiting for the schedule`,
          'RateStale',
        );
      }

      const currency = currencyOf(row.asset);
      const accounts = await ledger.ensureUserAccounts(row.user_id, ['USD']);
      const clearing = await ledger.systemAccount(`provider_clearing:${row.provider}`, currency);
      const credit = await ledger.convert({
        kind: 'deposit',
        idempotencyKey: key,
        description: `${row.asset} deposit`,
        metadata: { depositId: input.depositId, txid: input.txid },
        from: { account: clearing, currency, amount: input.amount },
        to: { account: accounts.USD!.available, currency: 'USD' },
        rate: row.rate,
      });
      return { usdAmount: credit.toAmount, rate: row.rate };
    },
  };
}

// $1 deposit id, $2 max rate age (s), $3 the credit's ledger key.
const CREDIT_FACTS_SQL = `
  SELECT d.user_id, d.asset, d.provider, fresh.rate, t.metadata AS prior
  FROM deposits d
  LEFT JOIN LATERAL (
    ${freshRateSql("CASE WHEN d.asset LIKE 'USDT%' THEN 'USDT' ELSE d.asset END", "'USD'", '$2')}
  ) fresh ON true
  LEFT JOIN ledger_transfers t ON t.idempotency_key = $3
  WHERE d.id = $1`;

export type DepositActivities = ReturnType<typeof createDepositActivities>;

/** A stable UUID from any text (the first 16 bytes of its SHA-256, version bits set). */
function uuidFrom(text: string): string {
  const bytes = createHash('sha256').update(text).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
