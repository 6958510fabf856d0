import { mul, type Amount } from '../../machines/money.ts';
import {
  depositLimits,
  SANDBOX_PROVIDER,
  SandboxError,
  type Delivery,
  type SandboxRails,
} from '../../activities/providers/sandbox/index.ts';
import { HttpError } from '../emulator/errors.ts';
import type { ActionInput, PendingOperation, SandboxProvider } from './providers.ts';

// A payment "later" arrives this long after the button, as a slow provider's would.
const LATE_MS = 30_000;

type Action = PendingOperation['actions'][number];

const depositActions: Action[] = [
  { name: 'pay', label: 'Pay' },
  { name: 'underpay', label: 'Pay too little' },
  { name: 'overpay', label: 'Pay 3×' },
  { name: 'pay-late', label: 'Pay in 30 s' },
  { name: 'expire', label: 'Expire' },
];
const addressActions: Action[] = [
  ...depositActions.slice(0, 3),
  { name: 'pay-unconfirmed', label: 'Pay, unconfirmed' },
  ...depositActions.slice(3),
];
const payoutActions: Action[] = [
  { name: 'succeed', label: 'Succeed' },
  { name: 'fail', label: 'Fail' },
  { name: 'succeed-late', label: 'Succeed in 30 s' },
];

/**
 * The sandbox rails on the sandbox page: deposit addresses and naira collections waiting for a
 * payment, payments waiting for a confirmation, payouts waiting for an outcome, each with
 * buttons. An operation's id is its reference (deposit reference, collection reference, txid,
 * payout key); a deposit address also answers to the address itself.
 */
export function railsSandboxProvider(rails: SandboxRails): SandboxProvider {
  return {
    name: SANDBOX_PROVIDER,
    label: 'Sandbox rails: crypto and NGN bank',
    pending: async () => pendingOperations(rails),
    act: async (id, action, input = {}) => {
      try {
        return await act(rails, id, action, input);
      } catch (error) {
        if (error instanceof SandboxError) throw new HttpError(404, error.message);
        throw error;
      }
    },
    subscribe: (listener) => rails.subscribe(listener),
  };
}

function pendingOperations(rails: SandboxRails): PendingOperation[] {
  const addresses = rails.crypto.addresses().filter((each) => each.state === 'waiting');
  const collections = rails.bank.collections().filter((each) => each.state === 'waiting');
  const payouts = [...rails.payouts.book.pending(), ...rails.bank.payouts.pending()];

  return [
    ...addresses.map((each) => ({
      id: each.reference,
      kind: 'deposit' as const,
      amount: depositLimits[each.asset].typical,
      currency: each.asset,
      reference: each.address,
      createdAt: each.createdAt,
      actions: addressActions,
    })),
    ...rails.crypto.unconfirmed().map((tx) => ({
      id: tx.txid,
      kind: 'deposit' as const,
      amount: tx.amount,
      currency: tx.asset,
      reference: `unconfirmed payment for ${tx.reference}`,
      createdAt: tx.createdAt,
      actions: [{ name: 'confirm', label: 'Confirm' }],
    })),
    ...collections.map((each) => ({
      id: each.reference,
      kind: 'deposit' as const,
      amount: each.amount,
      currency: 'NGN',
      reference: `${each.accountNumber} from ${each.payerName}`,
      createdAt: each.createdAt,
      actions: depositActions,
    })),
    ...payouts.map((each) => ({
      id: each.key,
      kind: 'payout' as const,
      amount: each.amount,
      currency: each.currency,
      reference: each.destination,
      createdAt: each.createdAt,
      actions: payoutActions,
    })),
  ].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

async function act(rails: SandboxRails, id: string, action: string, input: ActionInput) {
  if (rails.payout(id)) return settle(rails, id, action);
  if (action === 'confirm')
    return summary(await rails.crypto.confirm(id).then((p) => p.deliveries));

  const address = rails.crypto.find(id);
  if (address) {
    const { minimum, typical } = depositLimits[address.asset];
    const pay = (amount: Amount, options = {}) =>
      rails.crypto.pay(id, input.amount ?? amount, options).then((paid) => paid.deliveries);
    return deposit(rails, action, {
      pay,
      typical,
      minimum,
      expire: () => rails.crypto.expire(id),
      unconfirmed: () => pay(typical, { confirmations: 0 }),
    });
  }

  const collection = rails.bank.collections().find((each) => each.reference === id);
  if (!collection) throw new SandboxError(`no sandbox deposit, collection or payout ${id}`);
  return deposit(rails, action, {
    pay: (amount, options = {}) => rails.bank.payCollection(id, input.amount ?? amount, options),
    typical: collection.amount,
    minimum: collection.amount,
    expire: () => rails.bank.expireCollection(id),
  });
}

interface DepositMoves {
  pay(amount: Amount, options?: { delayMs?: number }): Promise<Delivery[]>;
  typical: Amount;
  /** Half of it is "too little". */
  minimum: Amount;
  expire(): void;
  unconfirmed?(): Promise<Delivery[]>;
}

async function deposit(rails: SandboxRails, action: string, moves: DepositMoves) {
  switch (action) {
    case 'pay':
      return summary(await moves.pay(moves.typical));
    case 'underpay':
      return summary(await moves.pay(mul(moves.minimum, '0.5')));
    case 'overpay':
      return summary(await moves.pay(mul(moves.typical, '3')));
    case 'pay-unconfirmed':
      if (moves.unconfirmed) return summary(await moves.unconfirmed());
      break;
    case 'pay-late':
      rails.background(moves.pay(moves.typical, { delayMs: LATE_MS }), 'late payment');
      return `the payment arrives in ${LATE_MS / 1000} s`;
    case 'expire':
      return void moves.expire();
  }
  throw unknownAction(action, depositActions);
}

async function settle(rails: SandboxRails, key: string, action: string) {
  switch (action) {
    case 'succeed':
      return summary(await rails.settle(key, 'succeeded'));
    case 'fail':
      return summary(await rails.settle(key, 'failed', { reason: 'failed by a tester' }));
    case 'succeed-late':
      rails.background(rails.settle(key, 'succeeded', { delayMs: LATE_MS }), 'late payout');
      return `the payout succeeds in ${LATE_MS / 1000} s`;
  }
  throw unknownAction(action, payoutActions);
}

function unknownAction(action: string, actions: Action[]) {
  const known = actions.map((each) => each.name).join(', ');
  return new HttpError(400, `no action ${action} here; try one of ${known}`);
}

/** "2 webhooks to http://…/webhooks/sandbox, answered 200, 200". */
function summary(deliveries: Delivery[]): string {
  if (deliveries.length === 0) return 'no webhook sent';
  const statuses = deliveries.map((each) => each.status || 'no answer').join(', ');
  const noun = deliveries.length === 1 ? 'webhook' : 'webhooks';
  return `${deliveries.length} ${noun} to ${deliveries[0]!.url}, answered ${statuses}`;
}
