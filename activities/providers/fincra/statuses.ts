import type { PayoutStatus } from '../types.ts';

const SUCCEEDED = new Set(['successful', 'success', 'completed']);
const FAILED = new Set(['failed', 'declined', 'reversed', 'cancelled', 'canceled', 'rejected']);

/**
 * A Fincra payout (API reply or webhook `data`) as our status. Fincra's statuses ("Status
 * responses and their meanings"): successful; failed or reversed; anything else (initiated,
 * processing, pending) is still on its way. The success reference is Fincra's own `reference`.
 */
export function payoutStatusOf(payout: Record<string, unknown>): PayoutStatus {
  const status = String(payout.status ?? '').toLowerCase();
  const reference = String(payout.reference ?? payout.id ?? '');
  if (SUCCEEDED.has(status)) return { state: 'succeeded', transactionRef: reference };
  if (FAILED.has(status)) {
    const reason = typeof payout.reason === 'string' && payout.reason ? payout.reason : status;
    return { state: 'failed', reason };
  }
  return { state: 'pending' };
}
