import type { Amount } from '../../../machines/money.ts';
import type { CryptoAsset } from '../types.ts';

/** One payout we asked Kraken to make, and the withdrawal reference Kraken gave it, once known. */
export interface WithdrawalAttempt {
  idempotencyKey: string;
  asset: CryptoAsset;
  address: string;
  amount: Amount;
  /** ISO time the first attempt began: the earliest a matching Kraken withdrawal can carry. */
  startedAt: string;
  /** ISO time of the latest Withdraw call, or null before the first is sent. */
  sentAt: string | null;
  /** Kraken's `refid`; null until Withdraw answered or a search found the withdrawal. */
  refid: string | null;
}

/**
 * Where `KrakenPayouts` keeps idempotency key → Kraken refid, because Kraken's Withdraw takes no
 * client key. The record must be written before the Withdraw call and survive restarts, so the
 * production implementation is a table with a unique key on `idempotency_key` and on `refid`.
 */
export interface WithdrawalLog {
  /** Stores the attempt unless the key is known; either way returns the stored one. */
  begin(
    attempt: Omit<WithdrawalAttempt, 'refid' | 'sentAt'>,
  ): Promise<{ attempt: WithdrawalAttempt; created: boolean }>;
  find(idempotencyKey: string): Promise<WithdrawalAttempt | null>;
  /**
   * Notes that a Withdraw call is about to leave (its time, written before it leaves), or that
   * Kraken answered the last one with a refusal, so nothing is in flight (null).
   */
  sending(idempotencyKey: string, at: string | null): Promise<void>;
  /** Binds Kraken's refid to the key; a refid bound to another key must be refused. */
  bind(idempotencyKey: string, refid: string): Promise<void>;
  /** Whether some key already owns this refid (so a search never claims another payout's). */
  isBound(refid: string): Promise<boolean>;
}

/**
 * The log in memory: for tests only. A restart forgets every attempt, after which a retried
 * payout could be sent twice; the worker uses `PgWithdrawalLog`.
 */
export class MemoryWithdrawalLog implements WithdrawalLog {
  private readonly attempts = new Map<string, WithdrawalAttempt>();

  async begin(attempt: Omit<WithdrawalAttempt, 'refid' | 'sentAt'>) {
    const known = this.attempts.get(attempt.idempotencyKey);
    if (known) return { attempt: { ...known }, created: false };
    const stored = { ...attempt, refid: null, sentAt: null };
    this.attempts.set(attempt.idempotencyKey, stored);
    return { attempt: { ...stored }, created: true };
  }

  async find(idempotencyKey: string) {
    const known = this.attempts.get(idempotencyKey);
    return known ? { ...known } : null;
  }

  async sending(idempotencyKey: string, at: string | null) {
    this.known(idempotencyKey).sentAt = at;
  }

  async bind(idempotencyKey: string, refid: string) {
    const attempt = this.known(idempotencyKey);
    const owner = [...this.attempts.values()].find((other) => other.refid === refid);
    if (owner && owner.idempotencyKey !== idempotencyKey) {
      throw new Error(`refid ${refid} already belongs to key ${owner.idempotencyKey}`);
    }
    attempt.refid = refid;
  }

  async isBound(refid: string) {
    return [...this.attempts.values()].some((attempt) => attempt.refid === refid);
  }

  private known(idempotencyKey: string): WithdrawalAttempt {
    const attempt = this.attempts.get(idempotencyKey);
    if (!attempt) throw new Error(`no withdrawal attempt under key ${idempotencyKey}`);
    return attempt;
  }
}
