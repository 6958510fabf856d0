import { add, cmp } from '../../../machines/money.ts';
import { amountFrom } from '../decimal.ts';
import { isRecord } from '../http.ts';
import { ProviderError, type CryptoAsset, type PayoutStatus } from '../types.ts';
import type { WithdrawalAttempt } from './withdrawal-log.ts';

/** Kraken's asset code and withdrawal method for each of our assets. */
export interface KrakenRoute {
  asset: string;
  method: string;
}

// TODO(payments): method names as Kraken's WithdrawMethods lists them for our account; check
// them once against the live account (USDT's network is told apart by method alone).
export const krakenRoutes: Readonly<Record<CryptoAsset, KrakenRoute>> = {
  BTC: { asset: 'XBT', method: 'Bitcoin' },
  ETH: { asset: 'ETH', method: 'Ether' },
  LTC: { asset: 'LTC', method: 'Litecoin' },
  USDT_TRC20: { asset: 'USDT', method: 'Tether USD (TRC20)' },
  USDT_ERC20: { asset: 'USDT', method: 'Tether USD (ERC20)' },
};

/** One entry of `WithdrawStatus`: `info` is the destination address, `time` Unix seconds. */
export interface KrakenWithdrawal {
  refid: string;
  txid: string | null;
  method: string;
  info: string;
  amount: string;
  fee: string;
  time: number;
  status: string;
  statusProp: string | null;
}

export function readWithdrawals(result: unknown): KrakenWithdrawal[] {
  if (!Array.isArray(result)) {
    throw new ProviderError('kraken', 'bad_response', 'WithdrawStatus result is not a list', false);
  }
  return result.filter(isRecord).map((entry) => ({
    refid: String(entry.refid ?? ''),
    txid: typeof entry.txid === 'string' && entry.txid !== '' ? entry.txid : null,
    method: String(entry.method ?? ''),
    info: String(entry.info ?? ''),
    amount: amountFrom('kraken', 'amount', entry.amount),
    fee: amountFrom('kraken', 'fee', entry.fee ?? '0'),
    time: Number(entry.time ?? 0),
    status: String(entry.status ?? ''),
    statusProp: typeof entry['status-prop'] === 'string' ? entry['status-prop'] : null,
  }));
}

/**
 * Kraken's states (IFEX-derived, "Advanced API FAQ"): Initial, Pending, Settled → on the way;
 * Success → sent; Failure → refused. `status-prop` canceled or return undoes a withdrawal;
 * onhold and cancel-pending keep it waiting.
 */
export function payoutStatusOf(entry: KrakenWithdrawal): PayoutStatus {
  if (entry.statusProp === 'canceled' || entry.statusProp === 'return') {
    return { state: 'failed', reason: `Kraken ${entry.statusProp} withdrawal ${entry.refid}` };
  }
  if (entry.status === 'Success') {
    return { state: 'succeeded', transactionRef: entry.txid ?? entry.refid };
  }
  if (entry.status === 'Failure') {
    return { state: 'failed', reason: `Kraken withdrawal ${entry.refid} failed` };
  }
  return { state: 'pending' };
}

/** EVM addresses are case-insensitive (checksummed case); other networks' are not. */
export function sameAddress(asset: CryptoAsset, a: string, b: string): boolean {
  const evm = asset === 'ETH' || asset === 'USDT_ERC20';
  return evm ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * Whether a withdrawal Kraken lists could be this attempt: same method and address, the amount
 * asked (Kraken lists it net of its fee, so amount + fee must equal what we asked), made no
 * earlier than the attempt began less `skewSeconds` of clock difference.
 */
export function couldBe(
  entry: KrakenWithdrawal,
  attempt: WithdrawalAttempt,
  route: KrakenRoute,
  skewSeconds: number,
): boolean {
  const asked = attempt.amount;
  const amountMatches =
    cmp(entry.amount, asked) === 0 || cmp(add(entry.amount, entry.fee), asked) === 0;
  const notBefore = Date.parse(attempt.startedAt) / 1000 - skewSeconds;
  return (
    (entry.method === '' || entry.method === route.method) &&
    sameAddress(attempt.asset, entry.info, attempt.address) &&
    amountMatches &&
    entry.time >= notBefore
  );
}
