import type { Delivery } from '../../bot/conversations.ts';
import type { ChatParty } from '../../machines/flow.ts';
import type { MenuFacts } from '../../machines/menu.ts';
import type { OnboardingFacts, OnboardingInput } from '../../machines/onboarding.ts';
import type { PayoutFacts } from '../../machines/payout.ts';

/** Builders for the facts prefetches return; override only what a test is about. */
export function aParty(overrides: Partial<ChatParty> = {}): ChatParty {
  return { chatId: 1001, telegramUserId: 1001, firstName: 'Ada', username: 'ada', ...overrides };
}

export function someMenuFacts(overrides: Partial<MenuFacts> = {}): MenuFacts {
  return {
    firstName: 'Ada',
    blocked: false,
    onboarded: false,
    isAdmin: false,
    referralCode: 'ADA23456',
    referralCount: 0,
    wallets: null,
    withdrawableUsd: '0',
    lastDestination: null,
    activity: null,
    ...overrides,
  };
}

export function someOnboardingFacts(
  menu: Partial<MenuFacts> = {},
  referrer: OnboardingFacts['referrer'] = null,
): OnboardingFacts {
  return { menu: someMenuFacts(menu), referrer };
}

export function anOnboardingInput(overrides: Partial<OnboardingInput> = {}): OnboardingInput {
  return {
    party: aParty(),
    settings: { inactivityMs: 30 * 60_000, referralBonusUsd: '5' },
    facts: someOnboardingFacts(),
    ...overrides,
  };
}

/** What the bot gets back when a flow shows onboarding's welcome screen. */
export function aWelcomeDelivery(): Delivery {
  return {
    kind: 'screen',
    result: {
      screen: { flow: 'onboarding', state: 'welcome', data: { firstName: 'Ada' } },
      stamp: 's1',
      ended: false,
      superseded: false,
    },
  };
}

/** A cashout as the payout workflow loads it: $300 in BTC, awaiting review. */
export function aPayoutFacts(overrides: Partial<PayoutFacts> = {}): PayoutFacts {
  return {
    cashoutId: '6f1c2b9e-4d3a-4c55-9b1e-0a7d2f3e4c5b',
    status: 'awaiting_review',
    owner: { telegramUserId: 1001, firstName: 'Ada', username: 'ada' },
    amountUsd: '300',
    feeUsd: '6',
    destination: {
      method: 'crypto',
      asset: 'BTC',
      address: 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh',
    },
    provider: 'sandbox',
    payoutCurrency: 'BTC',
    payoutAmount: '0.00588',
    networkFee: '0.00002',
    reviewers: [42],
    ...overrides,
  };
}
