import { assign, setup, type SnapshotFrom } from 'xstate';
import type { ChatParty, FlowCancelled, Screen } from './flow.ts';
import type { CryptoAsset } from './money.ts';

/** Balances of one wallet as decimal strings; the ledger issue makes them ledger accounts. */
export interface WalletBalances {
  available: string;
  held: string;
  tradingCredit: string;
}

/** Everything the main menu and its pages show, loaded by a flow's prefetch. */
export interface MenuFacts {
  firstName: string;
  blocked: boolean;
  onboarded: boolean;
  isAdmin: boolean;
  referralCode: string;
  referralCount: number;
  wallets: { USD: WalletBalances; NGN: WalletBalances } | null;
  /** What a cashout may take now: available USD (trading credit never leaves). */
  withdrawableUsd: string;
  /** The saved destination of the last cashout, for the wallet's *… again* button. */
  lastDestination: LastDestination | null;
  /** The newest wallet movements; loaded for the activity page only, null elsewhere. */
  activity: ActivityItem[] | null;
}

/** A saved destination as the wallet names it; the cashout re-reads it by id. */
export interface LastDestination {
  id: string;
  label: string;
  method: 'crypto' | 'bank';
  asset: CryptoAsset | null;
}

/** One ledger movement of the user's wallets, newest first. `amount` is signed. */
export interface ActivityItem {
  kind: string;
  description: string;
  currency: 'USD' | 'NGN';
  bucket: 'available' | 'held' | 'trading_credit';
  amount: string;
  at: string;
}

export const MENU_PAGES = ['main', 'wallet', 'activity', 'invite', 'help'] as const;
export type MenuPage = (typeof MENU_PAGES)[number];

export interface MenuInput {
  party: ChatParty;
  page?: string;
  facts: MenuFacts;
}

interface MenuContext {
  page: MenuPage;
  facts: MenuFacts | null;
  /** What the final page shows; the prefetched facts themselves are dropped on arrival. */
  shown: MenuFacts | null;
}

/** The menu's data on screen; onboarding ends on the same screen. */
export function menuScreen(facts: MenuFacts | null, page: string = 'main'): Screen {
  return { flow: 'menu', state: page, data: facts ? { ...facts } : {} };
}

function pageOf(param: string | undefined): MenuPage {
  return MENU_PAGES.find((page) => page === param) ?? 'main';
}

/** Screen of a menu snapshot; `suspended` and `needsOnboarding` show no facts. */
export function screenOfMenu(snapshot: SnapshotFrom<typeof menuMachine>): Screen {
  return menuScreen(snapshot.context.shown, String(snapshot.value));
}

/**
 * The main menu and its small pages. Each button on them opens a flow (this one included,
 * with a page), so a menu run shows one screen and ends: no idle workflow waits on a menu.
 */
export const menuMachine = setup({
  types: {
    input: {} as MenuInput,
    context: {} as MenuContext,
    events: {} as FlowCancelled,
  },
  guards: {
    isBlocked: ({ context }) => context.facts?.blocked === true,
    isNotOnboarded: ({ context }) => context.facts?.onboarded !== true,
    wantsPage: ({ context }, page: MenuPage) => context.page === page,
  },
  actions: {
    forgetFacts: assign({ facts: null }),
    showFacts: assign({ shown: ({ context }) => context.facts, facts: null }),
  },
}).createMachine({
  id: 'menu',
  context: ({ input }) => ({ page: pageOf(input.page), facts: input.facts, shown: null }),
  initial: 'routing',
  states: {
    routing: {
      always: [
        { guard: 'isBlocked', target: 'suspended' },
        { guard: 'isNotOnboarded', target: 'needsOnboarding' },
        { guard: { type: 'wantsPage', params: 'wallet' }, target: 'wallet' },
        { guard: { type: 'wantsPage', params: 'activity' }, target: 'activity' },
        { guard: { type: 'wantsPage', params: 'invite' }, target: 'invite' },
        { guard: { type: 'wantsPage', params: 'help' }, target: 'help' },
        { target: 'main' },
      ],
    },
    main: { type: 'final', entry: 'showFacts' },
    wallet: { type: 'final', entry: 'showFacts' },
    activity: { type: 'final', entry: 'showFacts' },
    invite: { type: 'final', entry: 'showFacts' },
    help: { type: 'final', entry: 'showFacts' },
    needsOnboarding: { type: 'final', entry: 'forgetFacts' },
    suspended: { type: 'final', entry: 'forgetFacts' },
  },
});
