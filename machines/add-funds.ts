import { assign, setup, type SnapshotFrom } from 'xstate';
import {
  providedByHost,
  stateName,
  type ChatParty,
  type FlowCancelled,
  type Notice,
  type Screen,
} from './flow.ts';
import type { MenuFacts } from './menu.ts';
import { cryptoAssets, type CryptoAsset } from './money.ts';

/** Every asset can be deposited. */
export const DEPOSIT_ASSETS = cryptoAssets;

/** An address the crypto processor issued for this user's deposit. */
export interface OpenedDeposit {
  depositId: string;
  asset: CryptoAsset;
  address: string;
  minimum: string;
  expiresAt: string;
}

export interface OpenDepositInput {
  telegramUserId: number;
  asset: CryptoAsset;
}

export type AddFundsEvent = FlowCancelled | { type: 'asset.choose'; asset: CryptoAsset };

export interface AddFundsInput {
  party: ChatParty;
  settings: { inactivityMs: number };
  facts: MenuFacts;
}

interface AddFundsContext {
  party: ChatParty;
  settings: { inactivityMs: number };
  facts: MenuFacts | null;
  asset: CryptoAsset | null;
  deposit: OpenedDeposit | null;
  notice: Notice | null;
}

/**
 * Add funds: pick an asset, get a deposit address with its minimum and expiry. The deposit
 * itself is watched by its own `deposit-<id>` workflow, which credits the wallet when the
 * provider confirms it; this conversation ends once the address is shown.
 */
export const addFundsMachine = setup({
  types: {
    input: {} as AddFundsInput,
    context: {} as AddFundsContext,
    events: {} as AddFundsEvent,
  },
  actors: {
    openDeposit: providedByHost<OpenedDeposit, OpenDepositInput>('openDeposit'),
  },
  guards: {
    isBlocked: ({ context }) => context.facts?.blocked === true,
    isNotOnboarded: ({ context }) => context.facts?.onboarded !== true,
  },
  actions: {
    forgetFacts: assign({ facts: null }),
  },
  delays: {
    inactivity: ({ context }) => context.settings.inactivityMs,
  },
}).createMachine({
  id: 'addFunds',
  context: ({ input }) => ({
    party: input.party,
    settings: input.settings,
    facts: input.facts,
    asset: null,
    deposit: null,
    notice: null,
  }),
  initial: 'routing',
  on: {
    'flow.cancel': { target: '.cancelled' },
  },
  states: {
    routing: {
      always: [
        { guard: 'isBlocked', target: 'suspended' },
        { guard: 'isNotOnboarded', target: 'needsOnboarding' },
        { target: 'choosingAsset' },
      ],
    },
    choosingAsset: {
      after: { inactivity: 'timedOut' },
      on: {
        'asset.choose': {
          target: 'openingDeposit',
          actions: assign({ asset: ({ event }) => event.asset, notice: null }),
        },
      },
    },
    openingDeposit: {
      invoke: {
        id: 'openDeposit',
        src: 'openDeposit',
        input: ({ context }) => ({
          telegramUserId: context.party.telegramUserId,
          asset: context.asset ?? 'BTC',
        }),
        onDone: {
          target: 'showingAddress',
          actions: assign({ deposit: ({ event }) => event.output }),
        },
        onError: {
          target: 'choosingAsset',
          actions: assign({ notice: { code: 'service.unavailable' } }),
        },
      },
    },
    showingAddress: { type: 'final', entry: 'forgetFacts' },
    needsOnboarding: { type: 'final', entry: 'forgetFacts' },
    suspended: { type: 'final', entry: 'forgetFacts' },
    cancelled: { type: 'final', entry: 'forgetFacts' },
    timedOut: { type: 'final', entry: 'forgetFacts' },
  },
});

export function screenOfAddFunds(snapshot: SnapshotFrom<typeof addFundsMachine>): Screen {
  const { context } = snapshot;
  const state = stateName(snapshot.value);
  const data: Record<string, unknown> =
    state === 'showingAddress' && context.deposit
      ? { ...context.deposit }
      : { assets: DEPOSIT_ASSETS };
  return { flow: 'addFunds', state, data, notice: context.notice };
}
