import type { Delivery } from '../../bot/conversations.ts';
import type { ChatParty } from '../../machines/flow.ts';
import type { MenuFacts } from '../../machines/menu.ts';
import type { OnboardingFacts, OnboardingInput } from '../../machines/onboarding.ts';

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
