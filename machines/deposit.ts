import { assign, setup } from 'xstate';
import type { CryptoAsset } from './money.ts';
import { providedByHost } from './flow.ts';

/** What `loadDeposit` reads: the deposit and where to tell its owner. */
export interface DepositFacts {
  depositId: string;
  chatId: number;
  asset: CryptoAsset;
  address: string;
  expiresAt: string;
}

/** A provider's word about money sent to the deposit's address (one transaction, `txid`). */
export interface DepositSeen {
  type: 'deposit.seen';
  eventId: string;
  txid: string;
  amount: string;
  confirmed: boolean;
}

export interface CreditInput {
  depositId: string;
  txid: string;
  amount: string;
}

export interface CreditResult {
  /** USD credited to the wallet, rounded to the cent. */
  usdAmount: string;
  rate: string;
}

/** What the owner is told; bot/views renders it as the `deposit` flow's screen. */
export interface DepositNotice {
  chatId: number;
  state: 'seen' | 'credited';
  data: Record<string, string>;
}

export interface DepositInput {
  facts: DepositFacts;
  /** How long to keep listening for this address (until its expiry plus a grace). */
  watchMs: number;
}

interface DepositContext {
  facts: DepositFacts;
  watchMs: number;
  seen: string[];
  credited: string[];
  current: DepositSeen | null;
  lastCredit: CreditResult | null;
}

/**
 * One deposit address, watched while payments to it may arrive. Each confirmed transaction is
 * credited once (the ledger key is the deposit and the transaction) and its owner told; an
 * unconfirmed one is announced once. Repeats of either change nothing.
 */
export const depositMachine = setup({
  types: {
    input: {} as DepositInput,
    context: {} as DepositContext,
    events: {} as DepositSeen,
  },
  actors: {
    credit: providedByHost<CreditResult, CreditInput>('credit'),
    notify: providedByHost<void, DepositNotice>('notify'),
  },
  guards: {
    isNewConfirmation: ({ context, event }) =>
      event.confirmed && !context.credited.includes(event.txid),
    isNewSighting: ({ context, event }) =>
      !event.confirmed &&
      !context.seen.includes(event.txid) &&
      !context.credited.includes(event.txid),
  },
  delays: {
    watch: ({ context }) => context.watchMs,
  },
}).createMachine({
  id: 'deposit',
  context: ({ input }) => ({
    facts: input.facts,
    watchMs: input.watchMs,
    seen: [],
    credited: [],
    current: null,
    lastCredit: null,
  }),
  initial: 'watching',
  states: {
    watching: {
      after: { watch: 'closed' },
      on: {
        'deposit.seen': [
          {
            guard: 'isNewConfirmation',
            target: 'crediting',
            actions: assign({ current: ({ event }) => event }),
          },
          {
            guard: 'isNewSighting',
            target: 'announcing',
            actions: assign({
              current: ({ event }) => event,
              seen: ({ context, event }) => [...context.seen, event.txid],
            }),
          },
        ],
      },
    },
    announcing: {
      invoke: {
        id: 'notify',
        src: 'notify',
        input: ({ context }) => ({
          chatId: context.facts.chatId,
          state: 'seen' as const,
          data: { asset: context.facts.asset, amount: context.current?.amount ?? '0' },
        }),
        onDone: 'watching',
        onError: 'watching',
      },
    },
    crediting: {
      invoke: {
        id: 'credit',
        src: 'credit',
        input: ({ context }) => ({
          depositId: context.facts.depositId,
          txid: context.current?.txid ?? '',
          amount: context.current?.amount ?? '0',
        }),
        onDone: {
          target: 'thanking',
          actions: assign({
            lastCredit: ({ event }) => event.output,
            credited: ({ context }) => [...context.credited, context.current?.txid ?? ''],
          }),
        },
        // The activity retries until it succeeds; an error here is a bug to look at.
        onError: 'watching',
      },
    },
    thanking: {
      invoke: {
        id: 'notify',
        src: 'notify',
        input: ({ context }) => ({
          chatId: context.facts.chatId,
          state: 'credited' as const,
          data: {
            asset: context.facts.asset,
            amount: context.current?.amount ?? '0',
            usdAmount: context.lastCredit?.usdAmount ?? '0',
          },
        }),
        onDone: 'watching',
        onError: 'watching',
      },
    },
    closed: { type: 'final' },
  },
});
