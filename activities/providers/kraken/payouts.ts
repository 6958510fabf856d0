/**
 * Kraken, the crypto payout rail. Private REST endpoints used (docs.kraken.com, "Funding"):
 *
 *   WithdrawAddresses {asset, method, verified}     → [{ address, key, verified, … }]
 *   WithdrawInfo      {asset, key, amount}          → { method, limit, amount, fee }
 *   Withdraw          {asset, key, amount, address} → { refid }
 *   WithdrawStatus    {asset, method, start}        → [{ refid, txid, info, amount, fee, time,
 *                                                       status, status-prop }]
 *
 * Our destination address maps to a Kraken withdrawal key through WithdrawAddresses (see
 * `keyFor`); Withdraw also gets the address, so Kraken refuses if key and address disagree.
 *
 * Kraken's Withdraw takes no idempotency key, so a `WithdrawalLog` remembers key → refid. Before
 * sending again for a key whose earlier call went unanswered, the recent withdrawals are searched
 * for one of the same method, address and amount made since the attempt began; found, it is
 * adopted instead of sending twice.
 */
import type { Amount } from '../../../machines/money.ts';
import { amountFrom } from '../decimal.ts';
import { isRecord } from '../http.ts';
import {
  ProviderError,
  type CryptoAsset,
  type CryptoPayouts,
  type PayoutStatus,
} from '../types.ts';
import { keyFor, registeredAddresses, unregistered } from './addresses.ts';
import { KrakenApi, type KrakenApiOptions } from './api.ts';
import type { WithdrawalAttempt, WithdrawalLog } from './withdrawal-log.ts';
import {
  couldBe,
  krakenRoutes,
  payoutStatusOf,
  readWithdrawals,
  type KrakenRoute,
} from './withdrawals.ts';

export interface KrakenPayoutsOptions extends KrakenApiOptions {
  log: WithdrawalLog;
  now?: () => Date;
  /**
   * How long after sending an unanswered Withdraw we keep waiting for it to show up in
   * WithdrawStatus before deciding it never reached Kraken and may be sent again.
   */
  settleMs?: number;
}

const SKEW_SECONDS = 300;

export class KrakenPayouts implements CryptoPayouts {
  readonly provider = 'kraken';
  private readonly api: KrakenApi;
  private readonly log: WithdrawalLog;
  private readonly now: () => Date;
  private readonly settleMs: number;

  constructor(
    config: { apiKey: string; apiSecret: string; apiRoot: string },
    options: KrakenPayoutsOptions,
  ) {
    this.api = new KrakenApi(config, options);
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.settleMs = options.settleMs ?? 120_000;
  }

  /** Kraken's fee for `amount`, asked with any registered key of the method (fees go by method). */
  async quoteNetworkFee(asset: CryptoAsset, amount: Amount): Promise<Amount> {
    const route = krakenRoutes[asset];
    const [any] = await registeredAddresses(this.api, route);
    if (!any) throw unregistered(route, 'any address');

    const info = await this.api.call('WithdrawInfo', { asset: route.asset, key: any.key, amount });
    return amountFrom(this.provider, 'fee', isRecord(info) ? info.fee : undefined);
  }

  /**
   * Kraken deducts its fee from `amount`: the address receives `amount − fee`. Returns pending
   * once Kraken took the withdrawal; `status` follows it.
   */
  async withdraw(request: {
    asset: CryptoAsset;
    address: string;
    amount: Amount;
    idempotencyKey: string;
  }): Promise<PayoutStatus> {
    const startedAt = this.now().toISOString();
    const { attempt, created } = await this.log.begin({ ...request, startedAt });
    if (!created) {
      assertSameRequest(attempt, request);
      const known = await this.lookup(attempt);
      if (known === 'in-flight') throw unsettled(attempt);
      if (known !== 'absent') return known;
    }

    const route = krakenRoutes[request.asset];
    const key = await keyFor(this.api, route, request.asset, request.address);
    const params = { asset: route.asset, key, amount: request.amount, address: request.address };
    await this.log.sending(request.idempotencyKey, this.now().toISOString());
    const result = await this.api.call('Withdraw', params).catch(async (error: unknown) => {
      // Kraken's own E… answer means it took nothing; a lost or garbled reply stays in flight.
      const refused = error instanceof ProviderError && error.code.startsWith('E');
      if (refused) await this.log.sending(request.idempotencyKey, null);
      throw error;
    });

    const refid = isRecord(result) ? result.refid : undefined;
    if (typeof refid !== 'string' || refid === '') {
      throw new ProviderError(this.provider, 'bad_response', 'Withdraw without refid', true);
    }
    await this.log.bind(request.idempotencyKey, refid);
    return { state: 'pending' };
  }

  async status(idempotencyKey: string): Promise<PayoutStatus> {
    const attempt = await this.log.find(idempotencyKey);
    if (!attempt) return { state: 'unknown' };
    const known = await this.lookup(attempt);
    if (known === 'in-flight') return { state: 'pending' };
    return known === 'absent' ? { state: 'unknown' } : known;
  }

  /**
   * What Kraken says of an attempt: its status by refid, or by search when the refid never came
   * back. 'in-flight': not listed, but the last call may still be landing; 'absent': not listed
   * long after the last call, so it never arrived.
   */
  private async lookup(attempt: WithdrawalAttempt): Promise<PayoutStatus | 'in-flight' | 'absent'> {
    const route = krakenRoutes[attempt.asset];
    const recent = await this.recent(route, attempt);
    const byRefid = attempt.refid
      ? recent.find((entry) => entry.refid === attempt.refid)
      : undefined;
    // TODO(payments): page WithdrawStatus with its cursor; a refid past the first page reads as
    // pending for ever.
    if (attempt.refid) return byRefid ? payoutStatusOf(byRefid) : { state: 'pending' };

    for (const entry of recent.filter((entry) => couldBe(entry, attempt, route, SKEW_SECONDS))) {
      if (await this.log.isBound(entry.refid)) continue;
      await this.log.bind(attempt.idempotencyKey, entry.refid);
      return payoutStatusOf(entry);
    }
    if (attempt.sentAt === null) return 'absent';
    const quiet = this.now().getTime() - Date.parse(attempt.sentAt);
    return quiet < this.settleMs ? 'in-flight' : 'absent';
  }

  private async recent(route: KrakenRoute, attempt: WithdrawalAttempt) {
    const start = Math.floor(Date.parse(attempt.startedAt) / 1000) - SKEW_SECONDS;
    const params = { asset: route.asset, method: route.method, start: String(start) };
    return readWithdrawals(await this.api.call('WithdrawStatus', params));
  }
}

function unsettled(attempt: WithdrawalAttempt): ProviderError {
  const message = `the last Withdraw for ${attempt.idempotencyKey} may still be landing; ask again`;
  return new ProviderError('kraken', 'withdrawal_in_flight', message, true);
}

function assertSameRequest(
  attempt: WithdrawalAttempt,
  request: { asset: CryptoAsset; address: string; amount: Amount },
): void {
  const same =
    attempt.asset === request.asset &&
    attempt.address === request.address &&
    attempt.amount === request.amount;
  if (same) return;
  const message = `idempotency key ${attempt.idempotencyKey} was used for a different payout`;
  throw new ProviderError('kraken', 'idempotency_conflict', message, false);
}
