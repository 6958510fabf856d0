import type { ReviewDecision } from '../../workflows/contract.ts';
import type { Pressed } from './keyboard-codec.ts';

const PREFIX = 'pr';
const VERSION = 1;
const actions: Record<string, ReviewDecision> = { a: 'approve', r: 'reject' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The Approve and Reject buttons under a cashout's review request: `pr1:<a|r>:<cashout id>`
 * (45 bytes). They carry the cashout, not the chat: the press goes to `payout-<id>`, whose
 * validator decides whether the presser may review. The amount is never in the data.
 */
export const payoutReviewButtons = {
  prefix: PREFIX,
  encode(decision: ReviewDecision, cashoutId: string): string {
    return `${PREFIX}${VERSION}:${decision === 'approve' ? 'a' : 'r'}:${cashoutId}`;
  },
  decode(data: string): Pressed | null {
    if (!new RegExp(`^${PREFIX}\\d+:`).test(data)) return null;
    if (!data.startsWith(`${PREFIX}${VERSION}:`)) return { kind: 'outdated' };

    const [action = '', cashoutId = ''] = data.slice(`${PREFIX}${VERSION}:`.length).split(':');
    const decision = actions[action];
    if (!decision || !UUID.test(cashoutId)) return { kind: 'outdated' };
    return { kind: 'review', cashoutId, decision };
  },
};
